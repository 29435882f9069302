"""The rule that keeps banned commenters out (bans are made at the moderators' desk)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import F, Q
from django.utils.crypto import salted_hmac

from dateline.comments.screening import SPAM, Rule, ScreenContext, Submission, Verdict
from dateline.comments.text import normalise_email
from dateline.core.db import select_one
from dateline.core.net import ip_prefix

from .models import CommentBan

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
        sql, order = _ban_query()
        values = {
            "now": connection.ops.adapt_datetimefield_value(context.now),
            "key": key,
            # A ban outlives its commenter's erasure as a keyed hash of the address.
            "erased": erased_ban_key(key) if key else None,
            "network": network or None,
        }
        ban = select_one(CommentBan, sql, [values[name] for name in order], _ban_fields())
        if ban is None:
            return None
        until = f"{ban.expires_at:%Y-%m-%d %H:%M %Z}" if ban.expires_at else "lifted"
        return Verdict(SPAM, self.code, f"Banned until {until}: {ban.reason}", final=True)


@lru_cache(maxsize=1)
def _ban_fields() -> tuple[Any, ...]:
    return tuple(CommentBan._meta.get_field(name) for name in ("reason", "expires_at"))


# Stand-ins compiled into the query, each replaced by its value at every check (by position).
_NOW = datetime(2000, 1, 1, tzinfo=UTC)
_STAND_INS = {"\x00key": "key", "\x00erased": "erased", "\x00network": "network"}


@lru_cache(maxsize=1)
def _ban_query() -> tuple[str, tuple[str, ...]]:
    """The active ban that ends last (one without an end first) for an email key or network,
    compiled once from ``CommentBan.objects.active()`` (the one definition of an active ban),
    with the name of each parameter in order: it runs for every comment
    (docs/decisions/0050-comment-post-speed.md). A NULL key or network matches nothing."""
    key, erased, network = _STAND_INS
    query = (
        CommentBan.objects.active(now=_NOW)
        .filter(Q(email_key__in=[key, erased]) | Q(ip_prefix=network))
        .order_by(F("expires_at").desc(nulls_first=True))
        .values_list("reason", "expires_at")[:1]
    )
    sql, params = query.query.sql_with_params()
    order = tuple(_STAND_INS.get(p, "now") if isinstance(p, str) else "now" for p in params)
    assert sorted(order) == ["erased", "key", "network", "now"], order
    return sql, order
