"""Cheap checks in the request path, before the rules: the honeypot, the form's signed
timestamp and the rate limits. The form view and the API call them; their verdicts travel to
the rules on the submission (``Submission.guards``), so the comment and its log say why.
Order and defaults: docs/moderation.md, "Anti-spam".
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core import signing

from dateline.core.net import ip_prefix

from .errors import FormExpired, RateLimited
from .ratelimit import Limit, LimiterUnavailable, Over, duration_text, hit, peek
from .screening import HOLD, SPAM, Verdict

log = logging.getLogger(__name__)

HONEYPOT_FIELD = "fax"  # a field people do not have and form-filling robots love
STAMP_FIELD = "comment_stamp"
STAMP_SALT = "comments.form.stamp"
EXPIRED_MESSAGE = FormExpired.default_message


def form_stamp(*, now: float | None = None) -> str:
    """A signed "this form was shown at" value for the hidden field."""
    return signing.dumps({"t": round(now if now is not None else time.time(), 2)}, salt=STAMP_SALT)


def stamp_verdict(value: str, *, now: float | None = None) -> Verdict | None:
    """HOLD when the form came back faster than a person writes; None when it took a normal
    time. Raises FormExpired when the stamp is missing, changed or older than the limit."""
    moment = time.time() if now is None else now
    try:
        shown = float(signing.loads(value or "", salt=STAMP_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise FormExpired from exc
    took = moment - shown
    if took > settings.DATELINE_COMMENT_FORM_MAX_AGE:
        raise FormExpired
    minimum = settings.DATELINE_COMMENT_MIN_SECONDS
    if took < minimum:
        return Verdict(
            HOLD,
            "too_fast",
            f"Held: sent {max(took, 0):.1f} s after the form was shown (people take at least {minimum} s).",
        )
    return None


def honeypot_verdict(value: str) -> Verdict | None:
    """Spam, quietly, when the field hidden from people was filled in."""
    if value:
        return Verdict(
            SPAM, "honeypot", "Spam: the field hidden from people was filled in.", final=True
        )
    return None


class CommentRateLimited(RateLimited):
    """Over a rate limit: answer 429 with ``retry_after`` and ``message``."""

    def __init__(self, over: Over) -> None:
        self.over = over
        super().__init__(
            f"You are commenting faster than this site allows ({over.limit.describe()}"
            f"{' from your network' if over.limit.scope == 'network' else ''}). "
            f"Your text is still here: please send it again in {duration_text(over.retry_after)}.",
            retry_after=over.retry_after,
        )


def _limits(scope: str) -> list[Limit]:
    return [Limit(scope, n, s) for n, s in settings.DATELINE_COMMENT_RATE_LIMITS.get(scope, [])]


def _counters(email_key: str, ip: str) -> list[tuple[Limit, str]]:
    network = ip_prefix(ip)
    return [(limit, email_key) for limit in _limits("commenter")] + [
        (limit, network) for limit in _limits("network")
    ]


def rate_precheck(*, email_key: str, ip: str) -> None:
    """Database counters: refuse a comment that is already over a limit before anything else
    works on it, without counting it yet (``rate_verdict`` counts it in the comment's own write
    transaction). Raises CommentRateLimited."""
    over = peek(_counters(email_key, ip))
    if over is not None:
        raise CommentRateLimited(over)


def rate_verdict(*, email_key: str, ip: str) -> Verdict | None:
    """Count this comment against the commenter's and the network's limits.

    Raises CommentRateLimited (answer 429 with Retry-After). When the limiter cannot be reached the
    comment is taken and held, never refused and never a 500."""
    counters = _counters(email_key, ip)
    try:
        over = hit(counters)
    except LimiterUnavailable:
        log.warning("comment rate limiter unavailable", exc_info=True)
        return Verdict(HOLD, "rate_limiter", "Held: rate limiter unavailable.")
    if over is not None:
        raise CommentRateLimited(over)
    return None
