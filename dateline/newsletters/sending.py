"""Sending: an issue in batches, the confirmation mail, a test copy. Called by the tasks only.

How an issue goes out without anyone getting it twice (docs/newsletters.md, "Sending"):

1. Claim a batch, in one transaction that locks the issue row: the next confirmed
   subscriptions after the issue's cursor (keyset by id), one ``SendLog`` row CLAIMED per
   subscriber (unique per issue and subscriber: a second claim of the same person fails the
   whole transaction), and the cursor and heartbeat moved on. Commit.
2. Hand each mail of the batch to the SMTP server over one connection.
3. Mark the batch's rows SENT or FAILED (two updates).

A crash between 1 and 3 leaves rows CLAIMED: those mails may or may not have left, so they are
never sent again (at most once); a resume marks them INTERRUPTED, which the admin shows, and
carries on from the cursor. At most one batch is in doubt after a crash.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dateline.core.links import absolute_url

from .mail import confirmation_message, issue_message, render_issue, unsubscribe_url
from .models import NewsletterIssue, SendLog, Subscriber, Subscription
from .tokens import confirm_token, manage_token

log = logging.getLogger(__name__)

# Errors after which the message surely did not leave: the server answered with a refusal.
REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


@dataclass(frozen=True)
class Recipient:
    subscriber_id: int
    email: str
    email_key: str


@dataclass
class RunResult:
    batches: int = 0
    sent: int = 0
    failed: int = 0
    more: bool = False
    errors: dict[int, str] = field(default_factory=dict)


def claim_batch(issue_id: int, size: int) -> tuple[NewsletterIssue | None, list[Recipient]]:
    """Step 1. Returns the issue and the claimed recipients; no recipients and the issue is
    marked SENT when the list is done; (None, []) when the issue is not being sent."""
    with transaction.atomic():
        issue = (
            NewsletterIssue.objects.select_for_update()
            .select_related("newsletter")
            .filter(pk=issue_id)
            .first()
        )
        if issue is None or issue.status != NewsletterIssue.Status.SENDING:
            return None, []
        rows = list(
            Subscription.objects.filter(
                newsletter_id=issue.newsletter_id,
                status=Subscription.Status.CONFIRMED,
                pk__gt=issue.cursor,
            )
            .order_by("pk")
            .values_list("pk", "subscriber_id", "subscriber__email", "subscriber__email_key")[:size]
        )
        now = timezone.now()
        if not rows:
            issue.status = NewsletterIssue.Status.SENT
            issue.finished_at = now
            issue.heartbeat_at = now
            issue.save(update_fields=["status", "finished_at", "heartbeat_at"])
            return issue, []
        SendLog.objects.bulk_create(
            [
                SendLog(
                    issue_id=issue.pk,
                    subscriber_id=subscriber_id,
                    status=SendLog.Status.CLAIMED,
                    claimed_at=now,
                )
                for _pk, subscriber_id, _email, _key in rows
            ]
        )
        issue.cursor = rows[-1][0]
        issue.heartbeat_at = now
        issue.save(update_fields=["cursor", "heartbeat_at"])
    return issue, [Recipient(r[1], r[2], r[3]) for r in rows]


def deliver(message: Any) -> None:
    """Hand one message to the mail server (the seam a test uses to stop a send midway)."""
    message.send()


def deliver_batch(
    issue: NewsletterIssue, recipients: list[Recipient], connection: Any
) -> tuple[list[int], dict[int, str]]:
    """Step 2: (subscriber ids sent, {subscriber id: error} refused or lost)."""
    sent: list[int] = []
    failed: dict[int, str] = {}
    for recipient in recipients:
        message = issue_message(
            issue=issue,
            html_body=issue.html_body,
            text_body=issue.text_body,
            to=recipient.email,
            subscriber_id=recipient.subscriber_id,
            email_key=recipient.email_key,
            connection=connection,
        )
        try:
            connection.open()  # once per batch; again after a broken connection
            deliver(message)
        except REFUSED as exc:
            failed[recipient.subscriber_id] = f"refused: {exc}"[:300]
        except (smtplib.SMTPException, OSError) as exc:
            # The connection broke, maybe after the server took the message: not sent again;
            # the next recipient gets a new connection.
            failed[recipient.subscriber_id] = f"connection lost: {exc}"[:300]
            connection.close()
        else:
            sent.append(recipient.subscriber_id)
    return sent, failed


def record_batch(issue_id: int, sent: list[int], failed: dict[int, str]) -> None:
    """Step 3."""
    with transaction.atomic():
        if sent:
            SendLog.objects.filter(issue_id=issue_id, subscriber_id__in=sent).update(
                status=SendLog.Status.SENT
            )
        by_error: dict[str, list[int]] = {}
        for subscriber_id, error in failed.items():
            by_error.setdefault(error, []).append(subscriber_id)
        for error, ids in by_error.items():
            SendLog.objects.filter(issue_id=issue_id, subscriber_id__in=ids).update(
                status=SendLog.Status.FAILED, error=error
            )


def issue_send_run(
    issue_id: int, *, batch_size: int | None = None, seconds: float | None = None
) -> RunResult:
    """Send batches of ``issue_id`` until its list is done or ``seconds`` have passed (then
    ``more`` is True and the caller queues the next run)."""
    size = batch_size or settings.DATELINE_NEWSLETTER_BATCH_SIZE
    budget = settings.DATELINE_NEWSLETTER_RUN_SECONDS if seconds is None else seconds
    started = time.monotonic()
    result = RunResult()
    connection = get_connection()
    try:
        while True:
            issue, recipients = claim_batch(issue_id, size)
            if not recipients:
                return result
            sent, failed = deliver_batch(issue, recipients, connection)  # type: ignore[arg-type]
            record_batch(issue_id, sent, failed)
            result.batches += 1
            result.sent += len(sent)
            result.failed += len(failed)
            result.errors.update(failed)
            if time.monotonic() - started > budget:
                result.more = True
                return result
    finally:
        connection.close()


def issue_resume(issue: NewsletterIssue) -> int:
    """A send that stopped (the process died): its rows still CLAIMED become INTERRUPTED,
    never sent again. Returns how many."""
    return SendLog.objects.filter(issue=issue, status=SendLog.Status.CLAIMED).update(
        status=SendLog.Status.INTERRUPTED, error="the send stopped while this mail was going"
    )


def issue_test_send(issue_id: int, email: str) -> bool:
    """A copy of the issue to ``email`` (an editor's own address), subject marked as a test.
    Its unsubscribe link names no subscriber, so it stops nothing."""
    issue = NewsletterIssue.objects.select_related("newsletter").filter(pk=issue_id).first()
    if issue is None or not email:
        return False
    html_body, text_body = (
        (issue.html_body, issue.text_body) if issue.html_body else render_issue(issue)
    )
    issue_message(
        issue=issue,
        html_body=html_body,
        text_body=text_body,
        to=email,
        subscriber_id=0,
        email_key="test",
        subject_prefix="[Test] ",
    ).send()
    return True


def confirmation_send(subscriber_id: int) -> bool:
    """The double opt-in mail, at most once per DATELINE_NEWSLETTER_CONFIRM_INTERVAL for an
    address (the throttle is one conditional update, so two workers cannot both send)."""
    now = timezone.now()
    interval = timedelta(seconds=settings.DATELINE_NEWSLETTER_CONFIRM_INTERVAL)
    took = Subscriber.objects.filter(
        Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=now - interval),
        pk=subscriber_id,
    ).update(confirmation_sent_at=now)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if not took or subscriber is None:
        return False
    subscriptions = list(
        Subscription.objects.filter(
            subscriber=subscriber,
            status__in=[Subscription.Status.PENDING, Subscription.Status.CONFIRMED],
        )
        .select_related("newsletter")
        .order_by("newsletter__name")
    )
    pending = [s.newsletter for s in subscriptions if s.status == Subscription.Status.PENDING]
    confirmed = [s.newsletter for s in subscriptions if s.status != Subscription.Status.PENDING]
    if not pending and not confirmed:
        return False
    confirmation_message(
        to=subscriber.email,
        confirm_url=absolute_url(reverse("newsletters:confirm", args=[confirm_token(subscriber)])),
        cancel_url=unsubscribe_url(
            subscriber_id=subscriber.pk, email_key=subscriber.email_key, newsletter_id=0
        ),
        manage_url=absolute_url(
            reverse("newsletters:manage_link", args=[manage_token(subscriber)])
        ),
        newsletters=pending or confirmed,
        already=not pending,
    ).send()
    return True
