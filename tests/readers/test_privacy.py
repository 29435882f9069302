"""Signed-in readers and the shared caches: articles stay public and cached for them, their own
state comes from a private request, and a reader's address is published nowhere."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from dateline.comments.models import Comment
from dateline.readers.tokens import COOKIE

pytestmark = pytest.mark.django_db

EMAIL = "ada.reader@example.org"


def _needles() -> list[str]:
    """The address, and the hashes an avatar service or a careless export would show."""
    return [EMAIL] + [
        getattr(hashlib, name)(EMAIL.encode()).hexdigest() for name in ("md5", "sha1", "sha256")
    ]


def test_an_article_is_the_shared_page_for_a_signed_in_reader(reader_client, article):
    client, _reader = reader_client

    first = client.get(article.url)
    second = client.get(article.url)
    anonymous = Client().get(article.url)

    for response in (first, second):
        body = response.content.decode()
        assert response["Cache-Control"].startswith("public")
        assert "Ada Lovelock" not in body and EMAIL not in body
        assert "csrfmiddlewaretoken" not in body
        assert not response.cookies
    assert second["X-Page-Cache"] == "hit"
    assert first.content == anonymous.content  # the very same page


def test_the_page_a_reader_renders_is_the_one_others_are_served(reader_client, article):
    client, _reader = reader_client

    rendered = client.get(article.url)  # a miss: rendered for the reader's request
    served = Client().get(article.url)

    assert rendered["X-Page-Cache"] == "miss"
    assert served["X-Page-Cache"] == "hit"
    assert "Ada Lovelock" not in served.content.decode()


def test_the_signed_in_state_is_private_and_holds_no_address(reader_client, article):
    client, _reader = reader_client

    state = client.get(f"/readers/state/?article={article.pk}")
    anonymous = Client().get("/readers/state/")

    assert state["Cache-Control"] == "private, no-store"
    assert state.json()["signed_in"] is True
    assert state.json()["name"] == "Ada Lovelock"
    assert "form_html" not in state.json()  # the page's own form serves
    assert EMAIL not in state.content.decode()
    assert anonymous.json()["signed_in"] is False
    assert anonymous["Cache-Control"] == "private, no-store"


def test_the_state_brings_the_form_where_only_signed_in_readers_comment(
    reader_client, article, site_settings
):
    client, _reader = reader_client
    site_settings(signed_in_only=True)

    state = client.get(f"/readers/state/?article={article.pk}").json()

    assert 'id="commentform"' in state["form_html"]
    assert "Commenting as <strong>Ada Lovelock</strong>" in state["form_html"]
    assert 'name="author"' not in state["form_html"]


def test_an_unknown_or_ended_session_is_anonymous_and_its_cookies_are_cleared(client):
    client.cookies[COOKIE] = "made-up-session-key"

    state = client.get("/readers/state/")
    account = client.get("/readers/me/")

    assert state.json()["signed_in"] is False
    assert state.cookies[COOKIE].value == ""
    assert account.status_code == 302


def test_the_readers_address_is_published_nowhere(reader_client, post_comment, article):
    client, _reader = reader_client
    post_comment(client=client, comment="A public remark by a reader.", author="", email="")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED or comment.status == Comment.Status.PENDING
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
    from dateline.comments.services import comment_counts_refresh
    from dateline.core.pagecache import invalidate

    comment_counts_refresh(article_id=article.pk)
    invalidate(["content", f"article:{article.pk}", "listings"])

    anonymous = Client()
    public = {
        "article": anonymous.get(article.url),
        "comments feed": anonymous.get(reverse("feeds:comments_rss", args=[article.pk])),
        "comments atom": anonymous.get(reverse("feeds:comments_atom", args=[article.pk])),
        "api comments": anonymous.get(f"/api/v1/articles/{article.pk}/comments/"),
        "api comment": anonymous.get(f"/api/v1/comments/{comment.pk}/"),
        "front": anonymous.get("/"),
    }
    own = {
        "state": client.get(f"/readers/state/?article={article.pk}"),
        "own page": client.get("/readers/me/"),
        "article, signed in": client.get(article.url),
    }

    assert "A public remark by a reader." in public["article"].content.decode()
    for name, response in {**public, **own}.items():
        assert response.status_code == 200, name
        text = response.content.decode() + "".join(f"{k}: {v}" for k, v in response.items())
        for needle in _needles():
            assert needle not in text, (name, needle)


def test_the_state_costs_the_same_queries_for_a_small_and_a_big_thread(
    reader_client, article, comment_factory, django_assert_num_queries
):
    client, _reader = reader_client
    url = f"/readers/state/?article={article.pk}"
    comment_factory(article=article)
    client.get(url)  # the article's site and settings, remembered

    # The session with its reader, the article, the ids of the comments the reader liked.
    with django_assert_num_queries(3):
        client.get(url)
    for _ in range(20):
        comment_factory(article=article)
    with django_assert_num_queries(3):
        client.get(url)
