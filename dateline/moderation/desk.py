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
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from dateline.comments.bodies import comment_body_render
from dateline.comments.errors import DeskError
from dateline.comments.models import Comment, CommentEvent, CommentRevision
from dateline.comments.screening import Submission
from dateline.comments.services import (
    DECISIONS,
    STATUS_ACTION,
    CommentRefused,
    PostResult,
    article_changed,
    comment_event,
    comment_feature,
    comment_log,
    comment_post,
    comment_text_stored,
    comments_decide,
)
from dateline.comments.submissions import account_name_clean
from dateline.comments.text import body_fingerprint, normalise_text

from .desk_selectors import commenter_standing_comments, moderatable_comments
from .models import CommentBan, DeskBulkJob

CHUNK_SIZE = 500
# Selections up to this size are decided during the request; larger ones become a job.
INLINE_LIMIT = 1000
DESK_ACTIONS = DECISIONS  # approve, hold, spam, trash, restore


def _stored_body_checked(body: str) -> str:
    """The text as it will be stored, or DeskError at the body when it is too long as stored
    (the services' own check, ``comment_text_stored``, at the desk form's field)."""
    try:
        return comment_text_stored(body, field="body")
    except CommentRefused as exc:
        raise DeskError(exc.message, field="body") from exc


# --- One comment ---------------------------------------------------------------------------------


def desk_decide(*, comment: Comment, action: str, actor: Any, reason: str = "") -> Comment:
    """Approve, hold, mark as spam, trash or restore one comment (the caller checked access):
    the one decision service, for one comment. Raises KeyError for an unknown action."""
    comments_decide(
        comments=moderatable_comments(user=actor).filter(pk=comment.pk),
        action=action,
        actor=actor,
        reason=reason,
    )
    comment.refresh_from_db()
    return comment


def _latest_status_event(comment: Comment) -> CommentEvent | None:
    """The comment's latest logged decision (edits and bans log no status reached)."""
    return (
        CommentEvent.objects.filter(comment_id=comment.pk)
        .exclude(to_status="")
        .order_by("-created_at", "-pk")
        .first()
    )


def desk_last_decision(*, comment: Comment) -> CommentEvent | None:
    """The comment's latest decision, if it changed its status (what "Undo" would take back)."""
    latest = _latest_status_event(comment)
    if latest is None or latest.from_status in ("", latest.to_status):
        return None
    return latest


UNDO_REASON = "Undo: the previous decision was a mistake."


def desk_undo(*, comment: Comment, event_id: int, actor: Any) -> Comment:
    """Put ``comment`` back to the status it had before the decision logged as ``event_id``
    (the moderator's "Undo" after a decision): a decision of its own, logged, purged and
    recounted like any other. Only the comment's latest change of status can be undone, and
    only while the comment still has the status it gave.

    Raises DeskError when the comment was decided on again since (by anyone, a rule included),
    or when ``event_id`` is not a change of this comment's status."""
    with transaction.atomic():
        # Locked first, so a decision made meanwhile waits and is seen below.
        status = (
            Comment.objects.select_for_update()
            .filter(pk=comment.pk)
            .values_list("status", flat=True)
            .first()
        )
        latest = desk_last_decision(comment=comment)
        if latest is None or latest.pk != event_id or status != latest.to_status:
            raise DeskError(
                "This comment was decided on again since, so that decision can no longer be "
                "undone; nothing was changed. Its moderation log shows who changed it."
            )
        return desk_decide(
            comment=comment,
            action=STATUS_ACTION[latest.from_status],
            actor=actor,
            reason=UNDO_REASON,
        )


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
            comment_log(
                [
                    comment_event(
                        comment=comment,
                        actor=actor,
                        action="edited by staff",
                        from_status=comment.status,
                        reason=normalise_text(reason)[:500]
                        or "Text changed; the original is kept.",
                        at=now,
                    )
                ]
            )
            article_changed(comment.article_id, listings=False)
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
        desk_decide(
            comment=parent, action="approve", actor=actor, reason="Approved with a staff reply."
        )
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
            comment_log(
                [
                    comment_event(
                        comment=comment,
                        actor=ban.created_by,
                        action="ban",
                        from_status=comment.status,
                        reason=f"Commenter banned {until}: {reason}",
                        at=now,
                    )
                ]
            )
        log(instance=ban, action="comments.ban", user=ban.created_by, data={"reason": reason})
    return ban


def desk_ban_sweep(
    *, actor: Any, email_key: str, action: str, reason: str
) -> DeskBulkJob | BulkResult:
    """With a ban: mark as spam or trash (``action``) the commenter's comments still published
    or held, among those ``actor`` may moderate, through the bulk path (logged with "Commenter
    banned: <reason>"; a background job past ``INLINE_LIMIT``). Raises KeyError for another
    action than spam or trash."""
    if action not in ("spam", "trash"):
        raise KeyError(action)
    ids = list(
        commenter_standing_comments(user=actor, email_key=email_key)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    why = f"Commenter banned: {normalise_text(reason)}"
    return desk_bulk_start(
        comment_ids=ids,
        action=action,
        actor=actor,
        reason=why,
        description=f"{why} ({len(ids):,} earlier comments)",
    )


def desk_ban_lift(*, ban: CommentBan, actor: Any, at: datetime | None = None) -> CommentBan:
    """End a ban (now, or at ``at``); logged in Wagtail's history of the ban and the site
    history. A ban already lifted stays as it was. The ban's edit form in the admin lifts
    through here (``wagtail_hooks.CommentBanEditView``)."""
    if ban.lifted_at is not None:
        return ban
    with transaction.atomic():
        ban.lifted_at = at or timezone.now()
        CommentBan.objects.filter(pk=ban.pk).update(lifted_at=ban.lifted_at)
        log(
            instance=ban,
            action="comments.ban_lift",
            user=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return ban


# --- Many comments -------------------------------------------------------------------------------


@dataclass
class BulkResult:
    changed: int = 0
    seen: int = 0  # comments the actor may moderate, among those processed
    processed: int = 0
    chunks: int = 0
    longest_transaction: float = 0.0  # seconds the write lock was held, the longest chunk


def desk_bulk_chunk(
    *, comment_ids: Sequence[int], action: str, actor: Any, reason: str = ""
) -> BulkResult:
    """Decide on up to one chunk of comments in one short transaction (the one decision
    service, :func:`comments.services.comments_decide`: a few statements whatever the chunk's
    size). Comments ``actor`` may not moderate are skipped: permission is read again for every
    chunk, because a job may run long after it was asked for.

    ``longest_transaction`` is the time from BEGIN to COMMIT.

    Raises KeyError for an unknown action."""
    if action not in DESK_ACTIONS:
        raise KeyError(action)
    committed: list[float] = []
    started = time.perf_counter()
    with transaction.atomic():
        # First callback after COMMIT (before the cache purge and task queueing).
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        decision = comments_decide(
            comments=moderatable_comments(user=actor).filter(pk__in=list(comment_ids)),
            action=action,
            actor=actor,
            reason=reason,
        )
    # Inside a caller's transaction nothing is committed yet: count up to here.
    elapsed = (committed[0] if committed else time.perf_counter()) - started
    return BulkResult(
        changed=decision.changed,
        seen=decision.seen,
        processed=len(comment_ids),
        chunks=1,
        longest_transaction=elapsed,
    )


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
