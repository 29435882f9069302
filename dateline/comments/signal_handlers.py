"""Reactions to migrations."""

from __future__ import annotations

from typing import Any


def grant_comment_permissions(**kwargs: Any) -> None:
    """Moderators, editors and administrators may moderate comments (additive, idempotent)."""
    from django.contrib.auth.models import Group, Permission

    from dateline.news.signal_handlers import ensure_permissions

    ensure_permissions()
    codenames = ["view_comment", "change_comment"]
    perms = list(
        Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
    )
    for name in ("Moderator", "Editor", "Administrator"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms)


def connect() -> None:
    """Comments react to nothing yet; the page cache follows publishing in dateline.news."""
