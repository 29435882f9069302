"""Reactions to Wagtail's page signals and to migrations."""

from __future__ import annotations

from typing import Any

from wagtail.signals import post_page_move


def ensure_newsroom(**kwargs: Any) -> None:
    from .services import newsroom_setup

    newsroom_setup(verbose=kwargs.get("verbosity", 1) > 1)


def update_section_after_move(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .services import article_sections_sync

    article_sections_sync(page=instance)


def connect() -> None:
    post_page_move.connect(update_section_after_move, dispatch_uid="news_section_after_move")
