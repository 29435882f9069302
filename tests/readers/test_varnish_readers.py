"""Through the shipped Varnish: a signed-in reader is served the shared article from the front
cache, their state and their post reach the application with their cookie, and nobody else is
ever answered with it. Skipped, with the reason, where varnishd is missing (tests/frontcache)."""

from __future__ import annotations

import json

from django.utils import timezone

from dateline.comments.models import Comment
from dateline.readers.models import SignInLink
from dateline.readers.services import sign_in_complete
from dateline.readers.tokens import COOKIE, HINT_COOKIE, link_max_age
from tests.comments.conftest import form_data
from tests.frontcache.conftest import Stack, until


def _reader_cookies() -> dict[str, str]:
    now = timezone.now()
    link = SignInLink.objects.create(
        email="front.reader@example.org",
        email_key="front.reader@example.org",
        display_name="Front Reader",
        created_at=now,
        expires_at=now + link_max_age(),
    )
    signed_in = sign_in_complete(link=link)
    return {COOKIE: signed_in.session_key, HINT_COOKIE: "1"}


def test_a_signed_in_reader_is_served_the_shared_article_and_keeps_their_state(
    front: Stack, article
):
    cookies = _reader_cookies()
    assert until(lambda: front.get(article.url).header("X-Cache") == "hit", within=5)

    page = [front.get(article.url, cookies=cookies) for _ in range(3)]
    state = front.get(f"/readers/state/?article={article.pk}", cookies=cookies)
    anonymous_state = [front.get("/readers/state/") for _ in range(2)]

    for answer in page:
        assert answer.header("X-Cache") == "hit"
        assert "Front Reader" not in answer.body
        assert "set-cookie" not in answer.headers
    assert state.header("Cache-Control") == "private, no-store"
    assert json.loads(state.body)["name"] == "Front Reader"
    for answer in anonymous_state:
        assert json.loads(answer.body)["signed_in"] is False
        assert "Front Reader" not in answer.body


def test_a_signed_in_readers_post_through_varnish_is_theirs(front: Stack, article):
    cookies = _reader_cookies()

    posted = front.post(
        "/comments/post/",
        form_data(article, comment="Posted through the front cache.", author="", email=""),
        cookies=cookies,
    )

    assert posted.status == 303
    comment = Comment.objects.get()
    assert comment.author_name == "Front Reader"
    assert comment.user_id is not None
