"""Cached section and article policies go stale when one is saved or deleted."""

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


def connect() -> None:
    from .models import ArticlePolicy, SectionPolicy

    for model in (SectionPolicy, ArticlePolicy):
        post_save.connect(_changed, sender=model, dispatch_uid=f"policy-saved-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"policy-deleted-{model.__name__}")
