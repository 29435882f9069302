"""Issue 15: the comment form and the API over arbitrary input (Hypothesis). Whatever is sent
(any Unicode, control characters, text that grows when normalised, ids that are not ids, JSON
of any shape and nesting), the answer is never a 5xx, and the reader's text is never lost:
either it is stored as sent (normalised), or the form comes back holding it.

The runs are derandomised (the same examples on every run, so the suite stays reproducible);
the explicit ``@example`` cases are the reproductions of issue 15."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import quote

from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dateline.comments.models import BODY_MAX, Comment
from dateline.comments.text import body_fingerprint, normalise_text
from tests.comments import conftest as comments_fixtures
from tests.comments.conftest import ORIGIN, POST_URL, CommentFactory, form_data, soup

article = comments_fixtures.article

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters that have broken something somewhere: normalisation growth, bidi and zero-width
# characters, NUL and other controls, line ends, the replacement character, digits Python's
# int() reads but the database does not, combining marks, markup.
TRICKY = [
    "\u0958", "\ufb2c", "\u202e", "\u2066", "\u200b", "\ufeff", "\x00", "\x1b", "\x7f",
    "\r\n", "\r", "\n", "\t", " ", "\ufffd", "\u00b2", "\u0661", "\uff11", "e\u0301",
    "\U0001f30a", "<script>", "&amp;", "]]>", "\\", '"', "{", "[",
]  # fmt: skip
text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(TRICKY)), max_size=24).map("".join)
# Texts at and around the length limit, some of them growing past it when normalised.
long_text = st.builds(
    lambda char, count: char * count,
    st.sampled_from(["a", "\u0958", "\ufb2c"]),
    st.sampled_from([BODY_MAX // 3, BODY_MAX // 3 + 1, BODY_MAX // 2 + 1, BODY_MAX]),
)
comment_text = st.one_of(text, text, text, long_text)
NOT_IDS = ["", "0", "\u00b2", "\u0661", "\uff11", "1e3", " 1", "-1", str(2**63), str(2**64)]
ids = st.one_of(
    st.sampled_from([*NOT_IDS, str(2**63 - 1)]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    text,
)
# A JSON value of any shape, a few levels deep.
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        text,
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)

# Within the length limit as typed, three times longer as the key the commenter is known by.
GROWING_EMAIL = "a@" + ".".join(["\ufb03" * 20] * 4) + ".org"

_emails = itertools.count()


def _fresh_email() -> str:
    """A new commenter each time, so no example is taken for another's double submit."""
    return f"fuzz{next(_emails)}@example.org"


def _shown(value: str) -> str:
    """Text as a browser sends it back from a textarea: line ends as CR LF / LF alike."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _stored_as_sent(comment: Comment, sent: str) -> bool:
    """The stored text is the sent text as the site stores it (a double submit of the same
    text, however spaced or cased, is answered with the comment stored first)."""
    return body_fingerprint(comment.body) == body_fingerprint(normalise_text(sent))


# --- The comment form --------------------------------------------------------------------------------


@FUZZ
@given(comment=comment_text, author=text, url=text, parent=ids, own_email=st.booleans())
@example(comment="A reply.", author="Ada", url="", parent="\u00b2", own_email=True)
@example(comment="A reply.", author="Ada", url="", parent=str(2**64), own_email=True)
@example(comment="\u0958" * (BODY_MAX // 2 + 1), author="Ada", url="", parent="0", own_email=True)
@example(comment="Hi", author="\ufb2c" * 82, url="", parent="0", own_email=True)
@example(comment="Hi", author="\u202egnp.exe", url="", parent="0", own_email=True)
@example(comment="Hi", author=GROWING_EMAIL, url="", parent="0", own_email=False)
def test_the_form_never_errors_and_never_loses_the_text(
    article, comment, author, url, parent, own_email
):
    client = Client()
    fields = form_data(
        article,
        comment=comment,
        author=author,
        url=url,
        comment_parent=parent,
        email=_fresh_email() if own_email else _fuzzed_email(author),
    )

    response = client.post(POST_URL, fields, HTTP_ORIGIN=ORIGIN)

    assert response.status_code < 500
    if response.status_code == 303:
        shown = response["Location"].rsplit("#comment-", 1)
        assert len(shown) == 2, response["Location"]
        assert _stored_as_sent(Comment.objects.get(pk=int(shown[1])), comment)
    else:
        textarea = soup(response).find("textarea", id="comment")
        assert textarea is not None, response.content[:500]
        assert _shown(textarea.get_text()) == _shown(comment)


def _fuzzed_email(value: str) -> str:
    """A fuzzed email address: the fuzzed name, as an address or not."""
    return value if "@" in value else f"{value}@example.org"


@FUZZ
@given(post_id=ids, comment=text)
@example(post_id=str(2**63), comment="Lost?")
@example(post_id="\u0661", comment="Lost?")
def test_the_form_for_no_article_never_errors(article, post_id, comment):
    before = Comment.objects.count()

    response = Client().post(
        POST_URL, form_data(article, comment_post_ID=post_id, comment=comment), HTTP_ORIGIN=ORIGIN
    )

    assert response.status_code < 500
    if post_id != str(article.pk):  # no other article exists: nothing is stored
        assert Comment.objects.count() == before


# --- The API -----------------------------------------------------------------------------------------

api_fields = st.fixed_dictionaries(
    {"comment": st.one_of(comment_text, comment_text, json_values)},
    optional={
        "author": st.one_of(text, json_values),
        "email": st.one_of(st.builds(lambda: _fresh_email()), text, json_values),
        "url": st.one_of(text, json_values),
        "parent": st.one_of(st.integers(min_value=-(2**70), max_value=2**70), json_values),
        "idempotency_key": st.one_of(text, json_values),
        "subscribe": json_values,
        "nudge": json_values,
        "extra": json_values,
    },
)


@FUZZ
@given(fields=api_fields, depth=st.sampled_from([0, 0, 0, 1, 31, 32, 33, 999, 1000, 5000]))
@example(fields={"comment": "A reply.", "parent": 2**63}, depth=0)
@example(fields={"comment": "A reply.", "parent": 2**64}, depth=0)
@example(fields={"comment": "\ufb2c" * (BODY_MAX // 3 + 1)}, depth=0)
@example(fields={"comment": "A reply."}, depth=1000)
@example(fields={"comment": "Hi", "email": GROWING_EMAIL}, depth=0)
def test_the_api_never_errors_and_never_loses_the_text(article, fields, depth):
    body = "[" * depth + json.dumps(fields) + "]" * depth

    response = Client().post(
        f"/api/v1/articles/{article.pk}/comments/", body, content_type="application/json"
    )

    assert response.status_code < 500
    answer = response.json()
    if response.status_code in (200, 201):
        assert depth == 0
        stored = Comment.objects.get(pk=answer["id"])
        # 200: a retry, answered with the comment its text or idempotency key names.
        assert _stored_as_sent(stored, fields["comment"]) or (
            response.status_code == 200 and fields.get("idempotency_key")
        )
    else:
        # Refused: said why, and the client still has what it sent.
        assert isinstance(answer, dict) and answer


# --- Ids in paths and query strings ------------------------------------------------------------------


@FUZZ
@given(value=ids)
@example(value="\u00b2")
@example(value=str(2**63))
@example(value="\x00")
def test_ids_anywhere_never_error(article, value):
    client = Client()
    CommentFactory(article=article)  # something to find, for the ids that are its
    quoted = quote(value, safe="")

    answers: list[Any] = [
        client.get(article.url, {"replytocom": value}),
        client.get(f"/api/v1/comments/{quoted}/"),
        client.get(f"/comments/{quoted}/"),
        client.get(f"/comments/{quoted}/report/"),
        client.post(f"/comments/{quoted}/like/", HTTP_ORIGIN=ORIGIN),
        client.post(f"/comments/{quoted}/report/", {"reason": "spam"}, HTTP_ORIGIN=ORIGIN),
        client.post(
            POST_URL,
            form_data(article, comment_parent=value, comment=""),
            HTTP_ORIGIN=ORIGIN,
        ),
    ]

    assert [a.status_code for a in answers if a.status_code >= 500] == []
