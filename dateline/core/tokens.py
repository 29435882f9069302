"""What a signed link in mail says of an address: a digest, never the address.

A token made by ``django.core.signing`` is signed, not encrypted: whoever sees the link (a mail
relay, a server's or a proxy's access log, a forwarded message) can read what it carries by
decoding it. The links we mail name a subscriber by id and by a digest of its normalised
address: a link stops working once the address is erased or replaced, and tells nothing of it.

Links mailed before 2026-12-07 carried the normalised address itself; they keep working
(unsubscribe links must, RFC 8058) because their signature still holds.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.crypto import constant_time_compare, salted_hmac

M = TypeVar("M", bound=Model)

_SALT = "dateline.links.address"


def address_digest(email_key: str) -> str:
    """What a link carries for the normalised address ``email_key``."""
    return salted_hmac(_SALT, email_key, algorithm="sha256").hexdigest()[:24]


def address_matches(email_key: str, said: object) -> bool:
    """Whether what a token says of the address (``said``: a digest, or in an older link the
    address itself) names ``email_key``."""
    if not isinstance(said, str) or not said or not email_key:
        return False
    return constant_time_compare(said, address_digest(email_key)) or constant_time_compare(
        said, email_key
    )


def named_by_link(rows: QuerySet[M], pk: Any, said: object) -> M | None:
    """The row ``pk`` of ``rows`` (a model with an ``email_key``) if a link's ``said`` names
    its address; None otherwise (gone, replaced, or not an id)."""
    if not isinstance(pk, int):
        return None
    row = rows.filter(pk=pk).first()
    if row is None or not address_matches(row.email_key, said):  # type: ignore[attr-defined]
        return None
    return row
