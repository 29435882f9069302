"""Writes for commenters' rights: asking for an export or erasure by email, confirming it through
a signed link, erasing; and queueing the mail around moderation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from dateline.comments.models import Comment, CommentEvent, SentMail, Subscriber
from dateline.comments.text import body_fingerprint, normalise_email
from dateline.core.pagecache import invalidate

from .models import CommenterSettings, PrivacyRequest
from .selectors import commenter_comments

REQUEST_SALT = "dateline.commenters.request"
DIGEST_SALT = "dateline.commenters.digest"
REQUEST_MAX_AGE = timedelta(hours=48)
ERASED_NAME = "Former commenter"
ERASED_BODY = "This comment was removed at its author's request."


def requester_key(email: str) -> str:
    """A keyed hash of the address: counts requests without keeping the address."""
    return hmac.new(
        settings.SECRET_KEY.encode(),
        b"privacy-request:" + normalise_email(email).encode(),
        hashlib.sha256,
    ).hexdigest()


def privacy_request_token(request: PrivacyRequest) -> str:
    return signing.dumps({"r": request.pk, "k": request.kind}, salt=REQUEST_SALT, compress=True)


def privacy_request_from_token(token: str) -> PrivacyRequest | None:
    """The waiting request a link stands for, or None when the link is bad, old or used."""
    try:
        data = signing.loads(token, salt=REQUEST_SALT, max_age=REQUEST_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    return PrivacyRequest.objects.filter(
        pk=data["r"], kind=data.get("k"), status=PrivacyRequest.Status.PENDING
    ).first()


def privacy_request_start(*, email: str, kind: str, now: Any = None) -> PrivacyRequest | None:
    """Record the request and mail a confirmation link to the address, after commit. Returns
    None (and sends nothing) when the address asked too often today. The answer to the person
    asking is the same either way, so nobody learns whether an address has commented."""
    now = now or timezone.now()
    key = requester_key(email)
    recent = PrivacyRequest.objects.filter(
        requester_key=key, requested_at__gte=now - timedelta(days=1)
    ).count()
    if recent >= settings.DATELINE_PRIVACY_REQUESTS_PER_DAY:
        return None
    request = PrivacyRequest.objects.create(
        kind=kind, requester_key=key, email=email.strip(), requested_at=now
    )
    from .tasks import send_privacy_link

    transaction.on_commit(lambda: send_privacy_link.enqueue(request.pk))
    return request


def privacy_request_complete(
    *, request: PrivacyRequest, summary: dict[str, Any] | None = None
) -> None:
    """Done: forget the address (the constraint insists)."""
    PrivacyRequest.objects.filter(pk=request.pk).update(
        status=PrivacyRequest.Status.DONE,
        email="",
        completed_at=timezone.now(),
        summary=summary or {},
    )


def privacy_requests_expire(*, now: Any = None) -> int:
    """Unconfirmed requests past the link's lifetime forget their address."""
    now = now or timezone.now()
    return PrivacyRequest.objects.filter(
        status=PrivacyRequest.Status.PENDING, requested_at__lt=now - REQUEST_MAX_AGE
    ).update(status=PrivacyRequest.Status.EXPIRED, email="")


def privacy_request_record_staff(*, email: str, kind: str, actor: Any) -> PrivacyRequest:
    """A member of staff acted for a commenter (from the admin): logged, no address kept."""
    return PrivacyRequest.objects.create(
        kind=kind,
        status=PrivacyRequest.Status.DONE,
        requester_key=requester_key(email),
        actor=actor,
        requested_at=timezone.now(),
        completed_at=timezone.now(),
    )


@dataclass(frozen=True)
class Erasure:
    comments: int
    articles: int
    subscriptions: int
    mail_records: int
    text_kept: bool


def commenter_erase(
    *, email: str, keep_text: bool | None = None, actor: Any = None, site: Any = None
) -> Erasure:
    """Anonymise every comment written under the address (name, address, website, network and
    browser; the text too unless the site keeps it) and delete the reply subscription and the
    mail log. Replies to the erased comments stay where they are."""
    if keep_text is None:
        keep_text = _settings(site).erasure_keeps_text
    key = normalise_email(email)
    with transaction.atomic():
        comments = list(commenter_comments(email=email).select_for_update())
        now = timezone.now()
        for comment in comments:
            comment.author_name = ERASED_NAME
            comment.author_email = ""
            comment.author_url = ""
            # Each erased comment gets its own key: nothing links them to each other any more.
            comment.email_key = f"erased:{secrets.token_hex(12)}"
            comment.ip_prefix = ""
            comment.user_agent = ""
            comment.idempotency_key = ""
            comment.user = None
            if not keep_text:
                comment.body = ERASED_BODY
                comment.body_hash = body_fingerprint(f"{ERASED_BODY} {comment.email_key}")
        Comment.objects.bulk_update(
            comments,
            [
                "author_name",
                "author_email",
                "author_url",
                "email_key",
                "ip_prefix",
                "user_agent",
                "idempotency_key",
                "user",
                "body",
                "body_hash",
            ],
            batch_size=500,
        )
        CommentEvent.objects.bulk_create(
            [
                CommentEvent(
                    comment=comment,
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                    action="erased",
                    from_status=comment.status,
                    to_status=comment.status,
                    reason="Personal data erased at the commenter's request"
                    + ("" if keep_text else "; text removed")
                    + ".",
                    created_at=now,
                )
                for comment in comments
            ],
            batch_size=500,
        )
        subscriptions, _ = Subscriber.objects.filter(email_key=key).delete()
        mail_records, _ = SentMail.objects.filter(email_key=key).delete()
        PrivacyRequest.objects.filter(requester_key=requester_key(email)).exclude(email="").update(
            status=PrivacyRequest.Status.DONE, email="", completed_at=now
        )
        articles = sorted({c.article_id for c in comments})
        deps = [f"article:{pk}" for pk in articles]
        transaction.on_commit(lambda: invalidate(deps))
    return Erasure(
        comments=len(comments),
        articles=len(articles),
        subscriptions=subscriptions,
        mail_records=mail_records,
        text_kept=keep_text,
    )


def _settings(site: Any = None) -> CommenterSettings:
    from wagtail.models import Site

    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return CommenterSettings()
    return CommenterSettings.for_site(site)


def outcome_notices_queue(*, comment_ids: list[int], to_status: str, reason: str = "") -> int:
    """After a person decided on held comments: queue one notice per comment whose author has a
    confirmed address, when the site sends them. Spam gets no notice."""
    if to_status not in (Comment.Status.APPROVED, Comment.Status.TRASH) or not comment_ids:
        return 0
    if not _settings().outcome_notices:
        return 0
    from .tasks import send_outcome_notice

    ids = list(comment_ids)
    transaction.on_commit(
        lambda: [send_outcome_notice.enqueue(pk, to_status, reason[:500]) for pk in ids]
    )
    return len(ids)


def digest_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=DIGEST_SALT)


def digest_unsubscribe(*, token: str) -> bool:
    try:
        data = signing.loads(token, salt=DIGEST_SALT)
    except signing.BadSignature:
        return False
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return False
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(pk=data["u"]).exists():
        return False
    from .models import DigestPreference

    DigestPreference.objects.update_or_create(user_id=data["u"], defaults={"digest": False})
    return True
