"""The rule that keeps banned commenters out (bans are made at the moderators' desk)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db import connection
from django.utils.crypto import salted_hmac

from dateline.core.db import select_one
from dateline.core.net import ip_prefix

from .models import CommentBan
from .rules import SPAM, Rule, ScreenContext, Submission, Verdict
from .text import normalise_email

ERASED_BAN_PREFIX = "hmac:"
ERASED_BAN_SALT = "dateline.comments.ban"


def erased_ban_key(email: str) -> str:
    """What a ban keeps of a commenter's address once they asked for erasure: ``hmac:`` and a
    keyed hash (HMAC-SHA256 under SECRET_KEY) of the normalised address. Nobody can read the
    address back from it; the ban rule can recompute it from a new comment's email key and
    match (docs/moderation.md, "Erasure, bans and the desk's records")."""
    digest = salted_hmac(ERASED_BAN_SALT, normalise_email(email), algorithm="sha256").hexdigest()
    return ERASED_BAN_PREFIX + digest


class BannedCommenter(Rule):
    """Mark as spam a comment from a banned email key or network, naming the ban's end.

    One indexed query per comment. Listed after StaffAuthor, so staff are never caught."""

    code = "banned"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        network = ip_prefix(submission.ip)
        if not (context.email_key or network):
            return None
        key = context.email_key or None
        ban = select_one(
            CommentBan,
            _ban_sql(),
            [
                connection.ops.adapt_datetimefield_value(context.now),
                key,
                # A ban outlives its commenter's erasure as a keyed hash of the address.
                erased_ban_key(key) if key else None,
                network or None,
            ],
            _ban_fields(),
        )
        if ban is None:
            return None
        until = f"{ban.expires_at:%Y-%m-%d %H:%M %Z}" if ban.expires_at else "lifted"
        return Verdict(SPAM, self.code, f"Banned until {until}: {ban.reason}", final=True)


@lru_cache(maxsize=1)
def _ban_fields() -> tuple[Any, ...]:
    return tuple(CommentBan._meta.get_field(name) for name in ("reason", "expires_at"))


@lru_cache(maxsize=1)
def _ban_sql() -> str:
    """The active ban that ends last (one without an end first) for an email key or network,
    written out once: it runs for every comment (docs/decisions/0050-comment-post-speed.md).
    A NULL key or network matches nothing."""
    q = connection.ops.quote_name
    expires = q("expires_at")
    return (
        f"SELECT {q('reason')}, {expires} FROM {q(CommentBan._meta.db_table)} "  # noqa: S608
        f"WHERE {q('lifted_at')} IS NULL AND ({expires} IS NULL OR {expires} > %s) "
        f"AND ({q('email_key')} IN (%s, %s) OR {q('ip_prefix')} = %s) "
        f"ORDER BY CASE WHEN {expires} IS NULL THEN 0 ELSE 1 END, {expires} DESC LIMIT 1"
    )
