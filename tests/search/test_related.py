"""Related coverage: chosen on publish, read with one indexed query, shown on the article page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html

from dateline.news.models import RelatedArticle
from dateline.news.related import article_related_refresh, articles_related_refresh_around
from tests.factories import ArticlePageFactory, SectionPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(home):
    world = SectionPageFactory(parent=home, title="World", slug="world")
    sport = SectionPageFactory(parent=home, title="Sport", slug="sport")
    now = timezone.now()

    def make(title, section, tags, days):
        return ArticlePageFactory(
            parent=section, title=title, tags=tags, first_published_at=now - timedelta(days=days)
        )

    return {
        "main": make("Flood defences tested", world, ["Floods", "Climate"], 1),
        "both_tags": make("Rivers rise again", world, ["Floods", "Climate"], 5),
        "one_tag_other_section": make("Match called off by flooding", sport, ["Floods"], 2),
        "same_section_only": make("Embassy reopens", world, ["Diplomacy"], 3),
        "unrelated": make("Cup final preview", sport, ["Football"], 1),
    }


def test_related_coverage_shares_tags_or_section_newest_first(desk):
    ids = article_related_refresh(article=desk["main"])

    assert ids == [
        desk["one_tag_other_section"].pk,
        desk["same_section_only"].pk,
        desk["both_tags"].pk,
    ]


def test_publishing_an_article_adds_it_to_its_neighbours_lists(desk, home):
    for article in desk.values():
        article_related_refresh(article=article)
    world = desk["main"].section
    newer = ArticlePageFactory(parent=world, title="Sandbags run out", tags=["Floods"])

    articles_related_refresh_around(article_id=newer.pk)

    assert RelatedArticle.objects.filter(article=desk["main"], related=newer).exists()


def test_unpublished_articles_leave_the_lists(client, desk):
    article_related_refresh(article=desk["main"])
    desk["both_tags"].unpublish()
    articles_related_refresh_around(article_id=desk["both_tags"].pk)

    assert not RelatedArticle.objects.filter(related=desk["both_tags"]).exists()
    page = html.fromstring(client.get(desk["main"].url).content)
    assert "Rivers rise again" not in page.xpath("string(//aside[@class='related'])")


def test_article_page_shows_related_coverage(client, desk):
    article_related_refresh(article=desk["main"])

    page = html.fromstring(client.get(desk["main"].url).content)

    items = page.xpath("//aside[@class='related']//li/a/text()")
    assert items == ["Match called off by flooding", "Embassy reopens", "Rivers rise again"]


def test_publish_signal_refreshes_related_coverage(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        desk["both_tags"].save_revision().publish()

    assert RelatedArticle.objects.filter(article=desk["both_tags"], related=desk["main"]).exists()
