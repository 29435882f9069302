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

import hashlib
import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches

from . import pagecache

log = logging.getLogger(__name__)

T = TypeVar("T")
TTL = 24 * 3600


def fragments_enabled() -> bool:
    enabled = getattr(settings, "DATELINE_FRAGMENT_CACHE", None)
    if enabled is None:
        enabled = getattr(settings, "DATELINE_PAGE_CACHE", True)
    return bool(enabled)


@lru_cache(maxsize=1)
def code_release() -> str:
    """Names the code and templates this process runs (every .py and .html file of the
    project, by size and modification time), so that a deploy never reads a fragment built by
    other code: other markup, or objects of another shape. Worked out once per process."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html"):
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


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
