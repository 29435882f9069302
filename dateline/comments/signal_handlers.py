"""Reactions to migrations, to saved settings, and to decisions on comments."""

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
        # The desk's bans: moderators keep repeat offenders out.
        "view_commentban",
        "add_commentban",
        "change_commentban",
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


def desk_counts_stale(sender: Any, **kwargs: Any) -> None:
    """Any decision changes the desk's queues: their cached counts are dropped now, for this
    transaction's own reads, and after commit, for anyone who counted the old rows in between."""
    from django.db import transaction

    from .desk_selectors import desk_counts_changed

    desk_counts_changed()
    transaction.on_commit(desk_counts_changed)


def connect() -> None:
    from django.db.models.signals import post_save

    from .models import CommentSettings
    from .signals import comments_moderated

    post_save.connect(settings_saved, sender=CommentSettings, dispatch_uid="comment_settings_saved")
    comments_moderated.connect(desk_counts_stale, dispatch_uid="desk_counts_stale")
