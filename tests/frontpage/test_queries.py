"""The arranged front page keeps its query budget whatever the archive's size and the number of
slots (issue 17 §3: at most 10 on the home page)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dateline.core.pagecache import invalidate
from dateline.readership.services import Read, page_read_count
from tests.caches import cache_empty
from tests.factories import ArticlePageFactory, SectionPageFactory

from .conftest import arrange, item

pytestmark = pytest.mark.django_db

MAX_FRONT_QUERIES = 10
# Counting what rendering costs: the full-page cache would answer the second request.
NO_PAGE_CACHE = {"DATELINE_PAGE_CACHE": False, "DATELINE_FRAGMENT_CACHE": True}


def slots(sections, articles, *, many: bool) -> list[dict]:
    chosen = [item(a.pk) for a in articles[:3]]
    layout = [
        {"type": "lead", "value": {"article": articles[-1].pk}},
        {"type": "stories", "value": {"heading": "Top stories", "articles": chosen, "count": 4}},
        {"type": "live", "value": {"heading": "Live", "count": 3}},
        {"type": "most_read", "value": {"heading": "Most read", "count": 5}},
        {"type": "latest", "value": {"heading": "Latest news", "count": 8}},
    ]
    blocks = sections if many else sections[:1]
    for section in blocks:
        layout.append(
            {
                "type": "section",
                "value": {"section": section.pk, "articles": chosen[:1], "count": 3},
            }
        )
    if many:
        layout += [
            {"type": "stories", "value": {"heading": f"More {n}", "articles": [], "count": 3}}
            for n in range(4)
        ]
    return layout


def cost(client, url: str) -> tuple[int, int]:
    """Queries for ``url`` rendered afresh (every fragment built again), and kept."""
    invalidate(["content", "listings"])
    assert client.get(url).status_code == 200
    cache_empty("pages")
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(cold), len(warm)


@pytest.mark.parametrize("url", ["/", "/world/"])
def test_arranged_pages_cost_the_same_for_a_small_and_a_large_newsroom(client, home, settings, url):
    for key, value in NO_PAGE_CACHE.items():
        setattr(settings, key, value)
    settings.DATELINE_LIVE_PAGE_MODELS = ["news.ArticlePage"]
    sections = [
        SectionPageFactory(parent=home, title=t, slug=t.lower())
        for t in ["World", "Sport", "Business", "Culture", "Science", "Travel"]
    ]
    articles = []
    measured = []
    for batch, many in ((6, False), (60, True)):
        for _ in range(batch):
            articles.append(
                ArticlePageFactory(
                    parent=sections[len(articles) % len(sections)], title=f"S{len(articles)}"
                )
            )
        for article in articles[-10:]:
            page_read_count(read=Read(article.pk, f"198.51.{article.pk % 200}.0/24", "Firefox/130"))
        arrange(home, slots(sections, articles, many=many))
        arrange(
            sections[0],
            [
                {"type": "lead", "value": {"article": None}},
                {"type": "stories", "value": {"heading": "More", "articles": [], "count": 4}},
                {"type": "most_read", "value": {"heading": "Most read here", "count": 5}},
            ],
        )
        measured.append(cost(client, url))

    (small_cold, small_warm), (large_cold, large_warm) = measured
    assert small_cold == large_cold, measured
    assert small_warm == large_warm, measured
    if url == "/":
        assert large_cold <= MAX_FRONT_QUERIES, measured  # measured: 9
        assert large_warm <= 1, measured  # measured: 0
    else:
        # The section page's own budget (tests/test_queries.py); measured: 16 and 6.
        assert large_cold <= 16, measured
