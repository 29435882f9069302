"""Cached section and article policies go stale when one is saved or deleted; who may see the
learned filters' page and roll a filter back, and who may ban (after migrations); the desk's
cached counts after any decision on comments."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _changed(sender: Any, **kwargs: Any) -> None:
    from .policy import policies_changed

    # Now, for this transaction's own reads; after commit, for anyone who cached the old rows
    # in between.
    policies_changed()
    transaction.on_commit(policies_changed)


def grant_filter_permissions(**kwargs: Any) -> None:
    """Moderators and administrators see the learned filters' page; administrators may roll a
    filter back (additive, idempotent: an administrator can give it to another group)."""
    from django.contrib.auth.models import Group, Permission

    from dateline.news.signal_handlers import ensure_permissions

    ensure_permissions()
    grants = {
        "view_filterversion": ["Moderator", "Administrator"],
        "rollback_filterversion": ["Administrator"],
        # The desk's bans: moderators keep repeat offenders out.
        **{
            codename: ["Moderator", "Editor", "Administrator"]
            for codename in ("view_commentban", "add_commentban", "change_commentban")
        },
    }
    for codename, names in grants.items():
        perm = Permission.objects.filter(
            content_type__app_label="moderation", codename=codename
        ).first()
        if perm is None:
            continue
        for group in Group.objects.filter(name__in=names):
            group.permissions.add(perm)


def desk_counts_stale(sender: Any, **kwargs: Any) -> None:
    """Any decision changes the desk's queues: their cached counts are dropped now, for this
    transaction's own reads, and after commit, for anyone who counted the old rows in between."""
    from .desk_selectors import desk_counts_changed

    desk_counts_changed()
    transaction.on_commit(desk_counts_changed)


def connect() -> None:
    from dateline.comments.signals import comments_moderated

    from .models import ArticlePolicy, SectionPolicy

    comments_moderated.connect(desk_counts_stale, dispatch_uid="desk_counts_stale")

    for model in (SectionPolicy, ArticlePolicy):
        post_save.connect(_changed, sender=model, dispatch_uid=f"policy-saved-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"policy-deleted-{model.__name__}")
