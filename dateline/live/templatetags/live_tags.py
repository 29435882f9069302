"""``{% live_fragment "name" page %}…{% endlive_fragment %}``: a part of a live page kept as
HTML until the content, the article or its updates change (``core.fragments``), put into the
page's bytes as it is kept, encoded once (``core.splice``).
``{% live_head page detail live %}``: Open Graph and the page's ``LiveBlogPosting`` JSON-LD."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.safestring import SafeString

from dateline.core.fragments import fragment
from dateline.core.splice import spliced
from dateline.news.templatetags.article_fragments import ArticleFragmentNode

from ..models import live_dependency
from ..structured import json_ld, live_structured_data

register = template.Library()


class LiveFragmentNode(ArticleFragmentNode):
    """Kept per page of updates (``live_number``), as well as per page and host."""

    def dependencies(self, page: Any) -> list[str]:
        return ["content", f"article:{page.pk}", live_dependency(page.pk)]

    def render(self, context: template.Context) -> SafeString:
        page = self.article.resolve(context)
        request = context.get("request")
        if page is None or not page.pk or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        number = context.get("live_number", 1)
        host = f"{request.scheme}://{request.get_host()}" if request is not None else ""
        html = fragment(
            f"{self.name}:{page.pk}:{number}:{host}",
            self.dependencies(page),
            lambda: str(self.nodelist.render(context)),
        )
        # The same kept object for every reader (the story holds the page of updates: the
        # largest part of the page after the thread).
        return spliced(html, kept=True)


@register.tag("live_fragment")
def do_live_fragment(parser: template.base.Parser, token: template.base.Token) -> LiveFragmentNode:
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError('{% live_fragment "name" page %}')
    nodelist = parser.parse(("endlive_fragment",))
    parser.delete_first_token()
    return LiveFragmentNode(nodelist, parser.compile_filter(bits[2]), bits[1].strip("\"'"))


def _base(context: template.Context) -> str:
    request = context.get("request")
    if request is not None and request.get_host():
        return f"{request.scheme}://{request.get_host()}"
    return str(settings.SITE_URL)


@register.inclusion_tag("live/includes/head.html", takes_context=True)
def live_head(context: template.Context, page: Any, detail: Any, live: Any) -> dict[str, Any]:
    base = _base(context)
    data = live_structured_data(
        page=page, base=base, byline=detail.byline, updates=[*live.pinned, *live.updates]
    )
    return {
        "page": page,
        "jsonld": json_ld(data),
        "url": data["url"],
        "image": data.get("image", [None])[0],
        "SITE_NAME": settings.SITE_NAME,
    }
