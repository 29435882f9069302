"""Reads for the moderators' desk: who may see which comments, the queues and their counts, the
cards (with everything a moderator needs to decide, in a fixed number of queries) and the
workload figures."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from dateline.comments.models import Comment, CommentEvent, CommentReport

from .bans import erased_ban_key
from .models import CommentBan, DeskAssignment

PERMISSION = "comments.change_comment"

# The desk's queues, in the order of the tabs. Reported comments are still approved (published):
# the flag only puts them in front of a moderator.
QUEUES: dict[str, tuple[str, Q]] = {
    "pending": ("Pending", Q(status=Comment.Status.PENDING)),
    "reported": ("Reported", Q(status=Comment.Status.APPROVED, reported_at__isnull=False)),
    "spam": ("Spam", Q(status=Comment.Status.SPAM)),
    "trash": ("Trash", Q(status=Comment.Status.TRASH)),
    "approved": ("Approved", Q(status=Comment.Status.APPROVED)),
    "all": ("All", Q()),
}
COUNTS_SECONDS = 30


# --- Who sees what -------------------------------------------------------------------------------


def desk_sections(*, user: Any) -> frozenset[int] | None:
    """The sections a moderator is limited to, or None when they work on every section.

    Assignments are the user's own plus their groups'. Kept on the user object for the request.
    """
    if hasattr(user, "_desk_sections"):
        cached: frozenset[int] | None = user._desk_sections
        return cached
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        found: frozenset[int] | None = None
    else:
        ids = frozenset(
            DeskAssignment.objects.filter(
                Q(user_id=user.pk) | Q(group__in=user.groups.all())
            ).values_list("section_id", flat=True)
        )
        found = ids or None
    user._desk_sections = found
    return found


def can_moderate(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(PERMISSION))


def moderatable_comments(*, user: Any) -> QuerySet[Comment]:
    """Every comment ``user`` may see and decide on at the desk (none without the permission;
    only their sections' comments when they are limited to sections)."""
    if not can_moderate(user):
        return Comment.objects.none()
    sections = desk_sections(user=user)
    if sections is None:
        return Comment.objects.all()
    return Comment.objects.filter(article__section_id__in=sections)


# A ban can also sweep the commenter's comments still up or waiting: these statuses.
STANDING = (Comment.Status.PENDING, Comment.Status.APPROVED)


def commenter_standing_comments(*, user: Any, email_key: str) -> QuerySet[Comment]:
    """The commenter's comments still published or held that ``user`` may moderate (what a ban
    can send to spam or trash with it)."""
    if not email_key:
        return Comment.objects.none()
    return moderatable_comments(user=user).filter(email_key=email_key, status__in=STANDING)


def commenter_standing_counts(*, user: Any, email_key: str) -> dict[str, int]:
    """{"pending": n, "approved": m} for :func:`commenter_standing_comments`, in one query."""
    found = dict(
        commenter_standing_comments(user=user, email_key=email_key)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {str(status): found.get(status, 0) for status in STANDING}


def access_comment_for_moderator(*, user: Any, comment_id: Any) -> Comment | None:
    """The comment, if ``user`` may moderate it; None otherwise (callers answer 404, so nobody
    learns which ids exist in other sections)."""
    try:
        pk = int(comment_id)
    except (TypeError, ValueError):
        return None
    return moderatable_comments(user=user).select_related("article").filter(pk=pk).first()


# --- Queues and counts ---------------------------------------------------------------------------


def desk_queue(*, user: Any, queue: str) -> QuerySet[Comment]:
    """The comments of one queue ``user`` may moderate, oldest first. Raises KeyError for an
    unknown queue."""
    return moderatable_comments(user=user).filter(QUEUES[queue][1]).order_by("created_at", "pk")


def _counts_version() -> int:
    return cache.get_or_set("desk-counts-version", 1, None) or 1


def desk_counts_changed() -> None:
    """Forget the cached queue counts (after a desk action), so the menu catches up at once."""
    try:
        cache.incr("desk-counts-version")
    except ValueError:
        cache.set("desk-counts-version", 2, None)


def desk_counts(*, user: Any) -> dict[str, int]:
    """How many comments wait in each queue for ``user``: one query, cached for a few seconds
    per set of sections (every unrestricted moderator shares one entry)."""
    sections = desk_sections(user=user)
    scope = "all" if sections is None else ",".join(map(str, sorted(sections)))
    key = f"desk-counts:{_counts_version()}:{scope}"
    found = cache.get(key)
    if found is None:
        found = moderatable_comments(user=user).aggregate(
            **{name: Count("pk", filter=condition) for name, (_, condition) in QUEUES.items()}
        )
        cache.set(key, found, COUNTS_SECONDS)
    counts: dict[str, int] = found
    return counts


# --- Cards ---------------------------------------------------------------------------------------

_SCORE = re.compile(r"score (\d(?:\.\d+)?)")
SCORE_RULES = {"spam_score": "spam", "abusive_language": "abuse"}


@dataclass
class History:
    approved: int = 0
    rejected: int = 0
    total: int = 0
    first_seen: datetime | None = None


@dataclass
class Card:
    comment: Comment
    reasons: list[dict[str, Any]]
    scores: dict[str, float]
    reports: list[CommentReport]
    report_reasons: dict[str, int]
    events: list[CommentEvent]
    history: History
    bans: list[CommentBan] = field(default_factory=list)
    next_url: str = ""  # where the desk returns after an action on this card

    @property
    def reported(self) -> bool:
        """On the desk for readers' reports (the Reported queue), not held by a rule."""
        c = self.comment
        return c.status == Comment.Status.APPROVED and c.reported_at is not None

    @property
    def reports_since_decision(self) -> int:
        """The reports that count towards the Reported queue: those since a moderator's last
        decision (all of them when no moderator decided)."""
        decided = self.comment.moderated_at
        return sum(1 for r in self.reports if decided is None or r.created_at > decided)


def desk_queryset(queryset: QuerySet[Comment]) -> QuerySet[Comment]:
    """What every card needs, fetched with the page: article, the parent it answers, reports,
    the moderation log with who decided, earlier texts."""
    return queryset.select_related("article", "parent").prefetch_related(
        Prefetch("reports", queryset=CommentReport.objects.order_by("created_at", "pk")),
        Prefetch(
            "events",
            queryset=CommentEvent.objects.select_related("actor").order_by("created_at", "pk"),
        ),
        "revisions",
    )


def _scores(reasons: list[Any]) -> dict[str, float]:
    found: dict[str, float] = {}
    for reason in reasons:
        if not isinstance(reason, dict) or reason.get("code") not in SCORE_RULES:
            continue
        kind = SCORE_RULES[reason["code"]]
        if isinstance(reason.get("score"), int | float):
            found[kind] = float(reason["score"])
        elif match := _SCORE.search(str(reason.get("reason", ""))):
            found[kind] = float(match.group(1))
    return found


def commenter_history(*, email_keys: set[str]) -> dict[str, History]:
    """Approved and rejected (spam or trash) counts and first comment of each commenter, in one
    grouped query."""
    if not email_keys:
        return {}
    rows = (
        Comment.objects.filter(email_key__in=email_keys)
        .order_by()
        .values("email_key")
        .annotate(
            approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
            rejected=Count("pk", filter=Q(status__in=[Comment.Status.SPAM, Comment.Status.TRASH])),
            total=Count("pk"),
            first_seen=Min("created_at"),
        )
    )
    return {
        row["email_key"]: History(row["approved"], row["rejected"], row["total"], row["first_seen"])
        for row in rows
    }


def desk_cards(*, comments: list[Comment], now: datetime | None = None) -> list[Card]:
    """Cards for a page of comments fetched through :func:`desk_queryset`: two more queries
    (commenter history, active bans) whatever the number of comments."""
    keys = {c.email_key for c in comments}
    prefixes = {c.ip_prefix for c in comments if c.ip_prefix}
    histories = commenter_history(email_keys=keys)
    # A ban made before its commenter asked for erasure names them by a keyed hash.
    hashed = {erased_ban_key(k): k for k in keys if k}
    bans: list[CommentBan] = []
    if comments:
        bans = list(
            CommentBan.objects.active(now=now or timezone.now()).filter(
                Q(email_key__in=keys | hashed.keys()) | Q(ip_prefix__in=prefixes)
            )
        )
    cards = []
    for comment in comments:
        reasons = [r for r in comment.moderation_reasons or [] if isinstance(r, dict)]
        reports = list(comment.reports.all())
        report_reasons: dict[str, int] = {}
        for report in reports:
            label = report.get_reason_display()
            report_reasons[label] = report_reasons.get(label, 0) + 1
        cards.append(
            Card(
                comment=comment,
                reasons=reasons,
                scores={**(comment.scores or {}), **_scores(reasons)},
                reports=reports,
                report_reasons=report_reasons,
                events=list(comment.events.all()),
                history=histories.get(comment.email_key, History()),
                bans=[
                    b
                    for b in bans
                    if (b.email_key and hashed.get(b.email_key, b.email_key) == comment.email_key)
                    or (b.ip_prefix and b.ip_prefix == comment.ip_prefix)
                ],
            )
        )
    return cards


def reason_codes() -> list[tuple[str, str]]:
    """The hold reasons the filter offers: every configured rule's code, and the desk's own."""
    from dateline.comments.screening import load_rules

    codes: dict[str, str] = {}
    for rule in load_rules():
        codes.setdefault(rule.code, rule.code.replace("_", " "))
    codes.setdefault("known_commenter", "known commenter")
    codes.setdefault("reader_reports", "reader reports")
    return sorted(codes.items())


# --- Workload ------------------------------------------------------------------------------------


@dataclass
class Workload:
    days: list[date]
    queue_sizes: list[tuple[date, int]]
    decisions: list[tuple[str, list[int], int]]  # moderator, per day, total
    decided: int
    median_hours: float | None
    p95_hours: float | None
    target_hours: int
    overdue: list[Comment]
    overdue_count: int
    max_queue: int


# A decision changes a comment's status; edits, bans and erasures are logged without changing
# it, and a reader's report is not a moderator's decision.
DECISIONS = (
    ~Q(action__in=["posted", "reported", "feature", "unfeature"])
    & ~Q(from_status="")
    & ~Q(to_status="")
    & ~Q(from_status=F("to_status"))
)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


def desk_workload(
    *, user: Any, target_hours: int, days: int = 14, now: datetime | None = None
) -> Workload:
    """The desk's last ``days`` days, from the moderation log: the Pending queue's size at the
    end of each day, time from posting to the first decision on a held comment (median, 95th
    percentile), decisions per moderator per day, and what waits longer than the target."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day_list = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    start = timezone.make_aware(datetime.combine(day_list[0], datetime.min.time()))
    comments = moderatable_comments(user=user)
    visible_ids = comments.values("pk")

    # Queue size at the end of each day, replayed from the log: only comments pending now or
    # decided inside the window can have been pending during it.
    candidates = comments.filter(
        Q(status=Comment.Status.PENDING) | Q(moderated_at__gte=start)
    ).values("pk")
    history: dict[int, list[tuple[datetime, str]]] = {}
    for pk, to_status, at in (
        CommentEvent.objects.filter(comment_id__in=candidates)
        .exclude(to_status="")
        .order_by("created_at", "pk")
        .values_list("comment_id", "to_status", "created_at")
    ):
        history.setdefault(pk, []).append((at, to_status))
    sizes = []
    for day in day_list:
        end = timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))
        size = 0
        for changes in history.values():
            state = ""
            for at, to_status in changes:
                if at >= end:
                    break
                state = to_status
            size += state == Comment.Status.PENDING
        sizes.append((day, size))

    # Time to decision: first human or rule decision taking a comment out of pending.
    first_decisions = (
        CommentEvent.objects.filter(
            comment_id__in=visible_ids, from_status=Comment.Status.PENDING, created_at__gte=start
        )
        .exclude(to_status=Comment.Status.PENDING)
        .order_by()
        .values("comment_id")
        .annotate(first=Min("created_at"))
        .values_list("comment__created_at", "first")
    )
    hours = [(decided - posted).total_seconds() / 3600 for posted, decided in first_decisions]

    per_moderator: dict[str, dict[date, int]] = {}
    rows = (
        CommentEvent.objects.filter(
            comment_id__in=visible_ids, actor__isnull=False, created_at__gte=start
        )
        .filter(DECISIONS)
        .order_by()
        .values_list("actor__username", "created_at")
    )
    for username, at in rows:
        day = timezone.localdate(at)
        per_moderator.setdefault(username, {})
        per_moderator[username][day] = per_moderator[username].get(day, 0) + 1
    decisions = [
        (name, [counts.get(d, 0) for d in day_list], sum(counts.values()))
        for name, counts in sorted(per_moderator.items())
    ]

    overdue_qs = comments.filter(
        status=Comment.Status.PENDING, created_at__lt=now - timedelta(hours=target_hours)
    )
    return Workload(
        days=day_list,
        queue_sizes=sizes,
        decisions=decisions,
        decided=len(hours),
        median_hours=statistics.median(hours) if hours else None,
        p95_hours=_percentile(hours, 0.95) if hours else None,
        target_hours=target_hours,
        overdue=list(overdue_qs.select_related("article").order_by("created_at", "pk")[:20]),
        overdue_count=overdue_qs.count(),
        max_queue=max((n for _, n in sizes), default=0),
    )
