"""Issue 15, item 1: no input gives a 5xx. Ids that are not ASCII digits or do not fit in a
64-bit integer, API bodies nested deeper than any request needs, and text that grows when it
is normalised are all answered 4xx, at the field, with what the reader typed kept."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dateline.comments.models import BODY_MAX, EMAIL_MAX, NAME_MAX, Comment
from tests.comments import conftest as comments_fixtures
from tests.comments.conftest import (
    ORIGIN,
    POST_URL,
    form_data,
    own_token_from,
    soup,
    textarea_text,
)

article = comments_fixtures.article
post_comment = comments_fixtures.post_comment

TOO_BIG = [str(2**63), str(2**64), "9" * 40]
NOT_ASCII_DIGITS = ["\u00b2", "\u0661", "\uff11", "1\u00b2"]  # ², Arabic-Indic 1, fullwidth 1


def api_url(article: Any) -> str:
    return f"/api/v1/articles/{article.pk}/comments/"


def reader() -> dict[str, str]:
    return {"author": "Ada Reader", "email": "ada@example.org"}


# --- Ids -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS + TOO_BIG + ["-1", "1e3", " 7"])
def test_replytocom_that_is_not_a_comment_id_shows_the_article(client, article, value):
    response = client.get(article.url, {"replytocom": value})

    assert response.status_code == 200
    assert soup(response).find("textarea", id="comment") is not None


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS + TOO_BIG)
def test_comment_parent_that_is_not_an_id_is_a_400_with_the_text_kept(post_comment, value):
    text = "My reply, which I would hate to type again."

    response = post_comment(comment=text, comment_parent=value)

    assert response.status_code == 400
    assert textarea_text(response) == text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS + TOO_BIG)
def test_comment_post_id_that_is_not_an_id_is_refused_without_a_5xx(client, article, value):
    response = client.post(POST_URL, form_data(article, comment_post_ID=value), HTTP_ORIGIN=ORIGIN)

    assert 400 <= response.status_code < 500
    assert not Comment.objects.exists()


@pytest.mark.parametrize("value", [2**63, 2**64, 10**40])
def test_api_parent_too_big_for_an_id_is_a_400_at_the_field(client, article, value):
    response = client.post(
        api_url(article),
        {"comment": "A reply.", "parent": value, **reader()},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "parent" in response.json()
    assert not Comment.objects.exists()


def test_the_largest_id_is_still_an_id(client, article):
    """2^63 - 1 fits: it is looked up (and not found), not refused as malformed."""
    page = client.get(article.url, {"replytocom": str(2**63 - 1)})
    api = client.post(
        api_url(article),
        {"comment": "A reply.", "parent": 2**63 - 1, **reader()},
        content_type="application/json",
    )

    assert page.status_code == 200
    assert api.status_code == 400
    assert "parent" in api.json()


@pytest.mark.parametrize("path", ["/comments/{}/", "/comments/{}/report/", "/api/v1/comments/{}/"])
def test_ids_in_paths_too_big_for_the_database_are_404(client, db, path):
    for value in (str(2**63), str(2**63 - 1), "9" * 19):
        assert client.get(path.format(value)).status_code == 404


# --- Nesting and size of API bodies ----------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_api_body_nested_deeper_than_any_request_needs_is_a_400(client, article, depth):
    body = "[" * depth + "]" * depth

    response = client.post(api_url(article), body, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_api_field_nested_deeply_is_a_400(client, article):
    nested = "[" * 5_000 + '"x"' + "]" * 5_000
    body = '{"comment": ' + nested + ', "author": "A", "email": "a@example.org"}'

    response = client.post(api_url(article), body, content_type="application/json")

    assert response.status_code == 400


def test_api_brackets_inside_strings_are_text_not_nesting(client, article):
    text = "[" * 3_000 + " {{{ quoted brackets are only characters ]]]"

    response = client.post(
        api_url(article),
        json.dumps({"comment": text, **reader()}),
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Comment.objects.get().body == text


def test_api_body_larger_than_a_request_needs_is_413(client, article):
    # Over the API's own limit (1 MiB), under Django's for every request (2.5 MB).
    body = json.dumps({"comment": "x" * 1_500_000, **reader()})

    response = client.post(api_url(article), body, content_type="application/json")

    assert response.status_code == 413
    assert not Comment.objects.exists()


def test_the_longest_comment_fully_escaped_still_fits_in_an_api_body(client, article):
    text = "\U0001f30a" * (BODY_MAX // 2)  # each a surrogate pair in ASCII JSON: 12 bytes
    body = json.dumps({"comment": text, **reader()})

    response = client.post(api_url(article), body, content_type="application/json")

    assert response.status_code == 201


# --- Text that grows when it is normalised -------------------------------------------------------

# U+0958 is two characters in NFC, U+FB2C three (composition exclusions): a text within the
# limit as typed can be over it as stored.
DOUBLING, TRIPLING = "\u0958", "\ufb2c"


def grows_past(limit: int, char: str, factor: int) -> str:
    return char * (limit // factor + 1)


def test_comment_growing_past_the_limit_when_normalised_is_a_400_with_the_text_kept(
    post_comment,
):
    text = grows_past(BODY_MAX, DOUBLING, 2)
    assert len(text) <= BODY_MAX

    response = post_comment(comment=text)

    assert response.status_code == 400
    assert "Retry-After" not in response
    assert textarea_text(response) == text
    described = soup(response).find(id="comment")["aria-describedby"]
    assert "limit" in soup(response).find(id=described.split()[0]).get_text()
    assert not Comment.objects.exists()


def test_name_growing_past_the_limit_when_normalised_is_a_400_at_the_name(post_comment):
    name = grows_past(NAME_MAX, TRIPLING, 3)
    assert len(name) <= NAME_MAX

    response = post_comment(author=name, json=True)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"author"}
    assert not Comment.objects.exists()


def test_api_comment_growing_past_the_limit_when_normalised_is_a_400_at_the_field(client, article):
    response = client.post(
        api_url(article),
        {"comment": grows_past(BODY_MAX, TRIPLING, 3), **reader()},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"comment"}
    assert not Comment.objects.exists()


def test_edit_growing_past_the_limit_when_normalised_is_a_400_with_the_text_kept(
    client, post_comment
):
    posted = post_comment(comment="A short first version.")
    comment = Comment.objects.get()
    text = grows_past(BODY_MAX, DOUBLING, 2)

    response = client.post(
        f"/comments/{comment.pk}/edit/",
        {"comment": text, "own": own_token_from(posted["Location"])},
        HTTP_ORIGIN=ORIGIN,
    )

    assert response.status_code == 400
    assert textarea_text(response) == text
    comment.refresh_from_db()
    assert comment.body == "A short first version."


def test_text_at_the_limit_once_normalised_is_stored(post_comment):
    text = DOUBLING * (BODY_MAX // 2) + "a" * (BODY_MAX % 2)

    response = post_comment(comment=text)

    assert response.status_code == 303
    assert len(Comment.objects.get().body) == BODY_MAX


ADMIN_ROUTES = [
    ("get", "/admin/comments/desk/jobs/{}/"),
    ("post", "/admin/comments/desk/comment/{}/"),
    ("get", "/admin/comments/desk/comment/{}/edit/"),
    ("post", "/admin/comments/desk/comment/{}/reply/"),
    ("get", "/admin/comments/desk/comment/{}/ban/"),
    ("post", "/admin/comments/{}/approve/"),
    ("post", "/admin/articles/{}/comments/toggle/"),
]


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_ids_too_big_for_the_database_are_404_on_the_desk_too(client, admin_user, method, path):
    client.force_login(admin_user)

    response = getattr(client, method)(path.format(2**64))

    assert response.status_code == 404


# U+FB03 ("ﬃ") is three letters in NFKC, the form the email's key is kept in; it is valid in a
# domain (IDNA maps it the same way). 89 characters as typed, 249 as the key.
GROWING_EMAIL = "a@" + ".".join(["\ufb03" * 20] * 4) + ".org"


@pytest.mark.parametrize("subscribe", [False, True])
def test_email_growing_past_the_limit_when_normalised_is_a_400_at_the_email(
    post_comment, subscribe
):
    text = "A comment from an address that grows."
    assert len(GROWING_EMAIL) <= EMAIL_MAX

    response = post_comment(email=GROWING_EMAIL, comment=text, subscribe="on" if subscribe else "")

    assert response.status_code == 400
    assert "Retry-After" not in response
    assert textarea_text(response) == text
    assert not Comment.objects.exists()


def test_api_email_growing_past_the_limit_when_normalised_is_a_400_at_the_field(client, article):
    response = client.post(
        api_url(article),
        {"comment": "Hello.", "author": "Ada", "email": GROWING_EMAIL, "subscribe": True},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"email"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "email",
            "a" * 95 + "@example.net",
            f"The email address is 107 characters long; the limit is {EMAIL_MAX}.",
        ),
        ("author", "N" * 300, f"Your name is 300 characters long; the limit is {NAME_MAX}."),
    ],
)
def test_a_field_too_long_as_typed_gets_one_message_that_says_so(
    post_comment, field, value, message
):
    """Two messages came back for one address: the length, and the same length "once some of
    its characters are written in their standard form", though none had changed."""
    response = post_comment(json=True, **{field: value})

    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
