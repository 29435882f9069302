"""The signed links in newsletter mail: confirm, manage, unsubscribe.

Signing only (no query but the lookup), so the mail code and the services share it. Every
token names the subscriber's id and a digest of its email key (never the address: a signed
token can be read by anyone who sees the link, core.tokens): a token for an address that was
erased or replaced stops working."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

from dateline.core.tokens import address_digest, named_by_link

from .models import Subscriber, Subscription

CONFIRM_SALT = "dateline.newsletters.confirm"
MANAGE_SALT = "dateline.newsletters.manage"
UNSUBSCRIBE_SALT = "dateline.newsletters.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=3)
# A manage link in an old issue keeps working for a year; the one-click unsubscribe always.
MANAGE_MAX_AGE = timedelta(days=366)


def confirm_token(subscriber: Subscriber) -> str:
    """The double opt-in link's token. It names the address, not the newsletters: the landing
    page lists every subscription still awaiting confirmation, and the button confirms those."""
    return signing.dumps(
        {"s": subscriber.pk, "k": address_digest(subscriber.email_key)}, salt=CONFIRM_SALT
    )


def subscriber_from_confirm_token(token: str) -> Subscriber | None:
    """None for a forged, damaged or expired token, or one whose address is gone."""
    return _subscriber(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def _subscriber(token: str, *, salt: str, max_age: timedelta) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        subscriber_id, key = int(data["s"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return named_by_link(Subscriber.objects.all(), subscriber_id, key)


def manage_token(subscriber: Subscriber) -> str:
    return signing.dumps(
        {"s": subscriber.pk, "k": address_digest(subscriber.email_key)}, salt=MANAGE_SALT
    )


def subscriber_from_manage_token(token: str) -> Subscriber | None:
    return _subscriber(token, salt=MANAGE_SALT, max_age=MANAGE_MAX_AGE)


def unsubscribe_token(*, subscriber_id: int, email_key: str, newsletter_id: int) -> str:
    """Made for every mail of a send, from ids and the key. ``newsletter_id`` 0: every
    subscription of the address (the confirmation mail's "I did not ask for this")."""
    return signing.dumps(
        {"s": subscriber_id, "k": address_digest(email_key), "n": newsletter_id},
        salt=UNSUBSCRIBE_SALT,
    )


def subscriptions_from_unsubscribe_token(token: str) -> list[Subscription] | None:
    """The subscriptions the link stops (none left is an empty list); None for a forged or
    damaged token, or an address that is gone. No expiry: RFC 8058 links must keep working."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        subscriber_id, key, newsletter_id = int(data["s"]), str(data["k"]), int(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    subscriber = named_by_link(Subscriber.objects.all(), subscriber_id, key)
    if subscriber is None:
        return None
    found = Subscription.objects.select_related("newsletter").filter(subscriber=subscriber)
    if newsletter_id:
        found = found.filter(newsletter_id=newsletter_id)
    return list(found)
