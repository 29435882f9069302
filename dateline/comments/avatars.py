"""The commenter's avatar: a 5×5 symmetric pattern in one hue from an HMAC of the email key with
the server's secret (the same reader gets the same picture, and nobody can work back from it to
the address, unlike a Gravatar hash). The one drawing of it: inline in the thread
(:func:`avatar_svg_small`) and as a ``data:`` URL for the staff avatars of the admin
(:func:`avatar_data_url`).

Each row's filled cells are written as horizontal strokes one unit wide, in one path, over a
background path: about 230 bytes instead of 690 for a rectangle per cell, which adds up on a
page of two hundred comments (docs/decisions/0069-lean-thread-markup.md)."""

from __future__ import annotations

import base64
from functools import lru_cache

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from .text import _keyed


def _strokes(digest: bytes) -> str:
    parts = []
    for row in range(5):
        filled = [bool(digest[2 + row * 3 + min(col, 4 - col)] & 1) for col in range(5)]
        col = 0
        while col < 5:
            if filled[col]:
                start = col
                while col < 5 and filled[col]:
                    col += 1
                y = f"{row}.5" if row else ".5"
                parts.append(f"M{start} {y}h{col - start}")
            else:
                col += 1
    return "".join(parts)


def avatar_drawing(email_key: str) -> str:
    """The avatar's shapes (SVG markup inside ``viewBox="-.5 -.5 6 6"``): a background and
    the pattern, in one hue. Drawn once per process for each reader (a page of a thread shows
    the same readers again and again), and again with a new secret key."""
    return _drawing(settings.SECRET_KEY, email_key)


@lru_cache(maxsize=4096)
def _drawing(secret: str, email_key: str) -> str:
    # ``secret`` is part of the cache's key only: _keyed reads the same settings.SECRET_KEY.
    digest = _keyed("avatar", email_key)
    hue = int.from_bytes(digest[:2], "big") % 360
    strokes = _strokes(digest)
    pattern = f'<path stroke="hsl({hue} 55% 35%)" d="{strokes}"/>' if strokes else ""
    return f'<path fill="hsl({hue} 45% 92%)" d="M-.5-.5h6v6h-6z"/>{pattern}'


def avatar_svg_small(email_key: str) -> SafeString:
    """The avatar inline, for the thread."""
    return mark_safe(  # noqa: S308 - built from numbers only
        '<svg class="avatar" viewBox="-.5 -.5 6 6" width="40" height="40" aria-hidden="true">'
        f"{avatar_drawing(email_key)}</svg>"
    )


def avatar_data_url(email_key: str) -> str:
    """The same picture as an image URL that needs no request (``data:``), for places that take
    a URL rather than markup: the staff avatars of the Wagtail admin."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-.5 -.5 6 6" width="40" height="40">'
        f"{avatar_drawing(email_key)}</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
