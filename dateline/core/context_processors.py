from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and its sections for the header; the query runs only if a template asks."""

    def sections() -> list[Any]:
        from dateline.news.selectors import section_menu

        return section_menu()

    return {"SITE_NAME": settings.SITE_NAME, "nav_sections": SimpleLazyObject(sections)}
