"""Posting a comment: the redirect without JavaScript, JSON with it, the reader's own pending
comment, the opt-in cookies, and the integrity rules (no duplicates, no 500s)."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from dateline.comments.models import Comment
from dateline.comments.services import comment_post

from .conftest import comment_ids_on, own_token_from, soup, textarea_text

TEXT = "Will the new wall be finished before the winter storms?"
AWAITING = "Your comment is awaiting moderation."


# --- Without JavaScript ---------------------------------------------------------------------------


def test_post_redirects_to_the_new_comment_on_the_article_with_an_own_token(post_comment, article):
    response = post_comment(comment=TEXT)

    comment = Comment.objects.get()
    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith(article.url + "?own=")
    assert location.endswith(f"#comment-{comment.pk}")
    assert own_token_from(location)


def test_following_the_redirect_shows_the_pending_comment_to_its_author(
    post_comment, client, article
):
    location = post_comment(comment=TEXT)["Location"]

    page = client.get(location)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment_ids_on(page) == [comment.pk]
    own = soup(page).find(id=f"comment-{comment.pk}")
    assert AWAITING in own.get_text()
    assert TEXT in own.get_text()


def test_page_showing_the_own_pending_comment_is_private_and_never_stored(post_comment, client):
    location = post_comment(comment=TEXT)["Location"]

    page = client.get(location)

    assert AWAITING in page.content.decode()
    cache_control = page.headers.get("Cache-Control", "")
    assert "private" in cache_control
    assert "no-store" in cache_control


def test_the_post_response_itself_is_private_and_no_store(post_comment):
    response = post_comment(comment=TEXT)

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_pending_comment_is_not_shown_without_the_token(post_comment, client, article):
    location = post_comment(comment=TEXT)["Location"]
    other_reader = Client()

    with_token = client.get(location)
    without_token = other_reader.get(article.url)
    forged = other_reader.get(article.url + "?own=eyJjIjoxfQ:forged:signature")

    assert TEXT in with_token.content.decode()
    for page in (without_token, forged):
        assert page.status_code == 200
        assert TEXT not in page.content.decode()
        assert AWAITING not in page.content.decode()
        assert comment_ids_on(page) == []


# --- With JavaScript ------------------------------------------------------------------------------


def test_json_post_answers_201_with_the_rendered_comment(post_comment):
    response = post_comment(comment=TEXT, json=True)

    comment = Comment.objects.get()
    assert response.status_code == 201
    data = response.json()
    assert data["ok"] is True
    assert data["id"] == comment.pk
    assert data["status"] == "pending"
    assert f'id="comment-{comment.pk}"' in data["html"]
    assert AWAITING in data["html"]
    assert "private" in response["Cache-Control"]


def test_second_identical_json_post_returns_200_and_the_same_comment(post_comment):
    first = post_comment(comment=TEXT, json=True)
    second = post_comment(comment=TEXT, json=True)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Comment.objects.count() == 1


def test_json_post_with_errors_answers_400_with_the_errors_by_field(post_comment):
    response = post_comment(comment="", email="nope", json=True)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"comment", "email"}
    assert response.json()["ok"] is False


# --- Integrity ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "second",
    [
        {},  # a double click: the same text again
        {"comment": "  will the NEW wall be finished   before the winter storms?  "},
    ],
    ids=["same-text", "same-text-respaced"],
)
def test_same_reader_posting_the_same_text_twice_makes_one_comment(post_comment, second):
    first = post_comment(comment=TEXT)
    again = post_comment(**{"comment": TEXT, **second})

    assert Comment.objects.count() == 1
    assert first["Location"].split("#")[1] == again["Location"].split("#")[1]


def test_the_same_text_from_another_browser_without_javascript_says_it_is_already_posted(
    post_comment, article
):
    post_comment(comment=TEXT, headers={"HTTP_USER_AGENT": "Firefox on the laptop"})
    again = post_comment(
        comment=TEXT, client=Client(), headers={"HTTP_USER_AGENT": "Chromium on the phone"}
    )

    assert Comment.objects.count() == 1
    assert again.status_code == 200
    page = soup(again)
    text = " ".join(page.get_text().split())
    assert "This comment has already been posted." in text
    assert "waiting for a moderator" in text
    assert page.find("a", string="Back to the conversation")["href"] == f"{article.url}#comments"
    assert "no-store" in again["Cache-Control"]
    assert "own=" not in again.content.decode()  # no edit rights for the other browser


def test_an_approved_duplicate_links_to_the_published_comment(post_comment, article):
    post_comment(comment=TEXT, headers={"HTTP_USER_AGENT": "Firefox on the laptop"})
    Comment.objects.update(status=Comment.Status.APPROVED)
    again = post_comment(
        comment=TEXT, client=Client(), headers={"HTTP_USER_AGENT": "Chromium on the phone"}
    )

    comment = Comment.objects.get()
    link = soup(again).find("a", string="Back to the conversation")["href"]
    assert link.endswith(f"#comment-{comment.pk}")
    assert "waiting for a moderator" not in again.content.decode()


def test_retry_with_the_same_comment_key_makes_one_comment(post_comment):
    post_comment(comment=TEXT, comment_key="k-7f3a9c")
    post_comment(comment=TEXT + " (sent again after a timeout, edited)", comment_key="k-7f3a9c")

    assert Comment.objects.count() == 1


def test_different_text_or_a_different_reader_makes_another_comment(post_comment):
    post_comment(comment=TEXT, comment_key="k-1")
    post_comment(comment=TEXT + " And who pays?", comment_key="k-2")
    post_comment(comment=TEXT, email="bea@example.org", author="Bea")

    assert Comment.objects.count() == 3


def test_locked_database_answers_503_with_retry_after_and_the_text_back(post_comment):
    with mock.patch(
        "dateline.comments.views.comment_post",
        side_effect=OperationalError("database is locked"),
    ):
        response = post_comment(comment=TEXT)

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert textarea_text(response) == TEXT
    assert "Nothing was lost" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_locked_database_answers_json_503_to_scripts(post_comment):
    with mock.patch(
        "dateline.comments.views.comment_post",
        side_effect=OperationalError("database is locked"),
    ):
        response = post_comment(comment=TEXT, json=True)

    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["ok"] is False


def _post_in_parallel(submission, threads: int = 8) -> tuple[list, list]:
    results, errors = [], []
    start = threading.Barrier(threads)

    def worker() -> None:
        try:
            start.wait()
            results.append(comment_post(submission=submission).comment.pk)
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    return results, errors


@pytest.fixture
def committed_submission(transactional_db, django_db_serialized_rollback, submission_factory):
    """A submission on an article committed to the database, so other threads see it."""
    return submission_factory(body="Posted from eight tabs at once.", idempotency_key="k-par")


def test_parallel_identical_posts_make_exactly_one_comment_on_sqlite(committed_submission):
    if connection.vendor != "sqlite":
        pytest.skip(f"the SQLite variant; this run uses {connection.vendor}")

    results, errors = _post_in_parallel(committed_submission)

    assert errors == []
    assert len(results) == 8
    assert len(set(results)) == 1
    assert Comment.objects.count() == 1


def test_parallel_identical_posts_make_exactly_one_comment_on_postgresql(committed_submission):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: run `make unit-postgres` (DATABASE_URL=postgres://...) to test "
            "the unique constraint under real concurrent transactions"
        )

    results, errors = _post_in_parallel(committed_submission)

    assert errors == []
    assert len(set(results)) == 1
    assert Comment.objects.count() == 1


# --- Cookies --------------------------------------------------------------------------------------

AUTHOR_COOKIES = ("comment_author", "comment_author_email", "comment_author_url")


def test_ticking_the_box_remembers_name_email_and_website(post_comment):
    response = post_comment(
        comment=TEXT,
        author="Ada Reader",
        email="ada@example.org",
        url="https://ada.example.org",
        **{"wp-comment-cookies-consent": "yes"},
    )

    assert response.status_code == 303
    assert set(response.cookies) == set(AUTHOR_COOKIES)
    assert response.cookies["comment_author"].value == "Ada Reader"
    assert response.cookies["comment_author_email"].value == "ada@example.org"
    assert response.cookies["comment_author_url"].value == "https://ada.example.org"
    assert response.cookies["comment_author"]["samesite"] == "Lax"


def test_without_the_tick_no_cookie_is_set(post_comment):
    response = post_comment(comment=TEXT, url="https://ada.example.org")

    assert response.status_code == 303
    assert not response.cookies


def test_without_the_tick_earlier_cookies_are_removed(post_comment, client):
    for name in AUTHOR_COOKIES:
        client.cookies[name] = "old value"

    response = post_comment(comment=TEXT)

    assert set(response.cookies) == set(AUTHOR_COOKIES)
    for name in AUTHOR_COOKIES:
        assert response.cookies[name].value == ""
        assert response.cookies[name]["max-age"] == 0
