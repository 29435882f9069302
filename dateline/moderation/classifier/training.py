"""Retraining the site's models from moderators' decisions (the nightly task calls this).

A retrained model starts from the base corpus the live model was trained on (the recipe in its
metadata, ``metadata["base"]``; its training part only, so the validation set kept with the
model is never trained on) plus what moderators decided (less one in five approved comments,
set aside), and becomes live only when it is at least as good as the live model on that
validation set and treats the site's published comments it did not train on no worse
(``registry.filter_judge``, ``site_guard``).
docs/retraining-draft.md gives the reasons for each number below.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from .corpora import Examples, base_examples, split_validation
from .data import DECISION_GROUP, Decisions, decision_counts, decision_examples
from .model import TextScorer, TrainingDataError
from .registry import filter_judge, filter_kept, filter_live
from .site_guard import set_aside, site_comments, trained_texts
from .storage import site_config

if TYPE_CHECKING:
    from dateline.moderation.models import FilterEvent, FilterVersion

logger = logging.getLogger("dateline.moderation.classifier")


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def decision_weight(*, base_weight: float, n_decisions: int) -> float:
    """How many base examples one moderator's decision counts as: ``DATELINE_RETRAIN_DECISION_
    WEIGHT`` (3), lowered when needed so that all decisions together weigh at most
    ``DATELINE_RETRAIN_DECISION_SHARE`` (0.5) times the base corpus' training part."""
    if n_decisions <= 0:
        return 0.0
    weight = float(_setting("DATELINE_RETRAIN_DECISION_WEIGHT", 3.0))
    share = float(_setting("DATELINE_RETRAIN_DECISION_SHARE", 0.5))
    return min(weight, share * base_weight / n_decisions)


def _spread(examples: Examples) -> Examples:
    """A base corpus of fewer than three sources (one operator CSV) split into five groups by
    a hash of each text: train_filters cross-validates such a corpus at random, and with the
    decisions' articles as groups the whole base would otherwise fall into one fold."""
    if len(set(examples.groups)) >= 3:
        return examples
    groups = [
        f"{group}#{hashlib.blake2b(text.encode(), digest_size=2).digest()[0] % 5}"
        for text, group in zip(examples.texts, examples.groups, strict=True)
    ]
    return Examples(examples.texts, examples.labels, groups)


def train_candidate(
    *, kind: str, base: dict[str, Any], decisions: Decisions, validation: Examples
) -> TextScorer:
    """A model trained on the training part of the ``base`` recipe's corpus plus the decisions
    (any whose text is in ``validation`` left out, and the approved comments the site guard
    sets aside, :func:`site_guard.set_aside`), each decision weighted by
    :func:`decision_weight`. Its metadata records both (``base``, ``decisions``). Raises
    TrainingDataError when the base corpus cannot be read or trained on."""
    training, _ = split_validation(base_examples(kind, base))
    training = _spread(training)
    held_out = set(validation.texts)
    added = decisions.examples.where(
        lambda text, label, _group: text not in held_out and (bool(label) or not set_aside(text))
    )
    config = site_config(kind)
    base_weight = sum(config.example_weights(training.groups))
    weight = decision_weight(base_weight=base_weight, n_decisions=len(added))
    config = replace(
        config,
        group_weights=((DECISION_GROUP, weight), *config.group_weights),
        # The site's own approved comments are the civil text the thresholds are for.
        threshold_groups=(*config.threshold_groups, DECISION_GROUP)
        if config.threshold_groups
        else (),
    )
    examples = training + added
    scorer = TextScorer.train(
        examples.texts,
        examples.labels,
        kind=kind,
        config=config,
        groups=examples.groups,
        source=f"{len(training):,} base examples + {len(added):,} moderators' decisions "
        f"(each counted {weight:.2f} times)",
    )
    scorer.metadata["base"] = base
    scorer.metadata["decisions"] = {
        "n": len(added),
        "n_positive": sum(added.labels),
        "set_aside": sum(
            1
            for text, label in zip(decisions.examples.texts, decisions.examples.labels, strict=True)
            if not label and text not in held_out and set_aside(text)
        ),
        "weight": weight,
        "latest": decisions.latest.isoformat() if decisions.latest else None,
    }
    return scorer


@dataclass
class RetrainOutcome:
    """What a retraining did for one kind: ``accepted``, ``rejected``, ``kept`` (this model is
    never retrained: recorded in the history) or ``waiting`` (not yet: too few or no new
    decisions, or retrained less than a day ago; not recorded)."""

    kind: str
    outcome: str
    reason: str
    event: FilterEvent | None = None

    def __str__(self) -> str:
        return f"{self.outcome}: {self.reason}"


def retrain_readiness(
    *,
    kind: str,
    version: FilterVersion | None,
    metadata: dict[str, Any] | None,
    has_validation: bool,
    now: datetime | None = None,
) -> tuple[str, str]:
    """("ready", "") when the live ``kind`` model (its history row, its metadata, whether a
    validation set is kept with it) may be retrained now, else ("kept" or "waiting", why).
    Reads the decision counts and the history (five queries at most); writes nothing."""
    from dateline.moderation.models import FilterEvent, FilterVersion

    if metadata is None or version is None:
        return "waiting", "There is no live model: train one with manage.py train_filters."
    if not metadata.get("base"):
        return "kept", (
            "This model does not record the corpus it was trained on, so it is never "
            "retrained. Train a new one with manage.py train_filters."
        )
    if not has_validation:
        return "kept", (
            "No validation set is kept with this model, so a retrained one could not be "
            "compared with it. Train a new one with manage.py train_filters."
        )
    now = now or timezone.now()
    retrained = FilterVersion.Origin.RETRAINED
    last = (
        FilterVersion.objects.filter(kind=kind, origin=retrained)
        .order_by("-created_at", "-pk")
        .first()
    )
    # New: made after the newest decision the last candidate was trained on, and after the
    # live model was trained (a retrained live model is that candidate, or an older one).
    marks = [last.decisions_until or last.created_at] if last else []
    if version.origin != retrained:
        marks.append(version.trained_at or version.created_at)
    since = max(marks) if marks else None
    counts = decision_counts(kind, since=since)
    minimum = int(_setting("DATELINE_RETRAIN_MIN_DECISIONS", 200))
    per_class = int(_setting("DATELINE_RETRAIN_MIN_PER_CLASS", 20))
    total = counts["positive"] + counts["negative"]
    if total < minimum or min(counts["positive"], counts["negative"]) < per_class:
        return "waiting", (
            f"{total:,} moderator decision{'' if total == 1 else 's'} "
            f"({counts['positive']:,} {kind}, "
            f"{counts['negative']:,} legitimate); retraining needs {minimum:,}, with at "
            f"least {per_class:,} of each."
        )
    if not counts["new"]:
        return "waiting", "No new moderators' decisions since the last training."
    rollback = (
        FilterEvent.objects.filter(kind=kind, action=FilterEvent.Action.ROLLED_BACK)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    if rollback is not None and (last is None or last.created_at < rollback):
        # The same decisions would train the model that was just rolled back once more.
        after = decision_counts(kind, since=rollback)["new"]
        if after < minimum:
            return "waiting", (
                f"Rolled back on {timezone.localtime(rollback):%Y-%m-%d %H:%M}: retraining "
                f"waits for {minimum:,} decisions made since then ({after:,} so far)."
            )
    hours = float(_setting("DATELINE_RETRAIN_MIN_HOURS", 20))
    if last is not None and now - last.created_at < timedelta(hours=hours):
        return "waiting", f"Retrained less than {hours:g} hours ago."
    return "ready", ""


def filter_retrain(*, kind: str, now: datetime | None = None) -> RetrainOutcome:
    """Retrain the site's ``kind`` model from its base corpus and the moderators' decisions,
    and let it replace the live model only if it is at least as good (champion/challenger).
    Never on fewer than the minimum of decisions, only when there are new ones, and at most
    once in ``DATELINE_RETRAIN_MIN_HOURS``. Training takes minutes and holds no lock or
    transaction; the comparison and the swap are done under the registry's lock."""
    started = timezone.now()
    live = filter_live(kind)
    state, reason = retrain_readiness(
        kind=kind,
        version=live.version,
        metadata=live.scorer.metadata if live.scorer else None,
        has_validation=live.validation is not None,
        now=now,
    )
    if state == "kept":
        return RetrainOutcome(
            kind, "kept", reason, filter_kept(kind=kind, reason=reason, version=live.version)
        )
    if state == "waiting":
        return RetrainOutcome(kind, "waiting", reason)
    assert live.scorer is not None and live.version is not None and live.validation is not None
    decisions = decision_examples(kind)
    trained = trained_texts(decisions.examples)
    minimum = int(_setting("DATELINE_RETRAIN_MIN_DECISIONS", 200))
    if len(trained) < minimum:
        # The approved comments set aside for the site guard are not trained on.
        return RetrainOutcome(
            kind,
            "waiting",
            f"{len(trained):,} moderators' decisions to train on once the approved comments "
            f"set aside to check the new model on are left out; retraining needs {minimum:,}.",
        )
    try:
        candidate = train_candidate(
            kind=kind,
            base=live.scorer.metadata["base"],
            decisions=decisions,
            validation=live.validation,
        )
    except TrainingDataError as exc:
        reason = f"The base corpus could not be read or trained on: {exc}"
        return RetrainOutcome(
            kind, "kept", reason, filter_kept(kind=kind, reason=reason, version=live.version)
        )
    event = filter_judge(
        kind=kind,
        candidate=candidate,
        trained_from=live.version.version,
        site=site_comments(exclude=trained),
        decisions=decisions.examples,
        started_at=started,
    )
    return RetrainOutcome(kind, str(event.action), event.reason, event)
