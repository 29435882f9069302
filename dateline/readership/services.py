"""Counting a read: one aggregate counter per page and hour, never who read it.

A read is counted when the reader's browser says so (a beacon from the article page, or the
page's image for readers without JavaScript), so the page itself stays in the page cache and
the front cache. What keeps the count honest without knowing the reader:

- robots are not counted (``bots.is_robot``: the maintained crawler-user-agents list);
- each network (the /24 of an IPv4 address, the /48 of an IPv6 one) may add at most
  ``DATELINE_READERSHIP_PAGE_LIMIT`` reads of one page and ``DATELINE_READERSHIP_NETWORK_LIMIT``
  reads in all per ``DATELINE_READERSHIP_WINDOW`` seconds; the rest are dropped. The windows'
  counters live in the default cache under a keyed hash of the network and the window (never
  the address), and expire with the window.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils.crypto import salted_hmac

from .bots import is_robot
from .models import PageViews

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Read:
    """A read as the server saw it: which page, from which network, by which user agent. Only
    ``page_id`` (and the hour) is ever stored."""

    page_id: int
    network: str
    user_agent: str


def page_read_count(*, read: Read, now: float | None = None) -> bool:
    """Count one read of a live page; False when it is not counted (a robot, a network over its
    limits, a page that does not exist or is not live, the limiter unavailable). One statement
    when counted."""
    if is_robot(read.user_agent):
        return False
    moment = time.time() if now is None else now
    if not _within_limits(read, moment):
        return False
    hour = datetime.fromtimestamp(moment - moment % 3600, tz=UTC)
    # One statement, atomic by itself: no transaction around it.
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [hour, read.page_id])
        return cursor.rowcount > 0


def _upsert_sql() -> str:
    q = connection.ops.quote_name
    table = q(PageViews._meta.db_table)
    page_table = q("wagtailcore_page")
    # Only quoted names from the models' metadata are formatted in; values are parameters. The
    # SELECT adds nothing for a page that is not there or not live; "WHERE" also tells SQLite's
    # parser that ON CONFLICT belongs to the INSERT.
    return (
        f"INSERT INTO {table} ({q('page_id')}, {q('hour')}, {q('views')}) "  # noqa: S608
        f"SELECT {page_table}.{q('id')}, %s, 1 FROM {page_table} "
        f"WHERE {page_table}.{q('id')} = %s AND {page_table}.{q('live')} "
        f"ON CONFLICT ({q('page_id')}, {q('hour')}) "
        f"DO UPDATE SET {q('views')} = {table}.{q('views')} + 1"
    )


def _within_limits(read: Read, moment: float) -> bool:
    window = settings.DATELINE_READERSHIP_WINDOW
    start = int(moment) // window
    # The window is in the hash: a network's keys of two windows cannot be linked.
    ident = salted_hmac("dateline.readership", f"{read.network}|{start}").hexdigest()[:24]
    store = caches["default"]
    # The page's allowance first: reads it drops do not spend the network's.
    limits = [
        (f"readership:{ident}:{read.page_id}", settings.DATELINE_READERSHIP_PAGE_LIMIT),
        (f"readership:{ident}:all", settings.DATELINE_READERSHIP_NETWORK_LIMIT),
    ]
    try:
        for key, limit in limits:
            store.add(key, 0, timeout=window + 1)
            count = store.incr(key)
            if count is None or count > limit:
                return False
    except Exception:
        # A flood must not get through while the limiter is down: nothing is counted then.
        log.warning("readership limiter unavailable", exc_info=True)
        return False
    return True
