"""Per-process memory. ``remembered``: a few seconds in front of the shared cache, for the small
values every comment post reads (the site's comment settings, the section and article
policies). ``SizedLRU``: large values kept by size (kept fragments, their encoded bytes).

With Redis each cache read is a network round trip (four per post before this); with the
embedded local-memory cache the values are per process anyway. A change made in this process
is seen at once (the caller forgets its keys); other processes see it within ``SECONDS``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

SECONDS = 2.0
MAX_ENTRIES = 2048  # a site's articles with recent comments; cleared whole beyond that

_entries: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()
# Bumped by every forget(): what a request keeps on its own objects (an article's settings and
# policy) is not reused after a change made in this process.
_generation = 0


def generation() -> int:
    return _generation


def remembered(key: str, load: Callable[[], T], seconds: float = SECONDS) -> T:
    """``load()``'s value for ``key``, kept in this process for ``seconds``."""
    now = time.monotonic()
    found = _entries.get(key)
    if found is not None and found[0] > now:
        value: T = found[1]
        return value
    value = load()
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (now + seconds, value)
    return value


def forget(prefix: str = "") -> None:
    """Drop the entries whose key starts with ``prefix`` (all of them by default)."""
    global _generation
    with _lock:
        _generation += 1
        for key in [k for k in _entries if k.startswith(prefix)]:
            del _entries[key]


class SizedLRU:
    """A per-process store of entries of known size, least recently used out first once their
    sizes add up past ``limit``; an entry larger than a quarter of it is not kept. Safe across
    threads. What each user counts as size is its own (characters, bytes)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The entry kept under ``key`` (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.limit // 4:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.size -= previous[1]
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.limit and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0
