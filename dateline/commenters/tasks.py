"""Mail for commenters and moderators, sent from the task queue after commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Count, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.models import Site

from dateline.comments.models import Comment, CommentSettings, Subscriber
from dateline.comments.services import (
    UNSUBSCRIBE_SALT,
    mail_budget_allows,
    mail_record,
    subscriber_token,
)
from dateline.core.links import absolute_url, page_absolute_url
from dateline.moderation.desk_selectors import moderatable_comments
from dateline.news.selectors import live_article

from .models import PrivacyRequest
from .selectors import commenter_settings
from .tokens import digest_token, privacy_request_token


@task()
def send_privacy_link(request_id: int) -> bool:
    """The link that proves the person asking owns the address. Only the request's id travels
    through the queue, so the address never sits in the task table."""
    request = PrivacyRequest.objects.filter(
        pk=request_id, status=PrivacyRequest.Status.PENDING
    ).first()
    if request is None or not request.email:
        return False
    link = absolute_url(f"/privacy/confirm/{privacy_request_token(request)}/")
    what = "a copy of" if request.kind == PrivacyRequest.Kind.EXPORT else "the erasure of"
    body = render_to_string(
        "commenters/mail/request.txt",
        {"link": link, "what": what, "request": request, "SITE_NAME": settings.SITE_NAME},
    )
    EmailMessage(
        subject=f"Confirm your request to {settings.SITE_NAME}",
        body=body,
        to=[request.email],
        headers={"Auto-Submitted": "auto-generated"},
    ).send()
    return True


@task()
def send_outcome_notice(comment_id: int, to_status: str, reason: str = "") -> bool:
    """Tell a commenter what became of a held comment, if their address is confirmed and the
    article is one readers may see."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != to_status:
        return False
    if live_article(comment.article_id) is None:
        # Unpublished or restricted since: "is published" would be untrue, its links dead.
        return False
    subscriber = Subscriber.objects.filter(
        email_key=comment.email_key, status=Subscriber.Status.CONFIRMED
    ).first()
    if subscriber is None or not mail_budget_allows(email_key=subscriber.email_key, kind="outcome"):
        return False
    unsubscribe = absolute_url(
        f"/comments/unsubscribe/{subscriber_token(subscriber, purpose=UNSUBSCRIBE_SALT)}/"
    )
    approved = to_status == Comment.Status.APPROVED
    body = render_to_string(
        "commenters/mail/outcome.txt",
        {
            "comment": comment,
            "approved": approved,
            "reason": reason,
            "comment_url": absolute_url(comment.get_absolute_url()),
            "article_url": page_absolute_url(comment.article),
            "unsubscribe_url": unsubscribe,
            "SITE_NAME": settings.SITE_NAME,
        },
    )
    EmailMessage(
        subject=(
            f"Your comment on “{comment.article.title}” is published"
            if approved
            else f"Your comment on “{comment.article.title}” was not published"
        ),
        body=body,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    ).send()
    mail_record(email_key=subscriber.email_key, kind="outcome")
    return True


def moderators_for_digest() -> list[object]:
    """Active users with an address who may moderate and have not turned the digest off."""
    users = (
        get_user_model()
        # The model backend answers who holds a permission (the sign-in throttle's backend, first
        # in AUTHENTICATION_BACKENDS, grants none).
        .objects.with_perm(
            "comments.change_comment",
            include_superusers=True,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_active=True)
        .exclude(email="")
        .exclude(digest_preference__digest=False)
        .order_by("pk")
    )
    return list(users)


def queue_summary(*, user: Any, target_hours: int) -> dict[str, object]:
    """What waits in the queues this moderator works (only their sections when limited)."""
    mine = moderatable_comments(user=user)
    pending = mine.filter(status=Comment.Status.PENDING)
    overdue_since = timezone.now() - timedelta(hours=target_hours)
    stats = pending.aggregate(
        waiting=Count("pk"),
        oldest=Min("created_at"),
        overdue=Count("pk", filter=Q(created_at__lt=overdue_since)),
    )
    return {
        "pending": stats["waiting"],
        "overdue": stats["overdue"],
        "oldest": stats["oldest"],
        "reported": mine.filter(reported_at__isnull=False).count(),
        "target_hours": target_hours,
    }


@task()
def send_moderator_digest() -> int:
    """Once a day: what waits in the queues, to every moderator who wants to know."""
    if not commenter_settings().moderator_digest:
        return 0
    site = Site.objects.filter(is_default_site=True).first()
    target_hours = CommentSettings.for_site(site).decision_target_hours if site else 24
    sent = 0
    for user in moderators_for_digest():
        summary = queue_summary(user=user, target_hours=target_hours)
        if not summary["pending"] and not summary["reported"]:
            continue
        unsubscribe = absolute_url(f"/privacy/digest-off/{digest_token(user.pk)}/")  # type: ignore[attr-defined]
        body = render_to_string(
            "commenters/mail/digest.txt",
            {
                **summary,
                "user": user,
                "desk_url": absolute_url(reverse("comments_desk", args=["pending"])),
                "unsubscribe_url": unsubscribe,
                "SITE_NAME": settings.SITE_NAME,
            },
        )
        EmailMessage(
            subject=(
                f"1 comment waits for moderation on {settings.SITE_NAME}"
                if summary["pending"] == 1
                else f"{summary['pending']} comments wait for moderation on {settings.SITE_NAME}"
            ),
            body=body,
            to=[user.email],  # type: ignore[attr-defined]
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        ).send()
        sent += 1
    return sent
