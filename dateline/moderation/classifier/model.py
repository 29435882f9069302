"""The scorer: the scikit-learn pipeline (features → LinearBlend), Platt calibration,
thresholds chosen on cross-validated scores, and saving/loading model files."""

from __future__ import annotations

import logging
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import joblib
import numpy as np
import sklearn
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from .fast import FastLinear, compile_linear
from .features import (
    SIGNAL_NAMES,
    RuleSignals,
    normalize_link_hosts,
    normalize_link_shapes,
    normalize_text,
    normalize_without_links,
)
from .pretrained import PretrainedOffensive

logger = logging.getLogger("dateline.moderation.classifier")

KINDS = ("spam", "abuse")
FORMAT = 1  # bump when a saved model can no longer be read by this code
SEED = 20261124


class TrainingDataError(ValueError):
    """The examples cannot train a model (too few, one class only, unreadable file)."""


class LinearBlend(ClassifierMixin, BaseEstimator):
    """Logistic regression (balanced classes) whose weights are blended with multinomial naive
    Bayes log-count ratios: ``w = w_lr + nb_weight · (log θ₁ − log θ₀)``.

    Both are linear in the features, so the blend is one linear model. Naive Bayes adds what it
    is good at on short texts with few examples (Wang & Manning 2012, "NBSVM").

    With ``nb_scale`` the logistic regression is instead fitted on features scaled by the naive
    Bayes log-count ratios of the binarised features, ``r = log(p/|p|₁) − log(q/|q|₁)`` with
    ``p = nb_scale_alpha + Σ x>0`` over the positive examples (``q`` the negatives): Wang &
    Manning's NBSVM proper. ``r`` is folded into the weights (``w = w_lr · r``), so the result is
    still one linear model in the original features.
    """

    def __init__(
        self,
        C: float = 1.0,
        nb_weight: float = 0.0,
        nb_alpha: float = 0.05,
        max_iter: int = 3000,
        nb_scale: bool = False,
        nb_scale_alpha: float = 1.0,
    ) -> None:
        self.C = C
        self.nb_weight = nb_weight
        self.nb_alpha = nb_alpha
        self.max_iter = max_iter
        self.nb_scale = nb_scale
        self.nb_scale_alpha = nb_scale_alpha

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Model files pickled before ``nb_scale`` existed: give them its "off" defaults.
        state.setdefault("nb_scale", False)
        state.setdefault("nb_scale_alpha", 1.0)
        super().__setstate__(state)

    def _log_count_ratio(self, X: Any, y: np.ndarray, sample_weight: Any) -> np.ndarray:
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        present = (X > 0).astype(np.float64)
        p = self.nb_scale_alpha + np.asarray(present.T @ (weights * (y == 1))).ravel()
        q = self.nb_scale_alpha + np.asarray(present.T @ (weights * (y == 0))).ravel()
        return np.asarray(np.log(p / p.sum()) - np.log(q / q.sum()), dtype=np.float64)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearBlend:
        y = np.asarray(y)
        lr = LogisticRegression(C=self.C, class_weight="balanced", max_iter=self.max_iter)
        ratio = self._log_count_ratio(X, y, sample_weight) if self.nb_scale else None
        # On these small sparse problems BLAS threads only add contention (10× slower on a busy
        # machine); parallelism, when wanted, comes from n_jobs across folds.
        with threadpool_limits(limits=1, user_api="blas"):
            if ratio is None:
                lr.fit(X, y, sample_weight=sample_weight)
            else:
                scaled = X.multiply(ratio).tocsr() if issparse(X) else np.asarray(X) * ratio
                lr.fit(scaled, y, sample_weight=sample_weight)
        self.classes_ = lr.classes_
        coef = lr.coef_.ravel().astype(np.float64)
        if ratio is not None:
            coef = coef * ratio
        intercept = float(lr.intercept_[0])
        if self.nb_weight:
            nb = MultinomialNB(alpha=self.nb_alpha).fit(X, y, sample_weight=sample_weight)
            coef = coef + self.nb_weight * (nb.feature_log_prob_[1] - nb.feature_log_prob_[0])
            intercept += self.nb_weight * float(nb.class_log_prior_[1] - nb.class_log_prior_[0])
        self.coef_ = coef
        self.intercept_ = intercept
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        return np.asarray(X @ self.coef_).ravel() + self.intercept_

    def predict_proba(self, X: Any) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        return np.asarray(self.classes_)[(self.decision_function(X) > 0).astype(int)]


@dataclass(frozen=True)
class ScorerConfig:
    """Features, model and thresholds for one kind of score. The defaults per kind were tuned
    on the shared datasets (docs/moderation.md)."""

    min_df: int = 1
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    signals_weight: float = 2.0
    # Links here are not "external": where readers commonly link without spamming (the video
    # host, in the YouTube data the model was tuned on). Add the site's own host for a site.
    trusted_hosts: tuple[str, ...] = ("youtube.com", "youtu.be")
    C: float = 10.0
    nb_weight: float = 0.15
    # Fit the regression on features scaled by naive Bayes log-count ratios (NBSVM).
    nb_scale: bool = False
    high_fpr: float = 0.01
    low_fpr: float = 0.05
    validation_folds: int = 5
    # Which rule signals the model reads (None: all of SIGNAL_NAMES).
    signals: tuple[str, ...] | None = None
    # "token": links become ``urltoken dom_<host>`` in the n-grams; "hosts": ``dom_<host>``
    # only; "shape": the host and what the link's shape gives away (a reputable host reads as
    # a citation, a referral code or a shortener as promotion; features.link_shape_tokens);
    # "drop": the n-grams never see links (the link rules judge them).
    links: str = "token"
    # alt-profanity-check's pretrained decision as one more feature (classifier.pretrained).
    pretrained: bool = False
    pretrained_weight: float = 1.0
    # The share of positives where the site runs (None: as in the training data). Calibrated
    # scores are moved from the training data's base rate to this one.
    base_rate: float | None = None
    # Sources (group-name prefixes) whose legitimate examples set the thresholds; empty: all.
    threshold_groups: tuple[str, ...] = ()
    # Weight of each example by its source (first matching group-name prefix; others 1.0).
    group_weights: tuple[tuple[str, float], ...] = ()
    # What the feature code reads, beyond these settings (the link shapes, the list of
    # reputable hosts, the phrase lists). Bump it when that code changes what a model learns:
    # ``train_filters --if-needed`` retrains a model whose configuration differs.
    revision: int = 3

    def example_weights(self, groups: Sequence[str]) -> list[float]:
        """Each example's weight by its source: the first matching ``group_weights`` prefix,
        else 1.0."""
        return [
            next((w for prefix, w in self.group_weights if name.startswith(prefix)), 1.0)
            for name in groups
        ]


# The spam model reads no length, no link count and no "there is a link" token, only a link's
# host (long prose and a link to a reputable site are not spam by themselves; the link rules
# judge links: limit, blocked domains), trains with legitimate prose beside
# YouTube's comments (weighted down, so the short comments still shape the model), and sets its
# thresholds on the legitimate YouTube comments: the hardest legitimate text it knows.
# Nor @-mentions: YouTube's legitimate comments never answer anyone by name, so the signal taught
# that a reply to another reader ("@Sam you're right") is spam (the handle itself is left out of
# the n-grams too, features.without_handles). What it reads instead of whom a comment answers:
# what a comment asks readers to do (like it, share, vote, subscribe) and links written so as not
# to be links.
SPAM_SIGNALS = tuple(
    name for name in SIGNAL_NAMES if name not in {"links", "external_links", "length", "mention"}
)
CONFIGS: dict[str, ScorerConfig] = {
    "spam": ScorerConfig(
        min_df=2,
        signals=SPAM_SIGNALS,
        links="shape",
        signals_weight=4.0,
        C=30.0,
        nb_weight=0.0,
        group_weights=(("bbc:", 0.1), ("huffpost:", 0.1)),
        threshold_groups=("youtube:",),
        high_fpr=0.005,
        low_fpr=0.01,
        # 4: @-mentions no longer read (neither the signal nor the handle's n-grams).
        # 5: two more signals, asking for likes, thumbs, shares or votes ("engagement") and a
        # link written so as not to be one ("hidden_link").
        revision=5,
    ),
    # The abuse model: tweets (Davidson, OLID) and civil prose, plus alt-profanity-check's
    # pretrained decision; scores moved to a news site's base rate of abusive comments (3 %),
    # thresholds set on civil prose (hold: 0.5 % of it, nudge: 2 %). OLID's untargeted
    # profanity counts as civil (swearing is not abuse; decision 0074).
    "abuse": ScorerConfig(
        min_df=2,
        signals_weight=0.0,
        C=1.0,
        nb_weight=0.0,
        nb_scale=True,
        pretrained=True,
        base_rate=0.03,
        threshold_groups=("prose:",),
        high_fpr=0.005,
        low_fpr=0.02,
    ),
}


def build_pipeline(config: ScorerConfig) -> Pipeline:
    normalize = {
        "token": normalize_text,
        "hosts": normalize_link_hosts,
        "shape": normalize_link_shapes,
        "drop": normalize_without_links,
    }[config.links]
    parts: list[tuple[str, Any]] = [
        (
            "words",
            TfidfVectorizer(
                preprocessor=normalize,
                ngram_range=config.word_ngrams,
                min_df=config.min_df,
                sublinear_tf=True,
                dtype=np.float32,
            ),
        ),
        (
            "chars",
            TfidfVectorizer(
                preprocessor=normalize,
                analyzer="char_wb",
                ngram_range=config.char_ngrams,
                min_df=config.min_df,
                sublinear_tf=True,
                dtype=np.float32,
            ),
        ),
    ]
    weights = {"words": 1.0, "chars": 1.0}
    if config.signals_weight:
        parts.append(
            ("signals", RuleSignals(trusted_hosts=config.trusted_hosts, names=config.signals))
        )
        weights["signals"] = config.signals_weight
    if config.pretrained:
        parts.append(("pretrained", PretrainedOffensive()))
        weights["pretrained"] = config.pretrained_weight
    return Pipeline(
        [
            ("features", FeatureUnion(parts, transformer_weights=weights)),
            (
                "model",
                LinearBlend(C=config.C, nb_weight=config.nb_weight, nb_scale=config.nb_scale),
            ),
        ]
    )


# --- The scorer -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    high: float
    low: float


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid_one(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-min(max(x, -500.0), 500.0)))


# Up to this many texts are scored one by one without the pipeline (classifier.fast); more go
# through scikit-learn, whose vectorised path wins on batches.
FAST_BATCH = 8


def threshold_at_fpr(scores: np.ndarray, labels: np.ndarray, max_fpr: float) -> float:
    """The lowest threshold t such that ``score >= t`` catches at most ``max_fpr`` of the
    negatives."""
    negatives = np.sort(scores[labels == 0])[::-1]
    allowed = math.floor(max_fpr * len(negatives) + 1e-9)
    if allowed >= len(negatives):
        return float(negatives[-1]) if len(negatives) else 0.0
    return float(np.nextafter(negatives[allowed], np.inf))


def _rates(scores: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, float]:
    caught = scores >= threshold
    positives, negatives = labels == 1, labels == 0
    return {
        "threshold": threshold,
        "recall": float(caught[positives].mean()) if positives.any() else 0.0,
        "fpr": float(caught[negatives].mean()) if negatives.any() else 0.0,
    }


def write_atomically(path: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Call ``write`` with a temporary file beside ``path``, then rename it into place, so a
    process reading ``path`` sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the web server may be another user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class TextScorer:
    """A trained pipeline, its Platt calibration (``a·d + b``) and its metadata."""

    kind: str
    pipeline: Pipeline
    calibration: tuple[float, float]
    metadata: dict[str, Any] = field(default_factory=dict)
    # The pipeline compiled for single comments: None until first used, False if it cannot be.
    _fast: FastLinear | bool | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[int],
        *,
        kind: str = "spam",
        config: ScorerConfig | None = None,
        groups: Sequence[Any] | None = None,
        source: str = "",
        n_jobs: int | None = None,
    ) -> TextScorer:
        """Train on ``texts`` with ``labels`` (1 = spam/abusive, 0 = legitimate).

        Calibration and thresholds come from cross-validated scores (``validation_folds``,
        stratified), then the pipeline is refitted on everything. With ``groups`` (the source
        file, the article…) and at least three of them, a group is never split between
        training and validation, so the thresholds are chosen on sources the model has not
        seen, as it will be used. Raises :class:`TrainingDataError` when a class has fewer than
        two examples.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        config = config or CONFIGS[kind]
        texts = [str(t) for t in texts]
        y = np.asarray(labels, dtype=int)
        if len(texts) != len(y):
            raise TrainingDataError(f"{len(texts)} texts but {len(y)} labels")
        if not set(np.unique(y)) <= {0, 1}:
            raise TrainingDataError("labels must be 0 (legitimate) or 1 (spam/abusive)")
        smallest = int(min((y == 1).sum(), (y == 0).sum()))
        if smallest < 2:
            raise TrainingDataError(
                f"need at least two examples of each class, got {int((y == 1).sum())} "
                f"positive and {int((y == 0).sum())} negative"
            )
        group_names = [str(g) for g in groups] if groups is not None else [""] * len(texts)
        n_groups = len(set(groups)) if groups is not None else 0
        folds: StratifiedKFold | StratifiedGroupKFold
        if n_groups >= 3:
            folds = StratifiedGroupKFold(
                n_splits=min(config.validation_folds, n_groups), shuffle=True, random_state=SEED
            )
        else:
            groups = None
            folds = StratifiedKFold(
                n_splits=min(config.validation_folds, smallest), shuffle=True, random_state=SEED
            )
        weights = np.asarray(config.example_weights(group_names))
        fit_params = {"model__sample_weight": weights} if config.group_weights else {}
        validation = cross_val_predict(
            build_pipeline(config),
            texts,
            y,
            groups=groups,
            cv=folds,
            method="decision_function",
            n_jobs=n_jobs,
            params=fit_params,
        )
        platt = LogisticRegression(C=1e6, max_iter=1000).fit(validation.reshape(-1, 1), y)
        calibration = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        training_rate = float(y.mean())
        if config.base_rate:
            # Bayes: the same evidence at the site's base rate instead of the training mix's.
            shift = _logit(config.base_rate) - _logit(training_rate)
            calibration = (calibration[0], calibration[1] + shift)
        calibrated = _sigmoid(calibration[0] * validation + calibration[1])
        reference = np.asarray(
            [
                label == 1 or name.startswith(config.threshold_groups or ("",))
                for label, name in zip(y, group_names, strict=True)
            ]
        )
        if not (y[reference] == 0).any():
            reference[:] = True  # no legitimate example from those sources: all of them
        high = threshold_at_fpr(calibrated[reference], y[reference], config.high_fpr)
        low = min(threshold_at_fpr(calibrated[reference], y[reference], config.low_fpr), high)
        pipeline = build_pipeline(config).fit(texts, y, **fit_params)
        metadata = {
            "format": FORMAT,
            "kind": kind,
            # Aware UTC without Django's timezone, so the bench can train without settings.
            "trained_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
            "n_samples": len(texts),
            "n_positive": int((y == 1).sum()),
            "training_base_rate": training_rate,
            "sklearn_version": sklearn.__version__,
            "config": asdict(config),
            "thresholds": {"high": high, "low": low},
            "validation": {
                "folds": folds.get_n_splits(),
                "grouped": groups is not None,
                "auc": float(roc_auc_score(y, validation)),
                "at_high": _rates(calibrated[reference], y[reference], high),
                "at_low": _rates(calibrated[reference], y[reference], low),
            },
            "source": source,
        }
        return cls(kind=kind, pipeline=pipeline, calibration=calibration, metadata=metadata)

    @property
    def thresholds(self) -> Thresholds:
        values = self.metadata["thresholds"]
        return Thresholds(high=float(values["high"]), low=float(values["low"]))

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Uncalibrated scores (log-odds scale); same order as :meth:`score`."""
        return np.asarray(self.pipeline.decision_function(list(texts)), dtype=np.float64)

    def score(self, texts: Sequence[str]) -> list[float]:
        """Calibrated probabilities 0–1 that each text is spam (or abusive)."""
        if not texts:
            return []
        a, b = self.calibration
        fast = self._fast_linear() if len(texts) <= FAST_BATCH else None
        if fast is not None:
            return [_sigmoid_one(a * fast.decision(str(text)) + b) for text in texts]
        return [float(p) for p in _sigmoid(a * self.decision_function(texts) + b)]

    def _fast_linear(self) -> FastLinear | None:
        """The pipeline compiled for one comment at a time (classifier.fast), made on first
        use; None when the pipeline is not one it understands."""
        if self._fast is None:
            self._fast = compile_linear(self.pipeline) or False
        return self._fast if isinstance(self._fast, FastLinear) else None

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write atomically (a temporary file renamed into place), so a process loading the
        model never reads half a file."""
        path = Path(path)
        payload = {
            "metadata": self.metadata,
            "kind": self.kind,
            "pipeline": self.pipeline,
            "calibration": self.calibration,
        }
        write_atomically(path, lambda fh: joblib.dump(payload, fh, compress=3))
        return path

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TextScorer:
        """Read a model written by :meth:`save`. Raises ``ValueError`` for a file in an unknown
        format. Only load files you made: joblib files are pickles."""
        payload = joblib.load(path)
        if not isinstance(payload, dict) or payload.get("metadata", {}).get("format") != FORMAT:
            raise ValueError(f"{path} is not a Dateline model file (format {FORMAT})")
        saved_with = payload["metadata"].get("sklearn_version")
        if saved_with != sklearn.__version__:
            logger.warning(
                "%s was trained with scikit-learn %s, this is %s: retrain with "
                "manage.py train_filters if scores look wrong",
                path,
                saved_with,
                sklearn.__version__,
            )
        return cls(
            kind=payload["kind"],
            pipeline=payload["pipeline"],
            calibration=tuple(payload["calibration"]),
            metadata=payload["metadata"],
        )


def train(
    texts: Sequence[str], labels: Sequence[int], *, kind: str = "spam", **kwargs: Any
) -> TextScorer:
    return TextScorer.train(texts, labels, kind=kind, **kwargs)


def load(path: str | os.PathLike[str]) -> TextScorer:
    return TextScorer.load(path)
