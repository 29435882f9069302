"""A full-page cache for anonymous readers, invalidated exactly when a page's content changes.

A page says what it depends on (``page_cache_depends(request, [...])``): "content" (anything
published), "listings" (comment counts on cards), "article:<id>" (that article and its thread).
Each dependency has a version in the "pages" cache; a stored page carries the versions it was
rendered with and is served only while they are all current. Changing something bumps its
version (:func:`invalidate`), so nothing is ever served stale and nothing needs to be found
and deleted. The versions are read before rendering, so a change during rendering is never
hidden.

Only anonymous requests without our cookies are served from or stored in the cache: a reader
with a session, a pending comment of their own or a message gets a fresh, private response.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

log = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
# Cookies that make a response personal.
PERSONAL_COOKIES = ("dl_own", "messages")
# Query parameters that select a cacheable variant; any other makes the request uncacheable.
VARIANT_PARAMS = {"cpage", "corder", "replytocom", "page"}
TTL = 24 * 3600


def _cache() -> Any:
    return caches[CACHE_ALIAS]


def is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not getattr(settings, "DATELINE_PAGE_CACHE", True):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or any(
        c in request.COOKIES for c in PERSONAL_COOKIES
    ):
        return False
    return set(request.GET.keys()) <= VARIANT_PARAMS


def _is_personal(request: HttpRequest) -> bool:
    return (
        "own" in request.GET
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or any(c in request.COOKIES for c in PERSONAL_COOKIES)
    )


def _key(request: HttpRequest) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
    raw = f"{request.get_host()}|{request.path}|{query}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _versions(deps: Iterable[str]) -> dict[str, Any]:
    deps = list(deps)
    found = _cache().get_many([f"v:{d}" for d in deps])
    return {d: found.get(f"v:{d}", 0) for d in deps}


def page_cache_depends(
    request: HttpRequest, deps: list[str], *, expires_at: datetime | None = None
) -> None:
    """Called by a page before it renders: what it depends on, at the versions current now, and
    the moment it changes by itself, if any (it is not kept past that)."""
    if is_cacheable_request(request):
        request._page_cache_deps = _versions(deps)  # type: ignore[attr-defined]
        request._page_cache_expires = expires_at  # type: ignore[attr-defined]


def invalidate(deps: Iterable[str]) -> None:
    """Make every stored page that depends on ``deps`` stale (call after commit)."""
    now = time.time_ns()
    _cache().set_many({f"v:{d}": now for d in deps}, timeout=None)


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if (
                request.method in ("GET", "HEAD")
                and _is_personal(request)
                and "Cache-Control" not in response
            ):
                # A reader's own view (their pending comment, their session): never in a shared
                # cache, ours or one in front of the site.
                patch_cache_control(response, private=True, no_store=True)
            return response
        key = _key(request)
        try:
            entry = _cache().get(key)
            expired = (
                entry is not None
                and entry.get("expires") is not None
                and time.time() >= entry["expires"]
            )
            if (
                entry is not None
                and not expired
                and _versions(entry["versions"]) == entry["versions"]
            ):
                response = HttpResponse(entry["body"], content_type=entry["content_type"])
                response["Cache-Control"] = entry["cache_control"]
                response["X-Page-Cache"] = "hit"
                return response
        except Exception:  # a broken cache must never break the page
            log.warning("page cache unavailable", exc_info=True)
        response = self.get_response(request)
        versions = getattr(request, "_page_cache_deps", None)
        if (
            versions is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
            expires_at = getattr(request, "_page_cache_expires", None)
            ttl = TTL
            if expires_at is not None:
                ttl = max(1, min(TTL, int((expires_at - timezone.now()).total_seconds())))
            try:
                _cache().set(
                    key,
                    {
                        "versions": versions,
                        "body": response.content,
                        "content_type": response["Content-Type"],
                        "cache_control": response["Cache-Control"],
                        # Checked on every hit: a cache's own expiry may run on another clock.
                        "expires": expires_at.timestamp() if expires_at is not None else None,
                    },
                    ttl,
                )
                response["X-Page-Cache"] = "miss"
            except Exception:
                log.warning("page cache unavailable", exc_info=True)
        return response
