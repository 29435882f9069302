"""Every change of a comment's status, for one comment or a hundred thousand: the desk (one card
or a bulk job), the API, the snippet table's actions, a reader deleting their own comment. One
function, :func:`comments_decide`, does the set-based update, the log (ours and Wagtail's), the
recount, the purge, the signal and the reply notifications; everything else calls it.

Permission is the caller's: it passes only comments the actor may decide on (the desk and the
API pass ``moderatable_comments(user=…)`` filtered, re-checked for every chunk of a bulk job).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import ModelLogEntry

from ..models import Comment, CommentEvent
from ..signals import comments_moderated
from ..tasks import notify_reply
from ..text import normalise_text
from .audit import comment_event, comment_log
from .effects import articles_changed, comment_counts_refresh_many

MODERATION_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
}
# "restore": back to the status before the comment went to spam or trash (read from its log).
DECISIONS = (*MODERATION_ACTIONS, "restore")
STATUS_ACTION: dict[str, str] = {
    str(status): action for action, status in MODERATION_ACTIONS.items()
}
REPORTS_REVIEWED = "Reports reviewed: the comment stays."
# Wagtail's history (the snippet's History tab, Reports → Site history) names each decision so.
WAGTAIL_ACTIONS = {
    "approve": ("comments.approve", "Approve comment", "Approved"),
    "hold": ("comments.hold", "Hold comment", "Held"),
    "spam": ("comments.spam", "Mark comment as spam", "Marked as spam"),
    "trash": ("comments.trash", "Trash comment", "Trashed"),
    "restore": ("comments.restore", "Restore comment", "Restored"),
}


@dataclass
class Decision:
    changed: int = 0  # comments whose status changed
    seen: int = 0  # comments found among those asked for
    # comment → (status before, status after), for every comment decided on: a reported comment
    # that keeps its status is decided on too (its flag is cleared and the decision logged).
    moves: dict[int, tuple[str, str]] = field(default_factory=dict)
    at: datetime | None = None  # when it was decided (the comments' ``moderated_at``)


@dataclass(frozen=True)
class _Row:
    pk: int
    status: str
    reported_at: datetime | None
    article_id: int
    is_reply: bool
    label: str


def _locked_rows(comments: QuerySet[Comment]) -> list[_Row]:
    """The comments to decide on, read inside the decision's transaction (locked on databases
    that can, so a concurrent decision waits instead of being logged with a stale status)."""
    found = (
        comments.order_by("pk")
        .select_for_update(of=("self",))
        .annotate(excerpt=Substr("body", 1, 60))
        .values_list(
            "pk",
            "status",
            "reported_at",
            "article_id",
            "parent_id",
            "in_reply_to_id",
            "author_name",
            "excerpt",
        )
    )
    return [
        _Row(pk, status, reported, article, bool(parent or answered), f"{name}: {excerpt}")
        for pk, status, reported, article, parent, answered, name, excerpt in found
    ]


def previous_statuses(*, comment_ids: list[int], current: dict[int, str]) -> dict[int, str]:
    """The status each comment had before it reached its ``current`` one, from its log, in one
    query (pending when the log does not say)."""
    found: dict[int, str] = {}
    events = (
        CommentEvent.objects.filter(comment_id__in=comment_ids)
        .exclude(from_status="")
        .order_by("comment_id", "-created_at", "-pk")
        .values_list("comment_id", "from_status", "to_status")
    )
    for comment_id, from_status, to_status in events:
        if comment_id in found:
            continue
        if to_status == current.get(comment_id) and from_status != to_status:
            found[comment_id] = from_status
    return {pk: found.get(pk, Comment.Status.PENDING) for pk in comment_ids}


def _targets(rows: list[_Row], action: str) -> dict[int, str]:
    """comment → the status it gets (or keeps, when only its reports are cleared)."""
    if action == "restore":
        current = {row.pk: row.status for row in rows}
        restorable = [row.pk for row in rows if row.status in ("spam", "trash")]
        return previous_statuses(comment_ids=restorable, current=current)
    status = MODERATION_ACTIONS[action]
    return {row.pk: status for row in rows if row.status != status or row.reported_at is not None}


def _first_approvals(rows: list[_Row], targets: dict[int, str]) -> list[int]:
    """Replies approved now that were never approved before: their subscribers hear of them
    once (a reply approved, held, then approved again is not news)."""
    candidates = [
        row.pk
        for row in rows
        if row.is_reply
        and row.status != Comment.Status.APPROVED
        and targets.get(row.pk) == Comment.Status.APPROVED
    ]
    if not candidates:
        return []
    before = set(
        CommentEvent.objects.filter(
            comment_id__in=candidates, to_status=Comment.Status.APPROVED
        ).values_list("comment_id", flat=True)
    )
    return [pk for pk in candidates if pk not in before]


def _wagtail_log(
    *,
    rows: list[_Row],
    targets: dict[int, str],
    action: str,
    actor: Any,
    reason: str,
    now: datetime,
) -> None:
    """The same decisions in Wagtail's own log (one multi-row INSERT), so the snippet's History
    and the site history show them."""
    name = WAGTAIL_ACTIONS[action][0]
    content_type = ContentType.objects.get_for_model(Comment)
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(row.pk),
                label=row.label,
                action=name,
                data={"from": row.status, "to": targets[row.pk], "reason": reason},
                timestamp=now,
                user=actor,
            )
            for row in rows
            if row.pk in targets
        ]
    )


def comments_decide(
    *,
    comments: QuerySet[Comment] | Iterable[int],
    action: str,
    actor: Any = None,
    reason: str = "",
    rule: str = "",
) -> Decision:
    """Approve, hold, mark as spam, trash or restore ``comments`` (a queryset, or ids), in one
    transaction with a fixed number of statements whatever their number: one locked read, one
    ``UPDATE`` per status reached, one log INSERT (and one of Wagtail's), one recount of the
    touched articles. After commit the pages are purged and the first approval of a reply is
    mailed to its subscribers. ``comments_moderated`` is sent once per status reached.

    A comment that already has the status is left alone, unless readers reported it: then the
    decision clears the flag and is logged ("Reports reviewed"). ``actor`` None (or not signed
    in) is a rule or the commenter; ``rule`` names the rule. Raises KeyError for an unknown
    action. Large selections go through ``desk.desk_bulk`` in chunks (short transactions)."""
    if action not in DECISIONS:
        raise KeyError(action)
    reason = normalise_text(reason)[:500]
    actor = actor if getattr(actor, "is_authenticated", False) else None
    found = (
        comments
        if isinstance(comments, QuerySet)
        else Comment.objects.filter(pk__in=list(comments))
    )
    now = timezone.now()
    with transaction.atomic():
        rows = _locked_rows(found)
        targets = _targets(rows, action)
        decision = Decision(seen=len(rows), at=now)
        if not targets:
            return decision
        first_approvals = _first_approvals(rows, targets)
        by_target: dict[str, list[int]] = {}
        for pk, target in targets.items():
            by_target.setdefault(target, []).append(pk)
        for target, ids in by_target.items():
            Comment.objects.filter(pk__in=ids).update(
                status=target, moderated_at=now, reported_at=None
            )
        comment_log(
            [
                comment_event(
                    comment_id=row.pk,
                    actor=actor,
                    rule=rule,
                    action=action if action == "restore" else STATUS_ACTION[targets[row.pk]],
                    from_status=row.status,
                    to_status=targets[row.pk],
                    reason=reason or (REPORTS_REVIEWED if row.status == targets[row.pk] else ""),
                    at=now,
                )
                for row in rows
                if row.pk in targets
            ]
        )
        _wagtail_log(rows=rows, targets=targets, action=action, actor=actor, reason=reason, now=now)
        decision.moves = {
            row.pk: (row.status, targets[row.pk]) for row in rows if row.pk in targets
        }
        decision.changed = sum(1 for old, new in decision.moves.values() if old != new)
        recount = {
            row.article_id
            for row in rows
            if row.pk in targets
            and row.status != targets[row.pk]
            and Comment.Status.APPROVED in (row.status, targets[row.pk])
        }
        if recount:
            comment_counts_refresh_many(article_ids=recount)
        articles_changed(
            article_ids={row.article_id for row in rows if row.pk in targets},
            listings=bool(recount),
        )
        if first_approvals:
            transaction.on_commit(lambda: _notify(first_approvals))
        before = {row.pk: row.status for row in rows}
        for target, ids in by_target.items():
            comments_moderated.send(
                sender=Comment,
                comment_ids=ids,
                held_ids=[pk for pk in ids if before[pk] == Comment.Status.PENDING],
                to_status=target,
                actor=actor,
                reason=reason,
            )
    return decision


def _notify(comment_ids: list[int]) -> None:
    for pk in comment_ids:
        notify_reply.enqueue(pk)


def comment_moderate(
    *, comment: Comment, action: str, actor: Any = None, reason: str = "", rule: str = ""
) -> Comment:
    """:func:`comments_decide` for one comment; ``comment`` carries its new status.

    Raises KeyError for an unknown action."""
    decision = comments_decide(
        comments=Comment.objects.filter(pk=comment.pk),
        action=action,
        actor=actor,
        reason=reason,
        rule=rule,
    )
    if comment.pk in decision.moves:
        comment.status = decision.moves[comment.pk][1]
        comment.reported_at = None
        comment.moderated_at = decision.at
    return comment
