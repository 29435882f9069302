"""Each reader-facing page costs a fixed number of queries, whatever the size of the archive."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import wagtail_factories
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.search.index import insert_or_update_object

from dateline.news.models import ArticlePage, Author, HomePage, SectionPage

from .factories import ArticlePageFactory, AuthorFactory, SectionPageFactory

# The module fixture below writes to the database. pytest-django creates the test database
# only when a selected test asks for it, so every test here does.
pytestmark = pytest.mark.django_db

# Measured on SQLite, the same for 3 and for 40 articles: front 19, section 14, article 21
# (related coverage and language versions: one query each, one more for view restrictions),
# author 14, tag 13, search 12 (with or without filters). Each bound for article and search is
# the measured count plus two, so a new query per page shows up here; the others were set
# before and are looser.
MAX_QUERIES = {
    "front": 21,
    "section": 16,
    "article": 23,
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


def count_queries(client: Client, url: str) -> int:
    """Queries for one request of ``url``, after a first request has made the renditions."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Counting what rendering a page costs: the full-page cache would answer the second request.
NO_PAGE_CACHE = {"DATELINE_PAGE_CACHE": False}


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
        small = {name: count_queries(client, url) for name, url in room.urls().items()}
        # Large: forty articles, the new ones with three authors, more images and corrections.
        room.add(37, authors_per_article=3)
        large = {name: count_queries(client, url) for name, url in room.urls().items()}

        yield room, small, large, media
        transaction.set_rollback(True)


@pytest.fixture
def newsroom(grown, db, settings):
    room, _, _, media = grown
    for name, value in {**NO_PAGE_CACHE, **media}.items():
        setattr(settings, name, value)
    return room


@pytest.mark.parametrize("name", list(MAX_QUERIES))
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
