"""The learned filters' page in the Wagtail admin: what is live, the history, and rollback."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .classifier import KINDS
from .classifier.registry import RollbackError, filter_rollback
from .models import FilterKind
from .selectors import (
    can_roll_back_filters,
    can_see_filters,
    filter_history,
    filter_rollback_preview,
    filter_states,
)


def filters_view(request: HttpRequest) -> HttpResponse:
    if not can_see_filters(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "moderation/admin/filters.html",
        {
            "states": filter_states(),
            "history": filter_history(),
            "can_roll_back": can_roll_back_filters(request.user),
            "retrain_hour": settings.DATELINE_RETRAIN_HOUR,
        },
    )


@require_http_methods(["GET", "POST"])
def filter_rollback_view(request: HttpRequest, kind: str) -> HttpResponse:
    """GET: what a rollback would do, and a button to confirm it; POST: do it (logged)."""
    if kind not in KINDS:
        raise Http404
    if not can_roll_back_filters(request.user):
        raise PermissionDenied
    page = reverse("moderation_filters")
    label = FilterKind(kind).label
    if request.method == "POST":
        try:
            event = filter_rollback(kind=kind, actor=request.user)
        except RollbackError as exc:
            messages.error(request, f"{label} filter: {exc}")
        else:
            assert event.version is not None
            messages.success(
                request, f"{label} filter rolled back: {event.version.version} is live again."
            )
        return HttpResponseRedirect(page)
    live, previous = filter_rollback_preview(kind=kind)
    return TemplateResponse(
        request,
        "moderation/admin/filter_rollback.html",
        {
            "kind": kind,
            "title": f"Roll back the {str(label).lower()} filter",
            "live": live,
            "previous": previous,
            "back": page,
        },
    )
