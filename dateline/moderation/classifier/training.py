"""Retraining the site's models from moderators' decisions (the nightly task calls this)."""

from __future__ import annotations

import logging

from .data import _operator_source, comment_decisions, read_labelled_csv
from .model import TextScorer
from .storage import model_path, site_config

logger = logging.getLogger("dateline.moderation.classifier")


def retrain_from_comments(kind: str = "spam", *, save: bool = True) -> TextScorer:
    """Retrain the site's ``kind`` model on the operator's base CSV (if configured) plus the
    comments moderators decided on, and (by default) replace the model file.

    This is what the scheduled retraining task calls. Raises :class:`TrainingDataError` when
    there are not enough examples of both classes; the old model then stays in place.
    """
    texts: list[str] = []
    labels: list[int] = []
    sources = []
    operator = _operator_source(kind)
    if operator:
        base_texts, base_labels = read_labelled_csv(operator)
        texts += base_texts
        labels += base_labels
        sources.append(", ".join(str(p) for p in operator.paths))
    decided_texts, decided_labels = comment_decisions(kind)
    texts += decided_texts
    labels += decided_labels
    sources.append(f"{len(decided_texts)} moderated comments")
    scorer = TextScorer.train(
        texts, labels, kind=kind, config=site_config(kind), source=" + ".join(sources)
    )
    if save:
        scorer.save(model_path(kind))
    return scorer
