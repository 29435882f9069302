"""Runs a site search on Wagtail's own index tables (SQLite FTS5, PostgreSQL tsvector), or
through Wagtail's search API on any other backend (Elasticsearch, OpenSearch).

Why not ``queryset.search()`` everywhere: on the database backends it scores every match with
a correlated subquery and pages with a full COUNT(*), which takes seconds on a common word in a
50,000-article archive (docs/performance.md, "Site search"). Here a search is two statements:
the number of full-text matches, and the ordered ids of at most SEARCH_COUNT_CAP + 1 results.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import ArticleAuthor, ArticlePage, Author, SectionPage
from .search import Term
from .visibility import restricted_paths

# The SQL below is assembled from table names, column names and integers of our own (S608);
# every value from a reader is a query parameter.

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


# Up to this many matches a search is exact: every match is joined, filtered and ordered.
EXACT_LIMIT = 2000
# Beyond it, only this many candidates are taken from the full-text index (the best by score,
# or the most recently indexed for "newest first"), then joined, filtered and ordered.
CANDIDATES = 2000
# PostgreSQL: the matches are looked for among this many most recent index entries first; the
# older entries are read only when fewer matches than the search needs (2,001) are there; same
# result either way (see _search_sql). A word in a quarter of the articles or more is then
# settled by the window alone.
RECENT_WINDOW = 8000


@dataclass
class _Sql:
    """Pieces of one search statement over Wagtail's index tables."""

    match_count: str  # SELECT COUNT(*) of the full-text matches alone
    match_params: list[Any]
    from_where: str  # FROM … WHERE … down to the articles, with the filters
    params: list[Any]
    order: str
    # PostgreSQL: the ids of the most recently indexed matches, enough to tell an exact search
    # from a large one and to hold the candidates of a large one.
    match_ids: str = ""
    match_ids_params: list[Any] = field(default_factory=list)


def _tables() -> tuple[str, str, list[int]]:
    """The index's tables, and the content types an article is indexed under: its own and
    those of its kinds (a live page, `live.LivePage`, is indexed as a live page), found
    without importing the apps that define them."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from modelsearch.conf import get_app_config

    config = get_app_config()
    entries = config.get_model("IndexEntry")._meta.db_table
    fts = (
        config.get_model("SQLiteFTSIndexEntry")._meta.db_table
        if connection.vendor == "sqlite"
        else ""
    )
    kinds = [model for model in apps.get_models() if issubclass(model, ArticlePage)]
    types = ContentType.objects.get_for_models(*kinds)
    return entries, fts, sorted(content_type.pk for content_type in types.values())


def _search_sql(
    *,
    terms: list[Term],
    filters: SearchFilters,
    restricted_paths: list[str],
    candidates: int | None,
    ids: list[int] | None = None,
) -> _Sql:
    """The statements of a search over Wagtail's own index tables (SQLite FTS5 or PostgreSQL
    tsvector columns). With ``candidates``, only that many full-text matches are joined."""
    entries, fts, content_types = _tables()
    kinds = ", ".join(["%s"] * len(content_types))
    page, article = "wagtailcore_page", ArticlePage._meta.db_table
    recent = filters.sort == "recent"
    where: list[str] = []
    params: list[Any] = []
    if connection.vendor == "sqlite":
        match = _fts_sqlite_match(terms)
        # bm25 weights follow the FTS table's columns: autocomplete, body, title.
        score = f"bm25({fts}, 0.0, 1.0, 4.0)"
        limit = ""
        if candidates:
            # Recently indexed first: entries are created when an article is first published.
            limit = f" ORDER BY {'rowid DESC' if recent else 'score'} LIMIT {int(candidates)}"
        from_ = (
            f"(SELECT rowid AS rid, {score} AS score FROM {fts} WHERE {fts} MATCH %s{limit}) c "  # noqa: S608
            f"JOIN {entries} e ON e.id = c.rid "
            f"JOIN {page} p ON p.id = CAST(e.object_id AS INTEGER) "
            f"JOIN {article} a ON a.page_ptr_id = p.id"
        )
        params.append(match)
        relevance = "c.score"
        match_count = f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH %s"  # noqa: S608
        match_params: list[Any] = [match]
    else:
        from wagtail.search.backends import get_search_backend

        config = getattr(get_search_backend(), "config", None)
        query_params: list[Any] = []
        parts = []
        for term in terms:
            pieces = []
            for form in term.forms:
                if config:
                    pieces.append("plainto_tsquery(%s::regconfig, %s)")
                    query_params.extend([config, form])
                else:
                    pieces.append("plainto_tsquery(%s)")
                    query_params.append(form)
            parts.append("(" + " || ".join(pieces) + ")")
        tsquery = " && ".join(parts)
        matches = (
            f"SELECT m.id AS rid FROM {entries} m, (SELECT {tsquery} AS q) mq "  # noqa: S608
            f"WHERE m.content_type_id IN ({kinds}) AND (m.title @@ mq.q OR m.body @@ mq.q)"
        )
        # The most recently indexed matches first (ranking reads every matching vector, so past
        # EXACT_LIMIT only these are ranked), up to `newest` (2,001) of them. A word in most
        # articles has tens of thousands of matches, and visiting each one's row to learn its id
        # was most of such a search, so the newest RECENT_WINDOW entries are searched first
        # ("recent"), and the older ones only when the window holds fewer than `newest` matches
        # (a one-time filter: PostgreSQL does not run that branch otherwise). Either way the
        # result is the `newest` most recent matches of the whole index. Planner fences, all
        # measured with EXPLAIN (ANALYZE, BUFFERS):
        # - OFFSET 0 keeps the GIN bitmap scan: with the LIMIT alone the planner walks the
        #   primary key backwards and tests every entry's vectors (read from TOAST);
        # - in the window, "OR m.id < 0" (ids are positive) rules out a plain index scan of the
        #   id range with the vectors tested row by row, which the planner thinks cheap and is
        #   not; the bitmap scan ANDs the id range with the GIN bitmap instead;
        # - in the older branch, "m.id + 0" leaves the id out of the index conditions, so the
        #   branch is today's full bitmap scan.
        start = f"(SELECT max(id) FROM {entries}) - {int(RECENT_WINDOW)}"  # noqa: S608
        match_ids = (
            f"WITH recent AS MATERIALIZED ({matches} AND (m.id > {start} OR m.id < 0)) "  # noqa: S608
            "SELECT rid FROM recent UNION ALL "
            f"SELECT rid FROM ({matches} AND m.id + 0 <= {start} OFFSET 0) older "
            "WHERE (SELECT count(*) FROM recent) < %s "
            "ORDER BY rid DESC LIMIT %s"
        )
        from_ = (
            "(SELECT unnest(%s::bigint[]) AS rid) c "
            f"JOIN {entries} e ON e.id = c.rid "
            # OFFSET 0: the query is built once, not once per ranked row (measured: 34 → 28 ms
            # to rank 1,951 matches).
            f"CROSS JOIN (SELECT {tsquery} AS q OFFSET 0) tsq "
            f"JOIN {page} p ON p.id = CAST(e.object_id AS INTEGER) "
            f"JOIN {article} a ON a.page_ptr_id = p.id"
        )
        params.extend([list(ids or []), *query_params])
        relevance = (
            # Past EXACT_LIMIT, scoring the body vectors (read from TOAST) of every candidate
            # costs more than the rest of the search: rank by the headline, then newest first.
            "-ts_rank(e.title, tsq.q)"
            if candidates
            else "-(4 * ts_rank(e.title, tsq.q) + ts_rank(e.body, tsq.q))"
        )
        match_count = ""
        match_params = []
    where.append(f"e.content_type_id IN ({kinds})")
    params.extend(content_types)
    where.append("p.live = %s")
    params.append(True)
    for path in restricted_paths:
        where.append("p.path NOT LIKE %s")
        params.append(path + "%")
    if filters.section is not None:
        where.append("a.section_id = %s")
        params.append(filters.section.pk)
    if filters.author is not None:
        # Only table names are formatted in; values are parameters.
        where.append(
            f"p.id IN (SELECT b.article_id FROM {ArticleAuthor._meta.db_table} b "  # noqa: S608
            "WHERE b.author_id = %s)"
        )
        params.append(filters.author.pk)
    if filters.date_from is not None:
        where.append("p.first_published_at >= %s")
        params.append(_day_start(filters.date_from))
    if filters.date_to is not None:
        where.append("p.first_published_at < %s")
        params.append(_day_start(filters.date_to + timedelta(days=1)))
    newest = max(EXACT_LIMIT, CANDIDATES, SEARCH_COUNT_CAP) + 1
    order = (
        "p.first_published_at DESC, p.id DESC"
        if recent
        else f"{relevance}, p.first_published_at DESC, p.id DESC"
    )
    return _Sql(
        match_ids=match_ids if connection.vendor == "postgresql" else "",
        match_ids_params=(
            [*query_params, *content_types, *query_params, *content_types, newest, newest]
            if connection.vendor == "postgresql"
            else []
        ),
        match_count=match_count,
        match_params=match_params,
        from_where=f"FROM {from_} WHERE {' AND '.join(where)}",
        params=params,
        order=order,
    )


def _has_filters(filters: SearchFilters) -> bool:
    return any(
        value is not None
        for value in (filters.section, filters.author, filters.date_from, filters.date_to)
    )


def search_ids(
    *, terms: list[Term], filters: SearchFilters, page_number: str | int | None, per_page: int
) -> tuple[list[int], int, int, bool]:
    """(ids of one page of results, page number, count up to the cap, whether there may be
    more than ``count``). Three queries: view restrictions, the number of full-text matches,
    and the ordered ids (at most SEARCH_COUNT_CAP + 1 integers, paged here); on PostgreSQL the
    number comes with the candidates' ids, and a SET LOCAL is the third.

    Exact up to EXACT_LIMIT full-text matches. Beyond that, the CANDIDATES best-scoring (or,
    newest first, most recently indexed) matches are filtered and ordered; the count then says
    "at least". See docs/search.md.
    """
    from wagtail.search.backends import get_search_backend

    backend = type(get_search_backend()).__name__
    if (connection.vendor, backend) not in (
        ("sqlite", "SQLiteSearchBackend"),
        ("postgresql", "PostgresSearchBackend"),
    ):
        return _search_ids_generic(
            terms=terms, filters=filters, page_number=page_number, per_page=per_page
        )
    restricted = restricted_paths()
    probe = _search_sql(terms=terms, filters=filters, restricted_paths=restricted, candidates=None)
    keep = CANDIDATES if _has_filters(filters) else SEARCH_COUNT_CAP + 1
    postgres = connection.vendor == "postgresql"
    # PostgreSQL: both statements in one transaction, for SET LOCAL (savepoint=False: no extra
    # statements when the caller is in a transaction already).
    with (
        transaction.atomic(savepoint=False) if postgres else nullcontext(),
        connection.cursor() as cursor,
    ):
        if postgres:
            # Each statement is a few milliseconds of work: parallel workers cost more to start
            # and gather than they save, most of all when the CPUs are busy (measured: selector
            # p99 31 and 35 ms without, 52 and 38 ms with, alternating runs on a shared machine).
            # For these two statements only; the server's setting is untouched.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            # One pass over the GIN bitmap gives the number of matches (up to EXACT_LIMIT + 1)
            # and the candidates' ids, newest first.
            cursor.execute(probe.match_ids, probe.match_ids_params)
            ids = [row[0] for row in cursor.fetchall()]
            matches = len(ids)
        else:
            # Counting the full-text matches alone is cheap (no joins, no scores).
            cursor.execute(probe.match_count, probe.match_params)
            matches = cursor.fetchone()[0]
            ids = []
        if matches == 0:
            return [], 1, 0, False
        large = matches > EXACT_LIMIT
        if postgres:
            sql = _search_sql(
                terms=terms,
                filters=filters,
                restricted_paths=restricted,
                candidates=keep if large else None,
                ids=ids[:keep] if large else ids,
            )
        else:
            sql = (
                _search_sql(
                    terms=terms, filters=filters, restricted_paths=restricted, candidates=keep
                )
                if large
                else probe
            )
        cursor.execute(
            f"SELECT p.id {sql.from_where} ORDER BY {sql.order} LIMIT {SEARCH_COUNT_CAP + 1}",
            sql.params,
        )
        found = [row[0] for row in cursor.fetchall()]
    capped = len(found) > SEARCH_COUNT_CAP or (large and bool(found))
    count = min(len(found), SEARCH_COUNT_CAP)
    number = _page_number(page_number, last=max(1, -(-count // per_page)))
    start = (number - 1) * per_page
    return found[start : start + per_page], number, count, capped


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
    from wagtail.search.query import And, Or, PlainText

    # Every word, in any of its forms (written, Arabic-normalised).
    query = And([Or([PlainText(form) for form in term.forms]) for term in terms])
    results = queryset.search(query, order_by_relevance=filters.sort != "recent")
    count = min(results.count(), SEARCH_COUNT_CAP + 1)
    capped = count > SEARCH_COUNT_CAP
    count = min(count, SEARCH_COUNT_CAP)
    number = _page_number(page_number, last=max(1, -(-count // per_page)))
    start = (number - 1) * per_page
    return [hit.pk for hit in results[start : start + per_page]], number, count, capped
