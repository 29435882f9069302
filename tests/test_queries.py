"""Each reader-facing page costs a fixed number of queries, whatever the size of the archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from unittest import mock

import pytest
import wagtail_factories
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.search.index import insert_or_update_object

from dateline.core.pagecache import invalidate
from dateline.news.models import ArticlePage, Author, HomePage, SectionPage

from .caches import cache_empty
from .factories import ArticlePageFactory, AuthorFactory, SectionPageFactory

# The module fixture below writes to the database. pytest-django creates the test database
# only when a selected test asks for it, so every test here does.
pytestmark = pytest.mark.django_db

# Measured on SQLite, the same for 3 and for 40 articles, rendered without the full-page cache
# but with the fragments it keeps (core.fragments: the thread, the article's byline, tags,
# corrections, related coverage and lead image, the front page's body, the sections menu, the
# sites and the view restrictions' paths): front 0 and article 1 (issue 13: at most 10; the
# article's row, read by its path: docs/decisions/0071; tests/speed has the counts after a
# change); section, author, tag and search within the bounds below (they were 14, 14, 13 and
# 12 before the site and the restrictions were kept). Each bound for search is its measured
# count plus two, so a new query per page shows up here; the others were set before and are
# looser.
MAX_QUERIES = {
    "front": 10,
    "section": 16,
    "article": 10,
    "author": 28,
    "tag": 27,
    "search": 14,
    "search-filtered": 14,
}


@dataclass
class Newsroom:
    """A newsroom that grows: three sections, five authors, three images, two tags per article."""

    home: HomePage
    sections: list[SectionPage] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    images: list = field(default_factory=list)
    articles: list[ArticlePage] = field(default_factory=list)

    def add(self, count: int, *, authors_per_article: int) -> None:
        for _ in range(count):
            n = len(self.articles)
            byline = [self.authors[(n + k) % len(self.authors)] for k in range(authors_per_article)]
            article = ArticlePageFactory(
                parent=self.sections[n % len(self.sections)],
                title=f"Story number {n}",
                slug=f"story-{n}",
                # Most, not all, articles have a lead image; the newest of each batch has one.
                lead_image=None if n % 4 == 1 else self.images[n % len(self.images)],
                authors=byline,
                tags=["Energy", ["Elections", "Climate", "Health"][n % 3]],
                corrections=["A figure was wrong."] if n % 3 == 0 else None,
            )
            # As publishing would: the search index sees the byline and tags.
            article.refresh_from_db()
            insert_or_update_object(article)
            self.articles.append(article)

    def urls(self) -> dict[str, str]:
        # The article page is asked for the first article (lead image, two tags, a correction,
        # one author), so only the archive around it grows.
        return {
            "front": "/",
            "section": "/world/",
            "article": self.articles[0].url,
            "author": "/authors/writer-0/",
            "tag": "/tags/energy/",
            # Every article matches: 3 results, then 40 (two pages).
            "search": "/search/?q=story+energy",
            "search-filtered": "/search/?q=story&section=world&sort=recent&date_from=2000-01-01",
        }


def count_queries(client: Client, url: str, *, cold: bool = False) -> int:
    """Queries for one request of ``url``, after a first request has made the renditions (and
    the fragments, unless ``cold``: then they are built again, as after a change)."""
    assert client.get(url).status_code == 200
    if cold:
        cache_empty("pages")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Counting what rendering a page costs: the full-page cache would answer the second request.
# The fragments it keeps stay on (a request the page cache does not serve, e.g. ?nocache=1).
NO_PAGE_CACHE = {"DATELINE_PAGE_CACHE": False, "DATELINE_FRAGMENT_CACHE": True}
# Pages whose cold render (every fragment built again) is counted too.
COLD = ("front", "article")


def measure(client: Client, room: Newsroom) -> dict[str, int]:
    # Publishing invalidates after commit; the module's transaction never commits.
    invalidate(["content", "listings", *(f"article:{a.pk}" for a in room.articles)])
    counts = {name: count_queries(client, url) for name, url in room.urls().items()}
    for name in COLD:
        counts[f"{name}-cold"] = count_queries(client, room.urls()[name], cold=True)
    return counts


@pytest.fixture(scope="module")
def grown(django_db_setup, django_db_blocker, tmp_path_factory):
    """Query counts of every page with 3 articles and with 40, measured once for this module.

    Building forty articles takes seconds, so it happens once, in a transaction rolled back at
    the end of the module; each test runs in a savepoint inside it.
    """
    media = {"MEDIA_ROOT": tmp_path_factory.mktemp("query-media")}
    with (
        django_db_blocker.unblock(),
        override_settings(**NO_PAGE_CACHE, **media),
        transaction.atomic(),
    ):
        home = HomePage.objects.get()
        room = Newsroom(home=home)
        room.sections = [
            SectionPageFactory(parent=home, title=title, slug=title.lower())
            for title in ("World", "Business", "Sport")
        ]
        room.authors = [AuthorFactory(name=f"Writer {n}", slug=f"writer-{n}") for n in range(5)]
        room.images = [wagtail_factories.ImageFactory(title=f"Photo {n}") for n in range(3)]
        client = Client()

        # Small: three articles, one per section, one author each.
        room.add(3, authors_per_article=1)
        small = measure(client, room)
        # Large: forty articles, the new ones with three authors, more images and corrections.
        room.add(37, authors_per_article=3)
        large = measure(client, room)

        yield room, small, large, media
        transaction.set_rollback(True)


@pytest.fixture
def newsroom(grown, db, settings):
    room, _, _, media = grown
    for name, value in {**NO_PAGE_CACHE, **media}.items():
        setattr(settings, name, value)
    return room


@pytest.mark.parametrize("name", [*MAX_QUERIES, *(f"{name}-cold" for name in COLD)])
def test_page_costs_the_same_queries_for_three_articles_and_for_forty(grown, name):
    _, small, large, _ = grown

    assert small[name] == large[name], (
        f"{name}: {small[name]} queries for 3 articles, {large[name]} for 40"
    )


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_page_stays_within_its_query_budget(client, newsroom, django_assert_max_num_queries, name):
    url = newsroom.urls()[name]
    assert client.get(url).status_code == 200

    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client.get(url)

    assert response.status_code == 200


def test_article_page_costs_the_same_queries_for_one_author_and_for_three(client, newsroom):
    # Alike but for the byline: section, lead image, tags and a correction.
    one_author, three_authors = newsroom.articles[0], newsroom.articles[36]
    assert (one_author.byline.count(), three_authors.byline.count()) == (1, 3)

    assert count_queries(client, three_authors.url) == count_queries(client, one_author.url)


# The front page ranks the newest articles of every section with ROW_NUMBER(); a listing of one
# author's or one tag's articles has no use for it.
@pytest.mark.parametrize("url", ["/authors/writer-0/", "/tags/energy/"])
def test_author_and_tag_pages_do_not_build_the_front_page(client, newsroom, url):
    assert client.get(url).status_code == 200

    with CaptureQueriesContext(connection) as captured:
        client.get(url)

    assert not [q for q in captured.captured_queries if "ROW_NUMBER" in q["sql"].upper()]


def test_front_page_reads_a_window_of_the_newest_articles_not_the_archive(client, newsroom):
    assert client.get("/").status_code == 200
    cache_empty("pages")  # build the front page's fragment again

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200

    sql = [q["sql"].upper() for q in captured.captured_queries]
    assert not [q for q in sql if "ROW_NUMBER" in q or " OVER " in q]
    # Every read of articles is either limited or by id.
    articles = [q for q in sql if 'FROM "NEWS_ARTICLEPAGE"' in q or 'JOIN "NEWS_ARTICLEPAGE"' in q]
    assert articles
    assert all(" LIMIT " in q or '"PAGE_PTR_ID" IN (' in q for q in articles), articles


def test_front_page_fills_a_quiet_section_beyond_the_window(client, newsroom, settings):
    from dateline.news import front

    settings.DATELINE_HOME_PER_SECTION = 2
    quiet = newsroom.sections[2]
    with mock.patch.object(front, "FRONT_WINDOW", 4):
        cache_empty("pages")
        response = client.get("/")

    section = next(s for s in response.context["front"].sections if s[0].pk == quiet.pk)
    newest_of_quiet = [a.pk for a in reversed(newsroom.articles) if a.get_parent().pk == quiet.pk][
        :2
    ]
    assert [a.pk for a in section[1]] == newest_of_quiet


@pytest.mark.parametrize("comments", [10, 200])
def test_article_page_stays_within_its_budget_with_many_comments(
    client, newsroom, django_assert_max_num_queries, comments
):
    from tests.comments.test_queries import grow_thread

    article = newsroom.articles[0]
    grow_thread(article, count=comments)
    invalidate([f"article:{article.pk}"])
    assert client.get(article.url).status_code == 200

    with django_assert_max_num_queries(MAX_QUERIES["article"]):
        response = client.get(article.url)

    assert response.content.count(b'class="comment ') >= min(comments, 50)
