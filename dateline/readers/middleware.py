"""The reader cookie: who a signed-in reader is, read only where no page is shared.

Readers do not get Django's session cookie (which makes every page private, in the page cache
and in Varnish). Their ``dl_reader`` cookie is read:

- for a POST (any unsafe method) from a page of this site (``core.net.same_origin``): posting a
  comment, signing out, saving the reader's page;
- for a GET or HEAD under ``DATELINE_READER_PATHS`` (the reader's pages, the state the page's
  script asks for, the newsletters' manage page), which are never cached and which Varnish
  passes with their cookies.

Everywhere else (articles, sections, feeds) the reader is anonymous to the application, so the
page is the one every reader gets, from the page cache and from Varnish; the page's script fills
in the signed-in state from ``/readers/state/``. Never under ``/admin/`` or ``/api/``: a reader
is not a newsroom user, and a newsroom session (Django's cookie) always wins.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from dateline.core.net import same_origin

from .selectors import reader_user_for_session
from .tokens import COOKIE

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
NEVER = ("/admin/", "/django-admin/", "/api/")


def reader_cookie_honoured(request: HttpRequest) -> bool:
    """Whether this request may be answered for the reader its cookie names."""
    path = request.path_info
    if path.startswith(NEVER) or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if request.method in SAFE_METHODS:
        return path.startswith(tuple(settings.DATELINE_READER_PATHS))
    # SameSite=Lax keeps the cookie off other sites' POSTs; Origin says so again.
    return same_origin(request)


class ReaderMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.COOKIES.get(COOKIE)
        if key and reader_cookie_honoured(request):
            anonymous = request.user
            request.user = SimpleLazyObject(  # type: ignore[assignment]
                lambda: reader_user_for_session(key) or anonymous
            )
            # Read by comments.views: a reader's post is checked by origin, like an anonymous
            # one (the cached form carries no CSRF token; docs/decisions/0003).
            request.reader_signed_in = True  # type: ignore[attr-defined]
        return self.get_response(request)
