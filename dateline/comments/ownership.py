"""Proof that a browser posted a comment, without a cookie: a signed token the reader's page
keeps (in the address after posting, and in localStorage when JavaScript runs)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core import signing

SALT = "comments.own"


def own_token(comment_id: int) -> str:
    return signing.dumps({"c": comment_id}, salt=SALT)


def own_comment_id(token: str, *, max_age: int | None = None) -> int | None:
    try:
        data = signing.loads(
            token,
            salt=SALT,
            max_age=max_age if max_age is not None else settings.DATELINE_OWN_COMMENTS_TTL,
        )
    except (signing.BadSignature, TypeError):
        return None
    value = data.get("c") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def own_comment_ids(tokens: Iterable[str]) -> dict[int, str]:
    """Comment id → token, for the valid ones among ``tokens`` (at most 20 are read)."""
    found: dict[int, str] = {}
    for token in list(tokens)[:20]:
        comment_id = own_comment_id(token)
        if comment_id is not None:
            found[comment_id] = token
    return found
