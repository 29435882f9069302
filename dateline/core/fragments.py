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

A key names the code release, the fragment and the versions it was built at, so what is stored
under it never changes: each process also keeps the fragments it read or built lately in memory
(``MEMORY_CHARS`` at most, least recently used out first), and a hit costs the reading of the
versions (once per request, ``pagecache``) and a dictionary lookup. HTML is kept as it is;
anything else as its pickle, so each request gets its own objects.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches

from . import pagecache
from .media import pictures_left_out
from .memo import SizedLRU
from .release import code_release
from .splice import not_spliced

log = logging.getLogger(__name__)

T = TypeVar("T")
TTL = 24 * 3600
# Characters (of HTML, or bytes of pickles) of fragments each process keeps in memory.
MEMORY_CHARS = 24_000_000


class _Memory:
    """Kept fragments by key: a ``str`` as it is (the same object for every request while it
    is kept), anything else pickled (each request gets its own copy)."""

    def __init__(self, limit: int) -> None:
        self.lru = SizedLRU(limit)

    def get(self, key: str) -> Any:
        found = self.lru.get(key)
        if found is None or isinstance(found, str):
            return found
        return pickle.loads(found)  # noqa: S301 (our own)

    def put(self, key: str, value: Any) -> None:
        kept: str | bytes = value if isinstance(value, str) else pickle.dumps(value, -1)
        self.lru.put(key, kept, len(kept))

    def clear(self) -> None:
        self.lru.clear()


_memory = _Memory(MEMORY_CHARS)


def forget_in_process() -> None:
    """Drop what this process keeps in memory (tests that empty the caches)."""
    _memory.clear()


def fragments_enabled() -> bool:
    enabled = getattr(settings, "DATELINE_FRAGMENT_CACHE", None)
    if enabled is None:
        enabled = getattr(settings, "DATELINE_PAGE_CACHE", True)
    return bool(enabled)


def fragment_key(name: str, deps: Sequence[str]) -> str:
    """``name`` at the current versions of ``deps`` (one read of the cache)."""
    return _key_and_versions(name, deps)[0]


def _key_and_versions(name: str, deps: Sequence[str]) -> tuple[str, list[Any]]:
    versions = pagecache._versions(deps)
    values = [versions[d] for d in deps]
    return f"fragment:{code_release()}:{name}:" + ":".join(str(v) for v in values), values


def fragment(name: str, deps: Sequence[str], build: Callable[[], T], *, ttl: int = TTL) -> T:
    """The stored fragment ``name`` if it was built at the current versions of ``deps``;
    otherwise ``build()``, stored. A cache that fails is logged and skipped, never fatal."""
    if not fragments_enabled():
        return _build(build)
    store: Any = caches[pagecache.CACHE_ALIAS]
    try:
        key, versions = _key_and_versions(name, deps)
        # A version never set (0: the store is new, or was emptied) names no moment: such a key
        # may come back for other content, so it is not kept in memory.
        memory = _memory if all(versions) else None
        kept: T | None = memory.get(key) if memory is not None else None
        if kept is not None:
            return kept
        found = store.get(key)
    except Exception:
        log.warning("fragment cache unavailable", exc_info=True)
        return _build(build)
    if found is not None:
        value: T = found[0]
        if memory is not None:
            memory.put(key, value)
        return value
    left_out = pictures_left_out()
    value = _build(build)
    if pictures_left_out() != left_out:
        return value  # without a picture the disk could not take: made again next time
    try:
        store.set(key, (value,), ttl)
    except Exception:
        log.warning("fragment cache unavailable", exc_info=True)
    if memory is not None:
        memory.put(key, value)
    return value


def _build(build: Callable[[], T]) -> T:
    # What is built may be kept for other requests: the whole HTML, never a placeholder of
    # this response's (core.splice).
    with not_spliced():
        return build()
