"""Writes from the moderators' desk: decisions on one comment or on thousands (in short chunks),
restoring, staff edits that keep the original, staff replies, bans.

Every decision is a CommentEvent (who, when, from → to, why), which is also what the learning
spam filter reads (``moderation.classifier.comment_decisions`` trains on the statuses
moderators leave). Permission checks live in the views and in :mod:`desk_selectors`; the
bulk functions re-check them for every chunk, because a job may run long after it was asked for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from dateline.core.pagecache import invalidate
from dateline.news.models import ArticlePage

from .bodies import comment_body_render
from .desk_selectors import desk_counts_changed, moderatable_comments, previous_statuses
from .models import BODY_MAX, Comment, CommentBan, CommentEvent, CommentRevision, DeskBulkJob
from .rules import Submission
from .services import (
    MODERATION_ACTIONS,
    CommentError,
    PostResult,
    comment_feature,
    comment_moderate,
    comment_post,
)
from .signals import comments_moderated
from .submissions import account_name_clean
from .text import body_fingerprint, normalise_text

CHUNK_SIZE = 500
# Selections up to this size are decided during the request; larger ones become a job.
INLINE_LIMIT = 1000
DESK_ACTIONS = ("approve", "hold", "spam", "trash", "restore")
STATUS_ACTION: dict[str, str] = {
    str(status): action for action, status in MODERATION_ACTIONS.items()
}


class DeskError(CommentError):
    pass


def _stored_body_checked(body: str) -> str:
    """The text as it will be stored (``normalise_text``), or DeskError at the body when it is
    empty or longer than the column: NFC grows a few characters (U+0958 to two, U+FB2C to
    three), so a text within the limit as typed can be over it as stored (the desk's forms
    check this first, with the reader form's validator; this is the services' own guard)."""
    stored = normalise_text(body)
    if len(stored) > BODY_MAX:
        raise DeskError(
            f"The text is {len(stored):,} characters long once some of its characters are "
            f"written in their standard form; the limit is {BODY_MAX:,}.",
            field="body",
        )
    return stored


# --- One comment ---------------------------------------------------------------------------------


def desk_decide(*, comment: Comment, action: str, actor: Any, reason: str = "") -> Comment:
    """Approve, hold, mark as spam, trash or restore one comment (the caller checked access).

    Raises KeyError for an unknown action."""
    if action == "restore":
        desk_bulk_chunk(comment_ids=[comment.pk], action=action, actor=actor, reason=reason)
        comment.refresh_from_db()
        return comment
    comment = comment_moderate(
        comment=comment, action=action, actor=actor, reason=normalise_text(reason)[:500]
    )
    desk_counts_changed()
    return comment


def desk_feature(*, comment: Comment, featured: bool, actor: Any) -> Comment:
    return comment_feature(comment=comment, featured=featured, actor=actor)


def desk_edit(*, comment: Comment, body: str, actor: Any, reason: str = "") -> Comment:
    """Change a comment's text as staff. The text before the change is kept as a
    CommentRevision, the change is logged, and the public page marks the comment "Edited".

    Raises DeskError for an empty text, one longer than the column as stored, or one the
    commenter already posted on the article."""
    body = _stored_body_checked(body)
    if not body:
        raise DeskError("The comment cannot be empty.", field="body")
    if body == comment.body:
        return comment
    now = timezone.now()
    try:
        with transaction.atomic():
            CommentRevision.objects.create(
                comment=comment, body=comment.body, edited_by=actor, created_at=now
            )
            comment.body = body
            comment.body_hash = body_fingerprint(body)
            comment_body_render(comment=comment)
            comment.edited_at = now
            comment.save(
                update_fields=["body", "body_hash", "body_html", "body_html_key", "edited_at"]
            )
            CommentEvent.objects.create(
                comment=comment,
                actor=actor,
                action="edited by staff",
                from_status=comment.status,
                to_status=comment.status,
                reason=normalise_text(reason)[:500] or "Text changed; the original is kept.",
                created_at=now,
            )
            article_id = comment.article_id
            transaction.on_commit(lambda: invalidate([f"article:{article_id}"]))
    except IntegrityError as exc:
        raise DeskError(
            "The commenter has already posted this text on this article.", field="body"
        ) from exc
    return comment


def desk_reply(*, parent: Comment, body: str, actor: Any) -> PostResult:
    """Reply as staff, through the same service as every reader (the staff rule publishes it).
    A reply to a held comment approves that comment first: a reply needs a published parent.

    Raises DeskError for an empty reply or one longer than the column as stored, and the
    services' CommentError subclasses. The reply's name is the account's, cleaned and cut like
    every signed-in commenter's (``submissions.account_name_clean``)."""
    if not _stored_body_checked(body):
        raise DeskError("Write a reply first.", field="body")
    if parent.status == Comment.Status.PENDING:
        comment_moderate(
            comment=parent, action="approve", actor=actor, reason="Approved with a staff reply."
        )
        desk_counts_changed()
    return comment_post(
        submission=Submission(
            article=parent.article,
            name=account_name_clean(user=actor),
            email=actor.email or "",
            body=body,
            parent_id=parent.pk,
            user_id=actor.pk,
            is_staff=True,
        )
    )


# --- Bans ----------------------------------------------------------------------------------------


def desk_ban(
    *,
    actor: Any,
    reason: str,
    email_key: str = "",
    ip_prefix: str = "",
    days: int | None = None,
    comment: Comment | None = None,
) -> CommentBan:
    """Keep a commenter out, by their email key, their network or both, for ``days`` days (None:
    until lifted). Their new comments go to spam with "Banned until …" (rule ``bans.BannedCommenter``).

    Raises DeskError when neither key nor network is given or the reason is empty."""
    reason = normalise_text(reason)[:300]
    if not email_key and not ip_prefix:
        raise DeskError("Ban by email, by network, or both.")
    if not reason:
        raise DeskError("Give a reason; the commenter's next comment is logged with it.")
    now = timezone.now()
    with transaction.atomic():
        ban = CommentBan.objects.create(
            email_key=email_key,
            ip_prefix=ip_prefix,
            reason=reason,
            expires_at=now + timedelta(days=days) if days else None,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
        )
        if comment is not None:
            until = f"until {ban.expires_at:%Y-%m-%d %H:%M}" if ban.expires_at else "until lifted"
            CommentEvent.objects.create(
                comment=comment,
                actor=ban.created_by,
                action="ban",
                from_status=comment.status,
                to_status=comment.status,
                reason=f"Commenter banned {until}: {reason}",
                created_at=now,
            )
    return ban


def desk_ban_lift(*, ban: CommentBan) -> CommentBan:
    if ban.lifted_at is None:
        ban.lifted_at = timezone.now()
        ban.save(update_fields=["lifted_at"])
    return ban


# --- Many comments -------------------------------------------------------------------------------


@dataclass
class BulkResult:
    changed: int = 0
    seen: int = 0  # comments the actor may moderate, among those processed
    processed: int = 0
    chunks: int = 0
    longest_transaction: float = 0.0  # seconds the write lock was held, the longest chunk


def _recount(article_ids: set[int]) -> None:
    approved = (
        Comment.objects.filter(article_id=OuterRef("pk"), status=Comment.Status.APPROVED)
        .order_by()
        .values("article_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ArticlePage.objects.filter(pk__in=article_ids).update(
        comment_count=Coalesce(Subquery(approved), Value(0))
    )


# pk, status, reported_at, article_id, parent_id, in_reply_to_id
_Row = tuple[int, str, datetime | None, int, int | None, int | None]


@dataclass
class _ChunkPlan:
    rows: list[_Row]  # the chunk's comments the actor may moderate
    targets: dict[int, str]  # comment → the status it gets (or keeps, when reports are cleared)


def _chunk_plan(*, comment_ids: Sequence[int], action: str, actor: Any) -> _ChunkPlan:
    """Read what one chunk is to change, inside its transaction (the rows locked on databases
    that can, so a concurrent decision waits instead of being logged with a stale status)."""
    found = (
        moderatable_comments(user=actor)
        .filter(pk__in=list(comment_ids))
        .order_by("pk")
        .select_for_update(of=("self",))
    )
    rows: list[_Row] = list(
        found.values_list(
            "pk", "status", "reported_at", "article_id", "parent_id", "in_reply_to_id"
        )
    )
    if action == "restore":
        current = {pk: status for pk, status, *_ in rows}
        restorable = [pk for pk, status in current.items() if status in ("spam", "trash")]
        return _ChunkPlan(rows, previous_statuses(comment_ids=restorable, current=current))
    status = MODERATION_ACTIONS[action]
    return _ChunkPlan(
        rows,
        {
            pk: status
            for pk, old, reported_at, *_ in rows
            if old != status or reported_at is not None
        },
    )


def _chunk_events(
    *, plan: _ChunkPlan, action: str, actor: Any, reason: str, now: datetime
) -> list[CommentEvent]:
    current = {pk: status for pk, status, *_ in plan.rows}
    return [
        CommentEvent(
            comment_id=pk,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action if action == "restore" else STATUS_ACTION[target],
            from_status=current[pk],
            to_status=target,
            reason=reason
            or ("Reports reviewed: the comment stays." if current[pk] == target else ""),
            created_at=now,
        )
        for pk, target in plan.targets.items()
    ]


def desk_bulk_chunk(
    *, comment_ids: Sequence[int], action: str, actor: Any, reason: str = ""
) -> BulkResult:
    """Decide on up to one chunk of comments in one short transaction: a few statements
    whatever the chunk's size. Comments ``actor`` may not moderate are skipped.

    ``longest_transaction`` is the time from BEGIN to COMMIT.

    Raises KeyError for an unknown action."""
    if action not in DESK_ACTIONS:
        raise KeyError(action)
    reason = normalise_text(reason)[:500]
    now = timezone.now()
    committed: list[float] = []
    started = time.perf_counter()
    with transaction.atomic():
        # First callback after COMMIT (before the cache purge and task queueing below).
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        plan = _chunk_plan(comment_ids=comment_ids, action=action, actor=actor)
        events = _chunk_events(plan=plan, action=action, actor=actor, reason=reason, now=now)
        rows, targets = plan.rows, plan.targets
        current = {pk: status for pk, status, *_ in rows}
        by_target: dict[str, list[int]] = {}
        for pk, target in targets.items():
            by_target.setdefault(target, []).append(pk)
        for target, ids in by_target.items():
            Comment.objects.filter(pk__in=ids).update(
                status=target, moderated_at=now, reported_at=None
            )
        CommentEvent.objects.bulk_create(events)
        touched = {
            article_id
            for pk, old, _, article_id, *_ in rows
            if pk in targets and Comment.Status.APPROVED in (old, targets[pk])
        }
        if touched:
            _recount(touched)
        replies = [
            pk
            for pk, old, _, _, parent_id, in_reply_to_id in rows
            if targets.get(pk) == Comment.Status.APPROVED
            and old != Comment.Status.APPROVED
            and (parent_id or in_reply_to_id)
        ]
        deps = [f"article:{a}" for a in {row[3] for row in rows if row[0] in targets}]
        if touched:
            deps.append("listings")
        if deps:
            transaction.on_commit(lambda: invalidate(deps))
        if replies:
            transaction.on_commit(lambda: _notify(replies))
        for target, ids in by_target.items():
            comments_moderated.send(
                sender=Comment,
                held_ids=[pk for pk in ids if current[pk] == Comment.Status.PENDING],
                to_status=target,
                actor=actor,
                reason=reason,
            )
    # Inside a caller's transaction nothing is committed yet: count up to here.
    elapsed = (committed[0] if committed else time.perf_counter()) - started
    changed = sum(1 for pk, target in targets.items() if target != current[pk])
    desk_counts_changed()
    return BulkResult(
        changed=changed,
        seen=len(rows),
        processed=len(comment_ids),
        chunks=1,
        longest_transaction=elapsed,
    )


def _notify(comment_ids: list[int]) -> None:
    from .tasks import notify_reply

    for pk in comment_ids:
        notify_reply.enqueue(pk)


# Between two chunks desk_bulk rests as long as the chunk held the write lock, within these
# bounds (seconds). A writer waiting for SQLite's lock sleeps in steps (1, 2, 5, … 25 ms, then
# 50 ms once it has waited 128 ms, 100 ms from 228 ms) and only then tries again; a pause at
# least as long as its current step is one it cannot sleep through.
CHUNK_PAUSE_MIN = 0.025
CHUNK_PAUSE_MAX = 0.1


def chunk_pause(held: float) -> float:
    """How long to rest after a chunk that held the write lock for ``held`` seconds."""
    return min(max(held, CHUNK_PAUSE_MIN), CHUNK_PAUSE_MAX)


def desk_bulk(
    *,
    comment_ids: Sequence[int],
    action: str,
    actor: Any,
    reason: str = "",
    chunk_size: int = CHUNK_SIZE,
    after_chunk: Callable[[BulkResult], None] | None = None,
) -> BulkResult:
    """Decide on many comments, ``chunk_size`` per transaction, so the database's write lock is
    held only briefly, and rest between chunks (:func:`chunk_pause`) so that readers' comments
    get in: without the rest the next chunk took the lock again within a millisecond, while a
    reader's post waiting for it was asleep in SQLite's busy handler, and a 10,000-comment run
    let through a few posts a second instead of one every 50 ms. ``after_chunk`` is called with
    the running totals after each committed chunk.

    Raises KeyError for an unknown action."""
    total = BulkResult()
    ids = list(comment_ids)
    rest = 0.0  # none before the first chunk, none after the last
    for start in range(0, len(ids), chunk_size):
        time.sleep(rest)
        part = desk_bulk_chunk(
            comment_ids=ids[start : start + chunk_size], action=action, actor=actor, reason=reason
        )
        total.changed += part.changed
        total.seen += part.seen
        total.processed += part.processed
        total.chunks += 1
        total.longest_transaction = max(total.longest_transaction, part.longest_transaction)
        if after_chunk is not None:
            after_chunk(total)
        rest = chunk_pause(part.longest_transaction)
    return total


def desk_bulk_start(
    *, comment_ids: Sequence[int], action: str, actor: Any, reason: str = "", description: str = ""
) -> DeskBulkJob | BulkResult:
    """Decide now when the selection is small, else queue a job (a django-tasks task) whose
    progress the desk shows. Raises KeyError for an unknown action."""
    if action not in DESK_ACTIONS:
        raise KeyError(action)
    ids = list(comment_ids)
    if len(ids) <= INLINE_LIMIT:
        return desk_bulk(comment_ids=ids, action=action, actor=actor, reason=reason)
    job = DeskBulkJob.objects.create(
        action=action,
        comment_ids=ids,
        reason=normalise_text(reason)[:500],
        description=description[:300],
        total=len(ids),
        created_by=actor,
    )
    transaction.on_commit(lambda: desk_bulk_job_run.enqueue(job.pk))
    return job


def desk_bulk_job_process(*, job_id: int, now: Callable[[], datetime] = timezone.now) -> None:
    """Run a queued job chunk by chunk, saving its progress after each."""
    job = DeskBulkJob.objects.select_related("created_by").get(pk=job_id)
    if job.state in (DeskBulkJob.State.DONE, DeskBulkJob.State.RUNNING):
        return
    DeskBulkJob.objects.filter(pk=job.pk).update(state=DeskBulkJob.State.RUNNING)

    def progress(total: BulkResult) -> None:
        DeskBulkJob.objects.filter(pk=job.pk).update(done=total.processed, changed=total.changed)

    try:
        desk_bulk(
            comment_ids=job.comment_ids,
            action=job.action,
            actor=job.created_by,
            reason=job.reason,
            after_chunk=progress,
        )
    except Exception:
        DeskBulkJob.objects.filter(pk=job.pk).update(
            state=DeskBulkJob.State.FAILED, finished_at=now()
        )
        raise
    DeskBulkJob.objects.filter(pk=job.pk).update(
        state=DeskBulkJob.State.DONE, done=job.total, finished_at=now()
    )


@task()
def desk_bulk_job_run(job_id: int) -> None:
    desk_bulk_job_process(job_id=job_id)
