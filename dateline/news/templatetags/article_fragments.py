"""``{% article_fragment page %}…{% endarticle_fragment %}``: a part of the article page kept as
HTML until the content or the article changes (``core.fragments``, under the page cache's
"content" and "article:<id>" versions), per host and scheme (absolute links differ). Only for
markup that is the same for every reader, and never for a preview."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from dateline.core.fragments import fragment

register = template.Library()


class ArticleFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, article: Any, name: str) -> None:
        self.nodelist = nodelist
        self.article = article
        self.name = name

    def render(self, context: template.Context) -> SafeString:
        article = self.article.resolve(context)
        request = context.get("request")
        if article is None or not article.pk or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        host = f"{request.scheme}://{request.get_host()}" if request is not None else ""
        html = fragment(
            f"{self.name}:{article.pk}:{host}",
            ["content", f"article:{article.pk}"],
            lambda: str(self.nodelist.render(context)),
        )
        return mark_safe(html)  # noqa: S308 (rendered by the autoescaped template itself)


@register.tag("article_fragment")
def do_article_fragment(
    parser: template.base.Parser, token: template.base.Token
) -> ArticleFragmentNode:
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError('{% article_fragment "name" page %}')
    nodelist = parser.parse(("endarticle_fragment",))
    parser.delete_first_token()
    return ArticleFragmentNode(nodelist, parser.compile_filter(bits[2]), bits[1].strip("\"'"))
