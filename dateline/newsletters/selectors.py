"""Reads with a shape: what a page offers, what an issue holds, what a send did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from dateline.core.fragments import fragment
from dateline.news.models import ArticlePage

from .models import Newsletter, NewsletterIssue, SendLog, Subscriber, Subscription, Suppression

# The signup form's list is kept as a fragment under this dependency, which every change to a
# newsletter invalidates (with "content", so cached pages show the change: services).
DEPENDENCY = "newsletters"


@dataclass(frozen=True)
class Offer:
    """A newsletter as the signup form shows it: nothing personal, the same for everyone."""

    pk: int
    name: str
    description: str
    schedule: str
    # Fed by this very section (not by every section): listed first, ticked.
    own: bool = False


def newsletters_offered(*, section_id: int | None) -> list[Offer]:
    """Active newsletters fed by ``section_id`` (or by every section), by name. Kept between
    requests (core.fragments): a page that shows the form asks the database nothing for it."""
    return fragment(
        f"newsletters:offered:{section_id or 0}",
        [DEPENDENCY],
        lambda: _offered(section_id),
    )


def _offered(section_id: int | None) -> list[Offer]:
    found = Newsletter.objects.filter(status=Newsletter.Status.ACTIVE)
    own: set[int] = set()
    if section_id:
        found = found.filter(Q(sections=None) | Q(sections=section_id))
        own = set(
            Newsletter.sections.through.objects.filter(sectionpage_id=section_id).values_list(
                "newsletter_id", flat=True
            )
        )
    offers = [
        Offer(n.pk, n.name, n.description, n.schedule, own=n.pk in own)
        for n in found.distinct().order_by("name").only("pk", "name", "description", "schedule")
    ]
    return sorted(offers, key=lambda o: not o.own)


def newsletters_active() -> QuerySet[Newsletter]:
    return Newsletter.objects.filter(status=Newsletter.Status.ACTIVE).order_by("name")


@dataclass(frozen=True)
class Preference:
    newsletter: Newsletter
    status: str | None  # the subscription's, None when there is none

    @property
    def subscribed(self) -> bool:
        return self.status == Subscription.Status.CONFIRMED

    @property
    def pending(self) -> bool:
        return self.status == Subscription.Status.PENDING


def subscriber_preferences(*, subscriber: Subscriber | None) -> list[Preference]:
    """Every active newsletter with this subscriber's status for it (two queries)."""
    statuses: dict[int, str] = {}
    if subscriber is not None:
        statuses = dict(
            Subscription.objects.filter(subscriber=subscriber).values_list(
                "newsletter_id", "status"
            )
        )
    return [Preference(n, statuses.get(n.pk)) for n in newsletters_active()]


def subscriber_for_email(*, email: str) -> Subscriber | None:
    return Subscriber.objects.filter(email_key=email.strip().lower()).first()


def subscriber_export(email: str) -> dict[str, object] | None:
    """The address's part of a commenter's or reader's export (core.personal_data): its
    subscriptions and the bounces or complaints recorded for it; None when we hold nothing.
    Three queries, whatever the number of subscriptions."""
    key = email.strip().lower()
    subscriber = Subscriber.objects.filter(email_key=key).first()
    stops = list(
        Suppression.objects.filter(email_key=key)
        .order_by("created_at", "pk")
        .values_list("kind", "created_at")
    )
    if subscriber is None and not stops:
        return None
    subscriptions = (
        []
        if subscriber is None
        else list(
            subscriber.subscriptions.select_related("newsletter")
            .order_by("created_at", "pk")
            .values_list("newsletter__name", "status", "created_at", "changed_at")
        )
    )
    return {
        "since": None if subscriber is None else subscriber.created_at.isoformat(),
        "confirmed_at": None
        if subscriber is None or subscriber.confirmed_at is None
        else subscriber.confirmed_at.isoformat(),
        "subscriptions": [
            {
                "newsletter": name,
                "status": status,
                "since": created.isoformat(),
                "changed_at": changed.isoformat(),
            }
            for name, status, created, changed in subscriptions
        ],
        "bounces_and_complaints": [{"kind": kind, "at": at.isoformat()} for kind, at in stops],
    }


def pending_newsletters(*, subscriber: Subscriber) -> list[Newsletter]:
    return list(
        Newsletter.objects.filter(
            subscriptions__subscriber=subscriber,
            subscriptions__status=Subscription.Status.PENDING,
        ).order_by("name")
    )


def articles_for(
    *, newsletter: Newsletter, since: datetime | None, until: datetime
) -> list[ArticlePage]:
    """The newest live, public articles of the newsletter's sections or tags published after
    ``since`` and up to ``until``, newest first, at most ``max_articles``."""
    found = ArticlePage.objects.live().public().filter(first_published_at__lte=until)
    if since is not None:
        found = found.filter(first_published_at__gt=since)
    section_ids = list(newsletter.sections.values_list("pk", flat=True))
    tag_ids = list(newsletter.tags.values_list("pk", flat=True))
    if section_ids or tag_ids:
        found = found.filter(Q(section_id__in=section_ids) | Q(tags__in=tag_ids))
    ids = list(
        found.order_by("-first_published_at", "-pk")
        .values_list("pk", flat=True)
        .distinct()[: newsletter.max_articles]
    )
    by_id = ArticlePage.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def newsletter_feeds(*, newsletter: Newsletter, article: ArticlePage) -> bool:
    """``article`` is live, public and in one of the newsletter's sections or tags (every
    article, when it names none)."""
    found = ArticlePage.objects.live().public().filter(pk=article.pk)
    section_ids = list(newsletter.sections.values_list("pk", flat=True))
    tag_ids = list(newsletter.tags.values_list("pk", flat=True))
    if section_ids or tag_ids:
        found = found.filter(Q(section_id__in=section_ids) | Q(tags__in=tag_ids))
    return found.exists()


def list_size(*, newsletter: Newsletter) -> int:
    """Confirmed subscribers: who an issue would go to now."""
    return Subscription.objects.filter(
        newsletter=newsletter, status=Subscription.Status.CONFIRMED
    ).count()


@dataclass(frozen=True)
class SendReport:
    claimed: int
    sent: int
    failed: int
    interrupted: int

    @property
    def total(self) -> int:
        return self.claimed + self.sent + self.failed + self.interrupted


def issue_report(*, issue: NewsletterIssue) -> SendReport:
    """What the send of ``issue`` did so far (one query)."""
    counts = SendLog.objects.filter(issue=issue).aggregate(
        **{
            status: Count("pk", filter=Q(status=status))
            for status in ("claimed", "sent", "failed", "interrupted")
        }
    )
    return SendReport(**{k: v or 0 for k, v in counts.items()})


def issue_failures(*, issue: NewsletterIssue, limit: int = 50) -> list[tuple[int, str, str]]:
    """The first failures of a send for the admin: (subscriber id, status, error). Staff see
    ids, not addresses; the address is one search away for whoever may see subscribers."""
    return list(
        SendLog.objects.filter(
            issue=issue, status__in=[SendLog.Status.FAILED, SendLog.Status.INTERRUPTED]
        )
        .order_by("pk")
        .values_list("subscriber_id", "status", "error")[:limit]
    )


def issues_for_admin(*, newsletter: Newsletter | None = None) -> QuerySet[NewsletterIssue]:
    found = NewsletterIssue.objects.select_related("newsletter")
    if newsletter is not None:
        found = found.filter(newsletter=newsletter)
    return found.order_by("-created_at", "-pk")
