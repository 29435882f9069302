"""``{% article_fragment "name" page %}…{% endarticle_fragment %}``: a part of the article page
kept as HTML until the content or the article changes (``core.fragments``, under the page
cache's "content" and "article:<id>" versions), per host and scheme (absolute links differ).
``{% listing_fragment "name" page [variant] %}``: the same for a page of listings, under "content"
and "listings", one per value of ``variant`` if given (the front page: the "most read" period). Only for markup that is the same for every reader, and never for a preview."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from dateline.core.fragments import fragment

register = template.Library()


class ArticleFragmentNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, article: Any, name: str, variant: Any = None
    ) -> None:
        self.nodelist = nodelist
        self.article = article
        self.name = name
        self.variant = variant

    def dependencies(self, page: Any) -> list[str]:
        return ["content", f"article:{page.pk}"]

    def render(self, context: template.Context) -> SafeString:
        article = self.article.resolve(context)
        request = context.get("request")
        if article is None or not article.pk or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        host = f"{request.scheme}://{request.get_host()}" if request is not None else ""
        variant = self.variant.resolve(context) if self.variant is not None else ""
        html = fragment(
            f"{self.name}:{article.pk}:{host}:{variant}",
            self.dependencies(article),
            lambda: str(self.nodelist.render(context)),
        )
        return mark_safe(html)  # noqa: S308 (rendered by the autoescaped template itself)


class ListingFragmentNode(ArticleFragmentNode):
    """The same for a page of listings (the front page): kept until the content or a comment
    count shown on a card changes ("content", "listings")."""

    def dependencies(self, page: Any) -> list[str]:
        return ["content", "listings"]


def _parse(
    parser: template.base.Parser, token: template.base.Token, node: type[ArticleFragmentNode]
) -> ArticleFragmentNode:
    bits = token.split_contents()
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError(f'{{% {bits[0]} "name" page [variant] %}}')
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    variant = parser.compile_filter(bits[3]) if len(bits) == 4 else None
    return node(nodelist, parser.compile_filter(bits[2]), bits[1].strip("\"'"), variant)


@register.tag("article_fragment")
def do_article_fragment(
    parser: template.base.Parser, token: template.base.Token
) -> ArticleFragmentNode:
    return _parse(parser, token, ArticleFragmentNode)


@register.tag("listing_fragment")
def do_listing_fragment(
    parser: template.base.Parser, token: template.base.Token
) -> ArticleFragmentNode:
    return _parse(parser, token, ListingFragmentNode)
