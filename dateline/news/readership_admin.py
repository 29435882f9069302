"""The editors' "Most read" report in the admin: today's and this week's most read articles, with
their comments beside the reads (counted by ``dateline.readership``, nothing about readers)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .front import most_read_report


def most_read_view(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "news/admin/most_read.html", {"reports": most_read_report()})
