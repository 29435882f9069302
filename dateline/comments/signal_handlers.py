"""Reactions to migrations and to saved settings. What a decision changes on the desk is
moderation's handler (``moderation.signal_handlers.desk_counts_stale``)."""

from __future__ import annotations

from typing import Any


def grant_comment_permissions(**kwargs: Any) -> None:
    """Moderators, editors and administrators may moderate comments (additive, idempotent)."""
    from django.contrib.auth.models import Group, Permission

    from dateline.news.signal_handlers import ensure_permissions

    ensure_permissions()
    codenames = [
        "view_comment",
        "change_comment",
    ]
    perms = list(
        Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
    )
    for name in ("Moderator", "Editor", "Administrator"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms)


def settings_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .services import comment_settings_changed

    comment_settings_changed(site_id=instance.site_id)


def connect() -> None:
    from django.db.models.signals import post_save

    from .models import CommentSettings

    post_save.connect(settings_saved, sender=CommentSettings, dispatch_uid="comment_settings_saved")
