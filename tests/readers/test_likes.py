"""A signed-in reader's likes are the account's: one like whatever the browser, listed by the
private state request for the page's script, never in a shared page (docs/decisions/0083)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dateline.comments.models import Comment, CommentLike
from dateline.readers.models import Reader

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db

EMAIL = "ada.reader@example.org"


def like(client: Client, comment: Comment, voter: str = "", undo: bool = False) -> Any:
    data = {"voter": voter} if voter else {}
    if undo:
        data["undo"] = "1"
    return client.post(
        f"/comments/{comment.pk}/like/", data, HTTP_ACCEPT="application/json", HTTP_ORIGIN=ORIGIN
    )


def carry_over(client: Client, voter: str = "", origin: str = ORIGIN) -> Any:
    data = {"voter": voter} if voter else {}
    return client.post(
        "/comments/likes/carry-over/", data, HTTP_ACCEPT="application/json", HTTP_ORIGIN=origin
    )


def liked_ids(client: Client, article: Any) -> list[int]:
    state = client.get(f"/readers/state/?article={article.pk}").json()
    return list(state.get("liked", []))


def count(comment: Comment) -> int:
    comment.refresh_from_db()
    return comment.likes_count


@pytest.fixture
def two_browsers(sign_in: Callable[..., Reader]) -> tuple[Client, Client, Reader]:
    """One reader signed in on two browsers (two devices)."""
    laptop, phone = Client(), Client()
    reader = sign_in(laptop, EMAIL, display_name="Ada Lovelock")
    assert sign_in(phone, EMAIL) == reader
    return laptop, phone, reader


def test_liking_on_two_browsers_of_one_account_counts_once(two_browsers, article, comment_factory):
    laptop, phone, _reader = two_browsers
    comment = comment_factory(article=article)

    first = like(laptop, comment, voter="laptop-token")
    second = like(phone, comment, voter="phone-token")

    assert first.json() == {"ok": True, "likes": 1, "liked": True, "account": True}
    assert second.json()["likes"] == 1
    assert count(comment) == 1
    assert CommentLike.objects.filter(comment=comment).count() == 1
    # Each browser is told: the phone's state lists the like made on the laptop.
    assert liked_ids(phone, article) == [comment.pk]
    assert liked_ids(laptop, article) == [comment.pk]


def test_taking_a_like_back_on_another_browser_takes_back_the_accounts_like(
    two_browsers, article, comment_factory
):
    laptop, phone, _reader = two_browsers
    comment = comment_factory(article=article)
    like(laptop, comment, voter="laptop-token")

    undone = like(phone, comment, voter="phone-token", undo=True)

    assert undone.json() == {"ok": True, "likes": 0, "liked": False, "account": True}
    assert count(comment) == 0
    assert liked_ids(laptop, article) == []


def test_the_accounts_key_is_not_the_browsers_and_holds_no_address(
    reader_client, article, comment_factory
):
    client, _reader = reader_client
    comment = comment_factory(article=article)
    like(client, comment, voter="laptop-token")
    like(Client(), comment, voter="laptop-token")  # the same token, nobody signed in

    voters = list(CommentLike.objects.filter(comment=comment).values_list("voter", flat=True))

    assert count(comment) == 2  # the account's like and the browser's are two
    assert len(set(voters)) == 2
    assert all(EMAIL not in v and "ada" not in v for v in voters)


def test_after_signing_out_the_browser_likes_with_its_own_key_again(
    reader_client, article, comment_factory
):
    client, _reader = reader_client
    comment = comment_factory(article=article)
    like(client, comment, voter="laptop-token")

    assert client.post("/readers/sign-out/", HTTP_ORIGIN=ORIGIN).status_code == 200
    as_browser = like(client, comment, voter="laptop-token")
    again = like(client, comment, voter="laptop-token")

    assert as_browser.json() == {"ok": True, "likes": 2, "liked": True, "account": False}
    assert again.json()["likes"] == 2
    assert client.get(f"/readers/state/?article={article.pk}").json()["signed_in"] is False
    assert "liked" not in client.get(f"/readers/state/?article={article.pk}").json()


def test_a_signed_in_reader_without_javascript_likes_as_the_account(
    reader_client, sign_in, article, comment_factory
):
    client, _reader = reader_client
    comment = comment_factory(article=article)

    page = client.post(f"/comments/{comment.pk}/like/", HTTP_ORIGIN=ORIGIN)  # no token, no JSON
    other = Client()
    sign_in(other, EMAIL)

    assert page.status_code == 200 and "You liked this comment" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert liked_ids(other, article) == [comment.pk]
    assert like(other, comment, voter="other-token").json()["likes"] == 1


def test_likes_made_before_signing_in_are_carried_over_once_without_double_counting(
    sign_in, article, other_article, comment_factory
):
    only_here, both, elsewhere = (
        comment_factory(article=article),
        comment_factory(article=article),
        comment_factory(article=other_article),
    )
    phone = Client()
    sign_in(phone, EMAIL, display_name="Ada Lovelock")
    like(phone, both, voter="phone-token")  # the account liked it on the phone
    laptop = Client()
    for comment in (only_here, both, elsewhere):
        like(laptop, comment, voter="laptop-token")  # before signing in on the laptop
    assert [count(c) for c in (only_here, both, elsewhere)] == [1, 2, 1]

    sign_in(laptop, EMAIL)
    first = carry_over(laptop, voter="laptop-token")
    second = carry_over(laptop, voter="laptop-token")

    assert first.json() == {"ok": True, "carried_over": 3}
    assert "no-store" in first["Cache-Control"]
    assert second.json() == {"ok": True, "carried_over": 0}
    assert [count(c) for c in (only_here, both, elsewhere)] == [1, 1, 1]
    assert liked_ids(phone, article) == sorted([only_here.pk, both.pk])
    assert liked_ids(phone, other_article) == [elsewhere.pk]
    # Taken back on the phone: the like made on the laptop before signing in goes too.
    assert like(phone, only_here, voter="phone-token", undo=True).json()["likes"] == 0


def test_carrying_over_needs_a_signed_in_reader_this_site_and_the_browsers_token(
    reader_client, article, comment_factory
):
    client, _reader = reader_client
    comment = comment_factory(article=article)
    like(Client(), comment, voter="someone-token")

    anonymous = carry_over(Client(), voter="someone-token")
    elsewhere = carry_over(client, voter="someone-token", origin="https://evil.example")
    no_token = carry_over(client)
    read = client.get("/comments/likes/carry-over/")

    assert [anonymous.status_code, elsewhere.status_code, no_token.status_code] == [403, 403, 400]
    assert read.status_code == 405
    assert all(r.json()["ok"] is False for r in (anonymous, elsewhere, no_token))
    assert count(comment) == 1 and liked_ids(client, article) == []


def test_the_state_lists_the_accounts_likes_of_that_article_only(
    reader_client, article, other_article, comment_factory
):
    client, _reader = reader_client
    here, there, not_liked = (
        comment_factory(article=article),
        comment_factory(article=other_article),
        comment_factory(article=article),
    )
    like(client, here, voter="t")
    like(client, there, voter="t")
    like(Client(), not_liked, voter="someone-else")

    state = client.get(f"/readers/state/?article={article.pk}")

    assert state["Cache-Control"] == "private, no-store"
    assert state.json()["liked"] == [here.pk]
    assert "liked" not in client.get("/readers/state/").json()
    for bad in ("abc", "-1", "0", "99999999", "1e3", "%00"):
        answer = client.get(f"/readers/state/?article={bad}")
        assert answer.status_code == 200 and "liked" not in answer.json()


def test_a_removed_comment_is_not_listed_as_liked(reader_client, article, comment_factory):
    client, _reader = reader_client
    comment = comment_factory(article=article)
    like(client, comment, voter="t")

    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.TRASH)

    assert liked_ids(client, article) == []


@pytest.mark.parametrize("liked", [1, 30])
def test_the_state_costs_the_same_queries_whatever_the_number_of_likes(
    reader_client, article, comment_factory, liked
):
    client, _reader = reader_client
    comments = [comment_factory(article=article) for _ in range(liked)]
    for comment in comments:
        like(client, comment, voter="t")
    client.get(f"/readers/state/?article={article.pk}")  # warm the per-process caches

    with CaptureQueriesContext(connection) as queries:
        state = client.get(f"/readers/state/?article={article.pk}").json()
    liked_queries = [q for q in queries.captured_queries if "comments_commentlike" in q["sql"]]

    assert sorted(state["liked"]) == sorted(c.pk for c in comments)
    assert len(liked_queries) == 1
    assert len(queries.captured_queries) == STATE_QUERIES


# The session's reader, the article, the likes (the comment policy is in the warm caches).
STATE_QUERIES = 3


def test_likes_reach_no_shared_page(reader_client, article, comment_factory):
    client, _reader = reader_client
    comment = comment_factory(article=article)
    like(client, comment, voter="t")

    page = client.get(article.url)
    anonymous = Client().get(article.url)

    assert page["Cache-Control"].startswith("public")
    assert page.content == anonymous.content
    assert 'aria-pressed="true"' not in page.content.decode()


def test_the_export_lists_the_accounts_likes_and_deleting_the_account_keeps_the_counts(
    reader_client, article, other_article, comment_factory
):
    client, _reader = reader_client
    here, there = comment_factory(article=article), comment_factory(article=other_article)
    like(client, here, voter="t")
    like(client, there, voter="t")

    export = client.post("/readers/me/export/", HTTP_ORIGIN=ORIGIN)
    deleted = client.post("/readers/me/delete/", {"confirm": "yes"}, HTTP_ORIGIN=ORIGIN)

    assert export.json()["account"]["liked_comments"] == sorted([here.pk, there.pk])
    assert deleted.status_code == 200
    # The likes still count; nothing left names whose they were.
    assert count(here) == 1 and count(there) == 1
    assert not Reader.objects.exists()
