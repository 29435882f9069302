"""Issue 15, items 1 and 9, for text that does not come from the reader's form: the staff desk's
edit and reply check the text's length as it will be stored (after NFC), like the reader's
form, and answer at the field with the text kept; names taken from an account (signed-in
commenters, staff replies) are cleaned like typed names and cut to the name column."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from dateline.comments.models import BODY_MAX, NAME_MAX, Comment
from tests.comments import conftest as comments_fixtures
from tests.comments.conftest import soup

article = comments_fixtures.article
comment_factory = comments_fixtures.comment_factory
comment_permissions = comments_fixtures.comment_permissions
moderator = comments_fixtures.moderator
post_comment = comments_fixtures.post_comment

# U+0958 is two characters in NFC, U+FB2C three (composition exclusions).
DOUBLING, TRIPLING = "\u0958", "\ufb2c"


def grows_past(limit: int, char: str, factor: int) -> str:
    return char * (limit // factor + 1)


def body_field(response: Any) -> tuple[str, str]:
    """The body textarea's text and the error shown with it."""
    page = soup(response)
    area = page.find("textarea", attrs={"name": "body"})
    assert area is not None, "no body field in the page"
    error = page.find(id=f"{area['id']}-error")
    # A browser drops the newline Django writes right after <textarea>; html.parser keeps it.
    return area.get_text().removeprefix("\n"), error.get_text(
        " ", strip=True
    ) if error is not None else ""


# --- The desk: edit and reply --------------------------------------------------------------------


def test_staff_edit_growing_past_the_limit_when_normalised_is_a_form_error_with_the_text_kept(
    client, moderator, article, comment_factory
):
    comment = comment_factory(article=article, body="Keep me.")
    client.force_login(moderator)
    text = grows_past(BODY_MAX, DOUBLING, 2)
    assert len(text) <= BODY_MAX

    response = client.post(reverse("comments_desk_edit", args=[comment.pk]), {"body": text})

    assert response.status_code == 400
    kept, error = body_field(response)
    assert kept == text
    assert f"the limit is {BODY_MAX}" in error
    comment.refresh_from_db()
    assert comment.body == "Keep me."


def test_staff_reply_growing_past_the_limit_when_normalised_is_a_form_error_with_the_text_kept(
    client, moderator, article, comment_factory
):
    parent = comment_factory(article=article, status=Comment.Status.PENDING)
    client.force_login(moderator)
    text = grows_past(BODY_MAX, TRIPLING, 3)
    assert len(text) <= BODY_MAX

    response = client.post(
        reverse("comments_desk_reply", args=[parent.pk]), {"body": text, "next": "/admin/"}
    )

    assert response.status_code == 400
    kept, error = body_field(response)
    assert kept == text
    assert f"the limit is {BODY_MAX}" in error
    assert not Comment.objects.filter(parent=parent).exists()
    parent.refresh_from_db()
    assert parent.status == Comment.Status.PENDING  # nothing happened


def test_a_refused_staff_reply_comes_back_with_its_text(
    client, moderator, article, comment_factory
):
    """Any refusal (here: the article's comments are closed) keeps what staff typed."""
    parent = comment_factory(article=article)
    article.comment_status = article.CommentStatus.CLOSED
    article.save_revision().publish()
    client.force_login(moderator)

    response = client.post(
        reverse("comments_desk_reply", args=[parent.pk]), {"body": "Thanks, corrected."}
    )

    assert response.status_code == 400
    kept, error = body_field(response)
    assert kept == "Thanks, corrected."
    assert "closed" in error.lower()


# --- Names from an account -----------------------------------------------------------------------


def signed_in(client: Any, **names: str) -> Any:
    user = get_user_model().objects.create_user(
        username="reader1", password="not-a-real-password", email="reader1@example.org", **names
    )
    client.force_login(user)
    return user


def test_signed_in_name_loses_bidi_overrides(client, post_comment):
    signed_in(client, first_name="\u202egnp.exe", last_name="\u2066Smith\u200b\u2069")

    response = post_comment(comment="A comment from an account.")

    assert response.status_code == 303
    assert Comment.objects.get().author_name == "gnp.exe Smith"


def test_signed_in_name_longer_than_the_column_is_cut(client, post_comment):
    first, last = "A" * 150, "B" * 150  # the longest names Django's user model holds
    signed_in(client, first_name=first, last_name=last)

    response = post_comment(comment="A comment from an account with a long name.")

    assert response.status_code == 303
    name = Comment.objects.get().author_name
    assert len(name) == NAME_MAX
    assert name == f"{first} {last}"[:NAME_MAX]


def test_signed_in_name_that_is_only_invisible_characters_is_the_username(client, post_comment):
    signed_in(client, first_name="\u202e\u200b", last_name="\u2066")

    response = post_comment(comment="A comment from an account without a visible name.")

    assert response.status_code == 303
    assert Comment.objects.get().author_name == "reader1"


def test_staff_reply_name_from_the_account_is_cleaned_and_cut(
    client, moderator, article, comment_factory
):
    moderator.first_name, moderator.last_name = "\u202eDesk" + "m" * 145, "n" * 150
    moderator.save()
    parent = comment_factory(article=article)
    client.force_login(moderator)

    response = client.post(
        reverse("comments_desk_reply", args=[parent.pk]), {"body": "Thanks, corrected."}
    )

    assert response.status_code == 302
    name = Comment.objects.get(parent=parent).author_name
    assert name.startswith("Deskmm") and len(name) == NAME_MAX
