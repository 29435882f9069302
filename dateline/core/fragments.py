"""Parts of pages kept between requests under the page cache's dependency versions.

A fragment (a page of a thread as HTML, what an article shows beside its text, the front page's
lists) is stored in the "pages" cache under its name and the current versions of what it
depends on (the page cache's dependency names: "content", "article:<id>"), read before it is
built, as the page cache does: a change during the build bumps a version, so that fragment is
never read again. Nothing is deleted; an invalidation (``pagecache.invalidate``) makes every
fragment built before it unreachable.

Unlike the full-page cache this also serves signed-in readers and pages the page cache does not
keep (``?nocache=1``): a fragment must therefore be the same for everyone who may see it. Off
with ``DATELINE_FRAGMENT_CACHE = False``; by default it follows ``DATELINE_PAGE_CACHE``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches

from . import pagecache
from .release import code_release

log = logging.getLogger(__name__)

T = TypeVar("T")
TTL = 24 * 3600


def fragments_enabled() -> bool:
    enabled = getattr(settings, "DATELINE_FRAGMENT_CACHE", None)
    if enabled is None:
        enabled = getattr(settings, "DATELINE_PAGE_CACHE", True)
    return bool(enabled)


def fragment_key(name: str, deps: Sequence[str]) -> str:
    """``name`` at the current versions of ``deps`` (one read of the cache)."""
    versions = pagecache._versions(deps)
    return f"fragment:{code_release()}:{name}:" + ":".join(str(versions[d]) for d in deps)


def fragment(name: str, deps: Sequence[str], build: Callable[[], T], *, ttl: int = TTL) -> T:
    """The stored fragment ``name`` if it was built at the current versions of ``deps``;
    otherwise ``build()``, stored. A cache that fails is logged and skipped, never fatal."""
    if not fragments_enabled():
        return build()
    store: Any = caches[pagecache.CACHE_ALIAS]
    try:
        key = fragment_key(name, deps)
        found = store.get(key)
    except Exception:
        log.warning("fragment cache unavailable", exc_info=True)
        return build()
    if found is not None:
        value: T = found[0]
        return value
    value = build()
    try:
        store.set(key, (value,), ttl)
    except Exception:
        log.warning("fragment cache unavailable", exc_info=True)
    return value
