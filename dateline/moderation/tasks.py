"""Background work for the learned filters: the nightly retraining from moderators' decisions."""

from __future__ import annotations

import logging

from django_tasks import task

from .classifier import KINDS
from .classifier.training import filter_retrain

log = logging.getLogger(__name__)


@task()
def retrain_filters() -> dict[str, str]:
    """Retrain the spam and abusive-language models from their base corpus and the moderators'
    decisions; each replaces the live model only if it is at least as good on the validation
    set kept with it (docs/retraining-draft.md). Returns what happened, per kind:
    "accepted: …", "rejected: …", "kept: …" (never retrained) or "waiting: …"."""
    outcome: dict[str, str] = {}
    for kind in KINDS:
        result = filter_retrain(kind=kind)
        log.info("%s model: %s", kind, result)
        outcome[kind] = str(result)
    return outcome
