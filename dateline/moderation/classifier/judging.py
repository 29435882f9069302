"""Judging a model on the validation set kept with the live one: its figures, and whether a
retrained model is at least as good as the live model (champion/challenger)."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.conf import settings
from sklearn.metrics import roc_auc_score

from .corpora import Examples
from .model import TextScorer

# What a score at or above each threshold does to a comment, per kind.
LEVELS = {"spam": ("held", "marked as spam"), "abuse": ("nudged", "held")}


def validation_report(scorer: TextScorer, validation: Examples) -> dict[str, Any]:
    """How ``scorer`` does on ``validation`` at its own thresholds: AUC, and the share of
    legitimate examples stopped (≥ low, ≥ high) and of positives caught (≥ high, ≥ low)."""
    scores = np.asarray(scorer.score(validation.texts), dtype=float)
    labels = np.asarray(validation.labels)
    high, low = scorer.thresholds.high, scorer.thresholds.low
    positives, negatives = labels == 1, labels == 0
    both = positives.any() and negatives.any()
    return {
        "n": len(labels),
        "n_positive": int(positives.sum()),
        "auc": float(roc_auc_score(labels, scores)) if both else None,
        "legitimate_over_low": float((scores[negatives] >= low).mean()) if negatives.any() else 0,
        "legitimate_over_high": float((scores[negatives] >= high).mean()) if negatives.any() else 0,
        "caught_high": float((scores[positives] >= high).mean()) if positives.any() else 0,
        "caught_low": float((scores[positives] >= low).mean()) if positives.any() else 0,
    }


def _pct(share: float) -> str:
    return f"{100 * share:.1f} %"


def candidate_verdict(
    *, kind: str, candidate: dict[str, Any], live: dict[str, Any]
) -> tuple[bool, str]:
    """Is a retrained model (its :func:`validation_report`) at least as good as the live one
    (theirs, on the same validation set)? (accepted, the reason in a moderator's words).

    At least as good: its AUC is not lower than the live model's by more than
    ``DATELINE_RETRAIN_AUC_TOLERANCE`` (0.005), and at its own thresholds it stops no larger
    share of the legitimate examples than the live model at its own, at either threshold,
    give or take ``DATELINE_RETRAIN_LEGITIMATE_TOLERANCE`` (0.002, i.e. 0.2 percentage point).
    """
    auc_tolerance = float(getattr(settings, "DATELINE_RETRAIN_AUC_TOLERANCE", 0.005))
    legit_tolerance = float(getattr(settings, "DATELINE_RETRAIN_LEGITIMATE_TOLERANCE", 0.002))
    low_word, high_word = LEVELS[kind]
    if candidate["auc"] is None or live["auc"] is None:
        return False, "The validation set has only one class: the models cannot be compared."
    problems = []
    if candidate["auc"] < live["auc"] - auc_tolerance:
        problems.append(
            f"AUC {candidate['auc']:.4f} against the live model's {live['auc']:.4f} (more than "
            f"{auc_tolerance:g} lower)"
        )
    for key, word in (("legitimate_over_low", low_word), ("legitimate_over_high", high_word)):
        if candidate[key] > live[key] + legit_tolerance:
            problems.append(
                f"legitimate examples {word}: {_pct(candidate[key])} against {_pct(live[key])}"
            )
    n = candidate["n"]
    if problems:
        return False, f"Worse than the live model on the {n:,} validation examples: " + (
            "; ".join(problems) + "."
        )
    return True, (
        f"At least as good as the live model on the {n:,} validation examples: AUC "
        f"{candidate['auc']:.4f} (live {live['auc']:.4f}); legitimate examples {low_word} "
        f"{_pct(candidate['legitimate_over_low'])} (live {_pct(live['legitimate_over_low'])}), "
        f"{high_word} {_pct(candidate['legitimate_over_high'])} "
        f"(live {_pct(live['legitimate_over_high'])})."
    )
