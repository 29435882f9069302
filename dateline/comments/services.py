"""Every write on comments: posting, moderating, editing, likes, reports, subscriptions."""

from __future__ import annotations

import dataclasses
import logging
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Site

from dateline.core.db import insert_row, select_one
from dateline.core.memo import forget, generation, remembered
from dateline.core.net import ip_prefix
from dateline.core.pagecache import invalidate
from dateline.news.models import ArticlePage

from .bodies import comment_body_render
from .guards import CommentRateLimited, rate_precheck, rate_verdict
from .models import (
    Comment,
    CommentEvent,
    CommentLike,
    CommentReport,
    CommentSettings,
    ReplySubscription,
    SentMail,
    Subscriber,
)
from .policy import Policy, policy_for
from .ratelimit import counted_in_database
from .rules import CLOSED, REFUSE, ScreenContext, Submission, screen
from .signals import comments_moderated
from .text import body_fingerprint, normalise_email, normalise_text

User = AbstractBaseUser | AnonymousUser
log = logging.getLogger(__name__)
ANONYMOUS_NAME = "Anonymous"


class CommentError(Exception):
    """A comment cannot be accepted; ``field`` names the form field it is about, if any."""

    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field or self.field


class CommentsClosed(CommentError):
    pass


class ParentUnavailable(CommentError):
    field = "comment_parent"


class NotAllowed(CommentError):
    pass


class CommentRefused(CommentError):
    """A rule refused the comment (signed-in only, too long, …); nothing was stored."""


SETTINGS_CACHE_SECONDS = 60


def comment_settings_for(article: ArticlePage) -> CommentSettings:
    """The comment settings of the article's site, from the cache (cleared when they are saved),
    remembered on the article object: the form view and the service ask for them once each."""
    memo = article.__dict__.get("_comment_settings")
    if memo is not None and memo[0] == generation():
        found: CommentSettings = memo[1]
        return found
    found = _site_comment_settings(article)
    article.__dict__["_comment_settings"] = (generation(), found)
    return found


def _site_comment_settings(article: ArticlePage) -> CommentSettings:
    # The site's id from Wagtail's cached site roots (no query for the Site row itself),
    # remembered per page path like the settings: working it out costs more than a post's rules.
    site_id = remembered(f"article-site:{article.url_path}", lambda: _site_id(article))
    if site_id is None:
        return CommentSettings()
    return remembered(f"comment-settings:{site_id}", lambda: _cached_settings(site_id))


def _site_id(article: ArticlePage) -> int | None:
    parts = article.get_url_parts()
    return None if parts is None else int(parts[0])


def _cached_settings(site_id: int) -> CommentSettings:
    key = f"comment-settings:{site_id}"
    try:
        found = cache.get(key)
    except Exception:  # a cache that is down (Redis) must not stop comments: ask the database
        log.warning("cache unavailable for the comment settings", exc_info=True)
        return CommentSettings.objects.get_or_create(site_id=site_id)[0]
    if found is None:
        found = CommentSettings.objects.get_or_create(site_id=site_id)[0]
        try:
            cache.set(key, found, SETTINGS_CACHE_SECONDS)
        except Exception:
            log.warning("cache unavailable for the comment settings", exc_info=True)
    return found


def comment_policy_for(article: ArticlePage) -> Policy:
    """The rules in force on ``article``: the site's settings with its section's and its own
    overrides (remembered on the article for the rest of the request)."""
    return policy_for(article, comment_settings_for(article))


def comment_settings_changed(*, site_id: int) -> None:
    forget("comment-settings:")
    cache.delete(f"comment-settings:{site_id}")


def email_key_for(*, email: str, user_id: int | None) -> str:
    return f"user:{user_id}" if user_id else normalise_email(email)


def path_segment(moment: datetime | None = None) -> str:
    """A path segment that sorts by time: microseconds since 1970 in 13 hex digits, then 3
    random ones against collisions."""
    micros = int(moment.timestamp() * 1_000_000) if moment is not None else time.time_ns() // 1000
    return f"{micros:013x}{secrets.randbelow(16**3):03x}"


def _log(
    comment: Comment,
    *,
    action: str,
    from_status: str,
    actor: Any = None,
    rule: str = "",
    reason: str = "",
) -> None:
    insert_row(
        CommentEvent(
            comment=comment,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            rule=rule,
            action=action,
            from_status=from_status,
            to_status=comment.status,
            reason=reason,
            created_at=timezone.now(),
        )
    )


def comment_counts_refresh(*, article_id: int) -> None:
    """Recount the article's approved comments in one statement (no lost updates)."""
    approved = (
        Comment.objects.filter(article_id=OuterRef("pk"), status=Comment.Status.APPROVED)
        .values("article_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ArticlePage.objects.filter(pk=article_id).update(
        comment_count=Coalesce(Subquery(approved), Value(0))
    )


def _after_change(article_id: int, *, listings: bool) -> None:
    deps = [f"article:{article_id}"] + (["listings"] if listings else [])
    transaction.on_commit(lambda: invalidate(deps))


_PARENT_FIELDS = ("id", "article", "status", "path", "depth", "thread")


@lru_cache(maxsize=1)
def _parent_fields() -> tuple[Any, ...]:
    return tuple(f for f in Comment._meta.concrete_fields if f.name in _PARENT_FIELDS)


@lru_cache(maxsize=1)
def _parent_sql() -> str:
    """The parent's few columns by id, written out once (it runs for every reply)."""
    q = connection.ops.quote_name
    columns = ", ".join(q(str(f.column)) for f in _parent_fields())
    return f"SELECT {columns} FROM {q(Comment._meta.db_table)} WHERE {q('id')} = %s"  # noqa: S608


def _effective_parent(
    *, article: ArticlePage, parent_id: int | None, max_depth: int
) -> Comment | None:
    """The comment a reply attaches to: the one asked for, or its ancestor at the deepest
    level the site allows."""
    if parent_id is None:
        return None
    parent = select_one(Comment, _parent_sql(), [parent_id], _parent_fields())
    if (
        parent is None
        or parent.article_id != article.pk
        or parent.status != Comment.Status.APPROVED
    ):
        raise ParentUnavailable(
            "The comment you are replying to is not available any more. Your text is still here: post it as a new comment, or reply to another one."
        )
    if parent.depth + 1 < max_depth:
        return parent
    keep = max_depth - 1  # segments of the ancestor path
    if keep <= 0:
        return None
    ancestor_path = "/".join(parent.path.split("/")[:keep])
    return Comment.objects.get(article_id=article.pk, path=ancestor_path)


def _scores(context: ScreenContext) -> dict[str, float]:
    """The learned filters' scores the rules left in ``context``, as a comment keeps them."""
    return {kind: round(score, 4) for kind, score in context.extra.get("scores", {}).items()}


@dataclass(frozen=True)
class PostResult:
    comment: Comment
    created: bool
    # The same browser retried (its idempotency key matches): it may have the edit token again.
    retried: bool = False

    @property
    def authored_here(self) -> bool:
        return self.created or self.retried


def comment_post(*, submission: Submission) -> PostResult:
    """Screen and store a reader's comment.

    Returns the comment and whether it is new: a double submit or a retry (same article,
    commenter and text, or the same idempotency key) returns the comment stored the first time.
    Raises CommentsClosed, ParentUnavailable, CommentRefused (a rule refused it) and
    guards.CommentRateLimited. The rules run before the write transaction, so the database's
    write lock is not held while they (and the learned filters) work.
    """
    article = submission.article
    if not article.comments_open():
        raise CommentsClosed("Comments are closed on this article.")
    body = normalise_text(submission.body)
    key = email_key_for(email=submission.email, user_id=submission.user_id)
    fingerprint = body_fingerprint(body)
    site_settings = comment_settings_for(article)
    now = timezone.now()

    # A double submit or a retry is found by the unique constraints when the insert fails (one
    # query less for every new comment), or here when the retry is what went over a rate limit.
    # Database counters are only read here and counted in the comment's own write transaction
    # (one write transaction per post, not two); Redis counters are counted here.
    count_in_transaction = submission.check_rate and counted_in_database()
    if submission.check_rate:
        try:
            if count_in_transaction:
                rate_precheck(email_key=key, ip=submission.ip)
                limited = None
            else:
                limited = rate_verdict(email_key=key, ip=submission.ip)
        except CommentRateLimited as over:
            return _earlier_or_raise(over, submission, email_key=key, fingerprint=fingerprint)
        if limited is not None:
            submission = dataclasses.replace(submission, guards=(*submission.guards, limited))
    context = ScreenContext(
        settings=site_settings,
        now=now,
        email_key=key,
        policy=policy_for(article, site_settings),
        fingerprint=fingerprint,
    )
    screening = screen(submission, context)
    if screening.status == REFUSE:
        if count_in_transaction:
            # Nothing will be written, so the attempt is counted on its own: a flood of refused
            # posts still runs into the limit (429) instead of being screened forever.
            rate_verdict(email_key=key, ip=submission.ip)
        refusal = screening.verdicts[-1]
        if refusal.code == CLOSED:
            raise CommentsClosed(refusal.reason)
        raise CommentRefused(refusal.reason, field=refusal.field)

    # The body's HTML, rendered once, here, outside the write transaction; pages read it.
    rendered = comment_body_render(comment=Comment(body=body))
    for attempt in range(3):
        try:
            with transaction.atomic():
                if count_in_transaction:
                    # Over the limit now (a concurrent post took the last place): nothing is
                    # stored, the count included, and the reader gets the 429.
                    rate_verdict(email_key=key, ip=submission.ip)
                parent = _effective_parent(
                    article=article,
                    parent_id=submission.parent_id,
                    max_depth=site_settings.max_depth,
                )
                segment = path_segment()
                # One prepared INSERT (Comment has no save signals to send).
                comment = insert_row(
                    Comment(
                        article=article,
                        parent=parent,
                        in_reply_to_id=submission.parent_id,
                        path=f"{parent.path}/{segment}" if parent else segment,
                        thread=parent.thread if parent else segment,
                        depth=parent.depth + 1 if parent else 0,
                        status=screening.status,
                        author_name=normalise_text(submission.name) or ANONYMOUS_NAME,
                        author_email=submission.email.strip(),
                        email_key=key,
                        author_url=submission.url.strip(),
                        user_id=submission.user_id,
                        is_staff=submission.is_staff,
                        body=body,
                        body_hash=fingerprint,
                        body_html=rendered.body_html,
                        body_html_key=rendered.body_html_key,
                        idempotency_key=submission.idempotency_key[:64],
                        created_at=now,
                        moderated_at=now if screening.status != Comment.Status.PENDING else None,
                        moderation_reasons=screening.reasons,
                        scores=_scores(context),
                        ip_prefix=ip_prefix(submission.ip),
                        user_agent=submission.user_agent[:300],
                    )
                )
                deciding = screening.verdicts[-1] if screening.verdicts else None
                _log(
                    comment,
                    action="posted",
                    from_status="",
                    rule=",".join(v.code for v in screening.verdicts),
                    reason="; ".join(v.reason for v in screening.verdicts)
                    or (deciding.reason if deciding else "No rule objected."),
                )
                if comment.status == Comment.Status.APPROVED:
                    comment_counts_refresh(article_id=article.pk)
                    _after_change(article.pk, listings=True)
                    _queue_reply_notice(comment)
                if submission.notify and submission.email:
                    _subscribe(comment=comment, email=submission.email)
            return PostResult(comment, created=True)
        except IntegrityError:
            earlier = _earlier_post(submission, email_key=key, fingerprint=fingerprint)
            if earlier is not None:
                return earlier
            if attempt == 2:
                raise
        except CommentRateLimited as over:
            return _earlier_or_raise(over, submission, email_key=key, fingerprint=fingerprint)
    raise AssertionError("unreachable")


RETRY_WINDOW = timedelta(minutes=10)


def _duplicate(existing: Comment, submission: Submission) -> PostResult:
    """Someone posted what is already there. Only the browser that sent it first counts as its
    author (and gets its edit token again): the same signed-in user, the same idempotency key
    (the page's script makes one per form), or, for a form without a key (no JavaScript), the
    same network and browser within a few minutes: a double click. Repeating another person's
    email and text gains nothing."""
    if submission.user_id is not None or existing.user_id is not None:
        return PostResult(existing, created=False, retried=submission.user_id == existing.user_id)
    key = submission.idempotency_key[:64]
    if key or existing.idempotency_key:
        return PostResult(
            existing, created=False, retried=bool(key) and key == existing.idempotency_key
        )
    double_click = (
        timezone.now() - existing.created_at <= RETRY_WINDOW
        and existing.ip_prefix == ip_prefix(submission.ip)
        and existing.user_agent == submission.user_agent[:300]
    )
    return PostResult(existing, created=False, retried=double_click)


def _earlier_post(submission: Submission, *, email_key: str, fingerprint: str) -> PostResult | None:
    """The comment this submission repeats (a double submit or a retry), answered as such."""
    existing = _find_duplicate(
        article_id=submission.article.pk,
        email_key=email_key,
        fingerprint=fingerprint,
        idempotency_key=submission.idempotency_key,
    )
    return _duplicate(existing, submission) if existing is not None else None


def _earlier_or_raise(
    over: CommentRateLimited, submission: Submission, *, email_key: str, fingerprint: str
) -> PostResult:
    """Over a rate limit: a retry of a comment already stored is answered with it (the
    reader's double submit is not a new comment); anything else gets the 429."""
    earlier = _earlier_post(submission, email_key=email_key, fingerprint=fingerprint)
    if earlier is None:
        raise over
    return earlier


def _find_duplicate(
    *, article_id: int, email_key: str, fingerprint: str, idempotency_key: str
) -> Comment | None:
    match = Q(body_hash=fingerprint)
    if idempotency_key:
        match |= Q(idempotency_key=idempotency_key[:64])
    # One query; the same text wins over the same key when both match.
    candidates = list(Comment.objects.filter(match, article_id=article_id, email_key=email_key)[:2])
    return next(
        (c for c in candidates if c.body_hash == fingerprint), candidates[0] if candidates else None
    )


# --- Moderation ----------------------------------------------------------------------------------

MODERATION_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
}


def comment_moderate(
    *, comment: Comment, action: str, actor: Any = None, reason: str = "", rule: str = ""
) -> Comment:
    """Approve, hold, mark as spam or trash a comment; logged, counted and cache-invalidated.

    Raises KeyError for an unknown action.
    """
    new_status = MODERATION_ACTIONS[action]
    with transaction.atomic():
        old_status, reported_at = (
            Comment.objects.filter(pk=comment.pk).values_list("status", "reported_at").get()
        )
        # A decision on a reported comment clears the flag, even when it keeps the comment.
        if old_status == new_status and reported_at is None:
            return comment
        comment.status = new_status
        comment.moderated_at = timezone.now()
        comment.reported_at = None
        Comment.objects.filter(pk=comment.pk).update(
            status=new_status, moderated_at=comment.moderated_at, reported_at=None
        )
        if old_status == new_status and not reason:
            reason = "Reports reviewed: the comment stays."
        _log(comment, action=action, from_status=old_status, actor=actor, rule=rule, reason=reason)
        if old_status == new_status:
            return comment
        comments_moderated.send(
            sender=Comment,
            held_ids=[comment.pk] if old_status == Comment.Status.PENDING else [],
            to_status=new_status,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
        )
        if Comment.Status.APPROVED in (old_status, new_status):
            comment_counts_refresh(article_id=comment.article_id)
            _after_change(comment.article_id, listings=True)
        if new_status == Comment.Status.APPROVED:
            _queue_reply_notice(comment)
    return comment


def comments_moderate(
    *, comment_ids: Iterable[int], action: str, actor: Any = None, reason: str = ""
) -> int:
    """Moderate several comments; returns how many changed."""
    changed = 0
    for comment in Comment.objects.filter(pk__in=list(comment_ids)):
        before = comment.status
        comment_moderate(comment=comment, action=action, actor=actor, reason=reason)
        changed += before != comment.status
    return changed


def comment_feature(*, comment: Comment, featured: bool, actor: Any = None) -> Comment:
    """Make the comment an Editor's pick (shown first), or stop it being one."""
    with transaction.atomic():
        comment.featured_at = timezone.now() if featured else None
        Comment.objects.filter(pk=comment.pk).update(featured_at=comment.featured_at)
        _log(
            comment,
            action="feature" if featured else "unfeature",
            from_status=comment.status,
            actor=actor,
        )
        _after_change(comment.article_id, listings=False)
    return comment


def article_comments_set_status(*, article: ArticlePage, status: str, actor: Any = None) -> None:
    """Close or reopen comments on an article without publishing a new revision of it.

    The live row and the latest revision both change, so a later publish keeps the choice.
    """
    if status not in ArticlePage.CommentStatus.values:
        raise ValueError(status)
    with transaction.atomic():
        ArticlePage.objects.filter(pk=article.pk).update(comment_status=status)
        revision = article.latest_revision
        if revision is not None:
            revision.content["comment_status"] = status
            revision.save(update_fields=["content"])
        article.comment_status = status
        _after_change(article.pk, listings=False)


def comment_staff_edited(*, comment: Comment, actor: Any = None) -> None:
    """After staff changed a comment's text in the admin: fingerprint, HTML, log, cache."""
    comment_body_render(comment=comment)
    Comment.objects.filter(pk=comment.pk).update(
        body_hash=body_fingerprint(comment.body),
        body_html=comment.body_html,
        body_html_key=comment.body_html_key,
        edited_at=timezone.now(),
    )
    _log(comment, action="edited by staff", from_status=comment.status, actor=actor)
    _after_change(comment.article_id, listings=False)


# --- Readers editing their own comments -----------------------------------------------------------


def edit_window_open(comment: Comment, *, now: Any = None) -> bool:
    window = comment_settings_for(comment.article).edit_window_minutes
    return (now or timezone.now()) <= comment.created_at + timedelta(minutes=window)


def comment_edit_by_author(*, comment: Comment, body: str) -> Comment:
    """Change the text of one's own comment within the edit window; it is screened again, so an
    approved comment that now breaks a rule goes back to the queue, and its learned-filter
    scores are those of the new text. Raises NotAllowed."""
    if not edit_window_open(comment) or comment.status in (
        Comment.Status.SPAM,
        Comment.Status.TRASH,
    ):
        raise NotAllowed("The time for editing this comment has passed.")
    body = normalise_text(body)
    article = comment.article
    submission = Submission(
        article=article,
        name=comment.author_name,
        email=comment.author_email,
        body=body,
        url=comment.author_url,
        user_id=comment.user_id,
        is_staff=comment.is_staff,
    )
    context = ScreenContext(
        settings=comment_settings_for(article),
        now=timezone.now(),
        email_key=comment.email_key,
        policy=comment_policy_for(article),
        fingerprint=body_fingerprint(body),
    )
    screening = screen(submission, context)
    if screening.status == REFUSE:
        refusal = screening.verdicts[-1]
        raise NotAllowed(refusal.reason, field="comment" if refusal.field else None)
    with transaction.atomic():
        old_status = comment.status
        comment.body = body
        comment.body_hash = body_fingerprint(body)
        comment_body_render(comment=comment)
        comment.edited_at = timezone.now()
        # The earlier scores were the earlier text's (none when no filter scored this one).
        comment.scores = _scores(context)
        if screening.status != Comment.Status.APPROVED and old_status == Comment.Status.APPROVED:
            comment.status = screening.status
            comment.moderation_reasons = screening.reasons
        try:
            comment.save(
                update_fields=[
                    "body",
                    "body_hash",
                    "body_html",
                    "body_html_key",
                    "edited_at",
                    "status",
                    "moderation_reasons",
                    "scores",
                ]
            )
        except IntegrityError as exc:
            raise NotAllowed(
                "You have already posted this text on this article.", field="comment"
            ) from exc
        _log(
            comment,
            action="edited by author",
            from_status=old_status,
            reason="; ".join(v.reason for v in screening.verdicts),
        )
        if old_status != comment.status:
            comment_counts_refresh(article_id=comment.article_id)
        _after_change(comment.article_id, listings=old_status != comment.status)
    return comment


def comment_delete_by_author(*, comment: Comment) -> Comment:
    """Remove one's own comment within the edit window. Replies to it stay visible."""
    if not edit_window_open(comment):
        raise NotAllowed("The time for deleting this comment has passed.")
    return comment_moderate(comment=comment, action="trash", reason="Deleted by its author.")


# --- Likes and reports ---------------------------------------------------------------------------


class RateLimited(CommentError):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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
            _after_change(comment.article_id, listings=False)
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
            _after_change(comment.article_id, listings=False)
    return Comment.objects.filter(pk=comment.pk).values_list("likes_count", flat=True).get()


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
    _log(
        comment,
        action="reported",
        from_status=row["status"],
        rule="reader_reports",
        reason=f"{reports} reader reports; {threshold} or more send a comment to the desk.",
    )


# --- Reply notifications ---------------------------------------------------------------------------

CONFIRM_SALT, UNSUBSCRIBE_SALT = "comments.subscribe.confirm", "comments.subscribe.unsubscribe"


def subscriber_token(subscriber: Subscriber, *, purpose: str) -> str:
    return signing.dumps(
        {"s": subscriber.pk, "k": subscriber.email_key}, salt=purpose, compress=True
    )


def subscriber_from_token(
    token: str, *, purpose: str, max_age: int | None = None
) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.BadSignature:
        return None
    return Subscriber.objects.filter(pk=data.get("s"), email_key=data.get("k")).first()


def _subscribe(*, comment: Comment, email: str) -> None:
    from .tasks import send_confirmation

    key = normalise_email(email)
    subscriber, _ = Subscriber.objects.get_or_create(
        email_key=key, defaults={"email": email.strip()}
    )
    ReplySubscription.objects.get_or_create(comment=comment, subscriber=subscriber)
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.PENDING)
        subscriber.status = Subscriber.Status.PENDING
    if subscriber.status == Subscriber.Status.PENDING:
        transaction.on_commit(lambda: send_confirmation.enqueue(subscriber.pk))


def subscriber_confirm(*, token: str) -> Subscriber | None:
    subscriber = subscriber_from_token(token, purpose=CONFIRM_SALT, max_age=7 * 24 * 3600)
    if subscriber is not None and subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber


def subscriber_unsubscribe(*, token: str) -> Subscriber | None:
    subscriber = subscriber_from_token(token, purpose=UNSUBSCRIBE_SALT)
    if subscriber is not None:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.save(update_fields=["status"])
    return subscriber


def mail_budget_allows(*, email_key: str, kind: str, now: Any = None) -> bool:
    now = now or timezone.now()
    if kind == SentMail.Kind.REPLY:
        limit, window = settings.DATELINE_REPLY_MAIL_PER_HOUR, timedelta(hours=1)
    else:
        limit, window = settings.DATELINE_CONFIRM_MAIL_PER_DAY, timedelta(days=1)
    return (
        SentMail.objects.filter(email_key=email_key, kind=kind, sent_at__gte=now - window).count()
        < limit
    )


def mail_record(*, email_key: str, kind: str) -> None:
    SentMail.objects.create(email_key=email_key, kind=kind, sent_at=timezone.now())


def _queue_reply_notice(comment: Comment) -> None:
    if comment.in_reply_to_id is None and comment.parent_id is None:
        return
    from .tasks import notify_reply

    transaction.on_commit(lambda: notify_reply.enqueue(comment.pk))


# --- Retention -------------------------------------------------------------------------------------


def comment_metadata_purge(*, now: Any = None) -> int:
    """Clear network prefixes and browser strings older than the retention period; returns the
    number of comments cleared."""
    now = now or timezone.now()
    site = Site.objects.filter(is_default_site=True).first()
    days = CommentSettings.for_site(site).retention_days if site is not None else 30
    cutoff = now - timedelta(days=days)
    return (
        Comment.objects.filter(created_at__lt=cutoff)
        .exclude(ip_prefix="", user_agent="")
        .update(ip_prefix="", user_agent="")
    )
