"""Readers edit or delete their own comment for a while, proven by the signed token their
browser kept; nobody else can."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.comments.services import comment_moderate
from dateline.moderation.scoring import comment_score

from .conftest import ORIGIN, own_token_from, soup, textarea_text

TEXT = "The vote is on Tuesday."
FIXED = "The vote is on Thursday, not Tuesday."


@pytest.fixture
def mine(post_comment):
    """A comment the test client posted, and the token from its redirect."""
    response = post_comment(comment=TEXT)
    return Comment.objects.get(), own_token_from(response["Location"])


def edit_url(comment: Comment, token: str) -> str:
    return f"/comments/{comment.pk}/edit/?own={quote(token)}"


def test_author_can_open_the_edit_form_with_the_token(client, mine):
    comment, token = mine

    response = client.get(edit_url(comment, token))

    assert response.status_code == 200
    assert textarea_text(response) == TEXT
    assert "no-store" in response["Cache-Control"]


def test_author_edit_of_a_published_comment_changes_the_text_and_marks_it_edited(client, mine):
    comment, token = mine
    comment_moderate(comment=comment, action="approve")

    response = client.post(
        f"/comments/{comment.pk}/edit/", {"comment": FIXED, "own": token}, HTTP_ORIGIN=ORIGIN
    )

    assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.body == FIXED
    assert comment.edited_at is not None
    shown = soup(client.get(response["Location"])).find(id=f"comment-{comment.pk}")
    assert FIXED in shown.get_text()
    assert shown.select_one(".comment-edited").get_text() == "Edited"


def test_a_held_comment_edited_before_it_was_published_is_not_marked_edited(client, mine, article):
    comment, token = mine
    comment_moderate(comment=comment, action="hold")

    client.post(
        f"/comments/{comment.pk}/edit/", {"comment": FIXED, "own": token}, HTTP_ORIGIN=ORIGIN
    )
    comment.refresh_from_db()
    comment_moderate(comment=comment, action="approve")

    comment.refresh_from_db()
    assert comment.body == FIXED and comment.edited_at is None
    shown = soup(Client().get(article.url)).find(id=f"comment-{comment.pk}")
    assert FIXED in shown.get_text() and shown.select_one(".comment-edited") is None


def test_a_comment_edited_while_held_after_it_was_published_is_marked_edited(client, mine, article):
    comment, token = mine
    comment_moderate(comment=comment, action="approve")
    comment.refresh_from_db()
    comment_moderate(comment=comment, action="hold")

    client.post(
        f"/comments/{comment.pk}/edit/", {"comment": FIXED, "own": token}, HTTP_ORIGIN=ORIGIN
    )
    comment.refresh_from_db()
    comment_moderate(comment=comment, action="approve")

    shown = soup(Client().get(article.url)).find(id=f"comment-{comment.pk}")
    assert shown.select_one(".comment-edited").get_text() == "Edited"


def test_editing_an_approved_comment_into_a_link_list_sends_it_back_to_moderation(
    client, mine, article
):
    comment, token = mine
    comment_moderate(comment=comment, action="approve")

    client.post(
        f"/comments/{comment.pk}/edit/",
        {"comment": "Buy now https://a.example.com https://b.example.com", "own": token},
        HTTP_ORIGIN=ORIGIN,
    )

    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "links" in [r["code"] for r in comment.moderation_reasons]
    assert article.comment_count == 0


def test_edit_keeps_the_new_texts_scores_in_the_same_update(client, post_comment, abuse_model):
    civil = "I disagree with the council: the wall is too low."
    abusive = "You absolute moron, nobody cares about your stupid sea wall."
    response = post_comment(comment=civil)
    comment, token = Comment.objects.get(), own_token_from(response["Location"])
    assert comment.scores == {"abuse": round(comment_score("abuse", civil), 4)}
    comment_moderate(comment=comment, action="approve")

    with CaptureQueriesContext(connection) as queries:
        client.post(
            f"/comments/{comment.pk}/edit/", {"comment": abusive, "own": token}, HTTP_ORIGIN=ORIGIN
        )

    comment.refresh_from_db()
    assert comment.body == abusive
    assert comment.scores == {"abuse": round(comment_score("abuse", abusive), 4)}
    assert comment.scores["abuse"] > 0.9
    assert comment.status == Comment.Status.PENDING
    assert "abusive_language" in [r["code"] for r in comment.moderation_reasons]
    # One UPDATE writes the new text with its screening, scores included.
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    edits = [sql for sql in updates if Comment._meta.db_table in sql and '"body"' in sql]
    assert len(edits) == 1
    assert '"scores"' in edits[0]


@pytest.mark.parametrize(
    ("minutes_later", "allowed"), [(14, True), (16, False)], ids=["in-window", "too-late"]
)
def test_edit_is_refused_after_the_edit_window(client, mine, minutes_later, allowed):
    comment, token = mine

    with time_machine.travel(timezone.now() + timedelta(minutes=minutes_later)):
        form = client.get(edit_url(comment, token))
        response = client.post(
            f"/comments/{comment.pk}/edit/", {"comment": FIXED, "own": token}, HTTP_ORIGIN=ORIGIN
        )

    comment.refresh_from_db()
    if allowed:
        assert response.status_code == 303
        assert comment.body == FIXED
    else:
        assert "The time for editing this comment has passed." in form.content.decode()
        assert response.status_code == 400
        assert "has passed" in response.content.decode()
        assert comment.body == TEXT


def test_edit_sent_after_the_window_closed_gives_the_reader_their_text_back(client, mine):
    """Opened in the window, sent after it: nothing is saved, and what they typed is on the page
    (not only "the time has passed", with the text gone)."""
    comment, token = mine

    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        opened = client.get(edit_url(comment, token))
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(
            f"/comments/{comment.pk}/edit/", {"comment": FIXED, "own": token}, HTTP_ORIGIN=ORIGIN
        )

    assert textarea_text(opened) == TEXT
    assert response.status_code == 400
    page = soup(response)
    assert "Your changes were not saved." in page.find(id="edit-too-late").get_text()
    assert textarea_text(response) == FIXED
    comment.refresh_from_db()
    assert comment.body == TEXT


def test_edit_window_follows_the_site_setting(client, mine, site_settings):
    comment, token = mine
    site_settings(edit_window_minutes=60)

    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        response = client.post(
            f"/comments/{comment.pk}/edit/", {"comment": FIXED, "own": token}, HTTP_ORIGIN=ORIGIN
        )

    assert response.status_code == 303


@pytest.mark.parametrize("kind", ["missing", "forged", "another-comment"])
def test_edit_with_a_wrong_token_is_a_404(client, mine, post_comment, kind):
    comment, token = mine
    other_token = own_token_from(post_comment(comment="Another one.")["Location"])
    wrong = {"missing": "", "forged": token[:-4] + "abcd", "another-comment": other_token}[kind]

    form = client.get(edit_url(comment, wrong))
    change = client.post(
        f"/comments/{comment.pk}/edit/", {"comment": FIXED, "own": wrong}, HTTP_ORIGIN=ORIGIN
    )
    delete = client.post(f"/comments/{comment.pk}/delete/", {"own": wrong}, HTTP_ORIGIN=ORIGIN)

    assert (form.status_code, change.status_code, delete.status_code) == (404, 404, 404)
    comment.refresh_from_db()
    assert (comment.body, comment.status) == (TEXT, Comment.Status.PENDING)


def test_edit_from_another_site_is_refused(client, mine):
    comment, token = mine

    response = client.post(
        f"/comments/{comment.pk}/edit/",
        {"comment": FIXED, "own": token},
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == TEXT


def test_author_delete_trashes_the_comment_and_its_replies_stay_visible(
    client, mine, comment_factory, article
):
    comment, token = mine
    comment_moderate(comment=comment, action="approve")
    answer = comment_factory(parent=comment, body="A reply that stays.")

    response = client.post(f"/comments/{comment.pk}/delete/", {"own": token}, HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.status == Comment.Status.TRASH
    page = soup(client.get(article.url))
    removed = page.find(id=f"comment-{comment.pk}")
    assert "This comment was removed." in removed.get_text()
    assert TEXT not in removed.get_text()
    assert removed.find(id=f"comment-{answer.pk}") is not None


def test_author_delete_is_refused_after_the_edit_window(client, mine):
    comment, token = mine

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(
            f"/comments/{comment.pk}/delete/", {"own": token}, HTTP_ORIGIN=ORIGIN
        )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_repeating_someone_elses_email_and_text_gives_no_power_over_their_comment(
    post_comment, article
):
    victim = post_comment(comment=TEXT, email="ada@example.org", comment_key="ada-tab-1")
    comment = Comment.objects.get()
    assert own_token_from(victim["Location"])
    intruder = Client()

    copy = post_comment(
        client=intruder, comment=TEXT, email="ada@example.org", comment_key="someone-else"
    )
    # No redirect at all since the "already posted" page (a 200 that names no comment).
    location = copy.get("Location", "")
    token = own_token_from(location) if "own=" in location else ""
    attempt = intruder.post(
        f"/comments/{comment.pk}/edit/", {"comment": "Defaced.", "own": token}, HTTP_ORIGIN=ORIGIN
    )

    assert attempt.status_code == 404
    comment.refresh_from_db()
    assert comment.body == TEXT


# --- What the author is told after posting without JavaScript -------------------------------------

CIVIL = "The casino on the quay closed in 2019; the council owns the site now."
AWAITING = "Your comment is awaiting moderation."


@pytest.mark.parametrize("outcome", ["held", "spam"])
def test_without_javascript_the_author_sees_a_held_or_spam_comment_as_awaiting_moderation(
    client, post_comment, site_settings, article, outcome
):
    """The page after the redirect shows the reader their text with the notice the page's
    script gives (a comment marked as spam reads as awaiting moderation to its author, never as
    spam); the page is theirs alone, and nobody else sees the comment."""
    if outcome == "spam":
        site_settings(disallowed_words="casino")
    posted = post_comment(comment=CIVIL)
    comment = Comment.objects.get()
    assert comment.status == (Comment.Status.SPAM if outcome == "spam" else Comment.Status.PENDING)
    assert posted.status_code == 303
    assert posted["Location"].endswith(f"#comment-{comment.pk}")

    page = client.get(posted["Location"])

    assert page["Cache-Control"] == "private, no-store"
    shown = soup(page).find(id=f"comment-{comment.pk}")
    assert shown is not None
    assert CIVIL in shown.get_text()
    assert shown.select_one(".comment-awaiting-moderation").get_text() == AWAITING
    assert "spam" not in str(shown).lower().replace(CIVIL.lower(), "")
    # A permalink or the article without the token shows nothing of it.
    for other in (Client().get(posted["Location"].split("?")[0]), Client().get(article.url)):
        assert CIVIL not in other.content.decode()
        assert AWAITING not in other.content.decode()


@pytest.mark.parametrize("outcome", ["held", "spam"])
def test_the_pages_script_finds_the_authors_held_or_spam_comment_on_a_later_visit(
    client, post_comment, site_settings, outcome
):
    if outcome == "spam":
        site_settings(disallowed_words="casino")
    token = own_token_from(post_comment(comment=CIVIL)["Location"])

    mine = client.get(f"/comments/mine/?own={quote(token)}").json()["comments"]

    assert [(c["id"], c["status"]) for c in mine] == [(Comment.objects.get().pk, "pending")]
    assert AWAITING in mine[0]["html"]


def test_a_trashed_comment_is_not_shown_to_its_author_as_awaiting(client, post_comment):
    posted = post_comment(comment=CIVIL)
    comment = Comment.objects.get()
    comment_moderate(comment=comment, action="trash")

    page = client.get(posted["Location"])

    assert CIVIL not in page.content.decode()
    assert client.get(
        f"/comments/mine/?own={quote(own_token_from(posted['Location']))}"
    ).json() == {"comments": []}
