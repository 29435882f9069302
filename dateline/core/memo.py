"""A few seconds of per-process memory in front of the shared cache, for the small values every
comment post reads (the site's comment settings, the section and article policies).

With Redis each cache read is a network round trip (four per post before this); with the
embedded local-memory cache the values are per process anyway. A change made in this process
is seen at once (the caller forgets its keys); other processes see it within ``SECONDS``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
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
