"""The rules that decide whether a new comment is published, held or marked as spam: who wrote
it, its length and links, the word and domain lists, the hours of moderation, the commenter's
history (one query) and the policy's holds. ``comments.screening`` runs them in the order of
``settings.DATELINE_COMMENT_RULES``; the ban rule is ``moderation.bans``, the learned filters
``moderation.scoring``. The order and every rule: docs/moderation.md, "Rules".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import ClassVar
from urllib.parse import urlsplit

from django.db import connection

from dateline.comments.models import Comment
from dateline.comments.screening import (
    APPROVE,
    CLOSED,
    HOLD,
    REFUSE,
    SPAM,
    Rule,
    ScreenContext,
    Submission,
    Verdict,
)
from dateline.core.wordlists import compiled, compiled_domains, domain_in


class StaffAuthor(Rule):
    """Staff are not moderated."""

    code = "staff"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        if submission.is_staff:
            return Verdict(APPROVE, self.code, "Written by staff.", final=True)
        return None


_LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|io|co|ru|xyz|top|shop|online|site)\b",
    re.IGNORECASE,
)


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


class LinkLimit(Rule):
    """Hold a comment with many links (WordPress: 2 by default; 0 turns it off)."""

    code = "links"
    max_links: ClassVar[int | None] = None  # None: the site's setting

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        limit = self.max_links if self.max_links is not None else context.rules.hold_links
        links = count_links(submission.body)
        if limit and links >= limit:
            # The setting counts the links that hold a comment ("this many or more"), so the
            # reason says that, not "the limit is 2" under a comment with 2 links.
            where = context.rules.source("hold_links")
            return Verdict(
                HOLD,
                self.code,
                f"Held: {links} links; comments with {limit} or more are held{where}.",
            )
        return None


# --- Who may comment, and when (refusals: nothing is stored) -----------------------------------


class SignedInOnly(Rule):
    """Only signed-in users may comment (WordPress: "Users must be registered and logged in")."""

    code = "signed_in_only"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        if context.rules.signed_in_only and submission.user_id is None:
            return Verdict(
                REFUSE,
                self.code,
                "Only signed-in readers can comment here. Sign in, then post your text again.",
            )
        return None


class RequireNameEmail(Rule):
    """Readers who are not signed in give a name and an email (WordPress's default)."""

    code = "name_email"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        if not context.rules.require_name_email or submission.user_id is not None:
            return None
        if not submission.name.strip():
            return Verdict(REFUSE, self.code, "Please give your name.", field="author")
        if not submission.email.strip():
            return Verdict(
                REFUSE,
                self.code,
                "Please give your email address; it will not be published.",
                field="email",
            )
        return None


class MaxLength(Rule):
    """The site's longest comment."""

    code = "max_length"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        limit = context.rules.max_length
        length = len(submission.body)
        if limit and length > limit:
            return Verdict(
                REFUSE,
                self.code,
                f"Your comment is {length} characters long; the limit here is {limit}. Shorten it and post again.",
                field="comment",
            )
        return None


class CloseOldArticles(Rule):
    """Close comments on articles older than N days (WordPress: "Automatically close comments")."""

    code = CLOSED

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        policy = context.rules
        if policy.closed_by_age(submission.article, context.now):
            return Verdict(
                REFUSE,
                self.code,
                f"Comments close {policy.close_after_days} days after an article is published.",
            )
        return None


class ModerationHours(Rule):
    """Outside a section's staffed hours: hold every comment, or take none (the section says)."""

    code = "moderation_hours"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        hours = context.rules.hours
        if hours is None or hours.staffed(context.now):
            return None
        if hours.outside == "close":
            return Verdict(REFUSE, CLOSED, hours.closed_message(context.now))
        return Verdict(HOLD, self.code, f"Held: outside the desk's hours. {hours.notice()}")


# --- What the comment says ----------------------------------------------------------------------


def _word_verdict(
    submission: Submission, text: str, *, status: str, code: str, label: str
) -> Verdict | None:
    words = compiled(text)
    if not words:
        return None
    for value in (submission.body, submission.name, submission.url):
        entry = words.first_match(value)
        if entry is not None:
            verb = "Spam" if status == SPAM else "Held"
            return Verdict(status, code, f"{verb}: word “{entry}” on the {label} list.")
    return None


class DisallowedWords(Rule):
    """A word or phrase on the disallowed list (in the text, name or website) → spam."""

    code = "disallowed_words"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        return _word_verdict(
            submission,
            context.rules.disallowed_words,
            status=SPAM,
            code=self.code,
            label="disallowed",
        )


class ModerationWords(Rule):
    """A word or phrase on the moderation (suspect) list → held."""

    code = "moderation_words"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        return _word_verdict(
            submission,
            context.rules.moderation_words,
            status=HOLD,
            code=self.code,
            label="suspect",
        )


def link_hosts(text: str) -> list[str]:
    """The host names the links in ``text`` point at, lower case."""
    hosts = []
    for link in _LINK.findall(text):
        url = link if "://" in link else f"http://{link}"
        try:
            host = urlsplit(url).hostname
        except ValueError:
            continue
        if host:
            hosts.append(host.rstrip("."))
    return hosts


def _ascii_host(host: str) -> str:
    """ "bücher.example" → "xn--bcher-kva.example", as the blocklist stores it."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


class BlockedLinkDomains(Rule):
    """A link (in the text or the website field) to a domain on the site's blocklist → spam."""

    code = "blocked_domain"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        blocked = compiled_domains(context.rules.blocked_link_domains)
        if not blocked:
            return None
        for host in link_hosts(f"{submission.body} {submission.url}"):
            domain = domain_in(_ascii_host(host), blocked)
            if domain is not None:
                return Verdict(SPAM, self.code, f"Spam: links to {domain}, a blocked domain.")
        return None


class DisposableEmail(Rule):
    """An address at a throwaway mail service (the maintained disposable-email-domains list) →
    held."""

    code = "disposable_email"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        if not context.rules.hold_disposable_email or submission.user_id is not None:
            return None
        from disposable_email_domains import blocklist

        host = submission.email.rpartition("@")[2].strip().lower()
        domain = domain_in(host, blocklist) if host else None
        if domain is not None:
            return Verdict(HOLD, self.code, f"Held: disposable email address ({domain}).")
        return None


# --- Who the commenter is: one query for their history ------------------------------------------


@dataclass(frozen=True)
class History:
    approved: int
    recent_decided: int
    recent_rejected: int
    repeats: int


@lru_cache(maxsize=1)
def _history_sql() -> str:
    """The history query, written out once: it runs for every comment, and building it through
    the ORM cost more than running it (docs/decisions/0050-comment-post-speed.md). Only quoted
    names and fixed status values are formatted in; the commenter's values are parameters."""

    q = connection.ops.quote_name
    approved, spam, trash = (
        f"'{s}'" for s in (Comment.Status.APPROVED, Comment.Status.SPAM, Comment.Status.TRASH)
    )
    decided = f"{q('status')} IN ({approved}, {spam}, {trash})"
    rejected = f"{q('status')} IN ({spam}, {trash})"
    return (
        f"SELECT COUNT(CASE WHEN {q('status')} = %s THEN 1 END), "  # noqa: S608
        f"COUNT(CASE WHEN {q('created_at')} >= %s AND {decided} THEN 1 END), "
        f"COUNT(CASE WHEN {q('created_at')} >= %s AND {rejected} THEN 1 END), "
        f"COUNT(CASE WHEN {q('body_hash')} = %s AND {q('body_hash')} <> '' "
        f"AND {q('created_at')} >= %s AND {q('article_id')} <> %s THEN 1 END) "
        f"FROM {q(Comment._meta.db_table)} WHERE {q('email_key')} = %s"
    )


def commenter_history(submission: Submission, context: ScreenContext) -> History:
    """The commenter's approved comments, recent decisions and recent copies of this text on
    other articles, counted in one query (by the ``comment_commenter`` index) and kept for
    the other rules."""
    found = context.extra.get("history")
    if found is not None:
        return found
    policy = context.rules
    recent = context.now - timedelta(days=policy.rejected_window_days)
    repeat_since = (
        context.now - timedelta(hours=policy.repeat_window_hours)
        if context.fingerprint and policy.repeat_window_hours
        else None
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _history_sql(),
            [
                APPROVE,
                *[connection.ops.adapt_datetimefield_value(recent)] * 2,
                context.fingerprint if repeat_since else "",
                connection.ops.adapt_datetimefield_value(repeat_since or context.now),
                submission.article.pk,
                context.email_key,
            ],
        )
        row = cursor.fetchone()
    counts = dict(
        zip(("approved", "recent_decided", "recent_rejected", "repeats"), row, strict=True)
    )
    history = History(**{k: int(v or 0) for k, v in counts.items()})
    context.extra["history"] = history
    return history


class RepeatPost(Rule):
    """The same text from the same commenter on another article within the window → held."""

    code = "repeat_post"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        hours = context.rules.repeat_window_hours
        if not hours or not context.email_key:
            return None
        if commenter_history(submission, context).repeats:
            return Verdict(
                HOLD,
                self.code,
                f"Held: the same text was posted on another article in the last {hours} hours.",
            )
        return None


class RecentlyRejected(Rule):
    """Coral's "recent history": a commenter most of whose recent comments moderators rejected
    goes back to pre-moderation."""

    code = "recently_rejected"
    min_decided: ClassVar[int] = 3  # fewer decisions say too little

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        policy = context.rules
        if not policy.rejected_share or not context.email_key:
            return None
        history = commenter_history(submission, context)
        if history.recent_decided < self.min_decided:
            return None
        share = 100 * history.recent_rejected / history.recent_decided
        if share >= policy.rejected_share:
            return Verdict(
                HOLD,
                self.code,
                f"Held: {history.recent_rejected} of this commenter's {history.recent_decided} comments in the last {policy.rejected_window_days} days were rejected (limit {policy.rejected_share}%).",
            )
        return None


class PreModeration(Rule):
    """Hold everything for a moderator (WordPress: "Comment must be manually approved"; Coral:
    pre-moderation), for the site, a section or an article."""

    code = "premoderation"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        if context.rules.premoderate:
            return Verdict(
                HOLD, self.code, f"Held: pre-moderation{context.rules.source('premoderate')}."
            )
        return None


class FirstTimeCommenter(Rule):
    """Hold a commenter until N of their comments have been approved (WordPress: 1, the
    default; Coral: 2, set ``trust_after_approved``)."""

    code = "first_comment"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        policy = context.rules
        if not policy.hold_first_comment:
            return None
        needed = max(1, policy.trust_after_approved)
        approved = commenter_history(submission, context).approved if context.email_key else 0
        if approved >= needed:
            return Verdict(APPROVE, "known_commenter", "Approved before: published at once.")
        if needed == 1:
            return Verdict(HOLD, self.code, "Held: first comment from this address.")
        return Verdict(
            HOLD,
            self.code,
            f"Held: new commenter ({approved} of {needed} comments approved so far).",
        )
