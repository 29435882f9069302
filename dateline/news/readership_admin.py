"""The editors' "Most read" report in the admin: today's and this week's most read articles, with
their comments beside the reads (counted by ``dateline.readership``, nothing about readers)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .front import most_read_report


def most_read_view(request: HttpRequest) -> HttpResponse:
    limits = {
        "page_limit": settings.DATELINE_READERSHIP_PAGE_LIMIT,
        "network_limit": settings.DATELINE_READERSHIP_NETWORK_LIMIT,
        "window_minutes": max(1, round(settings.DATELINE_READERSHIP_WINDOW / 60)),
        "refresh_minutes": max(1, round(settings.DATELINE_MOST_READ_REFRESH / 60)),
    }
    return TemplateResponse(
        request, "news/admin/most_read.html", {"reports": most_read_report(), **limits}
    )
