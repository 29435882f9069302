"""Runs a site search on Wagtail's own index tables (SQLite FTS5, PostgreSQL tsvector), or
through Wagtail's search API on any other backend (Elasticsearch, OpenSearch).

Why not ``queryset.search()`` everywhere: on the database backends it scores every match with
a correlated subquery and pages with a full COUNT(*), which takes seconds on a common word in a
50,000-article archive (docs/performance.md, "Site search"). Here a search is two statements:
a count that stops at SEARCH_COUNT_CAP, and one page of ids ordered in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from .models import ArticleAuthor, ArticlePage, Author, SectionPage
from .search import Term

# Results are counted up to this many; beyond it the page says "more than 1,000".
SEARCH_COUNT_CAP = 1000


@dataclass(frozen=True)
class SearchFilters:
    section: SectionPage | None = None
    author: Author | None = None
    date_from: date | None = None  # inclusive, the site's time zone
    date_to: date | None = None  # inclusive
    sort: str = "relevance"  # or "recent"


def _page_number(value: str | int | None, *, last: int) -> int:
    """A page number from the query string: malformed → 1, past the end → the last page."""
    try:
        number = int(str(value).strip()) if value not in (None, "") else 1
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), last)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _fts_sqlite_match(terms: list[Term]) -> str:
    # FTS5 strings are double-quoted with inner quotes doubled; parse_query leaves only letters,
    # digits and Arabic marks, so this quoting is belt and braces.
    def quoted(form: str) -> str:
        return '"' + form.replace('"', '""') + '"'

    groups = [
        "(" + " OR ".join(quoted(form) for form in term.forms) + ")"
        if len(term.forms) > 1
        else quoted(term.forms[0])
        for term in terms
    ]
    return "{title body} : (" + " AND ".join(groups) + ")"


def _search_sql(
    *, vendor: str, terms: list[Term], filters: SearchFilters, restricted_paths: list[str]
) -> tuple[str, str, list[Any], list[Any]]:
    """FROM/WHERE of a search over Wagtail's own index tables, its ORDER BY, and the
    parameters of each. Joins from the matching index entries to the articles, so the cost
    follows the number of matches, not the size of the archive."""
    from django.contrib.contenttypes.models import ContentType
    from modelsearch.conf import get_app_config

    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    page, article = "wagtailcore_page", ArticlePage._meta.db_table
    where: list[str] = []
    params: list[Any] = []
    order_params: list[Any] = []
    if vendor == "sqlite":
        fts = get_app_config().get_model("SQLiteFTSIndexEntry")._meta.db_table
        from_ = (
            f"{fts} JOIN {entries} e ON e.id = {fts}.rowid "
            f"JOIN {page} p ON p.id = CAST(e.object_id AS INTEGER) "
            f"JOIN {article} a ON a.page_ptr_id = p.id"
        )
        where.append(f"{fts} MATCH %s")
        params.append(_fts_sqlite_match(terms))
        # bm25 weights follow the FTS table's columns: autocomplete, body, title.
        relevance = f"bm25({fts}, 0.0, 1.0, 4.0)"
    else:
        from wagtail.search.backends import get_search_backend

        config = getattr(get_search_backend(), "config", None)

        def tsquery(form: str) -> str:
            if config:
                params.append(config)
                return "plainto_tsquery(%s::regconfig, %s)"
            return "plainto_tsquery(%s)"

        parts = []
        for term in terms:
            pieces = []
            for form in term.forms:
                pieces.append(tsquery(form))
                params.append(form)
            parts.append("(" + " || ".join(pieces) + ")")
        query_sql = " && ".join(parts)
        from_ = (
            f"{entries} e CROSS JOIN (SELECT {query_sql} AS q) tsq "
            f"JOIN {page} p ON p.id = CAST(e.object_id AS INTEGER) "
            f"JOIN {article} a ON a.page_ptr_id = p.id"
        )
        where.append("(e.title @@ tsq.q OR e.body @@ tsq.q)")
        relevance = "-(4 * ts_rank(e.title, tsq.q) + ts_rank(e.body, tsq.q))"
    where.append("e.content_type_id = %s")
    params.append(content_type)
    where.append("p.live = %s")
    params.append(True)
    for path in restricted_paths:
        where.append("p.path NOT LIKE %s")
        params.append(path + "%")
    if filters.section is not None:
        where.append("a.section_id = %s")
        params.append(filters.section.pk)
    if filters.author is not None:
        where.append(
            # Only table names are formatted in; values are parameters.
            f"EXISTS (SELECT 1 FROM {ArticleAuthor._meta.db_table} b "  # noqa: S608
            "WHERE b.article_id = p.id AND b.author_id = %s)"
        )
        params.append(filters.author.pk)
    if filters.date_from is not None:
        where.append("p.first_published_at >= %s")
        params.append(_day_start(filters.date_from))
    if filters.date_to is not None:
        where.append("p.first_published_at < %s")
        params.append(_day_start(filters.date_to + timedelta(days=1)))
    order = (
        "p.first_published_at DESC, p.id DESC"
        if filters.sort == "recent"
        else f"{relevance}, p.first_published_at DESC, p.id DESC"
    )
    return f"FROM {from_} WHERE {' AND '.join(where)}", order, params, order_params


def search_ids(
    *, terms: list[Term], filters: SearchFilters, page_number: str | int | None, per_page: int
) -> tuple[list[int], int, int, bool]:
    """(ids of one page of results, page number, count up to the cap, whether capped):
    two queries, three with a view restriction lookup."""
    from wagtail.models import PageViewRestriction
    from wagtail.search.backends import get_search_backend

    backend = type(get_search_backend()).__name__
    vendor = connection.vendor
    if (vendor, backend) not in (
        ("sqlite", "SQLiteSearchBackend"),
        ("postgresql", "PostgresSearchBackend"),
    ):
        return _search_ids_generic(
            terms=terms, filters=filters, page_number=page_number, per_page=per_page
        )
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    from_where, order, params, _ = _search_sql(
        vendor=vendor, terms=terms, filters=filters, restricted_paths=restricted
    )
    with connection.cursor() as cursor:
        # Counting stops at the cap: a COUNT(*) over every match of a common word is the
        # slowest part of a search, and nobody reads page 51.
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 {from_where} LIMIT {SEARCH_COUNT_CAP + 1}) c",  # noqa: S608
            params,
        )
        count = cursor.fetchone()[0]
        capped = count > SEARCH_COUNT_CAP
        count = min(count, SEARCH_COUNT_CAP)
        last = max(1, -(-count // per_page))
        number = _page_number(page_number, last=last)
        if count == 0:
            return [], number, 0, False
        cursor.execute(
            f"SELECT p.id {from_where} ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, per_page, (number - 1) * per_page],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids, number, count, capped


def _search_ids_generic(
    *, terms: list[Term], filters: SearchFilters, page_number: str | int | None, per_page: int
) -> tuple[list[int], int, int, bool]:
    """The same through Wagtail's search API, for Elasticsearch/OpenSearch backends (filters
    are FilterFields there: section, first_published_at; the author filter runs on the ids)."""
    queryset = ArticlePage.objects.live().public()
    if filters.section is not None:
        queryset = queryset.filter(section=filters.section)
    if filters.date_from is not None:
        queryset = queryset.filter(first_published_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        queryset = queryset.filter(
            first_published_at__lt=_day_start(filters.date_to + timedelta(days=1))
        )
    if filters.author is not None:
        queryset = queryset.filter(
            pk__in=list(
                ArticleAuthor.objects.filter(author=filters.author).values_list(
                    "article_id", flat=True
                )[: SEARCH_COUNT_CAP * 10]
            )
        )
    if filters.sort == "recent":
        queryset = queryset.order_by("-first_published_at", "-pk")
    words = " ".join(form for term in terms for form in term.forms)
    results = queryset.search(words, operator="or", order_by_relevance=filters.sort != "recent")
    count = min(results.count(), SEARCH_COUNT_CAP + 1)
    capped = count > SEARCH_COUNT_CAP
    count = min(count, SEARCH_COUNT_CAP)
    number = _page_number(page_number, last=max(1, -(-count // per_page)))
    start = (number - 1) * per_page
    return [hit.pk for hit in results[start : start + per_page]], number, count, capped
