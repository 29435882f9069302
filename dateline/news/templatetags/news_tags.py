"""Template helpers for the reader's pages: short summaries for listings, share links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django import template
from django.http import HttpRequest

register = template.Library()

SUMMARY_WORDS = 30
# Punctuation left dangling before the ellipsis ("spring,…"), Arabic comma and semicolon included.
_TRAILING = " \t\n,;:.!?-–—،؛…"


@register.filter(is_safe=False)
def summary(text: str | None, words: int | str | None = None) -> str:
    """``text`` cut to at most ``words`` words, with "…" when something was cut.

    ``words`` defaults to SUMMARY_WORDS. Plain text in, plain text out: the template escapes the result, so a cut never lands inside
    an entity or a tag. Never use it on sanitized HTML.
    """
    parts = (text or "").split()
    limit = int(words) if words else SUMMARY_WORDS
    if len(parts) <= limit:
        return " ".join(parts)
    return " ".join(parts[:limit]).rstrip(_TRAILING) + "…"


@dataclass(frozen=True)
class ShareLinks:
    url: str
    email: str
    bluesky: str


@register.simple_tag(takes_context=True)
def share_links(context: template.Context, title: str) -> ShareLinks:
    """Where the share links under an article point: plain URLs, nothing loaded with the page."""
    request: HttpRequest | None = context.get("request")
    url = request.build_absolute_uri(request.path) if request is not None else ""
    # mailto: wants %20 for spaces, not "+".
    email = "mailto:?" + urlencode({"subject": title, "body": f"{title}\n{url}"}, quote_via=quote)
    bluesky = "https://bsky.app/intent/compose?" + urlencode(
        {"text": f"{title} {url}"}, quote_via=quote
    )
    return ShareLinks(url=url, email=email, bluesky=bluesky)
