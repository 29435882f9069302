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

The package: ``features`` (text and rule signals), ``model`` (the scorer), ``storage`` (the
site's model files), ``corpora`` (the base corpora and their recipes), ``data`` (training data,
moderators' decisions), ``judging`` (a model's figures on a validation set, champion/challenger),
``registry`` (the live model, earlier versions, rollback, history) and ``training`` (retraining
from moderators' decisions). Everything is importable from here, as before the split; model
files pickled before it still load (their classes are found under this name).
"""

from __future__ import annotations

from .corpora import CsvSource, read_labelled_csv
from .data import comment_decisions, decision_examples
from .features import (
    SIGNAL_NAMES,
    RuleSignals,
    normalize_text,
    plain_text,
    rule_signals,
)
from .model import (
    CONFIGS,
    FORMAT,
    KINDS,
    SEED,
    LinearBlend,
    ScorerConfig,
    TextScorer,
    Thresholds,
    TrainingDataError,
    build_pipeline,
    load,
    threshold_at_fpr,
    train,
)
from .registry import RollbackError, filter_rollback, install_base_model
from .storage import clear_scorer_cache, get_scorer, model_dir, model_path, site_config
from .training import RetrainOutcome, filter_retrain

__all__ = [
    "CONFIGS",
    "FORMAT",
    "KINDS",
    "SEED",
    "SIGNAL_NAMES",
    "CsvSource",
    "LinearBlend",
    "RetrainOutcome",
    "RollbackError",
    "RuleSignals",
    "ScorerConfig",
    "TextScorer",
    "Thresholds",
    "TrainingDataError",
    "build_pipeline",
    "clear_scorer_cache",
    "comment_decisions",
    "decision_examples",
    "filter_retrain",
    "filter_rollback",
    "get_scorer",
    "install_base_model",
    "load",
    "model_dir",
    "model_path",
    "normalize_text",
    "plain_text",
    "read_labelled_csv",
    "rule_signals",
    "site_config",
    "threshold_at_fpr",
    "train",
]
