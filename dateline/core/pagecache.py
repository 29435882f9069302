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

The same rule decides what a front cache (Varnish, a CDN) may keep: those pages go out public,
tagged with their dependency names as surrogate keys, and every :func:`invalidate` also purges
the front cache after commit (:mod:`dateline.core.frontcache`); everything else goes out
``private, no-store``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone

from . import frontcache, tasks
from .media import pictures_left_out
from .release import code_release

log = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
# Cookies that make a response personal.
PERSONAL_COOKIES = ("dl_own", "messages")
# Query parameters that select a cacheable variant, each with the values it may take; any other
# parameter, or a value outside its pattern, makes the request uncacheable, so a crawler or a
# flood of made-up values (``?corder=x1``, ``?page=00001``) renders a private page each time
# instead of filling the cache and the front cache with copies. Apps add theirs in
# ``AppConfig.ready`` with :func:`page_cache_variant` (the comments app: cpage, corder, …).
_NUMBER = r"[1-9][0-9]{0,8}"
VARIANT_PARAMS: dict[str, re.Pattern[str]] = {"page": re.compile(_NUMBER)}
TTL = 24 * 3600


def page_cache_variant(name: str, pattern: str = _NUMBER) -> None:
    """Let ``?name=value`` select a cached variant of a page when the whole value matches
    ``pattern`` (a positive number unless given)."""
    VARIANT_PARAMS[name] = re.compile(pattern)


# The versions this request has read, by dependency name: a page and its fragments read each
# name once per request instead of once per part (set by PageCacheMiddleware for a request).
_request_versions: ContextVar[dict[str, Any] | None] = ContextVar(
    "dateline_request_versions", default=None
)


def _cache() -> Any:
    return caches[CACHE_ALIAS]


def is_shared_request(request: HttpRequest) -> bool:
    """A request whose answer is the same for every reader who sends it: a GET or HEAD without
    a session or our cookies, with only known query parameters (worked out once a request)."""
    shared: bool | None = getattr(request, "_page_cache_shared", None)
    if shared is None:
        shared = _is_shared(request)
        request._page_cache_shared = shared  # type: ignore[attr-defined]
    return shared


def _is_shared(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or any(
        c in request.COOKIES for c in PERSONAL_COOKIES
    ):
        return False
    for name, values in request.GET.lists():
        pattern = VARIANT_PARAMS.get(name)
        if pattern is None or len(values) != 1 or not pattern.fullmatch(values[0]):
            return False
    return True


def is_cacheable_request(request: HttpRequest) -> bool:
    """A shared request, and the page cache is on."""
    return getattr(settings, "DATELINE_PAGE_CACHE", True) and is_shared_request(request)


def _key(request: HttpRequest) -> str:
    key: str | None = getattr(request, "_page_cache_key", None)
    if key is None:
        query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
        # The code release too: after a deploy, pages are rendered anew by the new templates.
        raw = f"{code_release()}|{request.get_host()}|{request.path}|{query}"
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        request._page_cache_key = key  # type: ignore[attr-defined]
    return key


def _versions(deps: Iterable[str], *, fresh: bool = False) -> dict[str, Any]:
    """The current version of each of ``deps``; inside a request each name is read from the
    cache once (the first time it is asked for: before whatever depends on it is built), unless
    ``fresh``."""
    deps = list(deps)
    memo = None if fresh else _request_versions.get()
    if memo is None:
        return _read_versions(deps)
    missing = [d for d in deps if d not in memo]
    if missing:
        memo.update(_read_versions(missing))
    return {d: memo[d] for d in deps}


def _read_versions(deps: list[str]) -> dict[str, Any]:
    """A name that has no version yet (never invalidated, or the store was emptied) gets one
    now: a version always names a moment, never a default that could come back for other
    content (what each process keeps of fragments in memory relies on it)."""
    cache = _cache()
    keys = [f"v:{d}" for d in deps]
    found = cache.get_many(keys)
    unset = [k for k in keys if k not in found]
    if unset:
        now = time.time_ns()
        for k in unset:
            cache.add(k, now, timeout=None)  # another process may be first: its value stays
        found.update(cache.get_many(unset))
    return {d: found.get(f"v:{d}", 0) for d in deps}


def page_cache_depends(
    request: HttpRequest, deps: list[str], *, expires_at: datetime | None = None
) -> None:
    """Called by a page before it renders: what it depends on, at the versions current now, and
    the moment it changes by itself, if any (it is not kept past that)."""
    if is_shared_request(request):
        try:
            versions = _versions(deps)
        except Exception:  # a cache that cannot be written (a full disk): the page, not kept
            log.warning("page cache unavailable", exc_info=True)
            return
        request._page_cache_keys = list(deps)  # type: ignore[attr-defined]
        request._page_cache_expires = expires_at  # type: ignore[attr-defined]
        request._page_cache_deps = versions  # type: ignore[attr-defined]


def page_cache_private(request: HttpRequest) -> None:
    """Called while a page renders: this answer is not to be kept by any shared cache (a
    variant the page stands for under another address, e.g. a comment page number past the
    last one), so that what the caches hold stays bounded by what the site has."""
    for name in ("_page_cache_keys", "_page_cache_deps", "_page_cache_expires"):
        if hasattr(request, name):
            delattr(request, name)


def invalidate(deps: Iterable[str]) -> None:
    """Make every stored page that depends on ``deps`` stale, here and in the front cache
    (call after commit: the front cache's purge is queued after the current transaction)."""
    deps = list(deps)
    now = time.time_ns()
    try:
        _cache().set_many({f"v:{d}": now for d in deps}, timeout=None)
    except Exception:
        # A full disk takes no new version, but lets one be deleted: a page stored under the
        # old one is then never served (its versions are read anew, and fail), nor kept again.
        log.error("page cache unavailable: versions of %s deleted instead", deps, exc_info=True)
        try:
            _cache().delete_many([f"v:{d}" for d in deps])
        except Exception:
            log.error("page cache unavailable: %s may be served stale", deps, exc_info=True)
    memo = _request_versions.get()
    if memo is not None:  # what this request renders after the change is keyed by it
        memo.update({d: now for d in deps})
    tasks.purge_later(deps)


def _changed(versions: dict[str, Any]) -> bool:
    try:
        return _versions(versions, fresh=True) != versions
    except Exception:  # a broken cache must never break the page; nothing is shared then
        log.warning("page cache unavailable", exc_info=True)
        return True


def _expires_at(timestamp: float | None) -> datetime | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.get_current_timezone())


class PageCacheMiddleware:
    """Answers hits before URL routing; stores what a page rendered; sets every page's
    Cache-Control for the caches in front (public and tagged, or private)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_versions.set({})
        try:
            return self._respond(request)
        finally:
            _request_versions.reset(token)

    def _respond(self, request: HttpRequest) -> HttpResponse:
        if not is_shared_request(request):
            response = self.get_response(request)
            if "Cache-Control" not in response:
                # A reader's own view (their pending comment, their session, a message, a
                # form's answer) or a variant we do not know: never in a shared cache, ours or
                # one in front of the site.
                frontcache.headers_private(response)
            return response
        if is_cacheable_request(request):
            hit = self._hit(request)
            if hit is not None:
                return hit
        left_out = pictures_left_out()
        response = self.get_response(request)
        keys = getattr(request, "_page_cache_keys", None)
        if keys is None or response.status_code != 200 or response.streaming or response.cookies:
            # Not a page that declared what it shows (or it set a cookie, or failed): nothing
            # says when it changes, so no shared cache may keep it, unless the view said so.
            if "Cache-Control" not in response or response.cookies:
                frontcache.headers_private(response)
            return response
        versions = getattr(request, "_page_cache_deps", {})
        if pictures_left_out() != left_out:
            # A picture it shows could not be made (MEDIA_ROOT refused the write: core.media):
            # kept, it would stay without it after the disk is fixed.
            frontcache.headers_private(response)
            return response
        if _changed(versions):
            # Something it shows changed while it rendered: its purge may reach the front cache
            # before this page does, which would then keep the old page. Nobody keeps this one.
            frontcache.headers_private(response)
            return response
        expires_at = getattr(request, "_page_cache_expires", None)
        frontcache.headers_public(response, keys=keys, expires_at=expires_at)
        if is_cacheable_request(request):
            self._store(request, response, versions, expires_at)
        return response

    def _hit(self, request: HttpRequest) -> HttpResponse | None:
        try:
            entry = _cache().get(_key(request))
            if entry is None:
                return None
            expires = entry.get("expires")
            if expires is not None and time.time() >= expires:
                return None
            if _versions(entry["versions"]) != entry["versions"]:
                return None
        except Exception:  # a broken cache must never break the page
            log.warning("page cache unavailable", exc_info=True)
            return None
        response = HttpResponse(entry["body"], content_type=entry["content_type"])
        frontcache.headers_public(
            response, keys=entry["versions"].keys(), expires_at=_expires_at(expires)
        )
        response["X-Page-Cache"] = "hit"
        return response

    def _store(
        self,
        request: HttpRequest,
        response: HttpResponse,
        versions: dict[str, Any],
        expires_at: datetime | None,
    ) -> None:
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.render()
        ttl = TTL
        if expires_at is not None:
            ttl = max(1, min(TTL, int((expires_at - timezone.now()).total_seconds())))
        try:
            _cache().set(
                _key(request),
                {
                    "versions": versions,
                    "body": response.content,
                    "content_type": response["Content-Type"],
                    # Checked on every hit: a cache's own expiry may run on another clock.
                    "expires": expires_at.timestamp() if expires_at is not None else None,
                },
                ttl,
            )
            response["X-Page-Cache"] = "miss"
        except Exception:
            log.warning("page cache unavailable", exc_info=True)
