"""Wagtail's redirects for addresses no page answers, but never to a page readers cannot see,
and never back to the address asked.

Wagtail leaves a redirect from each address a page had when its slug or section changes, and
the WordPress import leaves one from each old address of a post, drafts and scheduled posts
included. Followed blindly, an old address of a story that is not live (a draft, an embargoed
or scheduled story, one unpublished) would tell anyone who asks where it will appear, under
which words ("/business/minister-resigns-over-contracts/"); readers get the 404 instead, and
the redirect works again once the story is published.

When a page gets an address back (a headline changed and changed back, a story moved to
another section and back), the old redirect from that address stays, pointing at the page,
which lives there again: followed, it would send readers to the address they asked for until
the browser gives up ("too many redirects").
"""

from __future__ import annotations

from urllib.parse import urlparse

from django import http
from django.http import HttpRequest, HttpResponse
from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect


def redirect_followable(redirect: Redirect) -> bool:
    """Whether readers may be sent where ``redirect`` points: not to a page that is not live."""
    return redirect.redirect_page_id is None or redirect.redirect_page.live


class RedirectMiddleware(WagtailRedirectMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # Wagtail's own steps (wagtail.contrib.redirects.middleware), with the two checks.
        if response.status_code != 404:
            return response
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path)
        if redirect is None:
            path_without_query = urlparse(path).path
            if path == path_without_query:
                return response
            redirect = get_redirect(request, path_without_query)
            if redirect is None:
                return response
        if not redirect_followable(redirect):
            return response
        link = redirect.link
        if link is None:
            return response
        target = urlparse(link)
        same_host = not target.netloc or target.netloc == request.get_host()
        if same_host and Redirect.normalise_path(target.path) == Redirect.normalise_path(
            request.path
        ):
            return response
        if redirect.is_permanent:
            return http.HttpResponsePermanentRedirect(link)
        return http.HttpResponseRedirect(link)
