from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from dateline.comments.screening import HOLD, SPAM, ScreenContext, Submission
from dateline.moderation.scoring import AbusiveLanguage, SpamScore, abuse_nudge, comment_score

CRYPTO_SPAM = (
    "Turn 100 into 5000 in a week with this crypto bot!!! Join now https://moon-profit.xyz"
)
OPINION = "I think the council was right to delay the vote until the budget figures are published."


def submission(body: str) -> Submission:
    # The score rules read only the body.
    return Submission(article=None, name="Ada", email="ada@example.org", body=body)  # type: ignore[arg-type]


def context() -> ScreenContext:
    return ScreenContext(settings=None, now=timezone.now(), email_key="ada@example.org")  # type: ignore[arg-type]


def test_spam_score_rule_flags_spam_and_lets_an_opinion_through(
    settings: Any, trained_model_dir: Path
) -> None:
    settings.DATELINE_MODEL_DIR = trained_model_dir
    ctx = context()
    verdict = SpamScore().check(submission(CRYPTO_SPAM), ctx)
    assert verdict is not None
    assert verdict.status in (SPAM, HOLD)
    assert verdict.code == "spam_score"
    assert "spam score" in verdict.reason
    assert ctx.extra["scores"]["spam"] > 0.5
    assert SpamScore().check(submission(OPINION), context()) is None


def test_spam_score_rule_uses_its_class_level_thresholds(
    settings: Any, trained_model_dir: Path
) -> None:
    settings.DATELINE_MODEL_DIR = trained_model_dir

    class HoldOnly(SpamScore):
        high = 1.01  # never mark as spam
        low = 0.0  # hold everything

    verdict = HoldOnly().check(submission(OPINION), context())
    assert verdict is not None and verdict.status == HOLD


def test_abusive_language_rule_holds_with_its_reason(
    settings: Any, trained_model_dir: Path
) -> None:
    settings.DATELINE_MODEL_DIR = trained_model_dir

    class Strict(AbusiveLanguage):
        high = 0.5

    verdict = Strict().check(submission("Shut up, you pathetic idiot."), context())
    assert verdict is not None
    assert verdict.status == HOLD
    assert "abusive language" in verdict.reason
    assert Strict().check(submission("Thank you for this careful report."), context()) is None


def test_score_rules_say_nothing_without_models(settings: Any, tmp_path: Path) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path
    assert SpamScore().check(submission(CRYPTO_SPAM), context()) is None
    assert AbusiveLanguage().check(submission("You idiot."), context()) is None
    assert comment_score("spam", CRYPTO_SPAM) is None
    assert abuse_nudge("You idiot.") is False


def test_nudge_follows_the_low_abuse_threshold(settings: Any, trained_model_dir: Path) -> None:
    settings.DATELINE_MODEL_DIR = trained_model_dir
    assert abuse_nudge("You are a clueless idiot and a pathetic loser, shut up.") is True
    assert abuse_nudge("Thank you for the thoughtful article on local schools.") is False


def test_a_posts_screening_scores_each_text_as_the_pipeline_does(
    settings: Any, trained_model_dir: Path
) -> None:
    """The order a post asks in (the nudge's abuse score, then the spam rule, then the abuse
    rule) shares one count of a text between the models (classifier.fast); each score is still
    the model's own, as scikit-learn's pipeline computes it for a batch, and so is each
    verdict."""
    from dateline.moderation.classifier import get_scorer

    settings.DATELINE_MODEL_DIR = trained_model_dir
    texts = [
        CRYPTO_SPAM,
        OPINION,
        "Shut up, you pathetic idiot.",
        "@Sam you are right, the vote was too early",
        "Read https://www.bbc.co.uk/news/x before you post",
        "Thank you for this careful report.",
        "ｃａｓｉｎｏ ＢＯＮＵＳ soooooo goooood!!! İstanbul",
        "Check out my channel, subscribe and like this comment please",
        "Der Gemeinderat hat die Abstimmung verschoben, zu Recht.",
    ]
    spam, abuse = get_scorer("spam"), get_scorer("abuse")
    assert spam is not None and abuse is not None
    batch = {"spam": spam.score(texts), "abuse": abuse.score(texts)}  # > 8 texts: the pipeline
    assert len(texts) > 8
    for n, text in enumerate(texts):
        ctx = context()
        nudged = abuse_nudge(text)
        spam_verdict = SpamScore().check(submission(text), ctx)
        abuse_verdict = AbusiveLanguage().check(submission(text), ctx)
        scores = ctx.extra["scores"]
        assert scores["spam"] == pytest.approx(batch["spam"][n], abs=1e-6), text
        assert scores["abuse"] == pytest.approx(batch["abuse"][n], abs=1e-6), text
        assert nudged == (scores["abuse"] >= abuse.thresholds.low)
        expected_spam = (
            SPAM
            if scores["spam"] >= spam.thresholds.high
            else HOLD
            if scores["spam"] >= spam.thresholds.low
            else None
        )
        assert (spam_verdict.status if spam_verdict else None) == expected_spam
        assert (abuse_verdict is not None) == (scores["abuse"] >= abuse.thresholds.high)
