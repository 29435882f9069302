"""The comment form when the database cannot be reached (down, unreachable, locked for too long).

``DatabaseUnavailableMiddleware`` (dateline.core.middleware) calls :func:`comment_post_unavailable`
for ``POST /comments/post/``: the reader gets their form back with everything they typed, and
a 503 with ``Retry-After`` (set by the middleware). Nothing here may query the database: no
article, no policy, no user (a session would be read from it); the form posts to the same
address again, with the same hidden fields (the article, the reply, the idempotency key, the
signed timestamp), so sending it again later posts the comment once.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from dateline.core.errors import database_retry_after
from dateline.core.net import same_origin

from .forms import CONSENT_FIELD, NUDGE_FIELD
from .guards import STAMP_FIELD, form_stamp

UNAVAILABLE_MESSAGE = (
    "We could not save your comment just now: part of the site is not answering. Nothing was "
    "lost: your text is below. Please send it again in a minute."
)
KEPT_FIELDS = ("comment", "author", "email", "url", "comment_post_ID", "comment_parent")
HIDDEN_FIELDS = ("comment_key", STAMP_FIELD, NUDGE_FIELD)


def comment_post_unavailable(request: HttpRequest) -> HttpResponse:
    """The reader's form, filled in as they sent it (HTML), or the message for the page's
    script, which keeps the text in its own form (JSON)."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "ok": False,
                "message": UNAVAILABLE_MESSAGE,
                "errors": {},
                "stamp": form_stamp(),
                "retry_after": database_retry_after(),
            }
        )
    data = request.POST
    referer = request.headers.get("Referer", "")
    back = (urlsplit(referer).path or "/") if referer and same_origin(request) else "/"
    return render(
        request,
        "comments/post_unavailable.html",
        {
            "message": UNAVAILABLE_MESSAGE,
            "retry_after": database_retry_after(),
            "fields": {name: data.get(name, "") for name in KEPT_FIELDS},
            "hidden": [(name, data.get(name, "")) for name in HIDDEN_FIELDS],
            "consent": bool(data.get(CONSENT_FIELD)),
            "subscribe": bool(data.get("subscribe")),
            # A session cookie: the reader is (probably) signed in; their form carries Django's
            # CSRF token and no name or email, as the article's own form does.
            "signed_in": settings.SESSION_COOKIE_NAME in request.COOKIES,
            "consent_field": CONSENT_FIELD,
            "back": back if back.startswith("/") and not back.startswith("//") else "/",
        },
        status=503,
    )
