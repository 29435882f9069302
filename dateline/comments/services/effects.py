"""What follows a change to an article's comments: its approved comments recounted, its pages
purged from the caches once the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from dateline.core.pagecache import invalidate
from dateline.news.models import ArticlePage

from ..models import Comment


def comment_counts_refresh(*, article_id: int) -> None:
    """Recount the article's approved comments in one statement (no lost updates)."""
    comment_counts_refresh_many(article_ids=[article_id])


def comment_counts_refresh_many(*, article_ids: Iterable[int]) -> None:
    """Recount the approved comments of several articles in one statement."""
    approved = (
        Comment.objects.visible()
        .filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ids = list(article_ids)
    found = (
        ArticlePage.objects.filter(pk=ids[0])
        if len(ids) == 1
        else ArticlePage.objects.filter(pk__in=ids)
    )
    found.update(comment_count=Coalesce(Subquery(approved), Value(0)))


def articles_changed(*, article_ids: Iterable[int], listings: bool) -> None:
    """Purge the articles' pages (and the listings, when their counts changed) after commit."""
    deps = [f"article:{article_id}" for article_id in sorted(set(article_ids))]
    if listings:
        deps.append("listings")
    if deps:
        transaction.on_commit(lambda: invalidate(deps))


def article_changed(article_id: int, *, listings: bool) -> None:
    articles_changed(article_ids=[article_id], listings=listings)
