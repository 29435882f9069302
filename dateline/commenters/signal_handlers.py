"""Reactions to decisions taken in the comments app: outcome notices to commenters."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from dateline.comments.signals import comments_moderated

from .services import outcome_notices_queue


@receiver(comments_moderated)
def _tell_commenters(
    sender: Any,
    *,
    held_ids: list[int],
    to_status: str,
    actor: Any = None,
    reason: str = "",
    **kwargs: Any,
) -> None:
    # Only people's decisions on held comments: a rule's verdict at posting time is shown on
    # the page already.
    if actor is not None and held_ids:
        outcome_notices_queue(comment_ids=held_ids, to_status=to_status, reason=reason)


def grant_permissions(**kwargs: Any) -> None:
    """Moderators and administrators may export or erase a commenter's data (additive)."""
    from django.contrib.auth.models import Group, Permission

    from dateline.news.signal_handlers import ensure_permissions

    ensure_permissions()
    perm = Permission.objects.filter(
        content_type__app_label="commenters", codename="act_for_commenters"
    ).first()
    if perm is None:
        return
    for group in Group.objects.filter(name__in=["Moderator", "Administrator"]):
        group.permissions.add(perm)
