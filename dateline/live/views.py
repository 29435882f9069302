"""Readers' addresses of live coverage: the newest updates for the page's script, an update's
permalink, and the breaking-news banner. Each is kept by the page cache and the front cache
under what it shows, purged when that changes, and never kept longer than a few seconds more
(a purge that got lost ends there)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from dateline.core.pagecache import page_cache_depends

from .models import live_dependency
from .selectors import breaking_banner, live_update_for_link, live_updates_latest, public_live_page


def _soon(seconds: int) -> datetime:
    return timezone.now() + timedelta(seconds=seconds)


@require_safe
def live_updates(request: HttpRequest, page_id: int) -> HttpResponse:
    """The newest published updates of a live page as JSON, for the page's script: each with
    its id, time, whether it is pinned, its version (for corrections) and its HTML, the same
    markup the page shows."""
    page = public_live_page(page_id=page_id)
    if page is None:
        raise Http404
    page_cache_depends(
        request,
        ["content", live_dependency(page.pk)],
        expires_at=_soon(settings.DATELINE_LIVE_POLL_TTL),
    )
    updates = live_updates_latest(page=page)
    return JsonResponse(
        {
            "coverage": page.coverage,
            "updates": [
                {
                    "id": u.pk,
                    "published_at": u.published_at.isoformat() if u.published_at else None,
                    "at": u.stamp,
                    "version": u.version,
                    "pinned": u.pinned,
                    "html": render_to_string("live/includes/update.html", {"update": u}),
                }
                for u in updates
            ],
        }
    )


@require_safe
def live_update_link(request: HttpRequest, update_id: int) -> HttpResponse:
    """An update's own address: to the page of updates that shows it, at its anchor."""
    found = live_update_for_link(update_id=update_id)
    if found is None:
        raise Http404
    update, number = found
    url = update.page.get_url(request)
    if not url:
        raise Http404
    query = f"?page={number}" if number > 1 else ""
    return HttpResponseRedirect(f"{url}{query}#{update.anchor}")


@require_safe
def breaking(request: HttpRequest) -> HttpResponse:
    """The breaking-news banner (empty when there is none), fetched by every page's script.
    Kept until a flag changes (purged: ``breaking``) or the shown flag expires, and never longer
    than ``DATELINE_BREAKING_TTL`` seconds."""
    banner = breaking_banner()
    until = _soon(settings.DATELINE_BREAKING_TTL)
    if banner.until is not None:
        until = min(until, banner.until)
    page_cache_depends(request, ["content", "breaking"], expires_at=until)
    return HttpResponse(
        render_to_string(
            "live/breaking.html",
            {
                "alert": banner.alert,
                "story_url": banner.alert.page.get_url(request) if banner.alert else "",
            },
        )
    )
