"""The front cache (Varnish, a CDN) in front of the site: what it may keep, and telling it to drop it.

Headers. A page for anonymous readers that the page cache knows (it declared its dependencies,
answered 200 and set no cookie) is public for shared caches only::

    Cache-Control: public, max-age=0, s-maxage=<TTL>, stale-while-revalidate=<STALE>
    Surrogate-Key: content listings article:12
    xkey: content listings article:12

``max-age=0``: a browser asks again every time (its reader may sign in or post a comment the
next minute); the front cache keeps the page ``s-maxage`` seconds, or until the moment the page
changes by itself (a comment form that closes), whichever is first. The surrogate keys are the
page cache's own dependency names, so every :func:`dateline.core.pagecache.invalidate` names
exactly the pages to drop. Everything else a reader asks for (a session, a pending comment of
their own, a message, a form with errors, an unknown query parameter, any POST) is
``private, no-store``.

Purge. After commit, :func:`dateline.core.tasks.purge_later` queues its ``front_cache_purge``,
which sends ``PURGE`` with an ``xkey`` header to every Varnish in ``DATELINE_VARNISH_URLS``
(deploy/varnish/dateline.vcl removes every object carrying one of the keys) and, when
``WAGTAILFRONTENDCACHE`` names CDNs, purges the pages' URLs through
``wagtail.contrib.frontend_cache``. A purge that fails is retried with a growing delay.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from .converters import parse_id

PRIVATE = "private, no-store"
# Where a CDN purge goes in the task's list of targets (the others are Varnish addresses).
CDN_TARGET = "cdn"
# Varnish answers a purge on the same machine or network in milliseconds.
PURGE_TIMEOUT = 3.0


class PurgeFailed(Exception):
    """A front cache did not confirm a purge (refused, unreachable, timed out)."""


def cache_control_public(*, expires_at: datetime | None = None) -> str:
    """The Cache-Control of an anonymous page a shared cache may keep."""
    ttl = int(settings.DATELINE_FRONT_CACHE_TTL)
    if expires_at is not None:
        ttl = max(0, min(ttl, int((expires_at - timezone.now()).total_seconds())))
    stale = int(settings.DATELINE_FRONT_CACHE_STALE)
    return f"public, max-age=0, s-maxage={ttl:d}, stale-while-revalidate={stale:d}"


def headers_public(
    response: HttpResponse, *, keys: Iterable[str], expires_at: datetime | None = None
) -> None:
    """Mark ``response`` as the same for every anonymous reader, tagged with its keys."""
    names = " ".join(sorted(set(keys)))
    response["Cache-Control"] = cache_control_public(expires_at=expires_at)
    response["Surrogate-Key"] = names
    response["xkey"] = names
    # The page does not depend on the Cookie header: whoever has our cookies never reaches a
    # shared copy (the front cache passes them, the page cache does not answer them).
    if response.has_header("Vary"):
        kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
        del response["Vary"]
        if kept:
            patch_vary_headers(response, kept)


def headers_private(response: HttpResponse) -> None:
    """Mark ``response`` as one reader's: no shared cache and no browser cache keeps it."""
    response["Cache-Control"] = PRIVATE
    for name in ("Surrogate-Key", "xkey"):
        if response.has_header(name):
            del response[name]


# --- Purge --------------------------------------------------------------------------------------


def purge_targets() -> list[str]:
    """What a purge goes to: each Varnish address, and the CDNs when any is configured."""
    targets = [str(url) for url in getattr(settings, "DATELINE_VARNISH_URLS", [])]
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        targets.append(CDN_TARGET)
    return targets


def varnish_purge(*, url: str, keys: Sequence[str]) -> int:
    """Ask the Varnish at ``url`` to drop every object tagged with one of ``keys`` (vmod xkey).

    Returns the number of objects it dropped; raises :class:`PurgeFailed`."""
    request = urllib.request.Request(  # noqa: S310 (an operator's configured address)
        url.rstrip("/") + "/", method="PURGE", headers={"xkey": " ".join(keys)}
    )
    try:
        with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT) as answer:  # noqa: S310
            gone = answer.headers.get("X-Purged", "0")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PurgeFailed(f"{url}: {exc}") from exc
    try:
        return int(gone)
    except ValueError:
        return 0


def cdn_urls(keys: Sequence[str]) -> list[str]:
    """The URLs a CDN (which purges by URL, not by key) must drop for ``keys``: an article's own
    pages for ``article:<id>``; the site's front pages and their sections for ``content`` and
    ``listings``. Other pages that show a changed listing (tags, authors, older articles'
    navigation) follow at the TTL; Varnish drops them exactly."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page, Site

    batch = PurgeBatch()
    ids = [
        pk
        for k in keys
        if k.startswith("article:") and (pk := parse_id(k.removeprefix("article:"))) is not None
    ]
    if ids:
        batch.add_pages(Page.objects.live().filter(pk__in=ids).specific())
    if {"content", "listings"} & set(keys):
        for site in Site.objects.select_related("root_page"):
            root = site.root_page
            batch.add_pages(Page.objects.live().filter(pk=root.pk).specific())
            batch.add_pages(root.get_children().live().specific())
    return sorted(batch.urls)


def cdn_purge(*, keys: Sequence[str]) -> int:
    """Purge the URLs for ``keys`` from the CDNs in ``WAGTAILFRONTENDCACHE`` (Cloudflare,
    CloudFront) through wagtail.contrib.frontend_cache. Returns how many URLs were sent."""
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    urls = cdn_urls(keys)
    if urls:
        try:
            purge_urls_from_cache_task.call(urls)
        except Exception as exc:
            raise PurgeFailed(f"CDN: {exc}") from exc
    return len(urls)


def private_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose every answer is one person's (a reader's page, a manage link): sent
    ``private, no-store``, so neither a shared cache nor the browser's keeps it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped
