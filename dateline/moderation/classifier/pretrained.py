"""A pretrained offensive-language signal from the package registry, as one feature.

``alt-profanity-check`` (MIT, on PyPI, released in step with scikit-learn) ships a linear model
trained on about 200,000 human-labelled texts, most of them Wikipedia talk-page comments from the
Jigsaw Toxic Comment set: comments written to other people, like a news site's, where our own
labelled data are tweets. Its word TF-IDF and the mean of its five SVMs' decision functions
(``w̄·x + b̄``) become one column beside our n-grams, and the logistic regression learns how much
to trust it (docs/decisions/0054-learned-filters-for-news-comments.md).

The package is read at training time only: the fitted feature keeps a copy of its vectorizer and
weights, so a model file scores without the package installed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin


class PretrainedUnavailable(RuntimeError):
    """alt-profanity-check is not installed (or its model does not have the expected shape)."""


def _profanity_check_model() -> tuple[Any, np.ndarray, float]:
    """(vectorizer, mean SVM weights, mean intercept) of the installed alt-profanity-check."""
    try:
        from profanity_check import profanity_check as package
    except ImportError as exc:  # pragma: no cover - the package is in the lock file
        raise PretrainedUnavailable("alt-profanity-check is not installed") from exc
    try:
        estimators = [c.estimator for c in package.model.calibrated_classifiers_]
        coef = np.mean([e.coef_.ravel() for e in estimators], axis=0).astype(np.float64)
        intercept = float(np.mean([float(np.ravel(e.intercept_)[0]) for e in estimators]))
    except (AttributeError, IndexError, ValueError) as exc:
        raise PretrainedUnavailable(f"unexpected alt-profanity-check model: {exc}") from exc
    if coef.shape[0] != len(package.vectorizer.vocabulary_):
        raise PretrainedUnavailable("alt-profanity-check's model and vectorizer disagree")
    return package.vectorizer, coef, intercept


class PretrainedOffensive(TransformerMixin, BaseEstimator):
    """One column: alt-profanity-check's mean SVM decision for each text (about −3 for plain
    civil text, +1 and up for insults and profanity)."""

    def fit(self, texts: Iterable[str], y: Any = None) -> PretrainedOffensive:
        if not hasattr(self, "vectorizer_"):
            self.vectorizer_, self.coef_, self.intercept_ = _profanity_check_model()
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        matrix = self.vectorizer_.transform(list(texts))
        return (np.asarray(matrix @ self.coef_).ravel() + self.intercept_).reshape(-1, 1)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(["pretrained_offensive"], dtype=object)
