"""Background work for comments: mail to readers. Each task only reads, sends and records.

The services queue these tasks; the tasks never import the services (``mailing`` and
``retention`` hold what both need), so the two import in one direction."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django_tasks import task

from dateline.core.links import absolute_url
from dateline.news.selectors import live_article

from .mailing import (
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    mail_budget_allows,
    mail_record,
    subscriber_token,
)
from .models import Comment, SentMail, Subscriber
from .retention import comment_metadata_purge


def _send(
    *, subscriber: Subscriber, subject: str, template: str, context: dict[str, object], kind: str
) -> bool:
    unsubscribe = absolute_url(
        f"/comments/unsubscribe/{subscriber_token(subscriber, purpose=UNSUBSCRIBE_SALT)}/"
    )
    body = render_to_string(
        template, {**context, "unsubscribe_url": unsubscribe, "SITE_NAME": settings.SITE_NAME}
    )
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[subscriber.email],
        headers={
            # RFC 8058 one-click unsubscribe.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.send()
    mail_record(email_key=subscriber.email_key, kind=kind)
    return True


@task()
def send_confirmation(subscriber_id: int) -> bool:
    """Ask a reader to confirm their address before any reply notification goes to it."""
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.PENDING
    ).first()
    if subscriber is None or not mail_budget_allows(
        email_key=subscriber.email_key, kind=SentMail.Kind.CONFIRM
    ):
        return False
    confirm = absolute_url(
        f"/comments/confirm/{subscriber_token(subscriber, purpose=CONFIRM_SALT)}/"
    )
    return _send(
        subscriber=subscriber,
        subject=f"Confirm reply notifications from {settings.SITE_NAME}",
        template="comments/mail/confirm.txt",
        context={"confirm_url": confirm},
        kind=SentMail.Kind.CONFIRM,
    )


@task()
def notify_reply(comment_id: int) -> int:
    """Tell the confirmed subscribers of the parent comment about an approved reply on an
    article readers may see."""
    reply = (
        Comment.objects.select_related("article")
        .filter(pk=comment_id, status=Comment.Status.APPROVED)
        .first()
    )
    answered = (reply.in_reply_to_id or reply.parent_id) if reply is not None else None
    if reply is None or answered is None:
        return 0
    if live_article(reply.article_id) is None:
        # Unpublished or restricted since: its headline and a link readers cannot open.
        return 0
    parent_id: int = answered
    sent = 0
    subscribers = Subscriber.objects.filter(
        subscriptions__comment_id=parent_id, status=Subscriber.Status.CONFIRMED
    ).exclude(email_key=reply.email_key)
    for subscriber in subscribers:
        if not mail_budget_allows(email_key=subscriber.email_key, kind=SentMail.Kind.REPLY):
            continue
        context = {
            "reply": reply,
            "article": reply.article,
            "reply_url": absolute_url(reply.get_absolute_url()),
        }
        _send(
            subscriber=subscriber,
            subject=f"New reply to your comment on “{reply.article.title}”",
            template="comments/mail/reply.txt",
            context=context,
            kind=SentMail.Kind.REPLY,
        )
        sent += 1
    return sent


@task()
def purge_comment_metadata() -> int:
    return comment_metadata_purge()
