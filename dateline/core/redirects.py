"""Wagtail's redirects for addresses no page answers, but never one back to the address asked.

Wagtail leaves a redirect from each address a page had when its slug or section changes. When
the page gets an address back (a headline changed and changed back, a story moved to another
section and back), the old redirect from that address stays, pointing at the page, which now
lives there again. While the page is live it answers first and the redirect is never read;
once it is unpublished, the redirect would send readers to the address they asked for, again
and again, until the browser gives up ("too many redirects"). They get the page's 404 instead.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.http import HttpRequest, HttpResponse
from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware
from wagtail.contrib.redirects.models import Redirect


class RedirectMiddleware(WagtailRedirectMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        answer: HttpResponse = super().process_response(request, response)
        if answer is response or "Location" not in answer:
            return answer
        target = urlparse(answer["Location"])
        same_host = not target.netloc or target.netloc == request.get_host()
        if same_host and Redirect.normalise_path(target.path) == Redirect.normalise_path(
            request.path
        ):
            return response
        return answer
