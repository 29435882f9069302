"""The signed links in mail to readers and the mail budget: what the mail tasks and the
subscription services share (the tasks import this, never the services)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils import timezone

from dateline.core.tokens import address_digest, named_by_link

from .models import SentMail, Subscriber

CONFIRM_SALT, UNSUBSCRIBE_SALT = "comments.subscribe.confirm", "comments.subscribe.unsubscribe"


def subscriber_token(subscriber: Subscriber, *, purpose: str) -> str:
    """The subscriber's id and a digest of its address (never the address: core.tokens)."""
    return signing.dumps(
        {"s": subscriber.pk, "k": address_digest(subscriber.email_key)}, salt=purpose
    )


def subscriber_from_token(
    token: str, *, purpose: str, max_age: int | None = None
) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return named_by_link(Subscriber.objects.all(), data.get("s"), data.get("k"))


def mail_budget_allows(*, email_key: str, kind: str, now: Any = None) -> bool:
    now = now or timezone.now()
    if kind == SentMail.Kind.REPLY:
        limit, window = settings.DATELINE_REPLY_MAIL_PER_HOUR, timedelta(hours=1)
    else:
        limit, window = settings.DATELINE_CONFIRM_MAIL_PER_DAY, timedelta(days=1)
    return (
        SentMail.objects.filter(email_key=email_key, kind=kind, sent_at__gte=now - window).count()
        < limit
    )


def mail_record(*, email_key: str, kind: str) -> None:
    SentMail.objects.create(email_key=email_key, kind=kind, sent_at=timezone.now())
