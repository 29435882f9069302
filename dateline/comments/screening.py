"""How a new comment is screened: what a rule is given (``Submission``, ``ScreenContext``), what
it answers (``Verdict``), and ``screen()``, which runs the configured rules.

The rules themselves are moderation's (``dateline.moderation.rules``, ``moderation.bans``, the
learned filters in ``moderation.scoring``): ``comments`` knows them only by the dotted paths in
``settings.DATELINE_COMMENT_RULES``, so the conversation never imports the desk (docs/architecture.md).
Each rule is a small class with one ``check()`` and class-level options, run in the list's order. A rule returns a
:class:`Verdict` with a reason a moderator can read, or ``None`` when it has nothing to say.
The strongest verdict wins (refuse over spam over hold over approve); every reason is kept.
A refusal (``REFUSE``) stores nothing: the service raises and the reader gets the form back
with their text and the reason. The order and every rule: docs/moderation.md, "Rules".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

from .policy import Policy

if TYPE_CHECKING:
    from dateline.news.models import ArticlePage

    from .models import CommentSettings

APPROVE, HOLD, SPAM, REFUSE = "approved", "pending", "spam", "refused"
_STRENGTH = {APPROVE: 0, HOLD: 1, SPAM: 2, REFUSE: 3}
# The code of a refusal that means "comments are closed" (403, not a form error).
CLOSED = "closed"


@dataclass(frozen=True)
class Submission:
    """What a reader sent, already validated."""

    article: ArticlePage
    name: str
    email: str
    body: str
    url: str = ""
    parent_id: int | None = None
    user_id: int | None = None
    is_staff: bool = False
    ip: str = ""
    user_agent: str = ""
    idempotency_key: str = ""
    notify: bool = False
    # Verdicts of the request-path guards (honeypot, form timing, rate limiter), screened first.
    guards: tuple[Verdict, ...] = ()
    # Count the comment against the rate limits (the service does, after its duplicate check).
    check_rate: bool = False


@dataclass(frozen=True)
class Verdict:
    status: str
    code: str
    reason: str
    final: bool = False  # stop running further rules
    field: str | None = None  # a refusal about one form field


@dataclass
class ScreenContext:
    settings: CommentSettings
    now: datetime
    email_key: str
    extra: dict[str, Any] = field(default_factory=dict)
    policy: Policy | None = None
    fingerprint: str = ""

    @property
    def rules(self) -> Policy:
        """The policy in force (the site's settings alone when the caller gave none)."""
        if self.policy is None:
            self.policy = (
                Policy.from_settings(self.settings) if self.settings is not None else Policy()
            )
        return self.policy


@dataclass
class Screening:
    status: str
    verdicts: list[Verdict]

    @property
    def reasons(self) -> list[dict[str, str]]:
        return [{"code": v.code, "reason": v.reason, "status": v.status} for v in self.verdicts]


class Rule:
    code: ClassVar[str] = "rule"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        raise NotImplementedError


@lru_cache(maxsize=8)
def _rules(paths: tuple[str, ...]) -> tuple[Rule, ...]:
    return tuple(import_string(path)() for path in paths)


def load_rules() -> list[Rule]:
    """The configured rules, imported once per list (rules keep no state between comments)."""
    return list(_rules(tuple(settings.DATELINE_COMMENT_RULES)))


def screen(
    submission: Submission, context: ScreenContext, rules: list[Rule] | None = None
) -> Screening:
    """Run every rule; the strongest verdict decides. No rule with an opinion means approve."""
    verdicts: list[Verdict] = list(submission.guards)
    if not any(v.final for v in verdicts):
        for rule in rules if rules is not None else load_rules():
            verdict = rule.check(submission, context)
            if verdict is None:
                continue
            verdicts.append(verdict)
            if verdict.final or verdict.status == REFUSE:
                break
    status = max((v.status for v in verdicts), key=_STRENGTH.__getitem__, default=APPROVE)
    return Screening(status=status, verdicts=verdicts)
