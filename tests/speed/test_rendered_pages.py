"""Issue 13, §1: a rendered page costs a few queries and renders each part once
(docs/decisions/0071-routing-in-one-lookup.md). Timings are in bench/render_bench.py."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from dateline.comments import bodies, rendering
from dateline.comments.models import Comment
from dateline.core.pagecache import invalidate
from tests.comments.conftest import comment_ids_on, soup
from tests.comments.test_queries import grow_thread


@pytest.fixture
def rendered(settings):
    """Pages rendered every time (no full-page cache), with the fragments kept."""
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True


def queries_for(client, url: str, **params) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("comments", [10, 200])
def test_a_rendered_article_reads_one_row_and_after_a_change_at_most_ten(
    client, article, rendered, comments
):
    grow_thread(article, count=comments)
    invalidate([f"article:{article.pk}"])
    assert client.get(article.url).status_code == 200

    warm, warm_sql = queries_for(client, article.url)
    invalidate([f"article:{article.pk}"])  # what approving a comment does
    rebuilt, _ = queries_for(client, article.url)

    # The article itself, by its path: the site, the page tree and the view restrictions are
    # kept under the content's version.
    assert warm == 1, warm_sql
    assert rebuilt <= 10


def test_the_front_page_rendered_asks_the_database_nothing_while_nothing_changed(
    client, article, rendered
):
    assert client.get("/").status_code == 200

    warm, sql = queries_for(client, "/")
    invalidate(["listings"])  # a comment count on a card changed
    rebuilt, _ = queries_for(client, "/")

    assert warm == 0, sql
    assert rebuilt <= 10


def test_a_restriction_added_to_a_section_applies_to_its_articles_at_once(
    client, article, rendered, django_capture_on_commit_callbacks
):
    assert client.get(article.url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=article.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    restricted = client.get(article.url)

    assert restricted.status_code == 200
    assert b'name="password"' in restricted.content
    assert b"story__headline" not in restricted.content


def test_an_unpublished_article_is_not_found_by_its_path(client, article, rendered):
    assert client.get(article.url).status_code == 200
    url = article.url

    article.unpublish()

    assert client.get(url).status_code == 404


def test_page_numbers_past_the_last_page_share_one_fragment_and_no_shared_cache(
    client, article, comment_factory, site_settings, rendered
):
    site_settings(page_size=5)
    made = [comment_factory(article=article).pk for _ in range(7)]
    last = client.get(article.url, {"cpage": 2})
    assert comment_ids_on(last) == made[5:]
    assert comment_ids_on(client.get(article.url)) == made[:5]

    for number in ("3", "40", "99999999999999999999", "abc"):
        _, sql = queries_for(client, article.url, cpage=number)
        response = client.get(article.url, {"cpage": number})
        expected = made[5:] if number != "abc" else made[:5]

        assert comment_ids_on(response) == expected
        # The last page's (or the first page's) fragment: no comment is read again.
        assert not [q for q in sql if "comments_comment" in q], number
        assert response["Cache-Control"] == "private, no-store"

    assert client.get(article.url, {"cpage": 2})["Cache-Control"] != "private, no-store"


def test_a_long_page_renders_each_conversation_once_and_checks_each_body_once(
    client, article, comment_factory, rendered
):
    roots = [comment_factory(article=article) for _ in range(3)]
    replies = [comment_factory(article=article, parent=root) for root in roots for _ in range(3)]
    shown = len(roots) + len(replies)
    bodies.comment_bodies_refresh(comments=list(Comment.objects.filter(article=article)))
    render = rendering._nodes_template().render

    with (
        mock.patch.object(rendering, "FOLD_ABOVE_CHARS", 4000),
        mock.patch.object(bodies, "body_html_key", wraps=bodies.body_html_key) as hashed,
        mock.patch.object(
            rendering, "_nodes_template", return_value=mock.Mock(render=mock.Mock(wraps=render))
        ) as template,
    ):
        page = client.get(article.url)

    assert soup(page).select(".comment-more")
    assert hashed.call_count == shown  # each body's key checked once
    rendered_nodes = [
        node.comment.pk
        for call in template.return_value.render.call_args_list
        for node in call.kwargs["nodes"]
    ]
    # Each conversation once, then again only those that lose replies (all three here).
    assert sorted(rendered_nodes) == sorted([r.pk for r in roots] * 2)
    assert Comment.objects.filter(article=article).count() == shown
