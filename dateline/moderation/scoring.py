"""Comment rules backed by the learned scores (see classifier.py), for
``settings.DATELINE_COMMENT_RULES``:

    "dateline.moderation.scoring.SpamScore",        # ≥ high → spam, ≥ low → held
    "dateline.moderation.scoring.AbusiveLanguage",  # ≥ high → held "abusive language"

Without a trained model a rule has nothing to say (returns ``None``): the site works without
models. The score goes into the reason (shown on the moderator's card) and into
``context.extra["scores"]``.
"""

from __future__ import annotations

from typing import ClassVar

from dateline.comments.rules import HOLD, SPAM, Rule, ScreenContext, Submission, Verdict

from .classifier import get_scorer


def comment_score(kind: str, text: str) -> float | None:
    """The ``kind`` score (0–1) of ``text``, or ``None`` when no model is trained."""
    scorer = get_scorer(kind)
    return scorer.score([text])[0] if scorer is not None else None


def abuse_nudge(text: str) -> bool:
    """Whether to tell a writer, before posting, that the comment may break the community
    guidelines (Coral's "nudge"): the abuse score reaches the model's low threshold."""
    scorer = get_scorer("abuse")
    return scorer is not None and scorer.score([text])[0] >= scorer.thresholds.low


class _ScoreRule(Rule):
    kind: ClassVar[str]
    # None: the thresholds chosen when the model was trained.
    high: ClassVar[float | None] = None
    low: ClassVar[float | None] = None

    def _score(
        self, submission: Submission, context: ScreenContext
    ) -> tuple[float, float, float] | None:
        scorer = get_scorer(self.kind)
        if scorer is None:
            return None
        score = scorer.score([submission.body])[0]
        context.extra.setdefault("scores", {})[self.kind] = score
        high = self.high if self.high is not None else scorer.thresholds.high
        low = self.low if self.low is not None else scorer.thresholds.low
        return score, high, low


class SpamScore(_ScoreRule):
    """Mark as spam above the high threshold, hold above the low one."""

    code = "spam_score"
    kind = "spam"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        scored = self._score(submission, context)
        if scored is None:
            return None
        score, high, low = scored
        if score >= high:
            return Verdict(SPAM, self.code, f"Spam: spam score {score:.2f} (limit {high:.2f}).")
        if score >= low:
            return Verdict(HOLD, self.code, f"Held: spam score {score:.2f} (limit {low:.2f}).")
        return None


class AbusiveLanguage(_ScoreRule):
    """Hold above the high threshold, with the reason "abusive language"."""

    code = "abusive_language"
    kind = "abuse"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        scored = self._score(submission, context)
        if scored is None:
            return None
        score, high, _ = scored
        if score >= high:
            return Verdict(
                HOLD, self.code, f"Held: abusive language (score {score:.2f}, limit {high:.2f})."
            )
        return None
