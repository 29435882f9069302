"""Retention: what the site forgets about commenters after a while."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from wagtail.models import Site

from .models import Comment, CommentSettings


def comment_metadata_purge(*, now: Any = None) -> int:
    """Clear network prefixes and browser strings older than the retention period; returns the
    number of comments cleared."""
    now = now or timezone.now()
    site = Site.objects.filter(is_default_site=True).first()
    days = CommentSettings.for_site(site).retention_days if site is not None else 30
    cutoff = now - timedelta(days=days)
    return (
        Comment.objects.filter(created_at__lt=cutoff)
        .exclude(ip_prefix="", user_agent="")
        .update(ip_prefix="", user_agent="")
    )
