"""Reactions to Wagtail's page signals and to migrations."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from dateline.core.pagecache import invalidate


def ensure_permissions() -> None:
    """Create every app's permissions now. Our post_migrate receivers are connected before
    django.contrib.auth's, so on a new database they would otherwise run before it."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)


def ensure_newsroom(**kwargs: Any) -> None:
    from .services import newsroom_setup

    ensure_permissions()
    newsroom_setup(verbose=kwargs.get("verbosity", 1) > 1)


def update_section_after_move(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .services import article_sections_sync

    article_sections_sync(page=instance)


def invalidate_page_cache(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Anything published, unpublished, moved or deleted may show on every page (navigation,
    listings): every cached page goes stale after commit."""
    transaction.on_commit(lambda: invalidate(["content"]))


def refresh_related(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An article published, unpublished or moved changes the related coverage of others."""
    from .models import ArticlePage
    from .tasks import article_changed

    if (
        isinstance(instance, ArticlePage)
        or getattr(instance, "specific_class", None) is ArticlePage
    ):
        pk = instance.pk
        transaction.on_commit(lambda: article_changed.enqueue(pk))


def connect() -> None:
    post_page_move.connect(update_section_after_move, dispatch_uid="news_section_after_move")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate_page_cache, dispatch_uid=f"news_pagecache_{id(signal)}")
    post_delete.connect(invalidate_page_cache, sender=Page, dispatch_uid="news_pagecache_delete")
    # The sites and the view restrictions decide what every page is and who sees it; the
    # routing keeps both under "content" (news.routing), as the page cache keeps the pages.
    for model in (Site, PageViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate_page_cache,
                sender=model,
                dispatch_uid=f"news_pagecache_{model.__name__}_{id(signal)}",
            )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(refresh_related, dispatch_uid=f"news_related_{id(signal)}")
