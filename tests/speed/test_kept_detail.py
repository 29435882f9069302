"""The article's detail (byline, topics, corrections, related coverage, lead image, section) is
read only when the article's kept HTML is built again (docs/decisions/0091, "The detail"): a
warm article rendered without the full-page cache neither reads nor unpickles it, and every edit
to it shows at once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
import wagtail_factories
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dateline.news import selectors
from dateline.news.models import ArticleAuthor, ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(settings: Any) -> None:
    """Pages rendered every time (no full-page cache), with the fragments kept."""
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True


@contextmanager
def reads_of_the_detail() -> Iterator[list[str]]:
    """The names of the kept details read (from memory, the cache or the database)."""
    names: list[str] = []
    real = selectors.fragment

    def counted(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith(("article-detail:", "live-detail:")):
            names.append(name)
        return real(name, *args, **kwargs)

    with mock.patch.object(selectors, "fragment", counted):
        yield names


def rendered_html(client: Client, article: ArticlePage) -> tuple[str, int]:
    """The page's HTML (an article or a live page) and the queries it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(article.url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_warm_article_reads_no_detail_and_each_edit_to_it_shows_at_once(
    client: Client,
    rendered: None,
    section: Any,
    article_factory: Any,
    author_factory: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first, second = author_factory(name="Ada Reyes"), author_factory(name="Bo Lind")
    photo, other_photo = (
        wagtail_factories.ImageFactory(title="Harbour at dawn"),
        wagtail_factories.ImageFactory(title="Harbour at noon"),
    )
    article = article_factory(
        parent=section, authors=[first], tags=["Energy"], lead_image=photo, corrections=["A slip."]
    )
    client.get(article.url)  # its kept parts built

    warm_queries = []

    def after(change: Callable[[ArticlePage], None]) -> str:
        page = ArticlePage.objects.get(pk=article.pk)
        change(page)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        with reads_of_the_detail() as read:
            html, _queries = rendered_html(client, article)
            assert len(read) == 1  # the kept HTML built again, with the new detail
            _html, warm = rendered_html(client, article)
            assert len(read) == 1
        warm_queries.append(warm)
        return html

    with reads_of_the_detail() as read:
        html, warm = rendered_html(client, article)
    assert read == []
    assert warm == 1  # the article's row, by its path
    assert "Ada Reyes" in html and 'rel="tag">Energy<' in html and 'alt="Harbour at dawn"' in html
    assert f'class="kicker"><a href="{section.url}">{section.title}</a>' in html
    assert f'title="{section.title} (RSS)"' in html and "A slip." in html

    def sign(page: ArticlePage) -> None:
        page.byline.add(ArticleAuthor(author=second, sort_order=1))

    html = after(sign)
    assert re.search(r"Ada Reyes</bdi></a> and <a [^>]+><bdi>Bo Lind", html)

    html = after(lambda page: page.tags.add("Climate"))
    assert 'rel="tag">Climate<' in html and 'rel="tag">Energy<' in html

    def picture(page: ArticlePage) -> None:
        page.lead_image = other_photo

    html = after(picture)
    assert 'alt="Harbour at noon"' in html and "Harbour at dawn" not in html

    assert warm_queries == [1, 1, 1]
