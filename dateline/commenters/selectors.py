"""Reads about one commenter: everything stored under their address, as they may download it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from dateline.comments.models import Comment, CommentEvent, CommentRevision, SentMail, Subscriber
from dateline.comments.text import normalise_email
from dateline.core.links import base_url, page_absolute_url
from dateline.core.personal_data import personal_data_export
from dateline.moderation.bans import ERASED_BAN_PREFIX, erased_ban_key
from dateline.moderation.models import CommentBan, CommentBanQuerySet

from .models import CommenterSettings, PrivacyRequest


def commenter_settings(*, site: Any = None) -> CommenterSettings:
    """The commenters' settings of ``site`` (the default site when None); the defaults when
    there is no site."""
    from wagtail.models import Site

    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return CommenterSettings()
    return CommenterSettings.for_site(site)


def commenter_comments(*, email: str) -> QuerySet[Comment]:
    """Comments written under this address, signed in or not."""
    key = normalise_email(email)
    return Comment.objects.filter(Q(email_key=key) | Q(author_email__iexact=email.strip()))


def commenter_bans(*, email: str) -> CommentBanQuerySet:
    """Bans naming this address: in clear (as the desk or the snippet admin typed it, in any
    case) or, after an erasure, by its keyed hash."""
    return CommentBan.objects.filter(
        Q(email_key__iexact=normalise_email(email))
        | Q(email_key__iexact=email.strip())
        | Q(email_key=erased_ban_key(email))
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def commenter_export(*, email: str, requester_key: str = "") -> dict[str, Any]:
    """Everything we hold about the address, in a fixed number of queries."""
    key = normalise_email(email)
    comments = list(
        commenter_comments(email=email).select_related("article").order_by("created_at", "pk")
    )
    events: dict[int, list[dict[str, Any]]] = {}
    for event in CommentEvent.objects.filter(comment__in=[c.pk for c in comments]).order_by(
        "created_at", "pk"
    ):
        events.setdefault(event.comment_id, []).append(
            {
                "at": _iso(event.created_at),
                "action": event.action,
                "from": event.from_status,
                "to": event.to_status,
                "by": "rule" if event.rule else "moderator" if event.actor_id else "you",
                "reason": event.reason,
            }
        )
    earlier: dict[int, list[dict[str, Any]]] = {}
    for revision in CommentRevision.objects.filter(comment__in=[c.pk for c in comments]).order_by(
        "created_at", "pk"
    ):
        # The text as it was before a member of staff edited it.
        earlier.setdefault(revision.comment_id, []).append(
            {"body": revision.body, "replaced_at": _iso(revision.created_at)}
        )
    now = timezone.now()
    active = set(commenter_bans(email=email).active(now=now).values_list("pk", flat=True))
    bans = [
        {
            "by": "address, as a keyed hash after erasure"
            if ban.email_key.startswith(ERASED_BAN_PREFIX)
            else "address",
            "network": ban.ip_prefix,
            "reason": ban.reason,
            "since": _iso(ban.created_at),
            "until": _iso(ban.expires_at),
            "lifted_at": _iso(ban.lifted_at),
            "active": ban.pk in active,
        }
        for ban in commenter_bans(email=email).order_by("created_at", "pk")
    ]
    subscriber = Subscriber.objects.filter(email_key=key).first()
    site = base_url()
    return {
        "generated_at": _iso(now),
        "site": site,
        "email": email.strip(),
        "comments": [
            {
                "id": c.pk,
                "url": f"{site}/comments/{c.pk}/",
                "article": {"title": c.article.title, "url": page_absolute_url(c.article)},
                "status": c.status,
                "in_reply_to": c.in_reply_to_id or c.parent_id,
                "name": c.author_name,
                "email": c.author_email,
                "website": c.author_url,
                "body": c.body,
                "created_at": _iso(c.created_at),
                "edited_at": _iso(c.edited_at),
                "likes": c.likes_count,
                "reports": c.reports_count,
                "network": c.ip_prefix,
                "browser": c.user_agent,
                "moderation": events.get(c.pk, []),
                "earlier_versions": earlier.get(c.pk, []),
            }
            for c in comments
        ],
        "bans": bans,
        "reply_notifications": None
        if subscriber is None
        else {
            "status": subscriber.status,
            "since": _iso(subscriber.created_at),
            "confirmed_at": _iso(subscriber.confirmed_at),
            "comments": list(subscriber.subscriptions.values_list("comment_id", flat=True)),
        },
        "mail_sent": [
            {"kind": kind, "at": _iso(at)}
            for kind, at in SentMail.objects.filter(email_key=key)
            .order_by("sent_at")
            .values_list("kind", "sent_at")
        ],
        "requests": [
            {"kind": kind, "status": status, "at": _iso(at)}
            for kind, status, at in PrivacyRequest.objects.filter(requester_key=requester_key)
            .order_by("requested_at")
            .values_list("kind", "status", "requested_at")
        ]
        if requester_key
        else [],
        # What other apps keep under the address (newsletters: core.personal_data).
        **personal_data_export(email),
    }
