"""The conversation under a live page gets half an article's room (issue 17: the live page
holds the article's weight, its updates come first): half the top-level comments per page, and
replies fold at half the length. Every comment stays reachable without JavaScript."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from dateline.comments import rendering
from dateline.comments.models import Comment
from dateline.comments.selectors import comment_permalink
from tests.comments.conftest import comment_ids_on, soup
from tests.live.conftest import LivePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_page(section: Any) -> Any:
    return LivePageFactory(parent=section, comment_status="open")


@pytest.fixture
def pages_rendered(settings: Any) -> None:
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True


def test_a_live_page_shows_half_the_top_level_comments_of_an_article_per_page(
    client, article, live_page, comment_factory, site_settings, pages_rendered
):
    site_settings(page_size=10)
    on_article = [comment_factory(article=article) for _ in range(12)]
    on_live = [comment_factory(article=live_page) for _ in range(12)]

    assert comment_ids_on(client.get(article.url)) == [c.pk for c in on_article[:10]]
    assert comment_ids_on(client.get(live_page.url)) == [c.pk for c in on_live[:5]]
    assert comment_ids_on(client.get(live_page.url, {"cpage": 3})) == [c.pk for c in on_live[10:]]
    # The pages are linked for readers and crawlers, and a comment's permalink names its page,
    # read from the comment's base row (no live page object in hand).
    pager = soup(client.get(live_page.url)).select('a[href*="cpage=2"]')
    assert pager
    comment = Comment.objects.select_related("article").get(pk=on_live[7].pk)
    assert comment_permalink(comment=comment) == f"{live_page.url}?cpage=2#comment-{comment.pk}"
    assert client.get(live_page.url, {"cpage": 2}).status_code == 200
    assert on_live[7].pk in comment_ids_on(client.get(live_page.url, {"cpage": 2}))


def test_replies_under_a_live_page_fold_at_half_the_length_they_fold_at_under_an_article(
    client, article, live_page, comment_factory, pages_rendered
):
    for page in (article, live_page):
        root = comment_factory(article=page)
        reply = comment_factory(article=page, parent=root)
        comment_factory(article=page, parent=reply)
        comment_factory(article=page, parent=root)
    # The length of the article's thread, unfolded: fold at a little more than that.
    thread = rendering.comment_thread_html(article=article, comments_open=True)
    fold_above = int(len(thread) * 1.2)

    with mock.patch.object(rendering, "FOLD_ABOVE_CHARS", fold_above):
        article_ids = comment_ids_on(client.get(article.url))
        live_response = client.get(live_page.url)

    assert len(article_ids) == 4  # under an article, every reply is shown
    live_ids = comment_ids_on(live_response)
    assert len(live_ids) == 2  # under the live page, the first reply; the rest a link away
    link = soup(live_response).select_one(".comment-more a")
    assert link.get_text() == "2 more replies"
    full = client.get(live_page.url + link["href"].split("#")[0])
    assert len(comment_ids_on(full)) == 4
