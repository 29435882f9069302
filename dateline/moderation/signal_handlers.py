"""Cached section and article policies go stale when one is saved or deleted; who may see the
learned filters' page and roll a filter back (after migrations)."""

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
    }
    for codename, names in grants.items():
        perm = Permission.objects.filter(
            content_type__app_label="moderation", codename=codename
        ).first()
        if perm is None:
            continue
        for group in Group.objects.filter(name__in=names):
            group.permissions.add(perm)


def connect() -> None:
    from .models import ArticlePolicy, SectionPolicy

    for model in (SectionPolicy, ArticlePolicy):
        post_save.connect(_changed, sender=model, dispatch_uid=f"policy-saved-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"policy-deleted-{model.__name__}")
