from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from dateline.news.models import ArticlePage

from ..structured import article_structured_data, json_ld, share_image

register = template.Library()


def _base(context: template.Context) -> str:
    request = context.get("request")
    return f"{request.scheme}://{request.get_host()}" if request is not None else settings.SITE_URL


@register.inclusion_tag("seo/article_meta.html", takes_context=True)
def article_meta(context: template.Context, article: ArticlePage, detail: Any) -> dict[str, Any]:
    base = _base(context)
    data = article_structured_data(
        article=article,
        base=base,
        byline=detail.byline,
        tags=detail.tags,
        corrections=detail.corrections,
    )
    return {
        "article": article,
        "jsonld": json_ld(data),
        "url": data["url"],
        "image": share_image(article=article, base=base),
        "tags": detail.tags,
        "SITE_NAME": settings.SITE_NAME,
    }


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context, path: str | None = None) -> str:
    request = context.get("request")
    if path is None:
        path = request.path if request is not None else "/"
    return _base(context).rstrip("/") + path


@register.inclusion_tag("seo/hreflang.html", takes_context=True)
def hreflang_links(context: template.Context, detail: Any) -> dict[str, Any]:
    """<link rel="alternate" hreflang> for every language version of the story, this one
    included, and x-default for the original (the first of ``detail.translations``)."""
    request = context.get("request")
    base = _base(context).rstrip("/")
    versions = getattr(detail, "translations", None) or []
    links = []
    for version in versions:
        url = version.get_url(request)
        if url:
            # The same host as the canonical URL and og:url (the request's).
            links.append((version.language, url if url.startswith("http") else base + url))
    return {"links": links, "default": links[0][1] if links else None}
