"""The thread: replies in a tree, the depth limit, pages of top-level comments, orders,
removed comments and permalinks (selectors.comment_thread_page and the permalink view)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.comments.selectors import comment_thread_page
from dateline.comments.services import comment_moderate, comment_post

from .conftest import soup


def shape(nodes) -> list:
    """The tree as nested (comment id, [children]) pairs."""
    return [(node.comment.pk, shape(node.children)) for node in nodes]


def reply(submission_factory, parent: Comment, **fields) -> Comment:
    """A reply from a known commenter, through the service."""
    return comment_post(
        submission=submission_factory(parent_id=parent.pk, is_staff=True, **fields)
    ).comment


def test_replies_are_threaded_under_their_parents_oldest_first(article, comment_factory):
    first = comment_factory(article=article)
    second = comment_factory(article=article)
    a = comment_factory(parent=first)
    b = comment_factory(parent=first)
    a1 = comment_factory(parent=a)
    c = comment_factory(parent=second)

    page = comment_thread_page(article=article)

    assert shape(page.nodes) == [
        (first.pk, [(a.pk, [(a1.pk, [])]), (b.pk, [])]),
        (second.pk, [(c.pk, [])]),
    ]
    assert [a1.depth, a1.thread] == [2, first.thread]


def test_reply_beyond_the_depth_limit_attaches_at_the_deepest_level_as_a_sibling(
    article, comment_factory, submission_factory, site_settings
):
    site_settings(max_depth=3)
    top = comment_factory(article=article)
    child = comment_factory(parent=top)
    grandchild = comment_factory(parent=child)  # depth 2, the deepest of three levels

    allowed = reply(submission_factory, child)
    too_deep = reply(submission_factory, grandchild)

    assert (allowed.parent_id, allowed.depth) == (child.pk, 2)
    assert (too_deep.parent_id, too_deep.depth) == (child.pk, 2)
    assert too_deep.path.startswith(child.path + "/")
    page = comment_thread_page(article=article)
    assert shape(page.nodes) == [
        (top.pk, [(child.pk, [(grandchild.pk, []), (allowed.pk, []), (too_deep.pk, [])])])
    ]


def test_with_one_level_every_reply_becomes_a_top_level_comment(
    article, comment_factory, submission_factory, site_settings
):
    site_settings(max_depth=1)
    top = comment_factory(article=article)

    answer = reply(submission_factory, top)

    assert (answer.parent_id, answer.depth, answer.thread) == (None, 0, answer.path)
    assert shape(comment_thread_page(article=article).nodes) == [(top.pk, []), (answer.pk, [])]


def test_default_depth_is_five_levels(article, comment_factory, submission_factory):
    chain = [comment_factory(article=article)]
    for _ in range(4):
        chain.append(comment_factory(parent=chain[-1]))

    deepest = reply(submission_factory, chain[-1])

    assert (deepest.parent_id, deepest.depth) == (chain[3].pk, 4)


def test_posting_a_reply_changes_no_other_comments_path(
    article, comment_factory, submission_factory
):
    tops = [comment_factory(article=article) for _ in range(3)]
    for top in tops:
        comment_factory(parent=comment_factory(parent=top))
    before = dict(Comment.objects.values_list("pk", "path"))

    new = reply(submission_factory, tops[0])

    after = dict(Comment.objects.values_list("pk", "path"))
    assert after.pop(new.pk).startswith(tops[0].path + "/")
    assert after == before


# --- Pages and orders -----------------------------------------------------------------------------


@pytest.fixture
def twelve_threads(article, comment_factory, site_settings):
    """Twelve top-level comments, five a page; the first of each has two replies."""
    site_settings(page_size=5)
    tops = [comment_factory(article=article) for _ in range(12)]
    replies = {top.pk: [comment_factory(parent=top), comment_factory(parent=top)] for top in tops}
    return tops, replies


def test_thread_is_paged_by_top_level_comments_with_replies_kept_with_their_root(
    article, twelve_threads
):
    tops, replies = twelve_threads

    pages = [comment_thread_page(article=article, page_number=n) for n in (1, 2, 3)]

    assert [p.num_pages for p in pages] == [3, 3, 3]
    assert [len(p.nodes) for p in pages] == [5, 5, 2]
    assert [n.comment.pk for p in pages for n in p.nodes] == [t.pk for t in tops]
    for p in pages:
        for node in p.nodes:
            assert [c.comment.pk for c in node.children] == [r.pk for r in replies[node.comment.pk]]
    assert pages[0].top_level_count == 12


@pytest.mark.parametrize(("asked", "shown"), [("0", 1), ("abc", 1), ("99", 3), (None, 1)])
def test_out_of_range_page_numbers_give_the_nearest_page(article, twelve_threads, asked, shown):
    assert comment_thread_page(article=article, page_number=asked).number == shown


def test_orders_oldest_newest_and_most_liked(article, comment_factory):
    now = timezone.now()
    old = comment_factory(article=article, created_at=now - timedelta(hours=3), likes_count=1)
    mid = comment_factory(article=article, created_at=now - timedelta(hours=2), likes_count=9)
    new = comment_factory(article=article, created_at=now - timedelta(hours=1), likes_count=1)

    def order(name: str) -> list[int]:
        return [n.comment.pk for n in comment_thread_page(article=article, order=name).nodes]

    assert order("oldest") == [old.pk, mid.pk, new.pk]
    assert order("newest") == [new.pk, mid.pk, old.pk]
    assert order("liked") == [mid.pk, old.pk, new.pk]
    assert order("nonsense") == order("oldest")


def test_only_approved_comments_are_in_the_thread(article, comment_factory):
    shown = comment_factory(article=article)
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH):
        comment_factory(article=article, status=status)
        comment_factory(parent=shown, status=status)

    page = comment_thread_page(article=article)

    assert shape(page.nodes) == [(shown.pk, [])]
    assert page.top_level_count == 1


# --- Removed comments -----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [0, 1])
def test_removed_comment_keeps_its_replies_visible(client, article, comment_factory, depth):
    root = comment_factory(article=article)
    removed = comment_factory(parent=root) if depth else root
    answer = comment_factory(parent=removed, body="Still worth reading.")
    comment_moderate(comment=removed, action="trash")

    node = comment_thread_page(article=article).nodes[0]
    if depth:
        node = node.children[0]
    page = client.get(article.url)

    assert node.removed and node.comment.pk == removed.pk
    assert [c.comment.pk for c in node.children] == [answer.pk]
    item = soup(page).find(id=f"comment-{removed.pk}")
    assert "This comment was removed." in item.get_text()
    assert removed.body not in item.get_text().replace("Still worth reading.", "")
    assert item.find(id=f"comment-{answer.pk}") is not None


@pytest.mark.parametrize("depth", [0, 1])
def test_removed_comment_without_replies_disappears(client, article, comment_factory, depth):
    root = comment_factory(article=article)
    removed = comment_factory(parent=root) if depth else comment_factory(article=article)
    comment_factory(parent=removed, status=Comment.Status.PENDING)  # not visible to readers
    comment_moderate(comment=removed, action="trash")

    page = comment_thread_page(article=article)

    assert shape(page.nodes) == [(root.pk, [])]
    assert "This comment was removed." not in client.get(article.url).content.decode()


# --- Permalinks -----------------------------------------------------------------------------------


def test_permalink_redirects_to_the_page_that_shows_the_comment(client, article, twelve_threads):
    tops, replies = twelve_threads

    for index, expected_query in ((0, ""), (4, ""), (5, "?cpage=2"), (11, "?cpage=3")):
        top = tops[index]
        for comment in (top, replies[top.pk][1]):
            response = client.get(f"/comments/{comment.pk}/")
            assert response.status_code == 302
            assert response["Location"] == f"{article.url}{expected_query}#comment-{comment.pk}"


def test_permalink_page_shows_the_comment(client, article, twelve_threads):
    tops, replies = twelve_threads
    target = replies[tops[7].pk][0]

    page = client.get(client.get(f"/comments/{target.pk}/")["Location"])

    assert soup(page).find(id=f"comment-{target.pk}") is not None


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, "missing"])
def test_permalink_of_a_comment_readers_cannot_see_is_a_404(
    client, article, comment_factory, status
):
    visible = comment_factory(article=article)
    hidden_id = (
        123_456 if status == "missing" else comment_factory(article=article, status=status).pk
    )

    assert client.get(f"/comments/{visible.pk}/").status_code == 302
    assert client.get(f"/comments/{hidden_id}/").status_code == 404
