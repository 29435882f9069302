"""Readers' likes and reports."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dateline.core.net import ip_prefix

from ..errors import CommentError, NotAllowed, RateLimited
from ..models import Comment, CommentLike, CommentReport
from ..text import normalise_text
from .audit import comment_event, comment_log
from .effects import article_changed, articles_changed
from .site import comment_settings_for


def _reaction_budget(network: str) -> None:
    if not network:
        return
    key = f"reactions:{network}:{int(time.time() // 3600)}"
    count = cache.get_or_set(key, 0, 3600)
    if count is not None and count >= settings.DATELINE_REACTIONS_PER_HOUR:
        raise RateLimited(
            "Too many likes and reports from your network; try again later.",
            retry_after=3600 - int(time.time()) % 3600,
        )
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)


def comment_like(*, comment: Comment, voter: str, ip: str = "") -> int:
    """Like a comment once per reader; returns the number of likes. Raises RateLimited."""
    if comment.status != Comment.Status.APPROVED:
        raise NotAllowed("This comment cannot be liked.")
    _reaction_budget(ip_prefix(ip))
    try:
        with transaction.atomic():
            CommentLike.objects.create(comment=comment, voter=voter)
            Comment.objects.filter(pk=comment.pk).update(likes_count=F("likes_count") + 1)
            article_changed(comment.article_id, listings=False)
    except IntegrityError:
        pass  # liked before: still one like
    return Comment.objects.filter(pk=comment.pk).values_list("likes_count", flat=True).get()


def comment_unlike(*, comment: Comment, voter: str, ip: str = "") -> int:
    """Take back this reader's like, if there is one; returns the number of likes. Another
    reader's like is never touched, and a second unlike changes nothing. Raises RateLimited
    (likes and unlikes share one budget, so a count cannot be flipped without limit)."""
    if comment.status != Comment.Status.APPROVED:
        raise NotAllowed("This comment cannot be liked.")
    _reaction_budget(ip_prefix(ip))
    with transaction.atomic():
        removed, _ = CommentLike.objects.filter(comment=comment, voter=voter).delete()
        if removed:
            # The filter keeps the count from going below zero should it ever drift.
            Comment.objects.filter(pk=comment.pk, likes_count__gt=0).update(
                likes_count=F("likes_count") - 1
            )
            article_changed(comment.article_id, listings=False)
    return Comment.objects.filter(pk=comment.pk).values_list("likes_count", flat=True).get()


def comment_likes_carry_over(*, from_voter: str, to_voter: str, ip: str = "") -> int:
    """Make the likes made under ``from_voter`` (a browser, before its reader signed in) the
    likes of ``to_voter`` (the account), once: a comment liked under both keeps one like (its
    count goes down by one), the others change hands and keep their count. Afterwards
    ``from_voter`` has no like left, so a second call changes nothing. Returns the number of
    likes carried over (merged ones included). Raises RateLimited (the reactions' budget)."""
    if not from_voter or from_voter == to_voter:
        return 0
    _reaction_budget(ip_prefix(ip))
    for attempt in (1, 2):
        try:
            return _carry_over(from_voter, to_voter)
        except IntegrityError:
            # The account liked one of these comments in the meantime (another device): the
            # second attempt sees that like and merges it.
            if attempt == 2:
                raise
    return 0  # pragma: no cover - the loop returns or raises


def _carry_over(from_voter: str, to_voter: str) -> int:
    with transaction.atomic():
        browser = CommentLike.objects.filter(voter=from_voter)
        rows = list(browser.values_list("comment_id", "comment__article_id"))
        if not rows:
            return 0
        account = CommentLike.objects.filter(voter=to_voter, comment_id__in=[c for c, _ in rows])
        both = set(account.values_list("comment_id", flat=True))
        if both:
            browser.filter(comment_id__in=both).delete()
            # The filter keeps the count from going below zero should it ever drift.
            Comment.objects.filter(pk__in=both, likes_count__gt=0).update(
                likes_count=F("likes_count") - 1
            )
            articles_changed(
                article_ids=[article for c, article in rows if c in both], listings=False
            )
        browser.update(voter=to_voter)
    return len(rows)


def comment_report(
    *, comment: Comment, reporter: str, reason: str, note: str = "", ip: str = ""
) -> CommentReport:
    """Report a comment to the moderators (once per reader). Raises RateLimited."""
    if reason not in CommentReport.Reason.values:
        raise CommentError("Choose a reason for the report.", field="reason")
    _reaction_budget(ip_prefix(ip))
    with transaction.atomic():
        report, created = CommentReport.objects.get_or_create(
            comment=comment,
            reporter=reporter,
            defaults={"reason": reason, "note": normalise_text(note)[:500]},
        )
        if created:
            Comment.objects.filter(pk=comment.pk).update(reports_count=F("reports_count") + 1)
            _flag_if_reported(comment)
    return report


def _flag_if_reported(comment: Comment) -> None:
    """Send an approved comment to the desk's Reported queue once enough readers reported it
    since the last moderator's decision (CommentSettings.reports_to_review)."""
    threshold = comment_settings_for(comment.article).reports_to_review
    current = Comment.objects.filter(pk=comment.pk).values("status", "reported_at", "moderated_at")
    row = current.get()
    if row["status"] != Comment.Status.APPROVED or row["reported_at"] is not None or not threshold:
        return
    since = CommentReport.objects.filter(comment_id=comment.pk)
    if row["moderated_at"] is not None:
        since = since.filter(created_at__gt=row["moderated_at"])
    reports = since.count()
    if reports < threshold:
        return
    comment.reported_at = timezone.now()
    Comment.objects.filter(pk=comment.pk, reported_at__isnull=True).update(
        reported_at=comment.reported_at
    )
    comment.status = row["status"]
    comment_log(
        [
            comment_event(
                comment=comment,
                action="reported",
                from_status=row["status"],
                rule="reader_reports",
                reason=f"{reports} reader reports; {threshold} or more send a comment to the desk.",
            )
        ]
    )
