"""Every write around newsletters: subscribing and its confirmation, unsubscribing, bounces,
preparing, scheduling, sending and cancelling issues. Mail goes after commit, from the queue."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from dateline.core.errors import ServiceError
from dateline.core.pagecache import invalidate
from dateline.news.models import ArticlePage

from . import sending
from .mail import render_issue
from .models import (
    EMAIL_MAX,
    IssueArticle,
    Newsletter,
    NewsletterIssue,
    Subscriber,
    Subscription,
    Suppression,
)
from .schedule import next_slot
from .selectors import DEPENDENCY, articles_for, newsletter_feeds
from .tasks import send_confirmation, send_issue, send_test_copy

log = logging.getLogger(__name__)

STOPPED = (
    Subscription.Status.UNSUBSCRIBED,
    Subscription.Status.BOUNCED,
    Subscription.Status.COMPLAINED,
)


class InvalidAddress(ServiceError):
    field = "email"
    default_message = "Please enter an email address like name@example.com."


class NoNewsletterChosen(ServiceError):
    field = "newsletters"
    default_message = "Please choose at least one newsletter."


class TooManyRequests(ServiceError):
    status = 429
    default_message = (
        "Too many subscription requests came from your network. Please try again later."
    )


class IssueNotSendable(ServiceError):
    status = 409
    default_message = "This issue has already been sent or cancelled."


def email_key(email: str) -> str:
    return email.strip().lower()


def clean_address(email: str) -> str:
    """The address as typed, trimmed, if it is one; else InvalidAddress."""
    email = (email or "").strip()
    if not email or len(email) > EMAIL_MAX or any(c in email for c in "\r\n\x00"):
        raise InvalidAddress()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidAddress() from exc
    return email


def _network_allows(network: str) -> bool:
    """DATELINE_NEWSLETTER_REQUESTS_PER_HOUR subscription requests per network per hour
    (a fixed window counted in the shared cache)."""
    if not network:
        return True
    limit = settings.DATELINE_NEWSLETTER_REQUESTS_PER_HOUR
    key = f"newsletters:requests:{network}:{int(timezone.now().timestamp() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= limit


@transaction.atomic
def subscription_request(
    *, email: str, newsletter_ids: Iterable[int], network: str = ""
) -> Subscriber:
    """Ask for newsletters for an address: each becomes (or stays) awaiting confirmation, and a
    confirmation mail is queued after commit. An address already subscribed gets a mail saying
    so: the caller's answer is the same whether the address was known or not.

    Raises InvalidAddress, NoNewsletterChosen, TooManyRequests (429)."""
    email = clean_address(email)
    ids = {int(i) for i in newsletter_ids}
    newsletters = list(Newsletter.objects.filter(pk__in=ids, status=Newsletter.Status.ACTIVE))
    if not newsletters:
        raise NoNewsletterChosen()
    if not _network_allows(network):
        raise TooManyRequests(retry_after=3600)
    subscriber, _ = Subscriber.objects.get_or_create(
        email_key=email_key(email), defaults={"email": email}
    )
    existing = {
        s.newsletter_id: s
        for s in Subscription.objects.filter(subscriber=subscriber, newsletter__in=newsletters)
    }
    for newsletter in newsletters:
        found = existing.get(newsletter.pk)
        if found is None:
            Subscription.objects.create(subscriber=subscriber, newsletter=newsletter)
        elif found.status in STOPPED:
            found.status = Subscription.Status.PENDING
            found.save(update_fields=["status", "changed_at"])
    subscriber_id = subscriber.pk
    transaction.on_commit(lambda: send_confirmation.enqueue(subscriber_id))
    return subscriber


@transaction.atomic
def account_subscriber(*, email: str) -> Subscriber:
    """The subscriber for a signed-in reader's own address, counted as confirmed: the account
    proved it (its emailed sign-in link, or a provider's verified address: docs/readers.md), so
    what the reader ticks starts at once. Double opt-in is for addresses without an account."""
    email = clean_address(email)
    subscriber, _ = Subscriber.objects.get_or_create(
        email_key=email_key(email), defaults={"email": email}
    )
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


@transaction.atomic
def subscription_confirm(*, subscriber: Subscriber, newsletter_ids: Iterable[int]) -> int:
    """The address's owner pressed the button: those of ``newsletter_ids`` awaiting
    confirmation start. Returns how many."""
    confirmed = Subscription.objects.filter(
        subscriber=subscriber,
        newsletter_id__in=[int(i) for i in newsletter_ids],
        status=Subscription.Status.PENDING,
    ).update(status=Subscription.Status.CONFIRMED, changed_at=timezone.now())
    if confirmed and subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return confirmed


def subscriptions_stop(
    *, subscriptions: Iterable[Subscription], status: str = Subscription.Status.UNSUBSCRIBED
) -> int:
    """Unsubscribe (or stop for a bounce or complaint). Returns how many were running."""
    ids = [s.pk for s in subscriptions]
    return Subscription.objects.filter(
        pk__in=ids, status__in=[Subscription.Status.PENDING, Subscription.Status.CONFIRMED]
    ).update(status=status, changed_at=timezone.now())


@dataclass(frozen=True)
class PreferencesChange:
    started: list[str]
    awaiting: list[str]
    stopped: list[str]


@transaction.atomic
def subscriber_preferences_set(
    *, subscriber: Subscriber, wanted: Iterable[int], proven: bool
) -> PreferencesChange:
    """The manage page's checkboxes. Unticked newsletters stop at once. Ticked ones start at
    once when the address is ``proven`` (the page was reached through a link mailed to it) and
    has confirmed a subscription before; otherwise they await the confirmation mail."""
    wanted_ids = {int(i) for i in wanted}
    current = {
        s.newsletter_id: s
        for s in Subscription.objects.filter(subscriber=subscriber).select_related("newsletter")
    }
    started: list[str] = []
    awaiting: list[str] = []
    stopped: list[str] = []
    direct = proven and subscriber.confirmed_at is not None
    for newsletter in Newsletter.objects.filter(status=Newsletter.Status.ACTIVE):
        found = current.get(newsletter.pk)
        running = found is not None and found.status not in STOPPED
        if newsletter.pk in wanted_ids and not running:
            status = Subscription.Status.CONFIRMED if direct else Subscription.Status.PENDING
            if found is None:
                Subscription.objects.create(
                    subscriber=subscriber, newsletter=newsletter, status=status
                )
            else:
                found.status = status
                found.save(update_fields=["status", "changed_at"])
            (started if direct else awaiting).append(newsletter.name)
        elif newsletter.pk not in wanted_ids and running and found is not None:
            found.status = Subscription.Status.UNSUBSCRIBED
            found.save(update_fields=["status", "changed_at"])
            stopped.append(newsletter.name)
    if awaiting:
        subscriber_id = subscriber.pk
        transaction.on_commit(lambda: send_confirmation.enqueue(subscriber_id))
    return PreferencesChange(started, awaiting, stopped)


@transaction.atomic
def subscriber_forget(*, subscriber: Subscriber) -> None:
    """The reader asked us to forget the address: the subscriber, its subscriptions and its
    rows in the send logs go (an issue's counts keep the mails that were sent; the rows that
    named this address do not)."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()


@transaction.atomic
def subscriber_erase(email: str) -> int:
    """Erasure at the person's request (the commenters' rights flow, core.personal_data): the
    subscriber with its subscriptions and send-log rows, and the bounces and complaints recorded
    for the address. Returns the rows deleted."""
    key = email_key(email)
    subscribers, _ = Subscriber.objects.filter(email_key=key).delete()
    stops, _ = Suppression.objects.filter(email_key=key).delete()
    return subscribers + stops


@transaction.atomic
def address_suppress(*, email: str, kind: str, source: str) -> int:
    """A bounce or a complaint for ``email`` (webhook or command): every running subscription
    of the address stops. Returns how many; 0 for an unknown address (recorded all the same)."""
    if kind not in Suppression.Kind.values:
        raise ServiceError(f"Unknown kind {kind!r}: bounce or complaint.", field="type")
    key = email_key(email)
    Suppression.objects.create(email_key=key, kind=kind, source=source[:40])
    status = (
        Subscription.Status.BOUNCED
        if kind == Suppression.Kind.BOUNCE
        else Subscription.Status.COMPLAINED
    )
    return subscriptions_stop(
        subscriptions=Subscription.objects.filter(subscriber__email_key=key), status=status
    )


def newsletter_changed() -> None:
    """A newsletter was added, changed or removed: the signup forms on cached pages change."""
    transaction.on_commit(lambda: invalidate([DEPENDENCY, "content"]))


# --- Issues ---------------------------------------------------------------------------------


def _last_covered(newsletter: Newsletter) -> datetime | None:
    return (
        NewsletterIssue.objects.filter(newsletter=newsletter, alert_article__isnull=True)
        .exclude(status__in=[NewsletterIssue.Status.CANCELLED])
        .order_by("-covers_until")
        .values_list("covers_until", flat=True)
        .first()
    )


def _subject(newsletter: Newsletter, articles: list[ArticlePage], when: datetime) -> str:
    local = timezone.localtime(when)
    lead = articles[0].title if articles else ""
    return f"{newsletter.name}, {local.day} {local:%B %Y}: {lead}"[:200]


@transaction.atomic
def issue_prepare(
    *,
    newsletter: Newsletter,
    now: datetime | None = None,
    slot: datetime | None = None,
    status: str = NewsletterIssue.Status.DRAFT,
) -> NewsletterIssue:
    """An issue of ``newsletter`` with the newest articles (at most ``max_articles``) since
    the last issue. No new article: SKIPPED. An issue for a ``slot`` that exists already is
    returned as it is."""
    now = now or timezone.now()
    if slot is not None:
        found = NewsletterIssue.objects.filter(newsletter=newsletter, slot=slot).first()
        if found is not None:
            return found
    # The first issue has no "since": it starts with the newest stories.
    since = _last_covered(newsletter)
    articles = articles_for(newsletter=newsletter, since=since, until=now)
    issue = NewsletterIssue(
        newsletter=newsletter,
        status=status if articles else NewsletterIssue.Status.SKIPPED,
        subject=_subject(newsletter, articles, slot or now),
        slot=slot,
        covers_until=now,
        send_at=slot,
    )
    try:
        with transaction.atomic():
            issue.save()
    except IntegrityError:  # another scheduler prepared this slot a moment ago
        return NewsletterIssue.objects.get(newsletter=newsletter, slot=slot)
    IssueArticle.objects.bulk_create(
        IssueArticle(issue=issue, article=a, sort_order=n) for n, a in enumerate(articles)
    )
    return issue


@transaction.atomic
def issue_send(*, issue: NewsletterIssue) -> NewsletterIssue:
    """Start sending ``issue`` (a draft or a scheduled one): its mail is rendered and kept, the
    list size noted, and the sending task queued after commit. Raises IssueNotSendable."""
    locked = (
        NewsletterIssue.objects.select_for_update().select_related("newsletter").get(pk=issue.pk)
    )
    if locked.status not in (NewsletterIssue.Status.DRAFT, NewsletterIssue.Status.SCHEDULED):
        raise IssueNotSendable()
    if not locked.items.exists():
        raise IssueNotSendable("This issue has no articles; there is nothing to send.")
    locked.html_body, locked.text_body = render_issue(locked)
    locked.status = NewsletterIssue.Status.SENDING
    locked.started_at = locked.heartbeat_at = timezone.now()
    locked.recipients = Subscription.objects.filter(
        newsletter_id=locked.newsletter_id, status=Subscription.Status.CONFIRMED
    ).count()
    locked.save(
        update_fields=[
            "html_body",
            "text_body",
            "status",
            "started_at",
            "heartbeat_at",
            "recipients",
        ]
    )
    issue_id = locked.pk
    transaction.on_commit(lambda: send_issue.enqueue(issue_id))
    return locked


def issue_cancel(*, issue: NewsletterIssue) -> bool:
    """Cancel a draft or scheduled issue (one being sent stops after its current batch)."""
    return bool(
        NewsletterIssue.objects.filter(
            pk=issue.pk,
            status__in=[
                NewsletterIssue.Status.DRAFT,
                NewsletterIssue.Status.SCHEDULED,
                NewsletterIssue.Status.SENDING,
            ],
        ).update(status=NewsletterIssue.Status.CANCELLED, finished_at=timezone.now())
    )


def issue_send_test(*, issue: NewsletterIssue, email: str) -> None:
    """A copy to ``email`` (the editor's own), queued after commit. Raises InvalidAddress."""
    email = clean_address(email)
    issue_id = issue.pk
    transaction.on_commit(lambda: send_test_copy.enqueue(issue_id, email))


@transaction.atomic
def issue_resume(*, issue: NewsletterIssue) -> int:
    """Carry on with a send that stopped: the mails that were in doubt are marked interrupted
    (never sent twice), and the sending task queued again. Returns how many were in doubt."""
    locked = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if locked.status != NewsletterIssue.Status.SENDING:
        return 0
    doubtful = sending.issue_resume(locked)
    locked.heartbeat_at = timezone.now()
    locked.save(update_fields=["heartbeat_at"])
    issue_id = locked.pk
    transaction.on_commit(lambda: send_issue.enqueue(issue_id))
    return doubtful


@dataclass
class SchedulerRun:
    prepared: list[int]
    started: list[int]
    resumed: list[int]


def newsletters_run_due(*, now: datetime | None = None) -> SchedulerRun:
    """The scheduler's minute: prepare the issues whose moment is near (editors can look at
    them and send a test copy until then), start those whose moment has come, and resume the
    sends that stopped (no heartbeat for DATELINE_NEWSLETTER_STALE_SECONDS)."""
    now = now or timezone.now()
    run = SchedulerRun([], [], [])
    lead = timedelta(minutes=settings.DATELINE_NEWSLETTER_PREPARE_MINUTES)
    late = timedelta(minutes=settings.DATELINE_NEWSLETTER_LATE_MINUTES)
    for newsletter in Newsletter.objects.filter(
        status=Newsletter.Status.ACTIVE,
        schedule__in=[Newsletter.Schedule.DAILY, Newsletter.Schedule.WEEKLY],
    ):
        slot = next_slot(newsletter, after=now - late)
        if slot is None or slot > now + lead:
            continue
        if not NewsletterIssue.objects.filter(newsletter=newsletter, slot=slot).exists():
            issue = issue_prepare(
                newsletter=newsletter, now=now, slot=slot, status=NewsletterIssue.Status.SCHEDULED
            )
            run.prepared.append(issue.pk)
    for issue in NewsletterIssue.objects.filter(
        status=NewsletterIssue.Status.SCHEDULED, send_at__lte=now
    ).select_related("newsletter"):
        if issue.newsletter.status != Newsletter.Status.ACTIVE:
            continue
        try:
            issue_send(issue=issue)
        except IssueNotSendable:
            continue
        run.started.append(issue.pk)
    stale = now - timedelta(seconds=settings.DATELINE_NEWSLETTER_STALE_SECONDS)
    for issue in NewsletterIssue.objects.filter(
        status=NewsletterIssue.Status.SENDING, heartbeat_at__lt=stale
    ):
        issue_resume(issue=issue)
        run.resumed.append(issue.pk)
    return run


def alerts_for_article(*, article: Any, breaking: bool = False) -> list[int]:
    """An article was published (on-publish newsletters) or flagged as breaking news
    (breaking-news newsletters): each such active newsletter it feeds gets one issue for it,
    sent at once. Once per article and newsletter: publishing or flagging again sends nothing.
    Returns the issues started."""
    if not isinstance(article, ArticlePage):
        return []
    started = []
    candidates = Newsletter.objects.filter(
        status=Newsletter.Status.ACTIVE,
        schedule=Newsletter.Schedule.BREAKING if breaking else Newsletter.Schedule.ON_PUBLISH,
    )
    now = timezone.now()
    for newsletter in candidates:
        if not newsletter_feeds(newsletter=newsletter, article=article):
            continue
        with transaction.atomic():
            issue = NewsletterIssue(
                newsletter=newsletter,
                status=NewsletterIssue.Status.DRAFT,
                subject=(("Breaking: " if breaking else "") + article.title)[:200],
                alert_article=article,
                covers_until=now,
            )
            try:
                with transaction.atomic():
                    issue.save()
            except IntegrityError:
                continue  # this article's alert went already
            IssueArticle.objects.create(issue=issue, article=article, sort_order=0)
            issue_send(issue=issue)
        started.append(issue.pk)
    return started
