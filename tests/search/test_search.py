"""Site search: ranking, filters, snippets, suggestions, Arabic, hostile input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from dateline.news.related import search_terms_add
from dateline.news.search import highlight, normalise_arabic, parse_query
from dateline.news.selectors import SearchFilters, article_search

from .conftest import indexed, paragraphs

pytestmark = pytest.mark.django_db


def titles(results):
    return [hit.article.title for hit in results.hits]


def test_headline_match_ranks_above_a_body_match(archive):
    results = article_search(query="reservoir")

    assert titles(results) == [
        "Valley reservoir reaches record level",
        "Drought empties the northern lakes",
    ]
    assert results.count == 2


def test_recent_sort_puts_the_newest_first(archive):
    results = article_search(query="reservoir", filters=SearchFilters(sort="recent"))

    assert titles(results) == [
        "Drought empties the northern lakes",
        "Valley reservoir reaches record level",
    ]


def test_every_word_must_match(archive):
    assert titles(article_search(query="reservoir Orvan")) == ["Drought empties the northern lakes"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Climate", "Drought empties the northern lakes"),  # a tag
        ("Brennan", "Central bank holds interest rates"),  # an author (newest of hers first)
        ("committee", "Central bank holds interest rates"),  # the body
        ("relief", "Central bank holds interest rates"),  # the standfirst
    ],
)
def test_tags_authors_body_and_standfirst_are_searched(archive, query, expected):
    results = article_search(query=query, filters=SearchFilters(sort="recent"))

    assert expected in titles(results)


def test_section_author_and_date_filters(archive):
    world = SearchFilters(section=archive["world"])
    ada = SearchFilters(author=archive["ada"])
    today = timezone.localdate()
    last_week = SearchFilters(date_from=today - timedelta(days=7), date_to=today)

    assert titles(article_search(query="reservoir", filters=world)) == titles(
        article_search(query="reservoir")
    )
    assert (
        titles(article_search(query="bank", filters=SearchFilters(section=archive["world"]))) == []
    )
    assert titles(article_search(query="reservoir", filters=ada)) == [
        "Valley reservoir reaches record level"
    ]
    assert titles(article_search(query="reservoir", filters=last_week)) == [
        "Drought empties the northern lakes"
    ]


def test_unpublished_and_private_articles_are_not_found(archive):
    from wagtail.models import PageViewRestriction

    archive["drought"].unpublish()
    PageViewRestriction.objects.create(
        page=archive["reservoir"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    assert article_search(query="reservoir").count == 0


def test_snippet_marks_the_matched_words_and_escapes_the_rest(section):
    indexed(
        parent=section,
        title="Scripted headline",
        body=paragraphs("Before &lt;script&gt;alert(1)&lt;/script&gt; the turbine spun."),
    )

    snippet = str(article_search(query="turbine").hits[0].snippet)

    assert "<mark>turbine</mark>" in snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet


def test_highlight_escapes_markup_in_plain_text():
    snippet = str(highlight('<img src=x onerror="alert(1)"> water & "more"', parse_query("water")))

    assert (
        snippet
        == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>water</mark> &amp; &quot;more&quot;"
    )


@pytest.mark.parametrize(
    "query",
    ["المياه", "والمياه", "بالمياه", "للمياه", "مياه", "الْمِيَاهِ", "مــيــاه"],
)
def test_arabic_prefixes_marks_and_tatweel_still_match(archive, query):
    assert titles(article_search(query=query)) == ["مؤتمر إقليمي يبحث سبل مواجهة شح المياه"]


@pytest.mark.parametrize("query", ["اقليمي", "الإقليمي", "مؤتمر", "موتمر", "تحليه"])
def test_arabic_letter_variants_match(archive, query):
    assert article_search(query=query).count == 1


def test_arabic_normalisation_is_the_same_at_index_and_query_time():
    text = "وَالْمِيَاهُ أُمَّة إلى مدرسة فـــي"
    assert normalise_arabic(text) == "مياه امه الي مدرسه في"
    assert [t.forms[-1] for t in parse_query(text)] == normalise_arabic(text).split()


def test_did_you_mean_suggests_a_close_vocabulary_word(archive):
    search_terms_add(texts=["Valley reservoir reaches record level", "Water"])

    results = article_search(query="resevoir")

    assert results.count == 0
    assert results.suggestion == "reservoir"


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [("Moscw talks", "Moscow talks"), ("moscw", "moscow"), ("KREMLN", "KREMLIN")],
)
def test_did_you_mean_writes_the_word_as_the_reader_did(archive, query, suggestion):
    search_terms_add(texts=["Leaders meet in Moscow", "Kremlin"])

    assert article_search(query=query).suggestion == suggestion


def test_count_stops_at_the_cap(section, monkeypatch):
    from dateline.news import search_backend

    monkeypatch.setattr(search_backend, "SEARCH_COUNT_CAP", 3)
    for n in range(5):
        indexed(parent=section, title=f"Harbour story {n}")

    results = article_search(query="harbour", per_page=2)

    assert (results.count, results.count_capped, results.num_pages) == (3, True, 2)
    assert len(results.hits) == 2


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9999", "1e3", "", "\x00", "2" * 400])
def test_any_page_number_gives_a_page(section, page):
    for n in range(3):
        indexed(parent=section, title=f"Quarry story {n}")

    results = article_search(query="quarry", page_number=page, per_page=2)

    assert results.number in (1, 2)
    assert results.hits


HOSTILE = [
    '"',
    "'",
    '"unbalanced',
    "a\x00b",
    "\x00",
    "NEAR(a b)",
    "title:reservoir",
    "{title}: x",
    "a AND OR NOT b",
    "*",
    "^reservoir",
    "reservoir*",
    "' OR 1=1 --",
    "%_%",
    "\\",
    "😀 🏳️‍🌈",
    "\u202e\u200b\ufeff",
    "ǅ ﬁ Ⅻ",
    "x" * 5000,
    "word " * 500,
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("raw", ["q=%FF%FE", "q=%00%00&page=%FF", "q=%C0%AF&sort=%00", "q=a&q=%22"])
def test_undecodable_query_strings_give_a_page(client, archive, raw):
    response = client.get(f"/search/?{raw}")

    assert response.status_code in (200, 400)


@pytest.mark.parametrize("query", HOSTILE)
def test_no_input_gives_an_error_page(client, archive, query):
    response = client.get("/search/", {"q": query, "page": query, "section": query, "sort": query})

    # 400 when a filter is not one of the choices (with a message), never an error page.
    assert response.status_code in (200, 400)
    assert b"<script>alert(1)</script>" not in response.content
    assert html.fromstring(response.content).xpath("//h1")


@pytest.mark.parametrize(
    "params",
    [
        {"q": "reservoir", "date_from": "2025-13-45"},
        {"q": "reservoir", "date_to": "yesterday"},
        {"q": "reservoir", "date_from": "2025-02-01", "date_to": "2025-01-01"},
        {"q": "reservoir", "date_from": "99999-01-01"},
    ],
)
def test_bad_dates_get_a_message_next_to_the_field(client, archive, params):
    response = client.get("/search/", params)

    assert response.status_code == 400
    page = html.fromstring(response.content)
    errors = page.xpath("//*[contains(@class, 'field-error')]")
    assert errors and errors[0].text_content().strip()
    described = page.xpath("//*[@aria-describedby]")
    assert {e.get("aria-describedby") for e in described} >= {errors[0].get("id")}
    # The search still ran, without the bad filter.
    assert "result" in page.xpath("//*[contains(@class, 'results-count')]")[0].text_content()


def test_search_page_has_a_title_labels_count_and_highlighted_results(client, archive):
    response = client.get("/search/", {"q": "reservoir", "section": "world"})

    page = html.fromstring(response.content)
    assert page.findtext(".//title").startswith("Search: reservoir")
    for control in page.xpath("//form[@role='search']//*[self::input or self::select]"):
        assert page.xpath(f'//label[@for="{control.get("id")}"]'), control.get("name")
    assert (
        page.xpath("//*[contains(@class, 'results-count')]")[0]
        .text_content()
        .startswith("2 results")
    )
    assert page.xpath("//li[contains(@class, 'search-result')]//mark")
    assert page.xpath("//select[@name='section']/option[@selected]")[0].get("value") == "world"


def test_pagination_links_keep_the_filters(client, section, settings):
    settings.DATELINE_SECTION_PAGE_SIZE = 5
    for n in range(12):
        indexed(parent=section, title=f"Lighthouse story {n}")

    response = client.get(
        "/search/", {"q": "lighthouse", "sort": "recent", "section": section.slug}
    )

    link = html.fromstring(response.content).xpath("//a[@rel='next']")[0].get("href")
    assert "page=2" in link and "sort=recent" in link and f"section={section.slug}" in link


def test_empty_results_offer_help(client, archive):
    response = client.get("/search/", {"q": "zzzzqqq", "author": "ada-brennan"})

    page = html.fromstring(response.content)
    assert (
        page.xpath("//*[contains(@class, 'results-count')]")[0]
        .text_content()
        .startswith("0 results")
    )
    assert page.xpath("//*[@class='empty']//a[@href]")  # search without the filters


@pytest.mark.parametrize("sort", ["relevance", "recent"])
def test_past_the_exact_limit_candidates_are_filtered_and_ordered(section, monkeypatch, sort):
    from dateline.news import search_backend

    monkeypatch.setattr(search_backend, "EXACT_LIMIT", 2)
    now = timezone.now()
    for n in range(5):
        indexed(
            parent=section,
            title=f"Ferry story {n}",
            first_published_at=now - timedelta(days=n),
        )

    results = article_search(query="ferry", filters=SearchFilters(sort=sort))

    assert results.count == 5 and results.count_capped  # "at least 5"
    if sort == "recent":
        assert titles(results) == [f"Ferry story {n}" for n in range(5)]
    filtered = article_search(
        query="ferry", filters=SearchFilters(date_from=(now - timedelta(days=1)).date(), sort=sort)
    )
    assert set(titles(filtered)) <= {"Ferry story 0", "Ferry story 1"}


def test_other_backends_go_through_wagtails_search_api(archive, settings):
    # Wagtail's fallback database backend stands in for Elasticsearch/OpenSearch here.
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database.fallback"}
    }

    with CaptureQueriesContext(connection) as captured:
        results = article_search(query="reservoir")

    assert not [q for q in captured.captured_queries if "bm25" in q["sql"]]
    assert set(titles(results)) == {
        "Valley reservoir reaches record level",
        "Drought empties the northern lakes",
    }
    assert titles(
        article_search(query="reservoir", filters=SearchFilters(author=archive["ada"]))
    ) == ["Valley reservoir reaches record level"]
    assert titles(article_search(query="reservoir Orvan")) == ["Drought empties the northern lakes"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's recent window")
@pytest.mark.parametrize("window", [1, 3, 6, 1000])
def test_postgres_recent_window_gives_the_newest_matches_of_the_whole_index(
    section, monkeypatch, window
):
    from dateline.news import search_backend
    from dateline.news.search import parse_query as parse

    # The probe returns the `limit` (here 3) most recently indexed matches whether the window
    # of recent entries holds that many (1000) or not (1, 3, 6: the older entries are read).
    for name in ("EXACT_LIMIT", "CANDIDATES", "SEARCH_COUNT_CAP"):
        monkeypatch.setattr(search_backend, name, 2)
    monkeypatch.setattr(search_backend, "RECENT_WINDOW", window)
    matching = []
    for n in range(8):
        article = indexed(parent=section, title=f"Lighthouse story {n}" if n % 2 else f"Pier {n}")
        if n % 2:
            matching.append(article)
    entries, _, content_types = search_backend._tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {entries} WHERE content_type_id = ANY(%s) AND object_id = ANY(%s) "  # noqa: S608
            "ORDER BY id DESC",
            [content_types, [str(a.pk) for a in matching]],
        )
        newest = [row[0] for row in cursor.fetchall()][:3]
        probe = search_backend._search_sql(
            terms=parse("lighthouse"),
            filters=search_backend.SearchFilters(),
            restricted_paths=[],
            candidates=None,
        )
        cursor.execute(probe.match_ids, probe.match_ids_params)
        assert [row[0] for row in cursor.fetchall()] == newest

    results = article_search(query="lighthouse", filters=SearchFilters(sort="recent"), per_page=2)
    assert results.count == 2 and results.count_capped
    assert [hit.article.pk for hit in results.hits] == [matching[-1].pk, matching[-2].pk]


def test_a_query_past_the_length_limit_is_cut_between_words(client, archive):
    """Cut at 200 characters inside "reservoir", it searched for "reser" too, in every article,
    and found nothing; the search box does not cut a paste short in the browser either."""
    query = "valley reservoir " * 15
    assert query[199].isalpha() and query[200].isalpha()

    response = client.get("/search/", {"q": query})

    page = html.fromstring(response.content)
    count = page.xpath("//*[contains(@class, 'results-count')]")[0].text_content()
    assert count.startswith("1 result for")
    assert "reser”" not in count
    assert page.xpath("//input[@name='q' and not(@maxlength)]")


def test_an_unknown_section_author_or_order_is_named_in_plain_words(client, archive):
    response = client.get(
        "/search/", {"q": "reservoir", "section": "nope", "author": "nobody", "sort": "sideways"}
    )

    notice = html.fromstring(response.content).xpath("//*[@class='search-notice']")[0]
    text = notice.text_content()
    assert response.status_code == 400
    assert "There is no section “nope”." in text
    assert "There is no author “nobody”." in text
    assert "There is no order “sideways”" in text
    assert "Select a valid choice" not in text


def test_live_coverage_is_found_beside_the_articles(client, archive):
    """A live page is indexed under its own kind: searching its headline's words found the
    articles around it and never the live coverage itself."""
    from wagtail.search.index import insert_or_update_object

    from tests.live.conftest import LivePageFactory

    live = LivePageFactory(
        parent=archive["world"],
        title="Live: the reservoir spillway opens",
        slug="reservoir-live",
    )
    insert_or_update_object(live)

    response = client.get("/search/", {"q": "spillway"})

    titles = html.fromstring(response.content).xpath(
        "//h2[contains(@class, 'search-result__title')]/a"
    )
    assert [(a.text_content(), a.get("href")) for a in titles] == [
        ("Live: the reservoir spillway opens", live.url),
        ("Valley reservoir reaches record level", archive["reservoir"].url),
    ]
