"""``{% shell_fragment "name" [key …] %}…{% endshell_fragment %}``: a part of every page's shell
(``base.html``: the sections' navigation, the footer) kept as HTML until the content changes
(``core.fragments``, under "content"), per name, page template and the keys given.

The navigation and the footer list the sections (kept under "content": ``news.selectors``) and
the site's feeds; rendered, they were about a tenth of a rendered home page's CPU, the same HTML
for every reader of every page that marks the same section as current. What a kept part shows
must follow from "content", the page's template (which fills its blocks) and the keys, for
everyone who may see it: never what the reader is or typed. An editor's preview renders it.

``nav_marks``: which of the sections the navigation marks as current for ``page``, and how (its
``aria-current``), the key of the navigation: one kept copy per section, not per page.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dateline.core.fragments import fragment

register = template.Library()


class ShellFragmentNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, name: str, keys: list[template.base.FilterExpression]
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        if getattr(request, "is_preview", False) or context.template is None:
            return self.nodelist.render(context)
        # What its addresses depend on besides the content (as ``{% route %}``'s answers do).
        keys = [get_script_prefix(), get_language(), context.template.name]
        keys += [key.resolve(context) for key in self.keys]
        html = fragment(
            f"shell:{self.name}:" + hashlib.blake2b(repr(keys).encode(), digest_size=8).hexdigest(),
            ["content"],
            lambda: str(self.nodelist.render(context)),
        )
        return mark_safe(html)  # noqa: S308 (rendered by the autoescaped template itself)


@register.tag("shell_fragment")
def do_shell_fragment(
    parser: template.base.Parser, token: template.base.Token
) -> ShellFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f'{{% {bits[0]} "name" [key …] %}}')
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return ShellFragmentNode(
        nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]]
    )


@register.filter
def nav_marks(page: Any, sections: Any) -> tuple[tuple[Any, str], ...]:
    """``(section pk, "page" or "true")`` for each of ``sections`` that ``base.html`` marks as
    current on ``page``: the page itself, or the article's section (the same test as the
    template's; a page that is not there, "" in the template, marks none)."""
    page_pk = getattr(page, "pk", None)
    section_id = getattr(page, "section_id", None)
    return tuple(
        (s.pk, "page" if s.pk == page_pk else "true")
        for s in sections
        if s.pk is not None and (s.pk == page_pk or s.pk == section_id)
    )
