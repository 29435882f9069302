"""Background work of the site's plumbing: purging the front cache, with retries."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .frontcache import CDN_TARGET, PurgeFailed, cdn_purge, purge_targets, varnish_purge

log = logging.getLogger(__name__)

# Seconds before each retry of a failed purge: a Varnish restarting, a CDN's API busy. After the
# last one the page leaves the front cache at its TTL (DATELINE_FRONT_CACHE_TTL).
RETRY_DELAYS = (1, 5, 30, 120, 600)


# Ahead of mail and retraining in the queue: readers are waiting for the change to show.
@task(priority=50)
def front_cache_purge(keys: list[str], targets: list[str] | None = None, attempt: int = 1) -> int:
    """Drop every front-cached page tagged with one of ``keys`` from each target (a Varnish
    address, or the CDNs), every configured one when ``targets`` is None. A target that fails
    is tried again later, alone. Returns the number of objects or URLs purged."""
    targets = purge_targets() if targets is None else targets
    purged = 0
    failed: list[str] = []
    for target in targets:
        try:
            if target == CDN_TARGET:
                purged += cdn_purge(keys=keys)
            else:
                purged += varnish_purge(url=target, keys=keys)
        except PurgeFailed as exc:
            failed.append(target)
            log.warning("front-cache purge failed (attempt %d): %s", attempt, exc)
    if failed:
        if attempt > len(RETRY_DELAYS):
            log.error("front-cache purge of %s abandoned: %s", " ".join(keys), ", ".join(failed))
        else:
            retry = front_cache_purge
            if retry.get_backend().supports_defer:
                delay = timedelta(seconds=RETRY_DELAYS[attempt - 1])
                retry = retry.using(run_after=timezone.now() + delay)
            retry.enqueue(keys, failed, attempt + 1)
    return purged


def purge_later(keys: Iterable[str]) -> None:
    """Queue a purge of every front-cached page tagged with one of ``keys``, after commit.

    Nothing is queued when no front cache is configured."""
    keys = sorted(set(keys))
    if not keys or not purge_targets():
        return

    def enqueue() -> None:
        try:
            front_cache_purge.enqueue(keys)
        except Exception:  # the change is made; a lost purge ends with the TTL
            log.exception("could not queue the front-cache purge of %s", " ".join(keys))

    transaction.on_commit(enqueue)
