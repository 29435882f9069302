"""Wagtail's routing of a reader's request in at most one query (issue 13: "routing for an
article is one cheap lookup"; docs/decisions/0071-routing-in-one-lookup.md).

Wagtail routes ``/<section>/<article>/`` by finding the site for the host (one query), the
site's root page as its own type (one), then each level of the tree by slug and again as its
own type (two per level), and checks view restrictions on the page and its ancestors (two):
eight statements, half the time of a rendered article. Here:

- **The sites** (usually one) with their root pages as their own type are kept as a fragment
  under the page cache's "content" version (``core.fragments``), and the site for a request is
  chosen among them in Python by Wagtail's own rules (:func:`site_for_host`).
  ``SiteMiddleware`` hands it to Wagtail before the view runs (``request._wagtail_site``,
  Wagtail's own per-request memo). Saving or deleting a site invalidates "content"
  (``signal_handlers``), as publishing does.
- **An article** is read by its URL path in one statement, written out once
  (:func:`article_at`, ``HomePage.route``), as its own type: the tables of the page types built
  on the article (live coverage) are joined in the same statement; anything else (a section, an author's or a tag's
  page, a page that is not live, a path that does not exist) goes through Wagtail's own routing.
- **View restrictions**: the paths of restricted pages (and of aliases of restricted pages) are
  kept under "content" too, and a restriction saved or deleted invalidates it. A page under none
  of them answers Wagtail's ``get_view_restrictions`` without a query; one under a restricted
  path gets Wagtail's own check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)

from dateline.core.db import model_from_row
from dateline.core.fragments import fragment

P = TypeVar("P", bound=Page)

# --- Sites -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownSites:
    sites: list[Site]


def known_sites() -> list[Site]:
    """Every site, its root page read as its own type (HomePage), kept under "content"."""
    return fragment("sites", ["content"], _known_sites).sites


def _known_sites() -> KnownSites:
    sites = list(Site.objects.select_related("root_page").order_by("pk"))
    for site in sites:
        site.root_page = site.root_page.specific
    return KnownSites(sites)


def site_for_host(sites: list[Site], hostname: str, port: int) -> Site | None:
    """The site Wagtail's ``get_site_for_hostname`` would choose among ``sites`` (the same
    ranking: host and port, host of the default site, the default site, host only)."""
    ranked = []
    for site in sites:
        if site.hostname == hostname and site.port == port:
            match = MATCH_HOSTNAME_PORT
        elif site.hostname == hostname and site.is_default_site:
            match = MATCH_HOSTNAME_DEFAULT
        elif site.is_default_site:
            match = MATCH_DEFAULT
        elif site.hostname == hostname:
            match = MATCH_HOSTNAME
        else:
            continue
        ranked.append((match, site.hostname.lower(), site.pk, site))
    if not ranked:
        return None
    ranked.sort(key=lambda r: r[:3])
    if len(ranked) == 1 or ranked[0][0] in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return ranked[0][3]
    if ranked[0][0] == MATCH_DEFAULT:
        return ranked[len(ranked) == 2][3]
    return None


def request_site(request: HttpRequest) -> Site | None:
    """The request's site as ``Site.find_for_request`` finds it, from the kept sites."""
    # As Wagtail: the raw host, so ALLOWED_HOSTS is not checked here (Django checks it).
    hostname = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]
    port = request.get_port()
    try:
        port_number = int(port)
    except (TypeError, ValueError):
        return None
    return site_for_host(known_sites(), hostname, port_number)


class SiteMiddleware:
    """Hands Wagtail the request's site, found among the kept ones, instead of a query. After
    the page cache, so its hits don't pay even this."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not hasattr(request, "_wagtail_site") and not request.path_info.startswith(WITHOUT_SITE):
            request._wagtail_site = request_site(request)  # type: ignore[attr-defined]
        return self.get_response(request)


# Addresses answered by views that need no site, or look it up themselves when they do: the
# probe, files, the API, the newsroom's tools, the comment and privacy endpoints (a post must
# not pay for what only pages use).
WITHOUT_SITE = (
    "/healthz",
    "/static/",
    "/media/",
    "/api/",
    "/admin/",
    "/comments/",
    "/privacy/",
    "/favicon.ico",
)


# --- An article by its path -------------------------------------------------------------------


def article_at(model: type[P], url_path: str, slug: str) -> P | None:
    """The page of type ``model`` (the article: ``news.models`` passes it, so this module does
    not import the models) whose URL path is ``url_path`` (its ``slug`` for the index), live or
    not, in one statement, as its own type: a page type built on ``model`` (live coverage) is
    read in the same statement, its own tables joined; None when there is none. The body and its
    plain text are left deferred: the page shows the body from its kept HTML
    (``{% article_fragment %}``), and decoding the StreamField's JSON cost more than the rest of
    the row; building that HTML again reads it."""
    plan = _page_plan(model)  # type: ignore[arg-type]
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(plan.sql, [slug, url_path])
        row = cursor.fetchone()
    if row is None:
        return None
    # Content types are kept in memory by Django: no query after the first.
    kind: type[Page] | None = ContentType.objects.get_for_id(
        row[plan.content_type_at]
    ).model_class()
    if kind not in plan.kinds or row[plan.kinds[kind][2]] is None:
        kind = model  # not a type built on it, or its own row is missing: read what there is
    fields, columns, _pk = plan.kinds[kind]
    return model_from_row(kind, fields, [row[i] for i in columns])


@dataclass(frozen=True)
class _PagePlan:
    sql: str
    content_type_at: int
    # Each page type (``model`` and those built on it): its fields in its own order, where each
    # is in the statement's row, and where its own primary key is.
    kinds: dict[type[Page], tuple[tuple[Any, ...], tuple[int, ...], int]]


def _page_fields(model: type[Page]) -> tuple[Any, ...]:
    return tuple(f for f in model._meta.concrete_fields if f.name not in ("body", "body_text"))


def _built_on(model: type[Page]) -> list[type[Page]]:
    """The concrete page types built on ``model`` by multi-table inheritance, parents first."""
    found = []
    for child in model.__subclasses__():
        if model in child._meta.parents and not child._meta.abstract:
            found += [child, *_built_on(child)]
    return found


@lru_cache(maxsize=4)
def _page_plan(model: type[Page]) -> _PagePlan:
    q = connection.ops.quote_name
    page = Page._meta.db_table
    fields = list(_page_fields(model))
    # Each table from the page down to the model's own (an INNER JOIN per level), then each
    # table of a type built on it (LEFT JOIN: the row is there only for pages of that type).
    joins: list[str] = []
    child = model
    while child is not Page:
        parent, link = next(iter(child._meta.parents.items()))
        joins.insert(0, f"INNER JOIN {_join(child, parent, link)}")
        child = parent
    for kind in _built_on(model):
        parent, link = next(iter(kind._meta.parents.items()))
        joins.append(f"LEFT JOIN {_join(kind, parent, link)}")
        fields += [f for f in _page_fields(kind) if f not in fields]
    at = {f: i for i, f in enumerate(fields)}
    kinds = {
        kind: (_page_fields(kind), tuple(at[f] for f in _page_fields(kind)), at[kind._meta.pk])
        for kind in [model, *_built_on(model)]
    }
    columns = ", ".join(f"{q(f.model._meta.db_table)}.{q(str(f.column))}" for f in fields)
    # Only quoted names from the models' metadata are formatted in; the values are parameters.
    sql = (
        f"SELECT {columns} FROM {q(page)} "  # noqa: S608
        + "".join(joins)
        + f"WHERE {q(page)}.{q('slug')} = %s AND {q(page)}.{q('url_path')} = %s"
    )
    content_type = Page._meta.get_field("content_type")
    return _PagePlan(sql, at[content_type], kinds)


def _join(child: type[Page], parent: type[Page], link: Any) -> str:
    q = connection.ops.quote_name
    table, parent_table = child._meta.db_table, parent._meta.db_table
    return (
        f"{q(table)} ON {q(table)}.{q(str(link.column))} = "
        f"{q(parent_table)}.{q(str(parent._meta.pk.column))} "
    )


# --- View restrictions ------------------------------------------------------------------------


@dataclass(frozen=True)
class RestrictedPaths:
    paths: tuple[str, ...]


def restricted_tree_paths() -> tuple[str, ...]:
    """Tree paths of the pages with a view restriction and of every alias of such a page (whose
    subtree Wagtail restricts the same way), kept under "content"."""
    return fragment("restricted-paths", ["content"], _restricted_tree_paths).paths


def _restricted_tree_paths() -> RestrictedPaths:
    ids = list(PageViewRestriction.objects.values_list("page_id", flat=True))
    if not ids:
        return RestrictedPaths(())
    paths = Page.objects.filter(Q(pk__in=ids) | Q(alias_of_id__in=ids)).values_list(
        "path", flat=True
    )
    return RestrictedPaths(tuple(sorted(paths)))


def may_be_restricted(page: Page) -> bool:
    """Whether a view restriction could apply to ``page`` (so Wagtail's check must run)."""
    if page.alias_of_id:
        return True
    return any(page.path.startswith(path) for path in restricted_tree_paths())
