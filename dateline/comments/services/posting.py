"""Posting a reader's comment: screened once by every rule, stored once, retries answered with
the comment stored the first time."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from dateline.core.db import insert_row, select_one
from dateline.core.net import ip_prefix
from dateline.news.models import ArticlePage

from ..bodies import comment_body_render
from ..errors import CommentRefused, CommentsClosed, ParentUnavailable
from ..guards import CommentRateLimited, rate_precheck, rate_verdict
from ..models import BODY_MAX, NAME_MAX, Comment
from ..policy import policy_for
from ..ratelimit import counted_in_database
from ..screening import CLOSED, REFUSE, ScreenContext, Submission, screen
from ..tasks import notify_reply
from ..text import body_fingerprint, normalise_name, normalise_text
from ..tree import path_segment, tree_position_under
from .audit import comment_event, comment_log
from .effects import article_changed, comment_counts_refresh
from .site import comment_settings_for, email_key_for
from .subscriptions import subscribe

ANONYMOUS_NAME = "Anonymous"

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


def scores_of(context: ScreenContext) -> dict[str, float]:
    """The learned filters' scores the rules left in ``context``, as a comment keeps them."""
    return {kind: round(score, 4) for kind, score in context.extra.get("scores", {}).items()}


@dataclass(frozen=True)
class PostResult:
    comment: Comment
    created: bool
    # The same browser retried (its idempotency key matches): it may have the edit token again.
    retried: bool = False
    # Reply notifications were asked for by an address that has not confirmed them yet: a link
    # to confirm is mailed, and the reader is told to look for it.
    confirm_sent: bool = False

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
    body = comment_text_stored(submission.body)
    name = comment_name_stored(submission.name)
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

    # The row is built and its body's HTML rendered (once; pages read it) here, outside the
    # write transaction: inside it only the place in the tree is added and the row written.
    comment = comment_body_render(
        comment=Comment(
            article=article,
            in_reply_to_id=submission.parent_id,
            status=screening.status,
            author_name=name,
            author_email=submission.email.strip(),
            email_key=key,
            author_url=submission.url.strip(),
            user_id=submission.user_id,
            is_staff=submission.is_staff,
            body=body,
            body_hash=fingerprint,
            idempotency_key=submission.idempotency_key[:64],
            created_at=now,
            moderated_at=now if screening.status != Comment.Status.PENDING else None,
            moderation_reasons=screening.reasons,
            scores=scores_of(context),
            ip_prefix=ip_prefix(submission.ip),
            user_agent=submission.user_agent[:300],
        )
    )
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
                place = tree_position_under(parent, segment=path_segment())
                comment.parent = parent
                comment.path, comment.thread, comment.depth = place.path, place.thread, place.depth
                comment.pk = None  # a retried attempt writes a new row (its last was undone)
                comment._state.adding = True
                # One prepared INSERT (Comment has no save signals to send).
                insert_row(comment)
                deciding = screening.verdicts[-1] if screening.verdicts else None
                comment_log(
                    [
                        comment_event(
                            comment=comment,
                            action="posted",
                            from_status="",
                            rule=",".join(v.code for v in screening.verdicts),
                            reason="; ".join(v.reason for v in screening.verdicts)
                            or (deciding.reason if deciding else "No rule objected."),
                            at=now,
                        )
                    ]
                )
                if comment.status == Comment.Status.APPROVED:
                    comment_counts_refresh(article_id=article.pk)
                    article_changed(article.pk, listings=True)
                    if comment.in_reply_to_id is not None or comment.parent_id is not None:
                        _announce_after_commit(comment.pk)
                confirm_sent = bool(submission.notify and submission.email) and subscribe(
                    comment=comment, email=submission.email
                )
            return PostResult(comment, created=True, confirm_sent=confirm_sent)
        except IntegrityError:
            earlier = _earlier_post(submission, email_key=key, fingerprint=fingerprint)
            if earlier is not None:
                return earlier
            if attempt == 2:
                raise
        except CommentRateLimited as over:
            return _earlier_or_raise(over, submission, email_key=key, fingerprint=fingerprint)
    raise AssertionError("unreachable")


def comment_text_stored(text: str, *, field: str = "comment") -> str:
    """The text as it will be stored (``normalise_text``). Raises CommentRefused at ``field``
    when it is longer than the column: NFC grows a few characters (U+0958 to two, U+FB2C to
    three), so a text within the limit as typed can be over it as stored. The form, the API,
    the desk's reply and its edit all get this check from here."""
    stored = normalise_text(text)
    if len(stored) > BODY_MAX:
        raise CommentRefused(
            f"The text is {len(stored):,} characters long once some of its characters are "
            f"written in their standard form; the limit is {BODY_MAX:,}.",
            field=field,
        )
    return stored


def comment_name_stored(name: str) -> str:
    """The name as it will be stored: cleaned (``normalise_name``: no bidi controls or
    zero-width characters, NFC), or "Anonymous" when nothing visible is left. Raises
    CommentRefused at the name when it is longer than the column as stored."""
    stored = normalise_name(name)
    if len(stored) > NAME_MAX:
        raise CommentRefused(
            f"The name is {len(stored):,} characters long once some of its characters are "
            f"written in their standard form; the limit is {NAME_MAX:,}.",
            field="author",
        )
    return stored or ANONYMOUS_NAME


def _announce_after_commit(reply_id: int) -> None:
    """Mail the subscribers of the comment a published reply answers, once committed."""
    transaction.on_commit(lambda: notify_reply.enqueue(reply_id))


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
