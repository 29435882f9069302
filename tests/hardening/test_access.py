"""Issue 15, item 8: the last access leaks. Wagtail's snippet choosers showed held and spam
comments (and banned addresses) to anyone with admin access; comments of unpublished and
private articles stayed readable and actionable on the reader routes and the API. Every
reader's route to a comment goes through ``comments.selectors.readable_comments``."""

from __future__ import annotations

from typing import Any

import pytest
from wagtail.models import PageViewRestriction

from dateline.comments.models import Comment
from dateline.comments.services import email_key_for
from dateline.moderation.models import CommentBan, DeskAssignment
from tests.comments import conftest as comments_fixtures
from tests.comments.conftest import ORIGIN, CommentFactory, own_token_from
from tests.factories import SectionPageFactory

article = comments_fixtures.article
post_comment = comments_fixtures.post_comment
comment_permissions = comments_fixtures.comment_permissions
moderator = comments_fixtures.moderator
reporter = comments_fixtures.reporter

HELD_TEXT = "Held text nobody but a moderator of its section may read"
SPAM_TEXT = "Spam text nobody but a moderator of its section may read"
BANNED = "banned-canary-7c1f@example.net"

CHOOSERS = [
    "/admin/snippets/choose/comments/comment/",
    "/admin/snippets/choose/comments/comment/results/",
    "/admin/snippets/choose/moderation/commentban/",
    "/admin/snippets/choose/moderation/deskassignment/",
]


@pytest.fixture
def politics(home: Any) -> Any:
    return SectionPageFactory(parent=home, title="Politics", slug="politics")


@pytest.fixture
def hidden(article: Any, politics: Any, article_factory: Any) -> dict[str, Comment]:
    """A held and a spam comment in Politics, and a ban naming an address."""
    elsewhere = article_factory(parent=politics, title="Budget vote", slug="budget-vote")
    CommentBan.objects.create(email_key=email_key_for(email=BANNED, user_id=None), reason="x")
    return {
        "held": CommentFactory(article=elsewhere, status=Comment.Status.PENDING, body=HELD_TEXT),
        "spam": CommentFactory(article=elsewhere, status=Comment.Status.SPAM, body=SPAM_TEXT),
    }


@pytest.fixture
def limited(moderator: Any, section: Any) -> Any:
    """A moderator who works only on the International section (not Politics)."""
    DeskAssignment.objects.create(user=moderator, section=section)
    return moderator


def _leaks(response: Any) -> bool:
    text = response.content.decode(errors="replace")
    return any(secret in text for secret in (HELD_TEXT, SPAM_TEXT, BANNED))


@pytest.mark.parametrize("who", ["reporter", "limited"])
def test_admin_choosers_do_not_show_comments_or_bans_to_those_who_may_not_see_them(
    client, hidden, who, request
):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/admin/").status_code == 200  # they do have admin access

    for url in CHOOSERS:
        response = client.get(url)
        assert response.status_code == 404, url
        assert not _leaks(response)
    for comment in hidden.values():
        response = client.get(f"/admin/snippets/choose/comments/comment/chosen/{comment.pk}/")
        assert response.status_code == 404
        assert not _leaks(response)


def test_the_limited_moderator_still_works_on_their_own_section(client, limited, article):
    mine = CommentFactory(article=article, status=Comment.Status.PENDING, body="Mine to decide")
    client.force_login(limited)

    listing = client.get("/admin/snippets/comments/comment/")

    assert listing.status_code == 200
    assert mine.body in listing.content.decode()


# --- Comments of unpublished and private articles --------------------------------------------------


def _make_private(article: Any, how: str) -> None:
    if how == "unpublished":
        article.unpublish()
    elif how == "password":
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    elif how == "login above":
        PageViewRestriction.objects.create(
            page=article.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )


PRIVACY = ["public", "unpublished", "password", "login above"]


@pytest.mark.parametrize("how", PRIVACY)
def test_comments_of_private_articles_cannot_be_read_on_reader_routes(client, article, how):
    comment = CommentFactory(article=article, body="A published comment on this article.")
    _make_private(article, how)
    allowed = how == "public"

    report_page = client.get(f"/comments/{comment.pk}/report/")
    api = client.get(f"/api/v1/comments/{comment.pk}/")
    permalink = client.get(f"/comments/{comment.pk}/")

    assert report_page.status_code == (200 if allowed else 404)
    assert api.status_code == (200 if allowed else 404)
    assert permalink.status_code == (302 if allowed else 404)
    for response in (report_page, api):
        assert (comment.body in response.content.decode()) is allowed


@pytest.mark.parametrize("how", PRIVACY)
def test_comments_of_private_articles_cannot_be_liked_or_reported(client, article, how):
    comment = CommentFactory(article=article, body="A published comment on this article.")
    _make_private(article, how)
    allowed = how == "public"

    like = client.post(
        f"/comments/{comment.pk}/like/", HTTP_ORIGIN=ORIGIN, HTTP_ACCEPT="application/json"
    )
    report = client.post(
        f"/comments/{comment.pk}/report/",
        {"reason": "spam"},
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCEPT="application/json",
    )

    assert like.status_code == (200 if allowed else 404)
    assert report.status_code == (200 if allowed else 404)
    comment.refresh_from_db()
    assert comment.likes_count == (1 if allowed else 0)
    assert comment.reports.exists() is allowed


@pytest.mark.parametrize("how", PRIVACY)
def test_own_comment_of_a_private_article_cannot_be_edited_or_shown(client, post_comment, how):
    posted = post_comment(comment="My comment, soon on a private article.")
    comment = Comment.objects.get()
    token = own_token_from(posted["Location"])
    _make_private(comment.article, how)
    allowed = how == "public"

    edit = client.get(f"/comments/{comment.pk}/edit/", {"own": token})
    mine = client.get("/comments/mine/", {"own": token}).json()["comments"]

    assert edit.status_code == (200 if allowed else 404)
    assert [c["id"] for c in mine] == ([comment.pk] if allowed else [])
