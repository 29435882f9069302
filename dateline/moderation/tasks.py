"""Background work for the learned filters: the nightly retraining from moderators' decisions."""

from __future__ import annotations

import logging

from django_tasks import task

from .classifier import KINDS, TrainingDataError, retrain_from_comments

log = logging.getLogger(__name__)


@task()
def retrain_filters() -> dict[str, str]:
    """Retrain the spam and abusive-language models on what moderators decided, each replacing
    its model file atomically (web processes pick the new file up on their next comment). A kind
    without enough decisions keeps its old model. Returns what happened, per kind."""
    outcome: dict[str, str] = {}
    for kind in KINDS:
        try:
            scorer = retrain_from_comments(kind)
        except TrainingDataError as exc:
            log.warning("kept the %s model: %s", kind, exc)
            outcome[kind] = f"kept the old model: {exc}"
        else:
            outcome[kind] = f"retrained on {scorer.metadata['n_samples']} examples"
    return outcome
