"""The site's live models, the earlier ones kept beside them, and their history.

Files in the model directory (``settings.DATELINE_MODEL_DIR``)::

    spam.joblib                                  the live model (what get_scorer loads)
    spam.validation.joblib                       the validation set kept with it
    spam/20261206T030112-4f2a.joblib             each model that was live (the last few)
    spam/20261206T030112-4f2a.validation.joblib  the validation set of a base model

The validation set is set aside when a base model is trained (:func:`corpora.split_validation`)
and never trained on: the yardstick a retrained model is held to before it may replace the live
one (:func:`judging.candidate_verdict`). A retrained model keeps its base model's validation
set.

Every change of the live model goes through here, one at a time per kind (a file lock), and is
recorded: :class:`FilterVersion` (one row per model file, its status) and :class:`FilterEvent`
(what happened, who did it, why). Each model carries its version in its metadata
(``metadata["version"]``), so the record follows the files: a live file the history does not
know (trained before it existed, or copied in by hand) is adopted at the next change.
"""

from __future__ import annotations

import fcntl
import logging
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import joblib
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .corpora import Examples
from .judging import LEVELS, candidate_verdict, validation_report
from .model import TextScorer, write_atomically
from .site_guard import MIN_SITE_COMMENTS, contradicting, site_problems, site_report
from .storage import model_dir, model_path

if TYPE_CHECKING:
    from dateline.moderation.models import FilterEvent, FilterVersion

__all__ = [
    "LEVELS",
    "LiveModel",
    "RollbackError",
    "candidate_verdict",
    "describe_base",
    "filter_install",
    "filter_judge",
    "filter_kept",
    "filter_live",
    "filter_rollback",
    "install_base_model",
    "validation_load",
    "validation_path",
    "validation_report",
]

logger = logging.getLogger("dateline.moderation.classifier")


class RollbackError(Exception):
    """There is nothing to roll back to (the message says why)."""


def validation_path(kind: str) -> Path:
    return model_path(kind).with_name(f"{kind}.validation.joblib")


def _read_validation(path: Path) -> Examples | None:
    if not path.is_file():
        return None
    payload = joblib.load(path)
    return Examples(list(payload["texts"]), list(payload["labels"]), list(payload["groups"]))


def validation_load(kind: str) -> Examples | None:
    """The validation set kept with the live ``kind`` model, or None."""
    return _read_validation(validation_path(kind))


def _write_atomically(path: Path, payload: Any) -> None:
    write_atomically(path, lambda fh: joblib.dump(payload, fh, compress=3))


def _copy_atomically(source: Path, path: Path) -> None:
    """A copy renamed into place: a process loading ``path`` reads the old file or the new
    one, never half of one (and, being a new file, its change is seen by get_scorer)."""

    def copy(out: IO[bytes]) -> None:
        with source.open("rb") as src:
            shutil.copyfileobj(src, out)

    write_atomically(path, copy)


def _write_validation(path: Path, validation: Examples) -> None:
    _write_atomically(
        path, {"texts": validation.texts, "labels": validation.labels, "groups": validation.groups}
    )


# --- Versions on disk and in the history -----------------------------------------------------


def describe_base(base: dict[str, Any] | None) -> str:
    """A base corpus recipe (``metadata["base"]``) in a few words."""
    if not base:
        return "not recorded"
    if base.get("recipe") == "shared":
        return f"the shared datasets in {base.get('data_dir', '?')}"
    if base.get("recipe") == "csv":
        names = [Path(p).name for s in base.get("sources", []) for p in s.get("paths", [])]
        return "CSV files: " + ", ".join(names) if names else "CSV files"
    return str(base.get("recipe", "unknown"))


def _is_site_dir(directory: Path) -> bool:
    return directory.resolve() == model_dir().resolve()


def _new_version() -> str:
    return f"{timezone.now():%Y%m%dT%H%M%S}-{secrets.token_hex(2)}"


@contextmanager
def _locked(kind: str, directory: Path) -> Iterator[None]:
    """One change of the ``kind`` model at a time, across processes (web, worker, command)."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f".{kind}.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _version_fields(scorer: TextScorer) -> dict[str, Any]:
    meta = scorer.metadata
    decisions = meta.get("decisions") or {}
    return {
        "trained_at": _parse_time(meta.get("trained_at")),
        "n_examples": int(meta.get("n_samples") or 0),
        "n_positive": int(meta.get("n_positive") or 0),
        "n_decisions": int(decisions.get("n") or 0),
        "decision_weight": decisions.get("weight"),
        "decisions_until": _parse_time(decisions.get("latest")),
        "base": meta.get("base") or {},
        "source": str(meta.get("source") or ""),
        "thresholds": meta.get("thresholds") or {},
        "figures": meta.get("holdout") or {},
    }


def _store(kind: str, scorer: TextScorer, directory: Path) -> str:
    """Give ``scorer`` a version and write it to ``<kind>/<version>.joblib``; the relative path."""
    version = _new_version()
    scorer.metadata["version"] = version
    relative = f"{kind}/{version}.joblib"
    scorer.save(directory / relative)
    return relative


def _validation_of(version: FilterVersion, directory: Path) -> Examples | None:
    return (
        _read_validation(directory / version.validation_file) if version.validation_file else None
    )


@dataclass
class LiveModel:
    """The live ``kind`` model as the history knows it (all None: no model file)."""

    version: FilterVersion | None
    scorer: TextScorer | None
    validation: Examples | None


def _reconcile(kind: str, directory: Path) -> LiveModel:
    """Make the history agree with the live file (call under the lock). A live file without a
    known version is adopted: stamped with a version and kept as ``<kind>/<version>.joblib``
    with the validation set beside it, so it can be restored after it is replaced."""
    from dateline.moderation.models import FilterVersion

    status = FilterVersion.Status
    live_path = directory / f"{kind}.joblib"
    recorded = FilterVersion.objects.filter(kind=kind, status=status.LIVE).first()
    if not live_path.is_file():
        if recorded is not None:
            # Deleted by hand: no longer live, and still there to restore.
            recorded.status = status.PREVIOUS
            recorded.save(update_fields=["status"])
        return LiveModel(None, None, None)
    try:
        scorer = TextScorer.load(live_path)
    except Exception:
        logger.exception("could not read the live %s model %s", kind, live_path)
        return LiveModel(recorded, None, None)
    version = scorer.metadata.get("version")
    if recorded is not None and recorded.version == version:
        return LiveModel(recorded, scorer, _validation_of(recorded, directory))
    now = timezone.now()
    with transaction.atomic():
        if recorded is not None:
            recorded.status = status.PREVIOUS
            recorded.save(update_fields=["status"])
        known = FilterVersion.objects.filter(kind=kind, version=version).first()
        if known is not None and known.file:
            # A version copied back by hand, or a swap whose record was lost: it is live.
            known.status, known.live_since = status.LIVE, now
            known.save(update_fields=["status", "live_since"])
            _copy_live_validation(known, directory)
            return LiveModel(known, scorer, _validation_of(known, directory))
        relative = _store(kind, scorer, directory)
        validation_file = ""
        if (directory / f"{kind}.validation.joblib").is_file():
            validation_file = relative.removesuffix(".joblib") + ".validation.joblib"
            _copy_atomically(directory / f"{kind}.validation.joblib", directory / validation_file)
        _copy_atomically(directory / relative, live_path)
        adopted = FilterVersion.objects.create(
            kind=kind,
            version=scorer.metadata["version"],
            status=status.LIVE,
            origin=FilterVersion.Origin.ADOPTED,
            file=relative,
            validation_file=validation_file,
            live_since=now,
            created_at=now,
            **_version_fields(scorer),
        )
    validation = _read_validation(directory / validation_file) if validation_file else None
    return LiveModel(adopted, scorer, validation)


def filter_live(kind: str) -> LiveModel:
    """The site's live ``kind`` model, its history row and its validation set; records a live
    file the history did not know."""
    directory = model_dir()
    with _locked(kind, directory):
        return _reconcile(kind, directory)


def _copy_live_validation(version: FilterVersion, directory: Path) -> None:
    live_validation = directory / f"{version.kind}.validation.joblib"
    if version.validation_file:
        _copy_atomically(directory / version.validation_file, live_validation)
    else:
        live_validation.unlink(missing_ok=True)


def _make_live(version: FilterVersion, *, now: datetime) -> None:
    """Copy ``version``'s files to the live paths, inside the caller's transaction and last, so
    a failed copy rolls the history back too. The model first: should the history not be
    written after all, the live file names its version and the next change records it."""
    from dateline.moderation.models import FilterVersion

    directory = model_dir()
    version.status, version.live_since = FilterVersion.Status.LIVE, now
    version.save(update_fields=["status", "live_since"])
    _copy_atomically(directory / version.file, directory / f"{version.kind}.joblib")
    _copy_live_validation(version, directory)


def _prune(kind: str) -> None:
    """Keep the files of the ``DATELINE_FILTER_VERSIONS_KEPT`` (5) newest models that are not
    live; older ones are removed (their rows stay, "archived"). Validation sets stay."""
    from dateline.moderation.models import FilterVersion

    status = FilterVersion.Status
    keep = max(1, int(getattr(settings, "DATELINE_FILTER_VERSIONS_KEPT", 5)))
    old = (
        FilterVersion.objects.filter(kind=kind, status__in=[status.PREVIOUS, status.ROLLED_BACK])
        .exclude(file="")
        .order_by("-live_since", "-pk")[keep:]
    )
    for version in list(old):
        (model_dir() / version.file).unlink(missing_ok=True)
        version.status, version.file = status.ARCHIVED, ""
        version.save(update_fields=["status", "file"])


def install_base_model(
    *, kind: str, scorer: TextScorer, validation: Examples, directory: Path | None = None
) -> Path:
    """Make ``scorer`` the live ``kind`` model with its validation set (``manage.py
    train_filters``). Its figures on the validation set go into its metadata ("holdout").

    In the site's model directory the model is versioned and the install recorded in the
    history (the model it replaces can be restored); in another directory the two files are
    just written. Returns the live model's path."""
    directory = Path(directory) if directory is not None else model_dir()
    scorer.metadata["holdout"] = validation_report(scorer, validation)
    if not _is_site_dir(directory):
        _write_validation(directory / f"{kind}.validation.joblib", validation)
        return scorer.save(directory / f"{kind}.joblib")
    filter_install(kind=kind, scorer=scorer, validation=validation)
    return directory / f"{kind}.joblib"


def filter_install(
    *, kind: str, scorer: TextScorer, validation: Examples, actor: Any = None
) -> FilterVersion:
    """Make a model trained on the base corpus (``scorer.metadata["holdout"]`` set) the live
    ``kind`` model, with ``validation`` as its yardstick; recorded as "installed"."""
    from dateline.moderation.models import FilterEvent, FilterVersion

    directory = model_dir()
    with _locked(kind, directory):
        live = _reconcile(kind, directory)
        relative = _store(kind, scorer, directory)
        validation_file = relative.removesuffix(".joblib") + ".validation.joblib"
        _write_validation(directory / validation_file, validation)
        now = timezone.now()
        with transaction.atomic():
            if live.version is not None:
                live.version.status = FilterVersion.Status.PREVIOUS
                live.version.save(update_fields=["status"])
            version = FilterVersion.objects.create(
                kind=kind,
                version=scorer.metadata["version"],
                status=FilterVersion.Status.PREVIOUS,  # live in _make_live
                origin=FilterVersion.Origin.BASE,
                file=relative,
                validation_file=validation_file,
                created_at=now,
                **_version_fields(scorer),
            )
            FilterEvent.objects.create(
                kind=kind,
                action=FilterEvent.Action.INSTALLED,
                version=version,
                other=live.version,
                actor=_person(actor),
                reason=f"Trained on {version.n_examples:,} examples of the base corpus "
                f"({describe_base(version.base)}); {len(validation):,} more kept aside for "
                "validation.",
                figures={"candidate": version.figures},
                created_at=now,
            )
            _make_live(version, now=now)
        _prune(kind)
    return version


def filter_judge(
    *,
    kind: str,
    candidate: TextScorer,
    trained_from: str,
    actor: Any = None,
    site: Sequence[str] | None = None,
    decisions: Examples | None = None,
    started_at: datetime | None = None,
) -> FilterEvent:
    """Champion/challenger: compare a retrained model with the live one on the live model's
    validation set and on the site's published comments it did not train on (``site``, the
    site guard: :mod:`.site_guard`); the candidate becomes live only when :func:`candidate_
    verdict` accepts it and the site guard finds nothing. A rejection by the site guard names
    the ``decisions`` (what the candidate trained on) that contradict a confident live model.
    Either way the candidate and the outcome are recorded (a rejected candidate's file is not
    kept), dated ``started_at`` (when its training started; default now). ``trained_from`` is
    the version of the live model the candidate was trained from; if another model went live
    in the meantime the candidate is rejected."""
    from dateline.moderation.models import FilterEvent, FilterVersion

    directory = model_dir()
    with _locked(kind, directory):
        live = _reconcile(kind, directory)
        live_report: dict[str, Any] = {}
        report: dict[str, Any] = {}
        site_figures: dict[str, Any] = {}
        if live.version is None or live.scorer is None or live.version.version != trained_from:
            accepted, reason = False, "Another model went live while this one was training."
        elif live.validation is None:
            accepted, reason = False, "No validation set is kept with the live model."
        else:
            live_report = validation_report(live.scorer, live.validation)
            report = validation_report(candidate, live.validation)
            accepted, reason = candidate_verdict(kind=kind, candidate=report, live=live_report)
            if site is not None:
                site_figures = {
                    "candidate": site_report(candidate, site),
                    "live": site_report(live.scorer, site),
                }
                accepted, reason = _site_verdict(
                    kind=kind,
                    accepted=accepted,
                    reason=reason,
                    figures=site_figures,
                    live=live,
                    decisions=decisions,
                )
        candidate.metadata["holdout"] = report
        now = timezone.now()
        relative = _store(kind, candidate, directory) if accepted else ""
        with transaction.atomic():
            version = FilterVersion.objects.create(
                kind=kind,
                version=candidate.metadata.get("version") or _new_version(),
                status=FilterVersion.Status.PREVIOUS if accepted else FilterVersion.Status.REJECTED,
                origin=FilterVersion.Origin.RETRAINED,
                file=relative,
                validation_file=live.version.validation_file if live.version else "",
                # From when its training started: the retraining's pace counts from there.
                created_at=min(started_at, now) if started_at else now,
                **_version_fields(candidate),
            )
            event = FilterEvent.objects.create(
                kind=kind,
                action=FilterEvent.Action.ACCEPTED if accepted else FilterEvent.Action.REJECTED,
                version=version,
                other=live.version,
                actor=_person(actor),
                reason=reason,
                figures={"candidate": report, "live": live_report, "site": site_figures},
                created_at=now,
            )
            if accepted:
                assert live.version is not None
                live.version.status = FilterVersion.Status.PREVIOUS
                live.version.save(update_fields=["status"])
                _make_live(version, now=now)
        if accepted:
            _prune(kind)
    return event


def _site_verdict(
    *,
    kind: str,
    accepted: bool,
    reason: str,
    figures: dict[str, Any],
    live: LiveModel,
    decisions: Examples | None,
) -> tuple[bool, str]:
    """The champion/challenger verdict with the site guard's: rejected when the candidate
    treats the site's published comments worse (:func:`site_guard.site_problems`); the reason
    then names the decisions that contradict the confident live model."""
    problems = site_problems(kind=kind, candidate=figures["candidate"], live=figures["live"])
    n = figures["candidate"]["n"]
    if not problems:
        if accepted:
            cand, live_fig = figures["candidate"], figures["live"]
            reason += (
                f" On the site's {n:,} published comments it did not train on: "
                f"{cand['stopped_low']:,} {LEVELS[kind][0]} (live {live_fig['stopped_low']:,}), "
                f"on average at {100 * cand['mean_to_low']:.1f} % of its threshold (live "
                f"{100 * live_fig['mean_to_low']:.1f} %)."
                if n >= MIN_SITE_COMMENTS
                else f" Too few published comments it did not train on ({n:,}) to compare the "
                "models on the site's own text."
            )
        return accepted, reason
    text = "Worse than the live model on the site's own comments: " + "; ".join(problems) + "."
    if decisions is not None and live.scorer is not None and live.validation is not None:
        count, shown = contradicting(live.scorer, live.validation, decisions)
        if count:
            positive = {"spam": "marked as spam", "abuse": "trashed as abusive"}[kind]
            text += (
                f" {count:,} of the decisions it learned from were {positive} although the live "
                f"model was confident they were not; please re-check them, e.g. "
                + "; ".join(shown)
                + "."
            )
    if not accepted:
        text = reason + " " + text
    return False, text


def filter_rollback(*, kind: str, actor: Any) -> FilterEvent:
    """Restore the model that was live before the current one (the newest "replaced" model
    with its file); the current one becomes "rolled back". Raises :class:`RollbackError` when
    there is no live model or nothing to go back to."""
    from dateline.moderation.models import FilterEvent, FilterVersion

    status = FilterVersion.Status
    directory = model_dir()
    with _locked(kind, directory):
        live = _reconcile(kind, directory)
        if live.version is None:
            raise RollbackError("There is no live model to roll back.")
        target = (
            FilterVersion.objects.filter(kind=kind, status=status.PREVIOUS)
            .exclude(file="")
            .order_by("-live_since", "-pk")
            .first()
        )
        if target is None or not (directory / target.file).is_file():
            raise RollbackError("There is no earlier model to go back to.")
        now = timezone.now()
        with transaction.atomic():
            live.version.status = status.ROLLED_BACK
            live.version.save(update_fields=["status"])
            event = FilterEvent.objects.create(
                kind=kind,
                action=FilterEvent.Action.ROLLED_BACK,
                version=target,
                other=live.version,
                actor=_person(actor),
                reason=f"Back to {target.version} (live since "
                f"{timezone.localtime(target.live_since or target.created_at):%Y-%m-%d %H:%M}), "
                f"replacing {live.version.version}.",
                figures={"candidate": target.figures, "live": live.version.figures},
                created_at=now,
            )
            _make_live(target, now=now)
    return event


def filter_kept(*, kind: str, reason: str, version: FilterVersion | None) -> FilterEvent | None:
    """Record that the live model was not retrained for a reason someone must act on (no base
    recipe, no validation set, base files gone), once: not again while it is the newest entry
    of the kind's history. Returns the new entry, or None."""
    from dateline.moderation.models import FilterEvent

    newest = FilterEvent.objects.filter(kind=kind).order_by("-created_at", "-pk").first()
    if (
        newest is not None
        and newest.action == FilterEvent.Action.KEPT
        and newest.reason == reason
        and newest.version_id == (version.pk if version else None)
    ):
        return None
    return FilterEvent.objects.create(
        kind=kind, action=FilterEvent.Action.KEPT, version=version, reason=reason
    )


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
