"""The links we mail (newsletters' confirm, manage and unsubscribe; reply notifications'
confirm and unsubscribe) carry no readable address: a signed token is only signed, and anyone
who sees the link (a relay, an access log, a forwarded message) could decode it. Links mailed
before they carried a digest keep working."""

from __future__ import annotations

import base64
import re
import zlib

import pytest
from django.core import mail, signing
from django.test import Client

from dateline.comments.mailing import CONFIRM_SALT as REPLIES_CONFIRM
from dateline.comments.models import Subscriber as ReplySubscriber
from dateline.newsletters.models import Subscription
from dateline.newsletters.tokens import CONFIRM_SALT, UNSUBSCRIBE_SALT
from tests.comments import conftest as conversation
from tests.newsletters.test_subscribe import subscribe

pytestmark = pytest.mark.django_db

# The comment form's fixture (tests/comments/conftest.py), for the reply notifications.
post_comment = conversation.post_comment

ADDRESS = "amal@mail.example"


def decoded(token: str) -> str:
    """What anyone can read of a signed token without the key."""
    payload = token.split(":")[0]
    compressed = payload.startswith(".")
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def tokens_in(message: mail.EmailMessage) -> list[str]:
    text = message.body + " " + " ".join(str(v) for v in message.extra_headers.values())
    found = re.findall(r"/(?:newsletters|comments)/[a-z-]+/([^/\s>]+)/", text)
    assert found, text
    return found


def test_newsletter_mail_links_do_not_carry_the_address(
    client, newsletter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, newsletter, ADDRESS)
    (message,) = mail.outbox

    for token in tokens_in(message):
        assert "amal" not in decoded(token) and "mail.example" not in decoded(token)
    assert ADDRESS not in message.body.replace(f"To: {ADDRESS}", "")


def test_reply_notification_links_do_not_carry_the_address(
    post_comment, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(comment="Tell me when someone answers.", subscribe="yes")
    (message,) = mailoutbox

    for token in tokens_in(message):
        assert "ada" not in decoded(token) and "example.org" not in decoded(token)


def test_links_mailed_with_the_address_inside_keep_working(
    client, newsletter, django_capture_on_commit_callbacks, post_comment
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, newsletter, ADDRESS)
    subscription = Subscription.objects.get()
    subscriber = subscription.subscriber
    old_confirm = signing.dumps({"s": subscriber.pk, "k": subscriber.email_key}, salt=CONFIRM_SALT)

    assert (
        client.post(f"/newsletters/confirm/{old_confirm}/", {"n": [newsletter.pk]}).status_code
        == 200
    )
    subscription.refresh_from_db()
    assert subscription.status == "confirmed"

    old_unsubscribe = signing.dumps(
        {"s": subscriber.pk, "k": subscriber.email_key, "n": newsletter.pk}, salt=UNSUBSCRIBE_SALT
    )
    answer = Client(enforce_csrf_checks=True).post(
        f"/newsletters/unsubscribe/{old_unsubscribe}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(comment="Tell me when someone answers.", subscribe="yes")
    replies = ReplySubscriber.objects.get()
    old = signing.dumps(
        {"s": replies.pk, "k": replies.email_key}, salt=REPLIES_CONFIRM, compress=True
    )
    assert client.post(f"/comments/confirm/{old}/").status_code == 200
    replies.refresh_from_db()
    assert replies.status == ReplySubscriber.Status.CONFIRMED


def test_a_link_for_another_address_of_the_same_id_is_refused(
    client, newsletter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, newsletter, ADDRESS)
    subscriber = Subscription.objects.get().subscriber
    token = signing.dumps({"s": subscriber.pk, "k": "someone@else.example"}, salt=CONFIRM_SALT)

    assert client.post(f"/newsletters/confirm/{token}/", {"n": [newsletter.pk]}).status_code == 400
