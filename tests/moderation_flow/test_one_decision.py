"""One decision, four ways in (issue 14): a moderator approving a held reply at the desk, through
the API, in a bulk job and from the snippet table's actions leaves the same log entry (ours and
Wagtail's) and the same side effects: the article's count, the pages purged, the signal other
apps listen to, and the mail to the people who asked for replies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from wagtail.models import ModelLogEntry

from dateline.comments.models import Comment, CommentEvent, ReplySubscription, Subscriber
from dateline.comments.services import effects
from dateline.comments.signals import comments_moderated
from dateline.moderation import desk
from dateline.moderation.models import DeskBulkJob

REASON = "Checked the claim against the council minutes."
ADA = "ada@example.org"


def through_the_desk(client: Client, comment: Comment, moderator: Any) -> None:
    client.force_login(moderator)
    response = client.post(
        reverse("comments_desk_act", args=[comment.pk]), {"action": "approve", "reason": REASON}
    )
    assert response.status_code == 302


def through_the_api(client: Client, comment: Comment, moderator: Any) -> None:
    token = Token.objects.create(user=moderator)
    response = client.post(
        f"/api/v1/moderation/comments/{comment.pk}/approve/",
        {"reason": REASON},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"


def in_a_bulk_job(client: Client, comment: Comment, moderator: Any) -> None:
    client.force_login(moderator)
    response = client.post(
        reverse("comments_desk_bulk"),
        {"action": "approve", "scope": "selected", "ids": [comment.pk], "reason": REASON},
    )
    job = DeskBulkJob.objects.get()
    # The job is queued when the request's transaction commits, and runs then.
    assert response["Location"] == reverse("comments_desk_job", args=[job.pk])


def from_the_snippet_table(client: Client, comment: Comment, moderator: Any) -> None:
    client.force_login(moderator)
    response = client.post(
        reverse("comments_moderate", args=[comment.pk, "approve"]), {"reason": REASON}
    )
    assert response.status_code == 302


WAYS: dict[str, Callable[[Client, Comment, Any], None]] = {
    "desk": through_the_desk,
    "api": through_the_api,
    "bulk job": in_a_bulk_job,
    "snippet action": from_the_snippet_table,
}


@pytest.fixture
def held_reply(article: Any, comment_factory: Any) -> Comment:
    """Cy's held reply to Ada's published comment; Ada confirmed she wants to hear of replies."""
    parent = comment_factory(article=article, author_email=ADA, author_name="Ada")
    subscriber = Subscriber.objects.create(
        email=ADA, email_key=ADA, status=Subscriber.Status.CONFIRMED
    )
    ReplySubscription.objects.create(comment=parent, subscriber=subscriber)
    return comment_factory(
        parent=parent, status=Comment.Status.PENDING, author_email="cy@example.org"
    )


@pytest.mark.parametrize("way", WAYS)
def test_a_decision_leaves_the_same_trace_whichever_way_it_is_taken(
    way: str,
    client: Client,
    moderator: Any,
    article: Any,
    held_reply: Comment,
    monkeypatch: pytest.MonkeyPatch,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(desk, "INLINE_LIMIT", 0)  # every bulk selection becomes a job
    purged: list[list[str]] = []
    monkeypatch.setattr(effects, "invalidate", purged.append)
    signals: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        kwargs.pop("signal")
        signals.append(kwargs)

    comments_moderated.connect(listener)
    article.refresh_from_db()
    count_before = article.comment_count
    try:
        with django_capture_on_commit_callbacks(execute=True):
            WAYS[way](client, held_reply, moderator)
    finally:
        comments_moderated.disconnect(listener)

    held_reply.refresh_from_db()
    article.refresh_from_db()
    assert held_reply.status == Comment.Status.APPROVED
    if way == "bulk job":
        assert DeskBulkJob.objects.values_list("state", "changed").get() == ("done", 1)
    events = list(
        CommentEvent.objects.filter(comment=held_reply).values_list(
            "action", "actor", "from_status", "to_status", "reason", "rule"
        )
    )
    assert events == [("approve", moderator.pk, "pending", "approved", REASON, "")]
    wagtail = list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment), object_id=str(held_reply.pk)
        ).values_list("action", "user", "data")
    )
    assert wagtail == [
        ("comments.approve", moderator.pk, {"from": "pending", "to": "approved", "reason": REASON})
    ]
    assert article.comment_count == count_before + 1
    assert purged == [[f"article:{article.pk}", "listings"]]
    assert signals == [
        {
            "comment_ids": [held_reply.pk],
            "held_ids": [held_reply.pk],
            "to_status": "approved",
            "actor": moderator,
            "reason": REASON,
        }
    ]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([ADA], f"New reply to your comment on “{article.title}”")
    ]


def test_a_reply_approved_again_is_not_announced_again(
    client: Client,
    moderator: Any,
    held_reply: Comment,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Approve, hold, approve: the subscribers heard of the reply the first time only."""
    for action in ("approve", "hold", "approve"):
        with django_capture_on_commit_callbacks(execute=True):
            through_the_desk_as(client, held_reply, moderator, action)

    held_reply.refresh_from_db()
    assert held_reply.status == Comment.Status.APPROVED
    assert len(mailoutbox) == 1


def through_the_desk_as(client: Client, comment: Comment, moderator: Any, action: str) -> None:
    client.force_login(moderator)
    response = client.post(reverse("comments_desk_act", args=[comment.pk]), {"action": action})
    assert response.status_code == 302
