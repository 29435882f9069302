"""The moderation log (``CommentEvent``): who did what to a comment, when, from which status to
which, and why. Every row is built by :func:`comment_event` and written by :func:`comment_log`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from dateline.core.db import insert_row

from ..models import Comment, CommentEvent


def comment_event(
    *,
    action: str,
    from_status: str,
    to_status: str | None = None,
    comment: Comment | None = None,
    comment_id: int | None = None,
    actor: Any = None,
    rule: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> CommentEvent:
    """One log row (not written yet). ``to_status`` defaults to the comment's status; a person
    who is not signed in (a reader, a rule, a task) is logged as no one."""
    if to_status is None:
        assert comment is not None, "give to_status or the comment"
        to_status = comment.status
    event = CommentEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        rule=rule,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        created_at=at or timezone.now(),
    )
    if comment is not None:
        event.comment = comment
    else:
        assert comment_id is not None, "give the comment or its id"
        event.comment_id = comment_id
    return event


def comment_log(events: Sequence[CommentEvent]) -> None:
    """Write log rows: one prepared INSERT for one, multi-row INSERTs of up to 500 for more."""
    if len(events) == 1:
        insert_row(events[0])
    elif events:
        CommentEvent.objects.bulk_create(events, batch_size=500)
