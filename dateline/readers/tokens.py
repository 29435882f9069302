"""The signed values readers carry: the sign-in link's token and the reader cookie's key.

Signing and hashing only (no query), so the mail task and the services both use it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing

LINK_SALT = "dateline.readers.link"
COOKIE = "dl_reader"
# Not a secret: tells the page's script there is a reader cookie worth asking about (the reader
# cookie itself is HttpOnly), so anonymous readers' browsers send no request at all.
HINT_COOKIE = "dl_signed_in"


def link_max_age() -> timedelta:
    return timedelta(minutes=int(settings.DATELINE_READER_LINK_MINUTES))


def session_max_age() -> timedelta:
    return timedelta(days=int(settings.DATELINE_READER_SESSION_DAYS))


def link_token(link_id: int) -> str:
    """The emailed link's token: the link's id, signed with the site's secret and a timestamp."""
    return signing.dumps({"l": link_id}, salt=LINK_SALT)


def link_id_from_token(token: str) -> int | None:
    """The link's id, or None when the token is forged, damaged or older than the links'
    lifetime (whether the link was used is the database's to say)."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=link_max_age())
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(data, dict):
        return None
    value = data.get("l")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def new_session_key() -> str:
    return secrets.token_urlsafe(32)


def session_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
