"""What the site would do with a text sent by a returning commenter in good standing
(``comment_outcome``): the moderation score command's question, answered by the same steps as
a post, without writing anything."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.utils import timezone
from wagtail.models import Site

from dateline.comments.forms import CommentForm
from dateline.comments.models import CommentSettings
from dateline.comments.policy import Policy
from dateline.comments.screening import (
    APPROVE,
    HOLD,
    REFUSE,
    SPAM,
    ScreenContext,
    Submission,
    load_rules,
    screen,
)
from dateline.comments.submissions import submission_nudged
from dateline.comments.text import body_fingerprint, normalise_text
from dateline.news.models import ArticlePage

from .bans import BannedCommenter
from .rules import History


class Outcome(StrEnum):
    PUBLISHED = "published"
    # Handed back unsaved with the community-guidelines note; published if sent again as it is.
    NUDGED = "nudged"
    HELD = "held"
    SPAM = "spam"
    # Not taken at all (empty, longer than the site allows): the form comes back with the text.
    REFUSED = "refused"


_OUTCOMES = {
    APPROVE: Outcome.PUBLISHED,
    HOLD: Outcome.HELD,
    SPAM: Outcome.SPAM,
    REFUSE: Outcome.REFUSED,
}
# The returning commenter is signed in, so sign-in-only sites take them too. No account has id
# 0: nothing a rule could look up belongs to them.
_RETURNING_USER_ID = 0


def default_comment_settings() -> CommentSettings:
    """The default site's comment settings, read without creating them: a row with the
    defaults (unsaved) when the site has none yet or there is no site (an empty database)."""
    site = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    found = CommentSettings.objects.filter(site_id=site).first() if site is not None else None
    return found or CommentSettings()


def comment_outcome(
    *, text: str, site_settings: CommentSettings, now: datetime | None = None
) -> Outcome:
    """What the site would do with ``text`` sent through the comment form by a returning
    commenter in good standing (signed in, not staff, comments approved before and none
    rejected, not banned, not over a rate limit) on an open article, under ``site_settings``
    (no section or article policy) and ``settings.DATELINE_COMMENT_RULES``.

    The same steps as a post: the form's check of the comment box, the nudge
    (``submission_nudged``, asked before anything is stored), then the rules (``screen``, as
    ``comment_post`` runs them). ``NUDGED`` is a text the rules would publish once sent again;
    one they would hold or mark as spam is ``HELD`` or ``SPAM``, nudged first or not.

    Writes nothing and runs no query (but Wagtail's lookup of the article's content type, once
    per process): the commenter's history is given (the history rules count it as theirs) and
    the ban rule, which could only find nothing, is not asked. The
    learned filters score ``text`` through their per-thread memo
    (``moderation.scoring.text_score``), so a caller that scored a batch can prime it and
    nothing is scored twice."""
    if CommentForm({"comment": text}, signed_in=True).has_error("comment"):
        return Outcome.REFUSED
    now = now or timezone.now()
    article = ArticlePage(
        title="", comment_status=ArticlePage.CommentStatus.OPEN, first_published_at=now
    )
    submission = Submission(
        article=article, name="", email="", body=text, user_id=_RETURNING_USER_ID
    )
    policy = Policy.from_settings(site_settings)
    context = ScreenContext(
        settings=site_settings,
        now=now,
        email_key=f"user:{_RETURNING_USER_ID}",
        policy=policy,
        fingerprint=body_fingerprint(normalise_text(text)),
    )
    approved = max(1, policy.trust_after_approved)
    context.extra["history"] = History(
        approved=approved, recent_decided=approved, recent_rejected=0, repeats=0
    )
    rules = [rule for rule in load_rules() if not isinstance(rule, BannedCommenter)]
    nudged = submission_nudged(submission, acknowledged=False, site_settings=site_settings)
    outcome = _OUTCOMES[screen(submission, context, rules).status]
    return Outcome.NUDGED if nudged and outcome is Outcome.PUBLISHED else outcome
