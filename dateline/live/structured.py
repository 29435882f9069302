"""schema.org ``LiveBlogPosting`` for a live page, with its newest updates as
``liveBlogUpdate``s (BlogPosting), each with its own URL (the page's address and the update's
anchor), as search engines read live coverage."""

from __future__ import annotations

import json
from typing import Any

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from dateline.core.media import rendition_or_none
from dateline.news.rendering import absolute, publisher

from .models import LivePage, LiveUpdate

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
IMAGE_SPEC = "fill-1200x675"


def update_url(page_url: str, update: LiveUpdate) -> str:
    return f"{page_url}#{update.anchor}"


def _person(author: Any, base: str) -> dict[str, Any] | None:
    if author is None:
        return None
    return {"@type": "Person", "name": author.name, "url": absolute(base, author.get_url())}


def _stamp(at: Any) -> str | None:
    """An ISO 8601 time to the second: search engines read no finer, and a page of twenty
    updates carries two of them each."""
    return at.isoformat(timespec="seconds") if at else None


def _update(u: LiveUpdate, *, url: str, fallback: str) -> dict[str, Any]:
    """One update as a ``BlogPosting``: its address (the page's, with the update's anchor),
    headline, times and text, and its reporter by name (the page's ``author`` list carries
    their profile addresses). ``dateModified`` only when the update was edited."""
    body = strip_tags(u.body_html).strip()
    published = _stamp(u.published_at)
    modified = _stamp(u.updated_at)
    data: dict[str, Any] = {
        "@type": "BlogPosting",
        "url": update_url(url, u),
        "headline": (u.headline or body)[:110].strip() or fallback,
        "datePublished": published,
    }
    if modified and modified != published:
        data["dateModified"] = modified
    data["articleBody"] = body
    author = u.author if u.author_id else None  # read with the update: no query
    if author is not None:
        data["author"] = {"@type": "Person", "name": author.name}
    return data


def live_structured_data(
    *, page: LivePage, base: str, byline: list[Any], updates: list[LiveUpdate]
) -> dict[str, Any]:
    url = absolute(base, page.get_url() or "/")
    site = publisher(base)
    newest = max((u.published_at for u in updates if u.published_at), default=None)
    modified = max(
        filter(None, [newest, page.last_published_at, page.first_published_at]), default=None
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": page.title[:110],
        "description": page.standfirst or page.search_description or page.title,
        "inLanguage": page.language,
        "datePublished": _stamp(page.first_published_at),
        "dateModified": _stamp(modified),
        "coverageStartTime": _stamp(page.first_published_at),
        "author": [p for p in (_person(a, base) for a in byline) if p],
        "publisher": site,
        "isAccessibleForFree": True,
        "liveBlogUpdate": [_update(u, url=url, fallback=page.title[:110]) for u in updates],
    }
    if not page.is_live and newest is not None:
        data["coverageEndTime"] = _stamp(newest)
    if page.section is not None:
        data["articleSection"] = page.section.title
    rendition = None if page.lead_image is None else rendition_or_none(page.lead_image, IMAGE_SPEC)
    if rendition is not None:
        data["image"] = [absolute(base, rendition.url)]
    return {k: v for k, v in data.items() if v is not None}


def json_ld(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> element that text in the data cannot break out of."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - <, > and & are escaped above
