"""The site guard of the champion/challenger check: a retrained model must not treat the site's
own published comments worse than the live model does.

The validation set kept with a model is the base corpus' kind of text (YouTube, BBC, HuffPost;
tweets), so decisions that teach a model to distrust the site's civil readers (a moderator
marking civil comments as spam) do not show there. Before a candidate replaces the live model,
both score the site's published comments the candidate did not train on:

- comments published without a moderator's decision (no rule objected), and
- one in five approved comments, set aside from the training by a hash of their text
  (:func:`set_aside`), so a site whose moderators approve everything still has a yardstick.

The newest ``DATELINE_RETRAIN_SITE_COMMENTS`` (2,000) such comments are read, in one query.
The candidate is rejected when, at its own thresholds, it stops a larger share of them than the
live model at its own (more than ``DATELINE_RETRAIN_SITE_STOPPED_TOLERANCE``, 0.5 percentage
point, and at least 2 more comments), or when it moves their scores towards its thresholds: the
mean of score / hold threshold ("how far to being held", 0 = nowhere near, 1 = held) rises by
more than ``DATELINE_RETRAIN_SITE_SCORE_RISE`` (0.05). docs/moderation.md ("Retraining") gives
the figures behind these numbers.

The decisions that contradict a confident live model (marked as spam or abusive while the live
model scores them below its 1 % false-positive point on the validation set's legitimate
examples) are named in a rejection's reason, for a moderator to re-check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Exists, OuterRef

from .corpora import Examples
from .judging import LEVELS
from .model import TextScorer

# The smallest number of site comments the guard compares the models on; below it the means
# and shares move by one comment's worth and the check is skipped (and said so).
MIN_SITE_COMMENTS = 20


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def set_aside(text: str) -> bool:
    """Is this approved comment kept out of the retraining, for the site guard? One in
    ``1 / DATELINE_RETRAIN_SITE_SET_ASIDE`` (0.2: one in five), by a hash of its text: the same
    comment is on the same side every night."""
    share = float(_setting("DATELINE_RETRAIN_SITE_SET_ASIDE", 0.2))
    digest = hashlib.blake2b(text.encode(), digest_size=2, person=b"site-guard").digest()
    return int.from_bytes(digest, "big") < share * 65536


def site_comments(*, exclude: set[str], limit: int | None = None) -> list[str]:
    """The texts of the site's newest published comments (at most ``limit``, default
    ``DATELINE_RETRAIN_SITE_COMMENTS``), without those in ``exclude`` (what the candidate
    trained on) and without comments whose writer had their data erased. One query; reads at
    most ``limit`` rows."""
    from dateline.comments.models import Comment, CommentEvent

    limit = int(_setting("DATELINE_RETRAIN_SITE_COMMENTS", 2000)) if limit is None else limit
    erased = CommentEvent.objects.filter(comment=OuterRef("pk"), action="erased")
    rows = (
        Comment.objects.filter(status=Comment.Status.APPROVED)
        .exclude(Exists(erased))
        .order_by("-created_at", "-pk")
        .values_list("body", flat=True)[:limit]
    )
    return [body for body in rows if body and body not in exclude]


def trained_texts(decisions: Examples) -> set[str]:
    """The decisions' texts a candidate trains on (the approved ones set aside are not)."""
    return {
        text
        for text, label in zip(decisions.texts, decisions.labels, strict=True)
        if label or not set_aside(text)
    }


def site_report(scorer: TextScorer, texts: Sequence[str]) -> dict[str, Any]:
    """How ``scorer`` treats the site's published comments ``texts`` at its own thresholds:
    how many it would stop (``stopped_low``: held/nudged, ``stopped_high``: marked as spam/held)
    and the mean of score / low threshold."""
    if not texts:
        return {"n": 0, "stopped_low": 0, "stopped_high": 0, "mean_to_low": 0.0}
    scores = np.asarray(scorer.score(list(texts)), dtype=float)
    low, high = scorer.thresholds.low, scorer.thresholds.high
    return {
        "n": len(texts),
        "stopped_low": int((scores >= low).sum()),
        "stopped_high": int((scores >= high).sum()),
        "mean_to_low": float(np.mean(np.minimum(scores / max(low, 1e-9), 1.0))),
    }


def site_problems(*, kind: str, candidate: dict[str, Any], live: dict[str, Any]) -> list[str]:
    """What makes the candidate worse than the live model on the site's comments (their
    :func:`site_report`s on the same comments), in a moderator's words; [] when nothing."""
    n = candidate["n"]
    if n < MIN_SITE_COMMENTS:
        return []
    tolerance = float(_setting("DATELINE_RETRAIN_SITE_STOPPED_TOLERANCE", 0.005))
    rise = float(_setting("DATELINE_RETRAIN_SITE_SCORE_RISE", 0.05))
    problems = []
    for key, word in zip(("stopped_low", "stopped_high"), LEVELS[kind], strict=True):
        more = candidate[key] - live[key]
        if more >= 2 and more / n > tolerance:
            problems.append(
                f"of the site's {n:,} published comments it did not train on, it would have "
                f"{word} {candidate[key]:,} ({100 * candidate[key] / n:.1f} %) against the live "
                f"model's {live[key]:,}"
            )
    if candidate["mean_to_low"] - live["mean_to_low"] > rise:
        problems.append(
            f"it moves the site's {n:,} published comments it did not train on towards being "
            f"{LEVELS[kind][0]}: on average at {100 * candidate['mean_to_low']:.1f} % of its "
            f"threshold, against {100 * live['mean_to_low']:.1f} % of the live model's"
        )
    return problems


def confident_point(scorer: TextScorer, validation: Examples) -> float:
    """The score above which the live model puts 1 % of the validation set's legitimate
    examples (its 1 % false-positive point)."""
    labels = np.asarray(validation.labels)
    if not (labels == 0).any():
        return 0.0
    scores = np.asarray(scorer.score(list(np.asarray(validation.texts)[labels == 0])), dtype=float)
    return float(np.quantile(scores, 0.99))


def contradicting(
    scorer: TextScorer, validation: Examples, decisions: Examples
) -> tuple[int, list[str]]:
    """The positive decisions (marked as spam, trashed as abusive) that the live ``scorer``
    confidently called legitimate (below its 1 % false-positive point): how many, and the
    texts of up to three of them with their scores."""
    texts = [t for t, label in zip(decisions.texts, decisions.labels, strict=True) if label]
    if not texts:
        return 0, []
    point = confident_point(scorer, validation)
    scores = np.asarray(scorer.score(texts), dtype=float)
    order = np.argsort(scores)
    low = [int(i) for i in order if scores[i] < point]
    shown = []
    for i in low[:3]:
        text = " ".join(texts[i].split())
        shown.append(f"“{text[:80]}{'…' if len(text) > 80 else ''}” ({scores[i]:.3f})")
    return len(low), shown
