"""The signed links in commenters' mail: a privacy request's confirmation, the digest's opt-out.

Signing only (no query), so the mail tasks and the services both use it without importing each
other."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core import signing

if TYPE_CHECKING:
    from .models import PrivacyRequest

REQUEST_SALT = "dateline.commenters.request"
DIGEST_SALT = "dateline.commenters.digest"
REQUEST_MAX_AGE = timedelta(hours=48)


def privacy_request_token(request: PrivacyRequest) -> str:
    return signing.dumps({"r": request.pk, "k": request.kind}, salt=REQUEST_SALT, compress=True)


def digest_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=DIGEST_SALT)
