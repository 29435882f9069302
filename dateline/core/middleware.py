"""Requests no page can answer (turned away before any view or query runs), and the answer
when the database cannot be reached."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from .errors import database_retry_after


class RejectNulBytesMiddleware:
    """400 for a path holding a NUL character (``%00``), and for an API request with one in its
    query string.

    No address of ours can contain one, and PostgreSQL refuses it in any text value, so it would
    otherwise reach a query (an API filter by section or tag, a page path) and end as a 500.
    Pages read their own parameters forgivingly (a section's ``?page=%00`` is its first page, a
    search for ``%00`` finds nothing), so their query strings are left to them; form bodies too:
    a form field with a NUL comes back to the reader with its text and a message (Django's
    ``ProhibitNullCharactersValidator``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith("/api/")
        if "\x00" in request.path or (
            api
            and any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
        ):
            if api:
                return JsonResponse({"detail": "The request contains a NUL character."}, status=400)
            return HttpResponseBadRequest("Bad request: the address contains a NUL character.")
        return self.get_response(request)


# SQLite's operational errors that mean "not now" rather than "not this query".
SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o", "disk is full")
# The attribute a view carries when it answers an unreachable database itself (its form, kept).
UNAVAILABLE_ANSWER = "database_unavailable_answer"

log = logging.getLogger(__name__)
# The database down fails every request: logged every few seconds (settings.LOGGING).
unavailable_log = logging.getLogger(f"{__name__}.unavailable")

V = TypeVar("V", bound=Callable[..., Any])


def answers_database_unavailable(
    answer: Callable[[HttpRequest], HttpResponse],
) -> Callable[[V], V]:
    """Give a view its own answer for a database that cannot be reached (the comment form
    comes back with what the reader typed). ``answer`` must not query the database; the status,
    ``Retry-After`` and ``Cache-Control`` are set for it. Put it outermost on the view."""

    def decorate(view: V) -> V:
        setattr(view, UNAVAILABLE_ANSWER, answer)
        return view

    return decorate


def is_database_unavailable(exc: BaseException | None) -> bool:
    """The database is down, unreachable or locked: worth a retry, not a bug. Errors in the
    query itself (integrity, programming, data) stay 500s; so do SQLite's operational errors
    that are about the query ("no such column", a full-text search syntax error), which SQLite
    reports with the same class as a lock."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if isinstance(exc.__cause__, sqlite3.Error):
        message = str(exc).lower()
        return any(sign in message for sign in SQLITE_UNAVAILABLE)
    return True


def database_unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 with ``Retry-After`` (``core.errors.database_retry_after``), built without a query:
    JSON under /api/, the view's own answer when it has one, a plain page elsewhere. The one
    answer to an unreachable database: views and the API do not catch it themselves. Never
    stored by any cache."""
    unavailable_log.warning("database unavailable for %s %s: %s", request.method, request.path, exc)
    retry_after = database_retry_after()
    match = getattr(request, "resolver_match", None)
    answer = getattr(match.func, UNAVAILABLE_ANSWER, None) if match is not None else None
    response: HttpResponse | None = None
    if answer is not None:
        try:
            response = answer(request)
        except Exception:  # its own answer failed too: the plain page still goes out
            log.exception("the view's answer to an unavailable database failed")
    if response is None:
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "detail": "The service is unavailable for a moment. Please try again shortly.",
                    "retry_after": retry_after,
                },
                status=503,
            )
        else:
            response = HttpResponse(
                render_to_string("core/unavailable.html", {"retry_after": retry_after}),
            )
    response.status_code = 503
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, private=True, no_store=True)
    # Said above (every few seconds): not again as Django's "Service Unavailable" per request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseUnavailableMiddleware:
    """An unreachable, down or locked database is a 503 with ``Retry-After``, not a 500.

    Errors raised by a view (or its template) come here through ``process_exception``; those
    raised in another middleware reach ``core.views.server_error``, which answers the same.
    Pages already in the page cache never get this far: its hits run no query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        return database_unavailable_response(request, exception)
