"""Structured data for an article: schema.org NewsArticle (JSON-LD), Open Graph, Twitter cards."""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from dateline.core.media import rendition_or_none
from dateline.news.models import ArticlePage
from dateline.news.rendering import absolute, publisher

# Google asks for images in 16:9, 4:3 and 1:1, at least 1200 px wide where possible.
IMAGE_SPECS = ["fill-1200x675", "fill-1200x900", "fill-1200x1200"]
SHARE_SPEC = "fill-1200x630"
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def article_structured_data(
    *, article: ArticlePage, base: str, byline: list[Any], tags: list[Any], corrections: list[Any]
) -> dict[str, Any]:
    url = absolute(base, article.get_url() or "/")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:110],
        "description": article.standfirst or article.search_description or article.title,
        "inLanguage": article.language,
        "datePublished": article.first_published_at.isoformat()
        if article.first_published_at
        else None,
        "dateModified": (article.last_published_at or article.first_published_at).isoformat()
        if article.first_published_at
        else None,
        "author": [
            {"@type": "Person", "name": a.name, "url": absolute(base, a.get_url())} for a in byline
        ],
        "publisher": publisher(base),
        "keywords": [t.name for t in tags],
        "isAccessibleForFree": True,
    }
    if article.section is not None:
        data["articleSection"] = article.section.title
    if article.dateline_place:
        data["dateline"] = article.dateline_place
    if article.lead_image is not None:
        renditions = (rendition_or_none(article.lead_image, spec) for spec in IMAGE_SPECS)
        data["image"] = [absolute(base, r.url) for r in renditions if r is not None] or None
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": c.noted_at.isoformat()}
            for c in corrections
        ]
    return {k: v for k, v in data.items() if v is not None}


def json_ld(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> element that text in the data cannot break out of."""
    payload = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - <, > and & are escaped above


def share_image(*, article: ArticlePage, base: str) -> str | None:
    if article.lead_image is None:
        return None
    rendition = rendition_or_none(article.lead_image, SHARE_SPEC)
    return None if rendition is None else absolute(base, rendition.url)
