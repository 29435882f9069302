"""Requests no page can answer, turned away before any view or query runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse


class RejectNulBytesMiddleware:
    """400 for a path or query string holding a NUL character (``%00``).

    No address or parameter of ours can contain one, and PostgreSQL refuses it in any text
    value, so it would otherwise reach a query (a section or tag filter, a page path) and end
    as a 500. Form bodies are not looked at here: a form field with a NUL comes back to the
    reader with its text and a message (Django's ``ProhibitNullCharactersValidator``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "The request contains a NUL character."}, status=400)
            return HttpResponseBadRequest("Bad request: the address contains a NUL character.")
        return self.get_response(request)
