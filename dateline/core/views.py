from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.templatetags.static import static
from django.views import csrf as csrf_views
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from .health import readiness, worker_status_for_probe
from .middleware import database_unavailable_response, is_database_unavailable

log = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and `make demo`: 200 when the database answers, 503 with
    ``Retry-After`` otherwise. The body says which, what this process loaded before it took
    traffic (core.health), and how the task worker is (its state never makes this a 503: the
    site serves without it). One or two queries a probe."""
    ready = readiness()
    body: dict[str, Any] = {
        "status": "ok",
        "process": {
            "state": ready.state,
            "warm_up_seconds": ready.seconds,
            "loaded": ready.loaded,
            "preloaded": ready.preloaded,
        },
    }
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"
        body["status"], status = "unavailable", 503
    else:
        try:
            body["worker"] = worker_status_for_probe().as_json()
        except DatabaseError:  # e.g. the heartbeat table not migrated yet
            log.exception("could not read the task worker's heartbeat")
            body["worker"] = {"state": "unknown", "ok": False}
    response = JsonResponse(body, status=status)
    if status == 503:
        response["Retry-After"] = "5"
    return response


@require_GET
@never_cache
def healthz_process(request: HttpRequest) -> HttpResponse:
    """For the front cache's health probe (deploy/varnish/backends.py): 200 while this process
    answers, whatever the database does, and no query. The database is every app server's: a
    probe that failed with it would take them all out of Varnish at once, and readers would get
    Varnish's bare 503 instead of what the site still gives them (the page cache's pages, its own
    503 with the comment form and the reader's text). /healthz says how the database is."""
    ready = readiness()
    return JsonResponse(
        {"status": "ok", "process": {"state": ready.state, "preloaded": ready.preloaded}}
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("dateline/favicon.svg"))


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploads, for the embedded setup without a front server (settings.SERVE_MEDIA)."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: JSON under /api/, the site's page elsewhere."""
    if _api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception or Exception())


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": "The request could not be read."}, status=400)
    return defaults.bad_request(request, exception or Exception())


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": "Not allowed."}, status=403)
    return defaults.permission_denied(request, exception or Exception())


def server_error(request: HttpRequest) -> HttpResponse:
    """500, except for a database that cannot be reached from a middleware (a view's own error
    is answered by ``DatabaseUnavailableMiddleware``): that is a 503 with ``Retry-After``."""
    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        return database_unavailable_response(request, exc)  # type: ignore[arg-type]
    if _api(request):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return csrf_views.csrf_failure(request, reason=reason)
