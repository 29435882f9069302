"""Comment rules backed by the learned scores (see classifier.py), for
``settings.DATELINE_COMMENT_RULES``:

    "dateline.moderation.scoring.SpamScore",        # ≥ high → spam, ≥ low → held
    "dateline.moderation.scoring.AbusiveLanguage",  # ≥ high → held "abusive language"

Without a trained model a rule has nothing to say (returns ``None``): the site works without
models. The score goes into the reason (shown on the moderator's card) and into
``context.extra["scores"]``.

``AbusiveLanguage`` also answers ``nudge(text)``: the comment form asks the configured rules
that have one, before posting, whether to tell the writer the comment may break the community
guidelines (docs/moderation.md, "Nudge"). The form's question and the rule's check score the
same text once: the last score per kind is remembered per thread (:func:`text_score`), and a
caller that scored a batch can hand each score in (:func:`remember_score`).
"""

from __future__ import annotations

import threading
from typing import ClassVar

from dateline.comments.screening import HOLD, SPAM, Rule, ScreenContext, Submission, Verdict

from .classifier import TextScorer, get_scorer


class _LastScores(threading.local):
    def __init__(self) -> None:
        # kind → (scorer, text, score)
        self.by_kind: dict[str, tuple[TextScorer, str, float]] = {}


_last = _LastScores()


def text_score(scorer: TextScorer, text: str) -> float:
    """``scorer``'s score of ``text``. The last text scored per kind is remembered in this
    thread, so a post's nudge check and its rule score it once; a retrained model (a new
    scorer) or another text is scored afresh."""
    seen = _last.by_kind.get(scorer.kind)
    if seen is not None and seen[0] is scorer and seen[1] == text:
        return seen[2]
    score = scorer.score([text])[0]
    _last.by_kind[scorer.kind] = (scorer, text, score)
    return score


def remember_score(scorer: TextScorer, text: str, score: float) -> None:
    """Make ``score`` the answer of the next :func:`text_score` of ``text`` by ``scorer`` in
    this thread: for a caller that scored a batch at once and screens its texts one by one
    (``manage.py moderation_score --outcome``)."""
    _last.by_kind[scorer.kind] = (scorer, text, score)


def comment_score(kind: str, text: str) -> float | None:
    """The ``kind`` score (0–1) of ``text``, or ``None`` when no model is trained."""
    scorer = get_scorer(kind)
    return text_score(scorer, text) if scorer is not None else None


def abuse_nudge(text: str) -> bool:
    """Whether to tell a writer, before posting, that the comment may break the community
    guidelines (Coral's "nudge"): the abuse score reaches the model's low threshold."""
    return AbusiveLanguage().nudge(text)


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
        score = text_score(scorer, submission.body)
        context.extra.setdefault("scores", {})[self.kind] = score
        high, low = self._thresholds(scorer)
        return score, high, low

    def _thresholds(self, scorer: TextScorer) -> tuple[float, float]:
        """(high, low): the class's own where set, else those chosen when the model was
        trained."""
        trained = scorer.thresholds
        return (
            self.high if self.high is not None else trained.high,
            self.low if self.low is not None else trained.low,
        )


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
    """Hold above the high threshold, with the reason "abusive language"; nudge the writer
    above the low one (``low``: the trained threshold unless set here)."""

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

    def nudge(self, text: str) -> bool:
        """Whether ``text`` may break the community guidelines: its abuse score reaches the low
        threshold. False without a model."""
        scorer = get_scorer(self.kind)
        if scorer is None:
            return False
        return text_score(scorer, text) >= self._thresholds(scorer)[1]
