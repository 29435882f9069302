"""Reply notifications: a reader asks for them with a comment, confirms, unsubscribes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..mailing import CONFIRM_SALT, UNSUBSCRIBE_SALT, subscriber_from_token
from ..models import Comment, ReplySubscription, Subscriber
from ..signals import replies_stopped
from ..tasks import send_confirmation
from ..text import normalise_email

# What a reader who asked for reply notifications is told when a link to confirm them was mailed
# (the script's message after posting, and the page a post without JavaScript goes back to).
CONFIRM_NOTICE = "To get an email when someone replies, open the link we have just sent you."


def subscribe(*, comment: Comment, email: str) -> bool:
    """Subscribe ``email`` to replies to ``comment``; a new or returning address is asked to
    confirm first (after commit). Returns whether that confirmation is asked for, so the
    reader can be told to look for it."""
    key = normalise_email(email)
    subscriber, _ = Subscriber.objects.get_or_create(
        email_key=key, defaults={"email": email.strip()}
    )
    ReplySubscription.objects.get_or_create(comment=comment, subscriber=subscriber)
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.PENDING)
        subscriber.status = Subscriber.Status.PENDING
    if subscriber.status == Subscriber.Status.PENDING:
        transaction.on_commit(lambda: send_confirmation.enqueue(subscriber.pk))
        return True
    return False


def subscriber_confirm(*, token: str) -> Subscriber | None:
    subscriber = subscriber_from_token(token, purpose=CONFIRM_SALT, max_age=7 * 24 * 3600)
    if subscriber is not None and subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> Subscriber | None:
    """Stop every reply notification to the link's address; sends ``replies_stopped``."""
    subscriber = subscriber_from_token(token, purpose=UNSUBSCRIBE_SALT)
    if subscriber is not None:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.save(update_fields=["status"])
        replies_stopped.send(sender=Subscriber, email_key=subscriber.email_key)
    return subscriber
