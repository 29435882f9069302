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

from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
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
        if self._plain(request, response):
            # The policy from settings as it stands, no nonce asked for, no view's own change:
            # the same header for every such response, built once (django-csp builds it anew
            # each time: a tenth of a millisecond, on page-cache hits and /healthz too).
            for header, report_only in ((HEADER, False), (HEADER_REPORT_ONLY, True)):
                self._set_plain(request, response, header, report_only)
            # As django-csp: a nonce asked for after the header went out is an error, not a
            # nonce the browser never hears of.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        else:
            response = super().process_response(request, response)
        if PERMISSIONS_POLICY not in response:
            features = settings.DATELINE_PERMISSIONS_POLICY
            found = self._built.get(PERMISSIONS_POLICY)
            if found is None or found[0] is not features:
                found = (features, permissions_policy(features))
                self._built[PERMISSIONS_POLICY] = found
            response[PERMISSIONS_POLICY] = found[1]
        return response

    # The headers built from settings, each with the settings' value it was built from (a
    # settings change, as in tests, builds it again): by whether the CSP is report-only, and
    # under PERMISSIONS_POLICY.
    _built: dict[bool | str, tuple[Any, str]] = {}

    def _plain(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        """Whether this response gets the settings' policies unchanged: no view's decorator,
        no nonce, not under the tools' paths, not the debug pages django-csp leaves alone."""
        if settings.DEBUG or uses_tools_policy(request.path_info):
            return False
        if getattr(request, "_csp_nonce", None) is not None:
            return False
        return not any(
            getattr(response, name, None) is not None
            for name in (
                "_csp_config",
                "_csp_update",
                "_csp_replace",
                "_csp_config_ro",
                "_csp_update_ro",
                "_csp_replace_ro",
                "_csp_exempt",
                "_csp_exempt_ro",
            )
        )

    def _set_plain(
        self, request: HttpRequest, response: HttpResponseBase, header: str, report_only: bool
    ) -> None:
        """As ``CSPMiddleware.process_response`` sets ``header`` for a plain response."""
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        source = getattr(settings, name, None)
        found = self._built.get(report_only)
        if found is not None and found[0] is source:
            policy = found[1]
        else:
            policy = build_policy(report_only=report_only)
            self._built[report_only] = (source, policy)
        prefixes = (source or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
        if policy and header not in response and not request.path_info.startswith(tuple(prefixes)):
            response[header] = policy
