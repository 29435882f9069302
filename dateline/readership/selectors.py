"""Reads of the counters: the pages read most since a moment, among the pages a caller names."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from .models import PageViews


def pages_most_read(*, pages: QuerySet[Any], since: datetime, limit: int) -> list[tuple[int, int]]:
    """(page id, reads) of the ``limit`` pages of ``pages`` read most since ``since`` (counted by
    the hour: the hour ``since`` falls in counts whole), most read first, then the lowest id.
    One query."""
    start = since.replace(minute=0, second=0, microsecond=0)
    rows = (
        PageViews.objects.filter(hour__gte=start, page_id__in=pages.values("pk"))
        .values("page_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "page_id")
        .values_list("page_id", "total")[:limit]
    )
    return [(page_id, total) for page_id, total in rows]


def page_reads(*, page_ids: list[int], since: datetime) -> dict[int, int]:
    """Reads of each of ``page_ids`` since ``since`` (pages never read are left out). One query."""
    start = since.replace(minute=0, second=0, microsecond=0)
    rows = (
        PageViews.objects.filter(hour__gte=start, page_id__in=page_ids)
        .values("page_id")
        .annotate(total=Sum("views"))
        .values_list("page_id", "total")
    )
    return dict(rows)


def reads_since(*, hours: int, now: datetime | None = None) -> datetime:
    """The moment ``hours`` before ``now``."""
    return (now or timezone.now()) - timedelta(hours=hours)
