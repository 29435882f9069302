"""The "Live" label on listings' cards (issue 17): on a live page whose coverage is live, not
once it has ended, not on an article; in text, not only colour; and without a query per card."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dateline.core.pagecache import invalidate
from dateline.live.models import LivePage
from dateline.news.models import ArticlePage, RelatedArticle, SectionPage

from .conftest import LivePageFactory

pytestmark = pytest.mark.django_db


def labelled(client: Client, url: str) -> dict[str, bool]:
    """Each card's (or related item's) link text, and whether it carries the "Live" label."""
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    links = soup.select(".card__title a, .related__item a")
    return {a.get_text(" ", strip=True): a.select_one(".card__live") is not None for a in links}


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def end_coverage(page: LivePage, capture: Any) -> None:
    page.coverage = LivePage.Coverage.ENDED
    with capture(execute=True):
        page.save_revision().publish()


def test_a_running_live_page_is_labelled_live_on_the_front_page_and_its_section(
    client: Client,
    live_page: LivePage,
    section: SectionPage,
    article_factory: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article_factory(parent=section, title="Harbour wall rebuilt", slug="harbour-wall")

    for url in ("/", section.url):
        cards = labelled(client, url)
        # The label is text read with the headline ("Live: …"), not a colour alone.
        assert cards["Live : Leaders meet in Moscow"] is True, url
        assert cards["Harbour wall rebuilt"] is False, url

    end_coverage(live_page, django_capture_on_commit_callbacks)

    for url in ("/", section.url):
        cards = labelled(client, url)
        assert cards["Leaders meet in Moscow"] is False, url
        assert not any(cards.values()), url


def test_related_coverage_labels_a_running_live_page(
    client: Client,
    live_page: LivePage,
    section: SectionPage,
    article_factory: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = article_factory(parent=section, title="Harbour wall rebuilt", slug="harbour-wall")
    other = article_factory(parent=section, title="Ferry timetable", slug="ferry-timetable")
    RelatedArticle.objects.create(article=article, related=live_page, position=0)
    RelatedArticle.objects.create(article=article, related=other, position=1)
    invalidate([f"article:{article.pk}"])

    related = labelled(client, article.url)
    assert related["Live : Leaders meet in Moscow"] is True
    assert related["Ferry timetable"] is False

    end_coverage(live_page, django_capture_on_commit_callbacks)
    assert labelled(client, article.url)["Leaders meet in Moscow"] is False


def test_the_label_costs_no_query_per_card(
    client: Client, settings: Any, section: SectionPage, article_factory: Any
) -> None:
    # Pages rendered every time, nothing kept: every read is counted.
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = False
    LivePageFactory(parent=section, slug="first-live")
    article_factory(parent=section, title="An article", slug="an-article")
    urls = ["/", section.url]
    queries(client, section.url)  # content types and the like, read once per process
    few = [queries(client, url) for url in urls]

    for n in range(6):
        LivePageFactory(parent=section, slug=f"live-{n}", title=f"Live story {n}")
        article_factory(parent=section, title=f"Article {n}", slug=f"article-{n}")
    many = [queries(client, url) for url in urls]

    assert many == few
    assert sum(labelled(client, section.url).values()) == 7


def test_a_kept_front_page_asks_nothing_for_its_labels(
    client: Client, settings: Any, live_page: LivePage
) -> None:
    # As tests/speed: no full-page cache, the fragments kept.
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True
    assert any(labelled(client, "/").values())

    assert queries(client, "/") == 0
    invalidate(["listings"])  # a comment count on a card changed
    assert queries(client, "/") <= 10


def test_a_live_page_as_an_article_row_is_labelled_by_its_id(
    client: Client, live_page: LivePage, section: SectionPage
) -> None:
    # Listings read ArticlePage rows; the label goes by the page's id, whatever its type.
    assert type(ArticlePage.objects.get(pk=live_page.pk)) is ArticlePage
    assert labelled(client, section.url)["Live : Leaders meet in Moscow"] is True
