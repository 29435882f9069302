"""Reads with a shape for the learned filters' admin page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from .classifier import KINDS, get_scorer
from .classifier.registry import LEVELS, describe_base, validation_path
from .classifier.training import retrain_readiness
from .models import FilterEvent, FilterKind, FilterVersion

ROLLBACK_PERMISSION = "moderation.rollback_filterversion"
VIEW_PERMISSION = "moderation.view_filterversion"


def can_see_filters(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(VIEW_PERMISSION))


def can_roll_back_filters(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(ROLLBACK_PERMISSION))


@dataclass
class FilterState:
    """One filter as the page shows it."""

    kind: str
    label: str
    words: tuple[str, str]  # what ≥ low and ≥ high do to a comment
    live: FilterVersion | None
    # The live file's metadata when it is not (yet) in the history: trained before it existed
    # or copied in by hand; recorded at the next install, retraining or rollback.
    unrecorded: dict[str, Any] | None
    previous: FilterVersion | None
    retraining: str  # ready, waiting, kept
    retraining_reason: str
    base: str


def _previous(kind: str) -> FilterVersion | None:
    return (
        FilterVersion.objects.filter(kind=kind, status=FilterVersion.Status.PREVIOUS)
        .exclude(file="")
        .order_by("-live_since", "-pk")
        .first()
    )


def filter_states() -> list[FilterState]:
    """Each filter: its live model (from the history, or the file's own metadata), the model a
    rollback would restore, and whether retraining is waiting and why. A fixed number of
    queries whatever the history's length; no model is loaded that the site has not."""
    live_rows = {v.kind: v for v in FilterVersion.objects.filter(status=FilterVersion.Status.LIVE)}
    states = []
    for kind in KINDS:
        scorer = get_scorer(kind)
        metadata = scorer.metadata if scorer is not None else None
        live = live_rows.get(kind)
        unrecorded = None
        if metadata is not None and (live is None or metadata.get("version") != live.version):
            unrecorded, live = _readable(metadata), None
        if unrecorded is not None:
            state, reason = _unrecorded_readiness(unrecorded)
        else:
            state, reason = retrain_readiness(
                kind=kind,
                version=live,
                metadata=metadata,
                has_validation=validation_path(kind).is_file(),
            )
        states.append(
            FilterState(
                kind=kind,
                label=str(FilterKind(kind).label),
                words=LEVELS[kind],
                live=live,
                unrecorded=unrecorded,
                previous=_previous(kind),
                retraining=state,
                retraining_reason=reason,
                base=describe_base(live.base if live else (unrecorded or {}).get("base")),
            )
        )
    return states


def _readable(metadata: dict[str, Any]) -> dict[str, Any]:
    """The file's metadata as the page shows it: the training time as a datetime (the file keeps
    ISO text), the validation figures under the name the history uses (``figures``)."""
    trained = metadata.get("trained_at")
    return {
        **metadata,
        "trained_at": parse_datetime(trained) if isinstance(trained, str) else trained,
        "figures": metadata.get("holdout") or {},
    }


def _unrecorded_readiness(metadata: dict[str, Any]) -> tuple[str, str]:
    # The history will know this file at the next change; until then it is judged as it is.
    if not metadata.get("base"):
        return "kept", (
            "This model does not record the corpus it was trained on, so it is never "
            "retrained. Train a new one with manage.py train_filters."
        )
    return "waiting", "The nightly retraining records this model first, then decides."


def filter_history(*, limit: int = 50) -> QuerySet[FilterEvent]:
    """The newest ``limit`` entries of the filters' history, with their models and actors."""
    return FilterEvent.objects.select_related("version", "other", "actor").order_by(
        "-created_at", "-pk"
    )[:limit]


def filter_rollback_preview(*, kind: str) -> tuple[FilterVersion | None, FilterVersion | None]:
    """(the live model, the one a rollback would restore), from the history."""
    live = FilterVersion.objects.filter(kind=kind, status=FilterVersion.Status.LIVE).first()
    return live, _previous(kind)
