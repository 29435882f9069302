"""Reactions to other apps: a first publication sends the on-publish alerts; a breaking-news
flag (``dateline.live.signals.breaking_news``) sends the breaking-news alerts; a changed
newsletter refreshes the signup forms on cached pages."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from wagtail.signals import page_published

log = logging.getLogger(__name__)


def alert_on_publish(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A story published for the first time (within the hour: a republished old story sends
    nothing) goes to the alert newsletters it feeds, from the queue after commit."""
    from dateline.news.models import ArticlePage

    from .alerts import send_alerts

    if not isinstance(instance, ArticlePage) or instance.first_published_at is None:
        return
    window = timedelta(seconds=settings.DATELINE_NEWSLETTER_ALERT_WINDOW)
    if instance.first_published_at < timezone.now() - window:
        return
    pk = instance.pk
    transaction.on_commit(lambda: send_alerts.enqueue(pk))


def alert_on_breaking_news(sender: Any, page: Any, **kwargs: Any) -> None:
    from .alerts import send_alerts

    pk = getattr(page, "pk", None)
    if pk is not None:
        transaction.on_commit(lambda: send_alerts.enqueue(pk, True))


def newsletter_saved(sender: Any, **kwargs: Any) -> None:
    from .services import newsletter_changed

    newsletter_changed()


def connect() -> None:
    from dateline.live.signals import breaking_news

    from .models import Newsletter

    page_published.connect(alert_on_publish, dispatch_uid="newsletters_alert_on_publish")
    post_save.connect(newsletter_saved, sender=Newsletter, dispatch_uid="newsletters_saved")
    post_delete.connect(newsletter_saved, sender=Newsletter, dispatch_uid="newsletters_deleted")
    m2m_changed.connect(
        newsletter_saved, sender=Newsletter.sections.through, dispatch_uid="newsletters_m2m"
    )
    breaking_news.connect(alert_on_breaking_news, dispatch_uid="newsletters_breaking_news")


def grant_permissions(**kwargs: Any) -> None:
    """Editors and administrators define newsletters and send issues (additive)."""
    from django.contrib.auth.models import Group, Permission

    from dateline.news.signal_handlers import ensure_permissions

    ensure_permissions()
    perms = list(Permission.objects.filter(content_type__app_label="newsletters"))
    for name in ("Editor", "Administrator"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms)
