"""Large kept HTML put into a page's bytes once, instead of carried through every template level.

A page's template engine copies what it renders at each level of nesting (an included template,
a block, the base template), then the whole page is encoded to UTF-8. A page of a thread is
150,000 characters; one character past Latin-1 in it (the "Later comments →" link) makes every
copy, and the page, two bytes a character, and encoding that page was about a tenth of a
rendered article's CPU (docs/performance.md, "The page's own bytes").

:func:`spliced` stands in for such HTML while a page is rendered for its response: it returns a
short placeholder, and :class:`SpliceMiddleware` puts the HTML's UTF-8 bytes in its place once
the response's bytes exist. A kept fragment (``core.fragments``: the same ``str`` object for
every request of a process while it is kept) is encoded once per process (``kept=True``). The
response's bytes are the same as without it, byte for byte.

Placeholders are made only where a caller asks for one (the comment section's page of the
thread), only while a template response is rendered (between ``process_template_response`` and
the end of ``render()``), and never while a fragment is built (``core.fragments`` builds
without them), so nothing kept for later holds one. The placeholder never leaves the process.
Off with ``DATELINE_SPLICE = False``.
"""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils.safestring import SafeString, mark_safe

from .memo import SizedLRU

log = logging.getLogger(__name__)

# Below this many characters HTML stays in the page: the copies it saves cost less than the
# placeholder.
MIN_CHARS = 8192
# Kept HTML this process holds encoded, in bytes (the HTML's own string counted too).
ENCODED_BYTES = 32_000_000

# Unguessable per process: text an editor or a reader wrote can never form a placeholder. The
# bytes around the number are ASCII, so they are found in the encoded page as they were written.
_PREFIX = f"<!--dateline-splice-{secrets.token_hex(12)}-"
_SUFFIX = "-->"

# The parts of the response being rendered, by placeholder; None outside such a render.
_parts: ContextVar[list[bytes] | None] = ContextVar("dateline_splice_parts", default=None)


class _Encoded:
    """Kept HTML → its UTF-8, by identity: the entry holds the ``str`` itself, so its ``id``
    names no other object while the entry is kept."""

    def __init__(self, limit: int) -> None:
        self.lru = SizedLRU(limit)

    def get(self, html: str) -> bytes:
        found = self.lru.get(id(html))
        if found is not None and found[0] is html:
            return found[1]
        encoded = html.encode()
        self.lru.put(id(html), (html, encoded), sys.getsizeof(html) + len(encoded))
        return encoded


_encoded = _Encoded(ENCODED_BYTES)


def spliced(html: str, *, kept: bool = False) -> SafeString:
    """``html`` (already safe: rendered by an autoescaped template) in the page being rendered.

    While a template response renders, a placeholder its bytes get ``html`` in place of;
    otherwise, and for short HTML, ``html`` itself. ``kept``: ``html`` is a kept fragment, the
    same ``str`` object for every request while this process keeps it, so its UTF-8 is kept
    too (by identity); anything else (a reader's own page) is encoded each time."""
    parts = _parts.get()
    if parts is None or len(html) < MIN_CHARS:
        return mark_safe(html)  # noqa: S308 (the caller's HTML, rendered by an autoescaped template)
    parts.append(_encoded.get(html) if kept else html.encode())
    return mark_safe(f"{_PREFIX}{len(parts) - 1}{_SUFFIX}")  # noqa: S308 (our own ASCII)


@contextmanager
def not_spliced() -> Iterator[None]:
    """Render inline inside this block (a fragment being built is kept for other requests)."""
    token = _parts.set(None)
    try:
        yield
    finally:
        _parts.reset(token)


def splice_enabled() -> bool:
    return bool(getattr(settings, "DATELINE_SPLICE", True))


def _put_back(content: bytes, parts: list[bytes]) -> bytes | None:
    """``content`` with each placeholder replaced by its part, wherever the template put it;
    None unless each placeholder is there exactly once (the caller renders again without)."""
    prefix, suffix = _PREFIX.encode(), _SUFFIX.encode()
    out: list[bytes] = []
    seen: set[int] = set()
    at = 0
    while (found := content.find(prefix, at)) >= 0:
        end = content.find(suffix, found + len(prefix))
        number = content[found + len(prefix) : end]
        if end < 0 or not number.isdigit() or int(number) >= len(parts) or int(number) in seen:
            return None
        seen.add(int(number))
        out += (content[at:found], parts[int(number)])
        at = end + len(suffix)
    if len(seen) != len(parts):
        return None
    out.append(content[at:])
    return b"".join(out)


class SpliceMiddleware:
    """Renders template responses with :func:`spliced` placeholders and puts the HTML back into
    their bytes. Its place in ``MIDDLEWARE`` does not matter for the bytes; innermost, nothing
    between the view and it sees the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Whatever happens in the render, this request leaves no parts behind for the next one
        # on this thread.
        token = _parts.set(None)
        try:
            return self.get_response(request)
        finally:
            _parts.reset(token)

    def process_template_response(
        self, request: HttpRequest, response: SimpleTemplateResponse
    ) -> SimpleTemplateResponse:
        if not splice_enabled() or response.is_rendered:
            return response
        parts: list[bytes] = []
        _parts.set(parts)
        # Called once the content is set, before any middleware's process_response sees it
        # (a view's own callbacks, registered earlier, would run first: ours register none).
        response.add_post_render_callback(lambda r: _finish(r, parts))
        return response


def _finish(response: SimpleTemplateResponse, parts: list[bytes]) -> None:
    _parts.set(None)
    if not parts or not isinstance(response, HttpResponse):
        return
    content = _put_back(response.content, parts)
    if content is None:
        log.error("spliced HTML lost its place in %r: rendered again without", response)
        with not_spliced():
            content = response.rendered_content.encode(response.charset)
    response.content = content
