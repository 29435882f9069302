"""``{% asset "path" %}`` and ``{% route "name" arg … [as var] %}``: Django's ``{% static %}`` and
``{% url %}``, each answer kept in this process for the next request.

Every page's shell asks for the same files and addresses (the stylesheet, the feeds, the sign-in
page): with ``{% static %}`` and ``{% url %}`` each one is worked out again on every request,
about 25 µs apiece (the manifest lookup and URL quoting; the resolver's namespaces, each read
through a thread-local), a tenth of a rendered article's CPU (issue 13; docs/performance.md).
The answers depend only on what the key holds, so they are kept:

- ``asset``: the static files storage in use (a settings change makes a new one, so old answers
  are never read again), ``DEBUG`` (the manifest's names are used without it) and the path. An error (a file missing from the manifest) is raised
  each time, as ``{% static %}`` raises it.
- ``route``: the URL configuration, script prefix, language, current application, the name and
  its arguments. An address that does not exist is remembered as such: ``as var`` gives "" as
  ``{% url … as var %}`` does, without it the ``NoReverseMatch`` is raised again.

Each memo holds at most ``MAX_ENTRIES`` answers (an article's own addresses, one set per
article, come and go); past that it starts again empty.
"""

from __future__ import annotations

from typing import Any, cast

from django import template
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as url_tag
from django.templatetags.static import StaticNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

MAX_ENTRIES = 4096

_assets: dict[str, tuple[Any, bool, str]] = {}
_routes: dict[tuple[Any, ...], str | None] = {}
_MISSING = object()


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= MAX_ENTRIES:
        memo.clear()
    memo[key] = value


def asset_url(path: str) -> str:
    """``{% static path %}``'s answer, kept for the storage in use."""
    storage, debug = _storage(), settings.DEBUG  # with DEBUG, the manifest is not used
    found = _assets.get(path)
    if found is not None and found[0] is storage and found[1] == debug:
        return found[2]
    url = StaticNode.handle_simple(path)
    _remember(_assets, path, (storage, debug, url))
    return url


def _storage() -> Any:
    """The storage behind Django's lazy ``staticfiles_storage``: a settings change (tests) makes
    a new one, so what was kept for the old one is not read again."""
    lazy: Any = staticfiles_storage
    lazy.base_url  # noqa: B018 (sets the lazy object up if it is not yet)
    return lazy._wrapped


class AssetNode(template.Node):
    def __init__(self, path: template.base.FilterExpression, varname: str | None) -> None:
        self.path = path
        self.varname = varname

    def render(self, context: template.Context) -> str:
        url = asset_url(self.path.resolve(context))
        if context.autoescape:
            url = conditional_escape(url)
        if self.varname is None:
            return url
        context[self.varname] = url
        return ""


@register.tag("asset")
def do_asset(parser: template.base.Parser, token: template.base.Token) -> AssetNode:
    """``{% asset "dateline/site.css" %}`` or ``{% asset "…" as name %}``: as ``{% static %}``."""
    bits = token.split_contents()
    if len(bits) == 2:
        return AssetNode(parser.compile_filter(bits[1]), None)
    if len(bits) == 4 and bits[2] == "as":
        return AssetNode(parser.compile_filter(bits[1]), bits[3])
    raise template.TemplateSyntaxError(f'{{% {bits[0]} "path" [as name] %}}')


class RouteNode(URLNode):
    """Django's ``URLNode`` with its answers kept (see the module's docstring)."""

    def render(self, context: template.Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((k, v.resolve(context)) for k, v in self.kwargs.items()))
        view_name = self.view_name.resolve(context)
        current_app = _current_app(context)
        key = (
            settings.ROOT_URLCONF,
            get_urlconf(),
            get_script_prefix(),
            get_language(),
            current_app,
            view_name,
            args,
            kwargs,
        )
        try:
            found = _routes.get(key, _MISSING)
            url = _reverse(key) if found is _MISSING else cast("str | None", found)
        except TypeError:  # an argument that cannot be part of a key: as Django does it
            return str(super().render(context))
        if url is None:
            if self.asvar is None:
                return str(super().render(context))  # raises Django's own NoReverseMatch
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


def _reverse(key: tuple[Any, ...]) -> str | None:
    *_, current_app, view_name, args, kwargs = key
    try:
        url: str | None = reverse(
            view_name, args=args, kwargs=dict(kwargs), current_app=current_app
        )
    except NoReverseMatch:
        url = None
    _remember(_routes, key, url)
    return url


def _current_app(context: template.Context) -> str | None:
    # As URLNode.render: the request's current_app, else the namespace it was resolved in.
    try:
        return context.request.current_app  # type: ignore[attr-defined]
    except AttributeError:
        try:
            return context.request.resolver_match.namespace  # type: ignore[attr-defined]
        except AttributeError:
            return None


@register.tag("route")
def do_route(parser: template.base.Parser, token: template.base.Token) -> RouteNode:
    """``{% route "feeds:rss" %}``, ``{% route "feeds:comments_rss" page.pk %}``, ``… as name``:
    the same syntax and answer as ``{% url %}``."""
    node = url_tag(parser, token)
    return RouteNode(node.view_name, node.args, node.kwargs, node.asvar)
