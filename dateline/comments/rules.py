"""The rules that decide whether a new comment is published, held or marked as spam.

Each rule is a small class with one ``check()`` and class-level options; the rule set is the
list in ``settings.DATELINE_COMMENT_RULES``, run in that order. A rule returns a
:class:`Verdict` with a reason a moderator can read, or ``None`` when it has nothing to say.
The strongest verdict wins (spam over hold over approve); every reason is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from dateline.news.models import ArticlePage

    from .models import CommentSettings

APPROVE, HOLD, SPAM = "approved", "pending", "spam"
_STRENGTH = {APPROVE: 0, HOLD: 1, SPAM: 2}


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


@dataclass(frozen=True)
class Verdict:
    status: str
    code: str
    reason: str
    final: bool = False  # stop running further rules


@dataclass
class ScreenContext:
    settings: CommentSettings
    now: datetime
    email_key: str
    extra: dict[str, Any] = field(default_factory=dict)


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
        limit = self.max_links if self.max_links is not None else context.settings.hold_links
        links = count_links(submission.body)
        if limit and links >= limit:
            return Verdict(HOLD, self.code, f"Held: {links} links (the limit is {limit}).")
        return None


class FirstTimeCommenter(Rule):
    """Hold a commenter until one of their comments has been approved (WordPress's default)."""

    code = "first_comment"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        from .models import Comment

        if not context.settings.hold_first_comment:
            return None
        if Comment.objects.filter(
            email_key=context.email_key, status=Comment.Status.APPROVED
        ).exists():
            return Verdict(APPROVE, "known_commenter", "Approved before: published at once.")
        return Verdict(HOLD, self.code, "Held: first comment from this address.")


def load_rules() -> list[Rule]:
    return [import_string(path)() for path in settings.DATELINE_COMMENT_RULES]


def screen(
    submission: Submission, context: ScreenContext, rules: list[Rule] | None = None
) -> Screening:
    """Run every rule; the strongest verdict decides. No rule with an opinion means approve."""
    verdicts: list[Verdict] = []
    for rule in rules if rules is not None else load_rules():
        verdict = rule.check(submission, context)
        if verdict is None:
            continue
        verdicts.append(verdict)
        if verdict.final:
            break
    status = max((v.status for v in verdicts), key=_STRENGTH.__getitem__, default=APPROVE)
    return Screening(status=status, verdicts=verdicts)
