"""Moderators' decisions and bans in Wagtail's own history (the snippet's History tab), next to
the desk's log; lifting a ban in the admin is a logged lift, and the ban stops applying."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from dateline.comments.models import Comment
from dateline.comments.services import comment_post
from dateline.moderation.desk import desk_ban
from dateline.moderation.models import CommentBan


def test_a_decision_at_the_desk_shows_in_the_comments_history(
    client: Any, moderator: Any, article: Any, comment_factory: Any
) -> None:
    held = comment_factory(article=article, status=Comment.Status.PENDING)
    client.force_login(moderator)
    client.post(
        reverse("comments_desk_act", args=[held.pk]),
        {"action": "spam", "reason": "Selling watches."},
    )

    history = client.get(reverse("wagtailsnippets_comments_comment:history", args=[held.pk]))

    assert history.status_code == 200
    page = history.content.decode()
    assert "Marked as spam (was: pending)" in page
    assert "Selling watches." in page


def test_lifting_a_ban_in_its_form_is_logged_and_the_ban_stops(
    client: Any, moderator: Any, article: Any, submission_factory: Any
) -> None:
    ban = desk_ban(actor=moderator, reason="Flood", ip_prefix="203.0.113.0/24", days=30)
    assert comment_post(submission=submission_factory(ip="203.0.113.9")).comment.status == "spam"
    client.force_login(moderator)
    url = reverse("wagtailsnippets_moderation_commentban:edit", args=[ban.pk])
    lifted = timezone.localtime().replace(second=0, microsecond=0)

    response = client.post(
        url,
        {
            "email_key": "",
            "ip_prefix": "203.0.113.0/24",
            "reason": "Flood",
            "expires_at": f"{ban.expires_at:%Y-%m-%d %H:%M}",
            "lifted_at": f"{lifted:%Y-%m-%d %H:%M}",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    ban.refresh_from_db()
    assert ban.lifted_at == lifted
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(ban.pk))
        .order_by("timestamp", "pk")
        .values_list("action", "user")
    )
    assert actions == [
        ("comments.ban", moderator.pk),
        ("wagtail.edit", moderator.pk),
        ("comments.ban_lift", moderator.pk),
    ]
    assert comment_post(submission=submission_factory(ip="203.0.113.9")).comment.status != "spam"
    assert CommentBan.objects.active(now=timezone.now()).count() == 0
