"""The "Leave a Reply" form over HTTP: every failure is a 400 (or 403) that keeps the reader's
text and says what is wrong, next to the field and in a summary at the top."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DataError, IntegrityError
from django.utils import timezone

from dateline.comments.models import Comment

from .conftest import (
    ORIGIN,
    POST_URL,
    error_summary,
    field_error,
    input_value,
    textarea_text,
)

TEXT = "The council's own survey says the north beach floods twice a year."


# --- Required fields ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("comment", "Please write a comment."),
        ("author", "Please give your name."),
        ("email", "Please give your email address"),
    ],
)
def test_missing_required_field_comes_back_with_the_error_next_to_it_and_the_text_kept(
    post_comment, field, message
):
    fields = {"comment": TEXT, "author": "Ada Reader", "email": "ada@example.org", field: ""}

    response = post_comment(**fields)

    assert response.status_code == 400
    assert message in field_error(response, field)
    assert message in error_summary(response)
    if field != "comment":
        assert textarea_text(response) == TEXT
    if field != "author":
        assert input_value(response, "author") == "Ada Reader"
    assert not Comment.objects.exists()


def test_a_comment_of_only_spaces_counts_as_missing(post_comment):
    response = post_comment(comment="   \n  ")

    assert response.status_code == 400
    assert "Please write a comment." in field_error(response, "comment")


def test_complete_form_is_accepted(post_comment):
    response = post_comment(comment=TEXT)

    assert response.status_code == 303
    assert Comment.objects.get().body == TEXT


def test_invalid_email_is_refused_with_a_message(post_comment):
    response = post_comment(comment=TEXT, email="ada-at-example.org")

    assert response.status_code == 400
    assert "Enter a valid email address" in field_error(response, "email")
    assert textarea_text(response) == TEXT


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://ada.example.org/notes", 303),
        ("http://ada.example.org", 303),
        ("ftp://files.example.org/ada", 400),
        ("javascript:alert(document.cookie)", 400),
        ("ada.example.org", 400),
    ],
)
def test_website_must_be_an_http_or_https_address(post_comment, url, status):
    response = post_comment(comment=TEXT, url=url)

    assert response.status_code == status
    if status == 400:
        assert "http:// or https://" in field_error(response, "url")
        assert textarea_text(response) == TEXT
        assert not Comment.objects.exists()


# --- Limits, counted in characters ----------------------------------------------------------------

# Two-byte characters throughout, so a limit counted in bytes would reject the "at limit" case.
NAME_AT_LIMIT = "é" * 245
URL_AT_LIMIT = "https://example.org/" + "é" * 180
EMAIL_AT_LIMIT = "x" * 64 + "@" + "é" * 20 + "." + "é" * 10 + ".org"
BODY_AT_LIMIT = "ש" * 65_525


@pytest.mark.parametrize(
    ("field", "value", "attribute", "limit_text"),
    [
        ("author", NAME_AT_LIMIT, "author_name", "245"),
        ("url", URL_AT_LIMIT, "author_url", "200"),
        ("email", EMAIL_AT_LIMIT, "author_email", "100"),
        ("comment", BODY_AT_LIMIT, "body", "65525"),
    ],
)
def test_length_limits_count_characters_not_bytes(
    post_comment, field, value, attribute, limit_text
):
    assert len(value) == int(limit_text) < len(value.encode())
    fields = {"comment": TEXT, field: value}

    accepted = post_comment(**fields)
    over = post_comment(**{**fields, field: value + "é"})

    assert accepted.status_code == 303
    assert getattr(Comment.objects.get(), attribute) == value
    assert over.status_code == 400
    assert limit_text in field_error(over, field)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("body", "x" * 65_526),
        ("author_name", "x" * 246),
        ("author_email", "x" * 101),
        ("author_url", "x" * 201),
        ("body", ""),
        ("author_name", ""),
    ],
)
def test_database_refuses_out_of_range_values_that_bypass_the_form(
    comment_factory, article, field, value
):
    comment_factory(article=article)  # the same factory makes a valid row

    # SQLite reports the CHECK constraint; PostgreSQL the column's length first.
    with pytest.raises((IntegrityError, DataError)):
        comment_factory(article=article, **{field: value})


# --- Text that is not text ---------------------------------------------------------------------


@pytest.mark.parametrize("field", ["comment", "author"])
def test_nul_byte_is_refused_with_a_message(post_comment, field):
    fields = {"comment": TEXT, "author": "Ada Reader", field: "Before\x00after"}  # sent as %00

    response = post_comment(**fields)

    assert response.status_code == 400
    assert "control characters" in field_error(response, field)
    assert "control characters" in error_summary(response)
    assert not Comment.objects.exists()


def test_invalid_utf8_is_refused_with_a_message_and_the_rest_kept(client, article):
    body = (
        b"comment=The+wall%FF%FE+is+too+low&author=Ada+Reader&email=ada%40example.org"
        b"&comment_post_ID=" + str(article.pk).encode()
    )

    response = client.post(
        POST_URL, body, content_type="application/x-www-form-urlencoded", HTTP_ORIGIN=ORIGIN
    )

    assert response.status_code == 400
    assert "not valid Unicode" in field_error(response, "comment")
    assert "The wall" in textarea_text(response)
    assert "is too low" in textarea_text(response)
    assert not Comment.objects.exists()


def test_raw_invalid_utf8_bytes_are_refused_not_stored_as_mojibake(client, article):
    # A valid UTF-8 "é" and one stray byte: the whole body would be read as Latin-1.
    body = (
        "comment=Caf\u00e9 opening hours \u2014 ".encode()
        + b"\xff&author=Ada&email=ada%40example.org&comment_post_ID="
        + str(article.pk).encode()
    )

    response = client.post(
        POST_URL, body, content_type="application/x-www-form-urlencoded", HTTP_ORIGIN=ORIGIN
    )

    assert response.status_code == 400
    assert not Comment.objects.exists()


# --- Replies that cannot be placed, closed articles ---------------------------------------------


@pytest.fixture
def unavailable_parents(article, other_article, comment_factory):
    return {
        "missing": 987_654,
        "pending": comment_factory(article=article, status=Comment.Status.PENDING).pk,
        "spam": comment_factory(article=article, status=Comment.Status.SPAM).pk,
        "other article": comment_factory(article=other_article).pk,
    }


@pytest.mark.parametrize("which", ["missing", "pending", "spam", "other article"])
def test_reply_to_an_unavailable_comment_is_refused_and_keeps_the_text(
    post_comment, unavailable_parents, which
):
    before = Comment.objects.count()

    response = post_comment(comment=TEXT, comment_parent=unavailable_parents[which])

    assert response.status_code == 400
    assert "not available any more" in error_summary(response)
    assert textarea_text(response) == TEXT
    assert Comment.objects.count() == before


def test_reply_to_an_approved_comment_on_the_same_article_is_accepted(
    post_comment, article, comment_factory
):
    parent = comment_factory(article=article)

    response = post_comment(comment=TEXT, comment_parent=parent.pk)

    assert response.status_code == 303
    assert Comment.objects.get(body=TEXT).parent == parent


@pytest.mark.parametrize(
    ("status", "close_in", "expected"),
    [
        ("open", None, 303),
        ("open", timedelta(hours=1), 303),
        ("closed", None, 403),
        ("open", timedelta(hours=-1), 403),
    ],
    ids=["open", "closing-later", "closed", "closed-by-date"],
)
def test_closed_article_refuses_comments_and_keeps_the_text(
    post_comment, article, status, close_in, expected
):
    article.comment_status = status
    article.comments_close_at = timezone.now() + close_in if close_in else None
    article.save()

    response = post_comment(comment=TEXT)

    assert response.status_code == expected
    if expected == 403:
        assert "Comments are closed" in error_summary(response)
        assert textarea_text(response) == TEXT
        assert not Comment.objects.exists()


# --- Forgery ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "referer", "expected"),
    [
        (ORIGIN, None, 303),
        (None, f"{ORIGIN}/international/harbour-sea-wall/", 303),
        (None, None, 403),
        ("https://evil.example", None, 403),
        ("null", None, 403),
        (None, "https://evil.example/page", 403),
    ],
    ids=["same-origin", "same-site-referer", "no-origin", "foreign", "null", "foreign-referer"],
)
def test_anonymous_post_must_come_from_this_site(post_comment, origin, referer, expected):
    headers = {"HTTP_REFERER": referer} if referer else {}

    response = post_comment(comment=TEXT, origin=origin, headers=headers)

    assert response.status_code == expected
    assert Comment.objects.count() == (1 if expected == 303 else 0)


def test_unknown_article_is_a_404_and_a_malformed_one_a_400(post_comment, article):
    assert post_comment(comment=TEXT, comment_post_ID=article.pk + 1000).status_code == 404
    assert post_comment(comment=TEXT, comment_post_ID="abc").status_code == 400
    assert post_comment(comment=TEXT).status_code == 303
