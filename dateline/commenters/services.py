"""Writes for commenters' rights: asking for an export or erasure by email, confirming it through
a signed link, erasing; and queueing the mail around moderation."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from dateline.comments.bodies import comment_body_render
from dateline.comments.models import (
    BODY_MAX,
    Comment,
    CommentEvent,
    CommentReport,
    CommentRevision,
    SentMail,
    Subscriber,
)
from dateline.comments.services import comment_event, comment_log
from dateline.comments.text import body_fingerprint, normalise_email
from dateline.core.pagecache import invalidate
from dateline.core.personal_data import personal_data_erase
from dateline.moderation.bans import erased_ban_key
from dateline.moderation.models import CommentBan, DeskBulkJob

from .models import PrivacyRequest
from .selectors import commenter_bans, commenter_comments, commenter_settings
from .tasks import send_outcome_notice, send_privacy_link
from .tokens import DIGEST_SALT, REQUEST_MAX_AGE, REQUEST_SALT

ERASED_NAME = "Former commenter"
ERASED_BODY = "This comment was removed at its author's request."
ERASED_ADDRESS = "[address erased]"


def requester_key(email: str) -> str:
    """A keyed hash of the address: counts requests without keeping the address."""
    return hmac.new(
        settings.SECRET_KEY.encode(),
        b"privacy-request:" + normalise_email(email).encode(),
        hashlib.sha256,
    ).hexdigest()


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
    revisions: int = 0  # earlier texts (kept by staff edits) deleted with the text
    bans: int = 0  # bans that now keep a keyed hash instead of the address
    mentions: int = 0  # rows where the address was written (texts, reasons, logs), cleaned
    tasks: int = 0  # task-queue rows that held the address, deleted
    # Rows erased by the other apps that keep addresses (core.personal_data), by app.
    elsewhere: dict[str, int] = field(default_factory=dict)


def commenter_erase(
    *, email: str, keep_text: bool | None = None, actor: Any = None, site: Any = None
) -> Erasure:
    """Anonymise every comment written under the address (name, address, website, network and
    browser; the text and its earlier versions too unless the site keeps text) and delete the
    reply subscription and the mail log. Bans keep working on a keyed hash of the address;
    wherever else the address was written (others' comments, staff edits' earlier texts,
    moderation and admin logs, task rows) it is replaced by "[address erased]". Replies to the
    erased comments stay where they are. What other apps keep under the address (newsletter
    subscriptions: core.personal_data) goes in the same transaction."""
    if keep_text is None:
        keep_text = commenter_settings(site=site).erasure_keeps_text
    key = normalise_email(email)
    actor = actor if getattr(actor, "is_authenticated", False) else None
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
                comment_body_render(comment=comment)  # the stored HTML held the old text
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
                "body_html",
                "body_html_key",
            ],
            batch_size=500,
        )
        revisions = 0
        if not keep_text:
            revisions, _ = CommentRevision.objects.filter(comment__in=comments).delete()
        comment_log(
            [
                comment_event(
                    comment=comment,
                    actor=actor,
                    action="erased",
                    from_status=comment.status,
                    reason="Personal data erased at the commenter's request"
                    + ("" if keep_text else "; text and earlier versions removed")
                    + ".",
                    at=now,
                )
                for comment in comments
            ]
        )
        _log_entries_relabel(comments)
        bans = commenter_bans(email=email).update(email_key=erased_ban_key(email))
        subscriptions, _ = Subscriber.objects.filter(email_key=key).delete()
        mail_records, _ = SentMail.objects.filter(email_key=key).delete()
        # Newsletter subscriptions and whatever else another app keeps under the address.
        elsewhere = personal_data_erase(email)
        PrivacyRequest.objects.filter(requester_key=requester_key(email)).exclude(email="").update(
            status=PrivacyRequest.Status.DONE, email="", completed_at=now
        )
        # Last, so that it also finds what the steps above left (kept text, ban reasons).
        scrub = _AddressScrubber(email)
        cleaned_comments = scrub.comments(actor=actor, now=now)
        mentions = len(cleaned_comments) + sum(
            scrub.rows(model, fields) for model, fields in _free_text()
        )
        tasks = scrub.tasks()
        articles = sorted({c.article_id for c in comments})
        deps = [f"article:{pk}" for pk in {*articles, *cleaned_comments.values()}]
        transaction.on_commit(lambda: invalidate(deps))
    return Erasure(
        comments=len(comments),
        articles=len(articles),
        subscriptions=subscriptions,
        mail_records=mail_records,
        text_kept=keep_text,
        revisions=revisions,
        bans=bans,
        mentions=mentions,
        tasks=tasks,
        elsewhere=elsewhere,
    )


def _free_text() -> list[tuple[type[Model], list[str]]]:
    """Where else text that may name an address is kept: comments' earlier texts, moderators'
    reasons, readers' report notes, bulk-job descriptions (a filter by address), and the
    admin's log (Wagtail's label is the object's ``str()``, e.g. "ban of <address>")."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    return [
        (CommentRevision, ["body"]),
        (CommentEvent, ["reason"]),
        (CommentBan, ["reason"]),
        (CommentReport, ["note"]),
        (DeskBulkJob, ["reason", "description"]),
        (ModelLogEntry, ["label", "data"]),
        (PageLogEntry, ["label", "data"]),
    ]


def _log_entries_relabel(comments: list[Comment]) -> None:
    """Wagtail's log names a comment by its ``str()`` (name and the start of the text) as it
    was then: name the erased comments as they are now."""
    from wagtail.models import ModelLogEntry

    if not comments:
        return
    by_id = {str(c.pk): str(c) for c in comments}
    entries = list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment), object_id__in=list(by_id)
        )
    )
    for entry in entries:
        entry.label = by_id[entry.object_id]
    ModelLogEntry.objects.bulk_update(entries, ["label"], batch_size=500)


class _AddressScrubber:
    """Finds an address, as typed or normalised and in any case, in free-text and JSON columns
    and replaces it with ERASED_ADDRESS. The searches are unindexed substring scans; erasure is
    rare and runs them once per request."""

    def __init__(self, email: str) -> None:
        forms = sorted({email.strip(), normalise_email(email)} - {""}, key=len, reverse=True)
        # JSON columns keep non-ASCII characters as \uXXXX escapes on some databases.
        self.needles = sorted({*forms, *(json.dumps(f)[1:-1] for f in forms)})
        self.pattern = re.compile("|".join(re.escape(f) for f in forms), re.IGNORECASE)

    def clean(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.pattern.sub(ERASED_ADDRESS, value)
        if isinstance(value, list):
            return [self.clean(item) for item in value]
        if isinstance(value, dict):
            return {self.clean(k): self.clean(v) for k, v in value.items()}
        return value

    def matching(self, model: type[Model], fields: list[str]) -> QuerySet[Any]:
        query = Q()
        for name in fields:
            for needle in self.needles:
                query |= Q(**{f"{name}__icontains": needle})
        return model._default_manager.filter(query).order_by()

    def rows(self, model: type[Model], fields: list[str], *, among: Q | None = None) -> int:
        """Clean every row of ``model`` (``among`` those) that names the address; the number
        cleaned."""
        rows = list(self.matching(model, fields).filter(among or Q()))
        for row in rows:
            for name in fields:
                value = self.clean(getattr(row, name))
                limit = getattr(model._meta.get_field(name), "max_length", None)
                setattr(row, name, value[:limit] if limit and isinstance(value, str) else value)
        model._default_manager.bulk_update(rows, fields, batch_size=500)
        return len(rows)

    def comments(self, *, actor: Any, now: Any) -> dict[int, int]:
        """Comments (anyone's) whose text or held-because reasons name the address: cleaned,
        fingerprinted again and logged. {comment id: article id}."""
        rows = list(self.matching(Comment, ["body", "moderation_reasons"]))
        events = []
        for comment in rows:
            body = self.clean(comment.body)[:BODY_MAX]
            if body != comment.body:
                comment.body = body
                comment.body_hash = body_fingerprint(body)
                comment_body_render(comment=comment)
                events.append(
                    comment_event(
                        comment=comment,
                        actor=actor,
                        action="address removed",
                        from_status=comment.status,
                        reason="The address of a commenter who asked for erasure was taken "
                        "out of the text.",
                        at=now,
                    )
                )
            comment.moderation_reasons = self.clean(comment.moderation_reasons)
        Comment.objects.bulk_update(
            rows,
            ["body", "body_hash", "body_html", "body_html_key", "moderation_reasons"],
            batch_size=500,
        )
        comment_log(events)
        return {c.pk: c.article_id for c in rows}

    def tasks(self) -> int:
        """Task rows (django-tasks' database backend) whose arguments, result or traceback name
        the address (a queued notice with a moderator's reason, a failed send's SMTP error):
        deleted, so no mail goes out after erasure; a task running right now is cleaned
        instead. The number deleted."""
        if not apps.is_installed("django_tasks_db"):
            return 0
        from django_tasks_db.models import DBTaskResult, TaskResultStatus

        fields = ["args_kwargs", "return_value", "traceback"]
        running = Q(status=TaskResultStatus.RUNNING)
        self.rows(DBTaskResult, fields, among=running)
        deleted, _ = self.matching(DBTaskResult, fields).exclude(running).delete()
        return deleted


def outcome_notices_queue(*, comment_ids: list[int], to_status: str, reason: str = "") -> int:
    """After a person decided on held comments: queue one notice per comment whose author has a
    confirmed address, when the site sends them. Spam gets no notice."""
    if to_status not in (Comment.Status.APPROVED, Comment.Status.TRASH) or not comment_ids:
        return 0
    if not commenter_settings().outcome_notices:
        return 0
    ids = list(comment_ids)
    transaction.on_commit(
        lambda: [send_outcome_notice.enqueue(pk, to_status, reason[:500]) for pk in ids]
    )
    return len(ids)


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
