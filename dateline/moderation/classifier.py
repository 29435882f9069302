"""Learned scores for comments: how likely a text is spam, and how likely it is abusive.

A :class:`TextScorer` wraps one scikit-learn pipeline::

    FeatureUnion(word TF-IDF 1–2-grams, character TF-IDF 2–5-grams inside words,
                 rule signals: links, capitals, repeats, length, @, money, phone, promotion)
      → LinearBlend: logistic regression, optionally blended with multinomial naive Bayes
      → Platt scaling fitted on cross-validated scores, so ``score()`` is a probability 0–1.

Training also picks two thresholds from the cross-validated (never seen in training) scores and
stores them with the model: ``high`` (spam: mark as spam; abuse: hold) is the lowest score at
which at most ``high_fpr`` of the legitimate validation comments would be caught, ``low``
(spam: hold; abuse: nudge the writer) the same for ``low_fpr``.

Model files are joblib pickles in ``settings.DATELINE_MODEL_DIR`` (default ``var/models``),
``spam.joblib`` and ``abuse.joblib``. Loading a pickle runs code: load only files you made.
The site works without them: :func:`get_scorer` returns ``None``.
"""

from __future__ import annotations

import csv
import html
import logging
import math
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from django.conf import settings
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

logger = logging.getLogger(__name__)

KINDS = ("spam", "abuse")
FORMAT = 1  # bump when a saved model can no longer be read by this code
SEED = 20261124


class TrainingDataError(ValueError):
    """The examples cannot train a model (too few, one class only, unreadable file)."""


# --- Text normalisation and rule signals ----------------------------------------------------

_TAG = re.compile(r"<[^>]{0,2000}>")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), " ")
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|io|co|ru|xyz|top|shop|online|site|me|ly"
    r"|tv|us|uk|de|pl|se|gl|be|to|in)\b(?:/\S*)?",
    re.IGNORECASE,
)
_RUN = re.compile(r"(\S)\1{3,}")
_SPACE = re.compile(r"\s+")
_MENTION = re.compile(r"(?:^|\s)@ ?\w|\b[\w.+-]+@[\w-]+\.\w{2,}")
_MONEY = re.compile(
    r"[$€£]\s?\d|\b\d+\s?(?:usd|dollars?|euros?|bucks)\b"
    r"|\b(?:free|cash|money|earn|paypal|gift ?cards?|bitcoins?|crypto|btc|invest(?:ment)?|profit|income)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
# Self-promotion: asking readers to go somewhere else or to do something for the writer.
_PROMOTION = re.compile(
    r"\b(?:my (?:new |own |latest |first )?(?:videos?|channel|page|music|songs?|track|profile|blog"
    r"|playlist|site|website|store|shop|account|cover|remix|mixtape)"
    r"|check (?:out )?(?:my|our|me)|(?:sub(?:scribe)?|follow|add) (?:to )?(?:me|us|my|our)\b"
    r"|sub ?(?:4|for) ?sub|like ?(?:4|for) ?like|follow ?(?:4|for) ?follow|visit (?:my|our)"
    r"|click (?:here|the link|this|on)|free (?:gift|money|cash|iphone|download)"
    r"|earn (?:money|cash|\$)|make money|work from home)",
    re.IGNORECASE,
)
_CALL_TO_ACTION = re.compile(
    r"\b(?:subscribe|subscribers?|channel|check (?:it|this|out)"
    r"|please (?:like|share|watch|visit|subscribe|help)|like this comment|share this|watch this"
    r"|click|visit)\b",
    re.IGNORECASE,
)


def plain_text(text: str) -> str:
    """The text a reader sees: entities decoded, tags dropped, Unicode NFKC, one space."""
    text = html.unescape(html.unescape(text))
    text = _TAG.sub(" ", text)
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return _SPACE.sub(" ", text).strip()


def _host(url: str) -> str:
    url = re.sub(r"^(?:https?://)?(?:www\.|m\.)?", "", url, flags=re.I)
    return re.split(r"[/?#]", url, maxsplit=1)[0].lower()


def _url_token(match: re.Match[str]) -> str:
    return f" urltoken dom_{re.sub(r'[^a-z0-9]', '_', _host(match.group(0)))} "


def normalize_text(text: str) -> str:
    """What the n-gram features read: plain text, each link as ``urltoken dom_<host>``, runs of
    one character cut to three, lower case."""
    text = _URL.sub(_url_token, plain_text(text))
    text = _RUN.sub(r"\1\1\1", text)
    return _SPACE.sub(" ", text).strip().lower()


SIGNAL_NAMES = (
    "links",
    "external_links",
    "capitals",
    "repeats",
    "length",
    "mention",
    "money",
    "phone",
    "exclamations",
    "promotion",
    "call_to_action",
    "digits",
)


def rule_signals(text: str, trusted_hosts: Sequence[str] = ()) -> list[float]:
    """The cheap rule signals of one text, each scaled to 0–1 (naive Bayes needs them ≥ 0).
    Links to ``trusted_hosts`` (and their subdomains) do not count as external links."""
    text = plain_text(text)
    urls = _URL.findall(text)
    hosts = [_host(url) for url in urls]
    external = sum(
        1 for h in hosts if not any(h == t or h.endswith(f".{t}") for t in trusted_hosts)
    )
    letters = [c for c in text if c.isalpha()]
    capitals = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    size = max(len(text), 1)
    return [
        min(len(urls), 5) / 5,
        min(external, 5) / 5,
        capitals,
        min(len(_RUN.findall(text)), 5) / 5,
        min(math.log1p(len(text)) / 8, 1.0),
        float(bool(_MENTION.search(text))),
        min(len(_MONEY.findall(text)), 3) / 3,
        float(bool(_PHONE.search(text))),
        min(text.count("!"), 10) / 10,
        min(len(_PROMOTION.findall(text)), 3) / 3,
        min(len(_CALL_TO_ACTION.findall(text)), 3) / 3,
        sum(c.isdigit() for c in text) / size,
    ]


class RuleSignals(TransformerMixin, BaseEstimator):
    """The rule signals as numeric features (see :data:`SIGNAL_NAMES`)."""

    def __init__(self, trusted_hosts: tuple[str, ...] = ()) -> None:
        self.trusted_hosts = trusted_hosts

    def fit(self, texts: Iterable[str], y: Any = None) -> RuleSignals:
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        rows = [rule_signals(text, self.trusted_hosts) for text in texts]
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(SIGNAL_NAMES))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray([f"signal_{name}" for name in SIGNAL_NAMES], dtype=object)


class LinearBlend(ClassifierMixin, BaseEstimator):
    """Logistic regression (balanced classes) whose weights are blended with multinomial naive
    Bayes log-count ratios: ``w = w_lr + nb_weight · (log θ₁ − log θ₀)``.

    Both are linear in the features, so the blend is one linear model. Naive Bayes adds what it
    is good at on short texts with few examples (Wang & Manning 2012, "NBSVM").
    """

    def __init__(
        self, C: float = 1.0, nb_weight: float = 0.0, nb_alpha: float = 0.05, max_iter: int = 3000
    ) -> None:
        self.C = C
        self.nb_weight = nb_weight
        self.nb_alpha = nb_alpha
        self.max_iter = max_iter

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearBlend:
        y = np.asarray(y)
        lr = LogisticRegression(C=self.C, class_weight="balanced", max_iter=self.max_iter)
        # On these small sparse problems BLAS threads only add contention (10× slower on a busy
        # machine); parallelism, when wanted, comes from n_jobs across folds.
        with threadpool_limits(limits=1, user_api="blas"):
            lr.fit(X, y, sample_weight=sample_weight)
        self.classes_ = lr.classes_
        coef = lr.coef_.ravel().astype(np.float64)
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
    high_fpr: float = 0.01
    low_fpr: float = 0.05
    validation_folds: int = 5


CONFIGS: dict[str, ScorerConfig] = {
    "spam": ScorerConfig(),
    "abuse": ScorerConfig(
        min_df=2, signals_weight=0.0, C=3.0, nb_weight=0.0, high_fpr=0.03, low_fpr=0.10
    ),
}


def build_pipeline(config: ScorerConfig) -> Pipeline:
    parts: list[tuple[str, Any]] = [
        (
            "words",
            TfidfVectorizer(
                preprocessor=normalize_text,
                ngram_range=config.word_ngrams,
                min_df=config.min_df,
                sublinear_tf=True,
                dtype=np.float32,
            ),
        ),
        (
            "chars",
            TfidfVectorizer(
                preprocessor=normalize_text,
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
        parts.append(("signals", RuleSignals(trusted_hosts=config.trusted_hosts)))
        weights["signals"] = config.signals_weight
    return Pipeline(
        [
            ("features", FeatureUnion(parts, transformer_weights=weights)),
            ("model", LinearBlend(C=config.C, nb_weight=config.nb_weight)),
        ]
    )


# --- The scorer -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    high: float
    low: float


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


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


@dataclass
class TextScorer:
    """A trained pipeline, its Platt calibration (``a·d + b``) and its metadata."""

    kind: str
    pipeline: Pipeline
    calibration: tuple[float, float]
    metadata: dict[str, Any] = field(default_factory=dict)

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
        validation = cross_val_predict(
            build_pipeline(config),
            texts,
            y,
            groups=groups,
            cv=folds,
            method="decision_function",
            n_jobs=n_jobs,
        )
        platt = LogisticRegression(C=1e6, max_iter=1000).fit(validation.reshape(-1, 1), y)
        calibration = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        calibrated = _sigmoid(calibration[0] * validation + calibration[1])
        high = threshold_at_fpr(calibrated, y, config.high_fpr)
        low = min(threshold_at_fpr(calibrated, y, config.low_fpr), high)
        pipeline = build_pipeline(config).fit(texts, y)
        metadata = {
            "format": FORMAT,
            "kind": kind,
            # Aware UTC without Django's timezone, so the bench can train without settings.
            "trained_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
            "n_samples": len(texts),
            "n_positive": int((y == 1).sum()),
            "sklearn_version": sklearn.__version__,
            "config": asdict(config),
            "thresholds": {"high": high, "low": low},
            "validation": {
                "folds": folds.get_n_splits(),
                "grouped": groups is not None,
                "auc": float(roc_auc_score(y, validation)),
                "at_high": _rates(calibrated, y, high),
                "at_low": _rates(calibrated, y, low),
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
        return [float(p) for p in _sigmoid(a * self.decision_function(texts) + b)]

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write atomically (a temporary file renamed into place), so a process loading the
        model never reads half a file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "metadata": self.metadata,
            "kind": self.kind,
            "pipeline": self.pipeline,
            "calibration": self.calibration,
        }
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                joblib.dump(payload, fh, compress=3)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; the web server may be another user
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
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


# --- The site's models ----------------------------------------------------------------------


def model_dir() -> Path:
    return Path(getattr(settings, "DATELINE_MODEL_DIR", Path(settings.VAR_DIR) / "models"))


def model_path(kind: str) -> Path:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return model_dir() / f"{kind}.joblib"


def site_config(kind: str) -> ScorerConfig:
    """The configuration for training the site's ``kind`` model: links to the site itself
    (``settings.SITE_URL``) are trusted, not external."""
    config = CONFIGS[kind]
    host = _host(getattr(settings, "SITE_URL", "") or "").split(":")[0]
    if host and host not in config.trusted_hosts:
        config = replace(config, trusted_hosts=(*config.trusted_hosts, host))
    return config


_cache: dict[str, tuple[Path, int, TextScorer]] = {}
_cache_lock = threading.Lock()


def get_scorer(kind: str) -> TextScorer | None:
    """The site's trained scorer for ``kind`` ("spam" or "abuse"), or ``None`` when there is no
    model file (or it cannot be read: logged, the site carries on without it).

    Loaded on first use and kept per process; a file replaced by retraining is picked up on the
    next call (its modification time changed)."""
    path = model_path(kind)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        _cache.pop(kind, None)
        return None
    cached = _cache.get(kind)
    if cached and cached[0] == path and cached[1] == mtime:
        return cached[2]
    with _cache_lock:
        cached = _cache.get(kind)
        if cached and cached[0] == path and cached[1] == mtime:
            return cached[2]
        try:
            scorer = TextScorer.load(path)
        except Exception:
            logger.exception("could not load the %s model from %s", kind, path)
            return None
        _cache[kind] = (path, mtime, scorer)
        return scorer


def clear_scorer_cache() -> None:
    _cache.clear()


# --- Training data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvSource:
    """Labelled examples in CSV files: which column holds the text, which the label, and which
    label values mean spam/abusive (every other value means legitimate)."""

    paths: tuple[Path, ...]
    text_column: str
    label_column: str
    positive: frozenset[str]


def read_labelled_csv(source: CsvSource) -> tuple[list[str], list[int]]:
    """Texts and 0/1 labels from ``source``. Raises :class:`TrainingDataError` naming the file
    (and line) for a missing file or column, an empty label or a file that is not UTF-8."""
    texts: list[str] = []
    labels: list[int] = []
    for path in source.paths:
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = {source.text_column, source.label_column} - set(reader.fieldnames or [])
                if missing:
                    raise TrainingDataError(
                        f"{path}: no column {', '.join(sorted(missing))} "
                        f"(columns: {', '.join(reader.fieldnames or [])})"
                    )
                for row in reader:
                    label = (row[source.label_column] or "").strip()
                    if not label:
                        raise TrainingDataError(f"{path}, line {reader.line_num}: empty label")
                    texts.append(row[source.text_column] or "")
                    labels.append(int(label in source.positive))
        except FileNotFoundError as exc:
            raise TrainingDataError(f"{path}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise TrainingDataError(f"{path}: not UTF-8 ({exc.reason})") from exc
    return texts, labels


def _operator_source(kind: str) -> CsvSource | None:
    """``settings.DATELINE_MODERATION_TRAINING_CSV[kind]``: ``{"paths": [...], "text_column":
    ..., "label_column": ..., "positive": [...]}``, the operator's base data, if configured."""
    configured = getattr(settings, "DATELINE_MODERATION_TRAINING_CSV", {}).get(kind)
    if not configured:
        return None
    paths = configured["paths"]
    return CsvSource(
        paths=tuple(Path(p) for p in ([paths] if isinstance(paths, str | Path) else paths)),
        text_column=configured.get("text_column", "text"),
        label_column=configured.get("label_column", "label"),
        positive=frozenset(str(v) for v in configured.get("positive", ["1"])),
    )


def comment_decisions(kind: str, *, limit: int = 50_000) -> tuple[list[str], list[int]]:
    """What moderators decided, newest first, as training examples (read-only).

    spam: approved → 0, marked as spam → 1. abuse: approved → 0; trashed after the
    abusive-language rule flagged it → 1 (a moderator confirmed the flag).
    """
    from dateline.comments.models import Comment

    status = Comment.Status
    rows = Comment.objects.filter(status__in=[status.APPROVED, status.SPAM, status.TRASH])
    if kind == "spam":
        rows = rows.filter(status__in=[status.APPROVED, status.SPAM])
    texts: list[str] = []
    labels: list[int] = []
    for body, state, reasons in rows.order_by("-pk").values_list(
        "body", "status", "moderation_reasons"
    )[:limit]:
        if state == status.APPROVED:
            label = 0
        elif kind == "spam" or (
            state == status.TRASH
            and any(
                isinstance(r, dict) and r.get("code") == "abusive_language" for r in reasons or []
            )
        ):
            label = 1
        else:
            continue
        texts.append(body)
        labels.append(label)
    return texts, labels


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
