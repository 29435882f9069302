"""The rule that keeps banned commenters out (bans are made at the moderators' desk)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dateline.core.net import ip_prefix

from .models import CommentBan
from .rules import SPAM, Rule, ScreenContext, Submission, Verdict


class BannedCommenter(Rule):
    """Mark as spam a comment from a banned email key or network, naming the ban's end.

    One indexed query per comment. Listed after StaffAuthor, so staff are never caught."""

    code = "banned"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        network = ip_prefix(submission.ip)
        if not (context.email_key or network):
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                _ban_sql(),
                [
                    connection.ops.adapt_datetimefield_value(context.now),
                    context.email_key or None,
                    network or None,
                ],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        ban = CommentBan(expires_at=_as_datetime(row[0]), reason=row[1])
        until = f"{ban.expires_at:%Y-%m-%d %H:%M %Z}" if ban.expires_at else "lifted"
        return Verdict(SPAM, self.code, f"Banned until {until}: {ban.reason}", final=True)


@lru_cache(maxsize=1)
def _ban_sql() -> str:
    """The active ban that ends last (one without an end first) for an email key or network,
    written out once: it runs for every comment (docs/decisions/0050-comment-post-speed.md).
    A NULL key or network matches nothing."""
    q = connection.ops.quote_name
    expires = q("expires_at")
    return (
        f"SELECT {expires}, {q('reason')} FROM {q(CommentBan._meta.db_table)} "  # noqa: S608
        f"WHERE {q('lifted_at')} IS NULL AND ({expires} IS NULL OR {expires} > %s) "
        f"AND ({q('email_key')} = %s OR {q('ip_prefix')} = %s) "
        f"ORDER BY CASE WHEN {expires} IS NULL THEN 0 ELSE 1 END, {expires} DESC LIMIT 1"
    )


def _as_datetime(value: Any) -> datetime | None:
    """A datetime column read by a raw query: SQLite may give text or a naive UTC datetime,
    PostgreSQL an aware one."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
