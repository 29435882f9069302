"""Security headers on every response, pages served from the page cache included.

The middleware sits before ``PageCacheMiddleware`` in ``MIDDLEWARE`` (like Django's
``XFrameOptionsMiddleware``), so a cache hit, which answers before any later middleware runs,
passes through it on the way out (docs/decisions/0065-content-security-policy.md).

- Content-Security-Policy (django-csp): the reader site's strict policy,
  ``CONTENT_SECURITY_POLICY``: scripts and styles from our own files only, no inline code at
  all, so a cached page needs no per-request nonce. The newsroom's tools (Wagtail's admin, the
  API's Swagger page) run inline scripts and styles of their own: they get
  ``DATELINE_TOOLS_CONTENT_SECURITY_POLICY``, which still refuses plugins, other sites' frames
  around them, foreign form targets and ``<base>``.
- Permissions-Policy: powerful browser features the site never uses are refused for the page
  and for anything it frames (``DATELINE_PERMISSIONS_POLICY``).
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

PERMISSIONS_POLICY = "Permissions-Policy"


def uses_tools_policy(path: str) -> bool:
    return path.startswith(tuple(settings.DATELINE_TOOLS_PATHS))


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``{"camera": []}`` → ``camera=()``; ``{"fullscreen": ["self"]}`` → ``fullscreen=(self)``."""
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware choosing the policy by path, plus Permissions-Policy."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # A view's own @csp / @csp_replace wins; otherwise the tools get their policy.
        if not report_only and parts.config is None and uses_tools_policy(request.path_info):
            parts.config = dict(settings.DATELINE_TOOLS_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "is_dummy", False):
            # Wagtail's preview renders the page through the middleware for a made-up request
            # to the page's own address; the admin's real request around it sets the headers.
            return response
        response = super().process_response(request, response)
        if PERMISSIONS_POLICY not in response:
            response[PERMISSIONS_POLICY] = permissions_policy(settings.DATELINE_PERMISSIONS_POLICY)
        return response
