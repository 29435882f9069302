"""Requests no page can answer, turned away before any view or query runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse


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
