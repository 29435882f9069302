"""Old WordPress addresses of the form ``/?p=123`` on a page that exists (the front page).

Wagtail's redirect middleware only looks for a redirect when a page is not found; ``/?p=123``
finds the front page, so the redirects the WordPress import left for these addresses are
followed here, before the page is served.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from dateline.core.redirects import redirect_followable

WORDPRESS_ID_PARAMS = {"p", "page_id", "attachment_id"}


@hooks.register("before_serve_page")
def follow_wordpress_id_address(
    page: Page, request: HttpRequest, serve_args: Any, serve_kwargs: Any
) -> HttpResponse | None:
    if not WORDPRESS_ID_PARAMS & set(request.GET.keys()):
        return None
    site = Site.find_for_request(request)
    old_path = Redirect.normalise_path(request.get_full_path())
    redirect = Redirect.get_for_site(site).filter(old_path=old_path).first()
    # Not to a draft or scheduled story: its address is not for readers yet (core.redirects).
    if redirect is None or not redirect_followable(redirect) or not redirect.link:
        return None
    return HttpResponsePermanentRedirect(redirect.link)
