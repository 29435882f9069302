"""Emptying a cache between tests without touching another test run's.

On Redis every run and xdist worker has its own key prefix in one shared database
(dateline/settings/test.py): ``clear()`` would be FLUSHDB, emptying every other run's cache in
the middle of its tests, so only this prefix's keys are deleted."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches


def cache_empty(alias: str) -> None:
    """Empty this run's cache ``alias``."""
    cache = caches[alias]
    delete_pattern = getattr(cache, "delete_pattern", None)  # django-redis
    if delete_pattern is not None:
        delete_pattern("*", itersize=1000)
    else:
        cache.clear()


def caches_empty() -> None:
    """Empty every configured cache of this run."""
    for alias in settings.CACHES:
        cache_empty(alias)
