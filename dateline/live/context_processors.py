"""What every page's template needs from live coverage: where its script fetches the
breaking-news banner. No query: the banner itself is its own short-lived, purged address
(docs/decisions/0077-breaking-banner-as-its-own-fragment.md)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


@lru_cache(maxsize=1)
def _breaking_src() -> str:
    return reverse("live:breaking")


def breaking(request: HttpRequest) -> dict[str, Any]:
    return {
        # Not in an editor's preview: it shows the page, not the site around it.
        "breaking_src": "" if getattr(request, "is_preview", False) else _breaking_src(),
        "breaking_every": settings.DATELINE_BREAKING_POLL_EVERY,
    }
