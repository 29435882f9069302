"""Fixed-window counters for rate limits: in Redis when the default cache is Redis (one
MULTI/EXEC of INCR + EXPIRE per counter), otherwise in the database (one atomic
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` for all counters).

``hit()`` counts one attempt against each limit and says how long to wait when one is over.
When Redis is configured but cannot be reached it raises :class:`LimiterUnavailable`; the caller
decides what that means (comments: accepted and held).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateCounter

log = logging.getLogger(__name__)


class LimiterUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Limit:
    scope: str  # "commenter", "network"
    count: int  # attempts allowed per window
    seconds: int  # window length

    def describe(self) -> str:
        """A limit as a person says it: "1 comment per 15 seconds", "20 comments per hour"."""
        named = {60: "minute", 3600: "hour", 86400: "day"}
        window = named.get(self.seconds) or duration_text(self.seconds)
        noun = "comment" if self.count == 1 else "comments"
        return f"{self.count} {noun} per {window}"


def duration_text(seconds: int) -> str:
    """A wait or window as a person says it, rounded up: "8 seconds", "55 minutes", "2 hours"."""
    if seconds < 120:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    if seconds < 7200:
        return f"{-(-seconds // 60)} minutes"
    return f"{-(-seconds // 3600)} hours"


@dataclass(frozen=True)
class Over:
    limit: Limit
    retry_after: int  # seconds until its window ends


def _ident(value: str) -> str:
    # Keys never hold an address or an email in clear.
    return _ident_under(settings.SECRET_KEY, value)


@lru_cache(maxsize=1024)
def _ident_under(secret: str, value: str) -> str:
    # Remembered: a post reads its counters before screening and counts them in its write
    # transaction, and a network's identity repeats from post to post. Keyed by the secret too,
    # so a changed SECRET_KEY never reuses an identity made under the old one.
    return salted_hmac("dateline.ratelimit", value, secret=secret).hexdigest()[:24]


def _uses_redis() -> bool:
    return type(caches["default"]).__module__.startswith("django_redis")


def hit(counters: list[tuple[Limit, str]], *, now: float | None = None) -> Over | None:
    """Count one attempt for each (limit, identity); the first limit now exceeded, or None.

    Raises LimiterUnavailable when Redis is configured and down."""
    moment = time.time() if now is None else now
    keyed = _keyed(counters, moment)
    if not keyed:
        return None
    counts = _redis_hit(keyed, moment) if _uses_redis() else _database_hit(keyed)
    for (limit, _key, ends), count in zip(keyed, counts, strict=True):
        if count > limit.count:
            return Over(limit, max(1, math.ceil(ends - moment)))
    return None


def counted_in_database() -> bool:
    """Whether the counters are database rows (no Redis): then a caller that writes anyway can
    count inside its own transaction, after a ``peek()``."""
    return not _uses_redis()


def peek(counters: list[tuple[Limit, str]], *, now: float | None = None) -> Over | None:
    """The first limit one more attempt would exceed, without counting it (database counters;
    one read, no write lock). ``hit()`` inside the caller's transaction then counts for real."""
    moment = time.time() if now is None else now
    keyed = _keyed(counters, moment)
    if not keyed:
        return None
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    marks = ", ".join(["%s"] * len(keyed))
    # Only the quoted table name and placeholders are formatted in; every value is a parameter.
    sql = f'SELECT "key", "count" FROM {table} WHERE "key" IN ({marks})'  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [key for _limit, key, _ends in keyed])
        found = dict(cursor.fetchall())
    for limit, key, ends in keyed:
        if int(found.get(key, 0)) >= limit.count:
            return Over(limit, max(1, math.ceil(ends - moment)))
    return None


def _keyed(counters: list[tuple[Limit, str]], moment: float) -> list[tuple[Limit, str, int]]:
    """(limit, counter key, end of its window) for each counter that applies: one with an
    identity and a limit above zero."""
    keyed = []
    for limit, who in counters:
        if not who or limit.count <= 0:
            continue
        start = int(moment // limit.seconds) * limit.seconds
        key = f"rl:{limit.scope}:{limit.count}/{limit.seconds}:{_ident(who)}:{start}"
        keyed.append((limit, key, start + limit.seconds))
    return keyed


def _redis_hit(keyed: list[tuple[Limit, str, int]], moment: float) -> list[int]:
    from redis.exceptions import RedisError

    try:
        from django_redis import get_redis_connection

        client = get_redis_connection("default")
        pipe = client.pipeline(transaction=True)
        for _limit, key, ends in keyed:
            full = cache.make_key(key)
            pipe.incr(full)
            # Relative, so a Redis clock that differs from ours still ends the window on time.
            pipe.expire(full, max(1, math.ceil(ends - moment)) + 1)
        results = pipe.execute()
    except (RedisError, OSError) as exc:
        raise LimiterUnavailable(str(exc)) from exc
    except Exception as exc:  # django-redis wraps connection errors in its own exceptions
        if type(exc).__module__.startswith(("django_redis", "redis")):
            raise LimiterUnavailable(str(exc)) from exc
        raise
    return [int(results[i * 2]) for i in range(len(keyed))]


def _database_hit(keyed: list[tuple[Limit, str, int]]) -> list[int]:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    rows = ", ".join(["(%s, 1, %s)"] * len(keyed))
    params: list[Any] = []
    for _limit, key, ends in keyed:
        params += [
            key,
            connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(ends, tz=UTC)),
        ]
    # Only the quoted table name and placeholders are formatted in; every value is a parameter.
    sql = (
        f'INSERT INTO {table} ("key", "count", "expires_at") VALUES {rows} '  # noqa: S608
        f'ON CONFLICT ("key") DO UPDATE SET "count" = {table}."count" + 1 '
        'RETURNING "key", "count"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = dict(cursor.fetchall())
    return [int(found[key]) for _limit, key, _ends in keyed]


def counters_purge(*, now: datetime | None = None) -> int:
    """Delete the database counters whose window has ended; returns how many."""
    deleted, _ = RateCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
