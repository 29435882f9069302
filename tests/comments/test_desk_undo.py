"""Undo at the desk: the message after a decision on one comment takes it back."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from dateline.comments.models import Comment, CommentEvent
from dateline.comments.services import comments_decide
from dateline.moderation.desk import desk_decide

from .conftest import soup


def act(client: Client, comment: Comment, action: str) -> Any:
    return client.post(
        reverse("comments_desk_act", args=[comment.pk]),
        {"action": action, "next": reverse("comments_desk", args=["pending"])},
    )


def undo_form(client: Client) -> Any:
    """The Undo form in the message the desk shows next."""
    page = client.get(reverse("comments_desk", args=["pending"]))
    return soup(page).select_one("form.desk-undo")


def press_undo(client: Client, form: Any) -> Any:
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    return client.post(form["action"], data)


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (Comment.Status.PENDING, "approve"),
        (Comment.Status.PENDING, "trash"),
        (Comment.Status.PENDING, "spam"),
        (Comment.Status.APPROVED, "hold"),
        (Comment.Status.SPAM, "approve"),
    ],
)
def test_a_mistaken_decision_is_undone_from_its_message(
    client, moderator, article, comment_factory, start, action
):
    comment = comment_factory(article=article, status=start)
    client.force_login(moderator)
    act(client, comment, action)
    form = undo_form(client)
    assert form is not None
    assert form.find("button").get_text(" ", strip=True).startswith("Undo")

    response = press_undo(client, form)

    assert response.status_code == 302
    assert response["Location"].endswith(f"#card-{comment.pk}")
    comment.refresh_from_db()
    assert comment.status == start
    last = comment.events.order_by("-created_at", "-pk").first()
    assert (last.actor, last.to_status) == (moderator, start)
    assert last.reason.startswith("Undo")
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("Undone: comment by") for m in shown)


def test_undo_refuses_once_the_comment_was_decided_on_again(
    client, moderator, article, comment_factory
):
    comment = comment_factory(article=article, status=Comment.Status.PENDING)
    client.force_login(moderator)
    act(client, comment, "approve")
    form = undo_form(client)
    comments_decide(comments=[comment.pk], action="spam", rule="test")  # meanwhile

    response = press_undo(client, form)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("can no longer be undone" in m for m in shown)
    assert CommentEvent.objects.filter(comment=comment, reason__startswith="Undo").count() == 0


def test_a_click_that_changed_nothing_offers_no_undo(client, moderator, article, comment_factory):
    """A stale card's "Approve" on a comment already approved must not offer to take back the
    earlier decision, someone else's."""
    comment = comment_factory(article=article, status=Comment.Status.PENDING)
    desk_decide(comment=comment, action="approve", actor=moderator)
    client.force_login(moderator)

    act(client, comment, "approve")

    assert undo_form(client) is None


def test_undo_of_a_comment_outside_the_moderators_sections_is_404(
    client, moderator, article, comment_factory
):
    comment = comment_factory(article=article, status=Comment.Status.PENDING)
    client.force_login(moderator)

    response = client.post(reverse("comments_desk_undo", args=[comment.pk + 1000]), {"event": 1})
    bad = client.post(reverse("comments_desk_undo", args=[comment.pk]), {"event": "x"})

    assert response.status_code == 404
    assert bad.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
