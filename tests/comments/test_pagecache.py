"""The full-page cache and the conversation: anonymous readers get cached pages that change
exactly when the thread does; nothing personal is ever stored or served from it; the form
posts from a cached page without a CSRF token, and a cross-site post fails."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.comments.services import comment_moderate

from .conftest import ORIGIN, POST_URL, comment_ids_on, form_data, own_token_from, soup

TEXT = "Cached pages and fresh comments: both, please."


def cache_state(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def test_second_anonymous_view_of_an_article_is_served_from_the_cache(client, article):
    first = client.get(article.url)
    second = client.get(article.url)

    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert second.content == first.content
    assert "public" in second["Cache-Control"]


def test_approving_a_comment_refreshes_the_cached_page(
    client, article, comment_factory, django_capture_on_commit_callbacks
):
    held = comment_factory(article=article, status=Comment.Status.PENDING, body=TEXT)
    client.get(article.url)
    assert cache_state(client.get(article.url)) == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=held, action="approve")
    fresh = client.get(article.url)

    assert cache_state(fresh) == "miss"
    assert comment_ids_on(fresh) == [held.pk]
    assert cache_state(client.get(article.url)) == "hit"


def test_removing_a_comment_refreshes_the_cached_page(
    client, article, comment_factory, django_capture_on_commit_callbacks
):
    shown = comment_factory(article=article, body=TEXT)
    assert TEXT in client.get(article.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=shown, action="spam")
    fresh = client.get(article.url)

    assert cache_state(fresh) == "miss"
    assert TEXT not in fresh.content.decode()


def test_approving_a_comment_refreshes_the_comment_count_on_listings(
    client, article, comment_factory, django_capture_on_commit_callbacks
):
    held = comment_factory(article=article, status=Comment.Status.PENDING)
    section_url = article.get_parent().url
    client.get(section_url)
    assert cache_state(client.get(section_url)) == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=held, action="approve")
    fresh = client.get(section_url)

    assert cache_state(fresh) == "miss"
    assert "1 comment" in soup(fresh).select_one(".card__comments").get_text()


def test_publishing_a_new_revision_refreshes_the_cached_page(
    client, article, django_capture_on_commit_callbacks
):
    client.get(article.url)
    assert cache_state(client.get(article.url)) == "hit"

    article.title = "Harbour council delays the sea wall vote"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    fresh = client.get(article.url)

    assert cache_state(fresh) == "miss"
    assert "delays the sea wall vote" in fresh.content.decode()


def test_own_token_request_is_never_stored_nor_served_from_the_cache(
    client, article, post_comment, django_capture_on_commit_callbacks
):
    client.get(article.url)  # a cached copy for everyone else
    with django_capture_on_commit_callbacks(execute=True):
        location = post_comment(comment=TEXT)["Location"]
    own_url = location.split("#")[0]

    mine = [client.get(own_url) for _ in range(2)]
    theirs = [Client().get(article.url) for _ in range(2)]

    for page in mine:
        assert cache_state(page) is None
        assert "Your comment is awaiting moderation." in page.content.decode()
    for page in theirs:
        assert TEXT not in page.content.decode()
    # A held comment changes nothing others see: their copy stays valid.
    assert [cache_state(p) for p in theirs] == ["hit", "hit"]


def test_pending_comment_never_reaches_the_shared_cache(
    client, article, post_comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        location = post_comment(comment=TEXT)["Location"]
    client.get(location)  # the author looks at it first

    others = [Client().get(article.url) for _ in range(3)]

    assert [cache_state(p) for p in others] == ["miss", "hit", "hit"]
    for page in others:
        assert TEXT not in page.content.decode()
        assert "awaiting moderation" not in page.content.decode()


def test_commenter_cookies_do_not_turn_the_cache_off(client, article, post_comment):
    post_comment(comment=TEXT, **{"wp-comment-cookies-consent": "yes"})
    assert "comment_author" in client.cookies

    views = [client.get(article.url) for _ in range(2)]

    assert [cache_state(p) for p in views] == ["miss", "hit"]


def test_signed_in_reader_is_never_served_from_the_cache(client, article, staff_user):
    client.get(article.url)
    client.force_login(staff_user)

    page = client.get(article.url)

    assert cache_state(page) is None
    assert "Commenting as" in page.content.decode()


# --- CSRF and the cache ---------------------------------------------------------------------------


def test_cached_anonymous_page_has_no_csrf_token_and_sets_no_cookie(client, article):
    pages = [client.get(article.url) for _ in range(2)]

    for page in pages:
        assert "csrfmiddlewaretoken" not in page.content.decode()
        assert not page.cookies
    assert soup(pages[1]).find("form", id="commentform") is not None


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    ("origin", "expected"),
    [(ORIGIN, 303), ("https://evil.example", 403), (None, 403)],
    ids=["same-site", "cross-site", "no-origin"],
)
def test_anonymous_post_from_a_cached_page_needs_no_token_but_must_be_same_site(
    csrf_client, article, origin, expected
):
    csrf_client.get(article.url)
    assert cache_state(csrf_client.get(article.url)) == "hit"
    headers = {"HTTP_ORIGIN": origin} if origin else {}

    response = csrf_client.post(POST_URL, form_data(article, comment=TEXT), **headers)

    assert response.status_code == expected
    assert Comment.objects.filter(body=TEXT).count() == (1 if expected == 303 else 0)


def _csrf_token(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "no CSRF token in the signed-in page"
    return match.group(1)


@pytest.mark.parametrize("with_token", [True, False], ids=["with-token", "without-token"])
def test_signed_in_staff_post_needs_the_csrf_token(csrf_client, article, staff_user, with_token):
    csrf_client.force_login(staff_user)
    page = csrf_client.get(article.url)
    data = form_data(article, comment=TEXT, author="", email="")
    if with_token:
        data["csrfmiddlewaretoken"] = _csrf_token(page)

    response = csrf_client.post(POST_URL, data, HTTP_ORIGIN=ORIGIN)

    if not with_token:
        assert response.status_code == 403
        assert not Comment.objects.exists()
        return
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert (comment.status, comment.is_staff, comment.user) == ("approved", True, staff_user)
    assert comment.author_name == "Dana Desk"
    shown = soup(csrf_client.get(response["Location"])).find(id=f"comment-{comment.pk}")
    assert shown.select_one(".comment-author .badge").get_text() == "Staff"
    assert own_token_from(response["Location"])


def test_author_edit_of_a_published_comment_refreshes_the_cached_page(
    client, article, post_comment, django_capture_on_commit_callbacks
):
    response = post_comment(comment=TEXT)
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, action="approve")
    reader = Client()
    reader.get(article.url)
    assert cache_state(reader.get(article.url)) == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/comments/{comment.pk}/edit/",
            {
                "comment": "Corrected: the vote is on Thursday.",
                "own": own_token_from(response["Location"]),
            },
            HTTP_ORIGIN=ORIGIN,
        )
    fresh = reader.get(article.url)

    assert cache_state(fresh) == "miss"
    assert "Corrected: the vote is on Thursday." in fresh.content.decode()


def test_a_like_refreshes_the_count_on_the_cached_page(
    client, article, comment_factory, django_capture_on_commit_callbacks
):
    comment = comment_factory(article=article)
    client.get(article.url)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/comments/{comment.pk}/like/", {"voter": "v1"}, HTTP_ORIGIN=ORIGIN)
    fresh = client.get(article.url)

    assert cache_state(fresh) == "miss"
    assert soup(fresh).select_one(f"#comment-{comment.pk} .like-count").get_text() == "1"


def test_cached_page_closes_its_form_when_the_closing_time_passes(client, article):
    closes = timezone.now() + timedelta(hours=1)
    article.comments_close_at = closes
    article.save()
    assert soup(client.get(article.url)).find(id="commentform") is not None
    assert cache_state(client.get(article.url)) == "hit"

    with time_machine.travel(closes + timedelta(minutes=5)):
        later = client.get(article.url)

    assert soup(later).find(id="commentform") is None
    assert "Comments are closed." in later.content.decode()
