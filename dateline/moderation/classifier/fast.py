"""One comment scored without scikit-learn's per-call machinery.

The trained pipeline is linear: TF-IDF blocks (sublinear term frequency, L2-normalised per
block, weighted by the FeatureUnion) and the rule signals, dotted with one weight vector. For a
batch, ``Pipeline.decision_function`` is the right tool. For the one comment a POST scores, its
input validation, joblib dispatch, sparse matrices and their stacking cost about 1.5–2 ms,
against about 0.2 ms for the arithmetic itself (docs/decisions/0052-scoring-one-comment.md).
:func:`compile_linear` reads the fitted pipeline once into plain lookups; :meth:`score` gives
the same number as the pipeline (to float32 rounding, which the pipeline computes in).
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from .features import RuleSignals, rule_signals
from .pretrained import PretrainedOffensive


class _Terms(threading.local):
    """The last text's terms per analyzer setting, in this thread: the spam and the abuse
    models cut a comment into the same words and character n-grams, so the second model
    reuses the first one's."""

    text: str | None = None
    counts: dict[Hashable, Counter[str]]

    def get(self, key: Hashable, analyze: Callable[[str], list[str]], text: str) -> Counter[str]:
        if self.text != text:
            self.text, self.counts = text, {}
        found = self.counts.get(key)
        if found is None:
            found = self.counts[key] = Counter(analyze(text))  # counted in C
        return found


_terms = _Terms()


@dataclass(frozen=True)
class _TfidfBlock:
    analyze: Callable[[str], list[str]]
    analysis: Hashable  # the analyzer's settings: equal settings cut a text the same way
    vocabulary: Mapping[str, int]  # the vectorizer's own (shared, not copied)
    idf: array[float]
    weighted_idf: array[float]  # idf × the model's weight of each of this block's columns
    scale: float  # FeatureUnion transformer weight
    sublinear: bool

    def score(self, text: str) -> float:
        vocabulary, idf, weighted, log = self.vocabulary, self.idf, self.weighted_idf, math.log
        squares = dot = 0.0
        for term, count in _terms.get(self.analysis, self.analyze, text).items():
            column = vocabulary.get(term)
            if column is None:
                continue
            tf = 1.0 + log(count) if self.sublinear else float(count)
            value = tf * idf[column]
            squares += value * value
            dot += tf * weighted[column]
        return self.scale * dot / math.sqrt(squares) if squares else 0.0


def _analysis(part: TfidfVectorizer) -> Hashable:
    names = (
        "analyzer",
        "ngram_range",
        "preprocessor",
        "tokenizer",
        "token_pattern",
        "lowercase",
        "strip_accents",
        "stop_words",
        "input",
        "encoding",
        "decode_error",
    )
    values = tuple(getattr(part, name, None) for name in names)
    try:
        hash(values)
    except TypeError:  # a list of stop words, say: never shared
        return ("unshared", id(part))
    return values


@dataclass(frozen=True)
class _SignalsBlock:
    trusted_hosts: tuple[str, ...]
    columns: tuple[int, ...]  # which of rule_signals' values the model reads
    weights: array[float]  # already multiplied by the transformer weight

    def score(self, text: str) -> float:
        values = rule_signals(text, self.trusted_hosts)
        return sum(values[c] * w for c, w in zip(self.columns, self.weights, strict=True))


@dataclass(frozen=True)
class FastLinear:
    blocks: tuple[_TfidfBlock | _SignalsBlock, ...]
    intercept: float

    def decision(self, text: str) -> float:
        return self.intercept + sum(block.score(text) for block in self.blocks)


def compile_linear(pipeline: Any) -> FastLinear | None:
    """The pipeline as plain lookups, or None when it is not one this module understands (then
    the caller keeps using the pipeline)."""
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        return None
    union, model = pipeline.steps[0][1], pipeline.steps[1][1]
    coef = getattr(model, "coef_", None)
    if not isinstance(union, FeatureUnion) or coef is None or not hasattr(model, "intercept_"):
        return None
    coef = array("d", coef.ravel().tolist())
    intercept = float(model.intercept_)
    weights = union.transformer_weights or {}
    blocks: list[_TfidfBlock | _SignalsBlock] = []
    start = 0
    for name, part in union.transformer_list:
        if part == "drop":
            continue
        scale = float(weights.get(name, 1.0))
        if isinstance(part, TfidfVectorizer):
            size = len(part.vocabulary_)
            block = _tfidf_block(part, scale, coef[start : start + size])
            if block is None:
                return None
            blocks.append(block)
        elif isinstance(part, RuleSignals):
            size = len(part.get_feature_names_out())
            blocks.append(
                _SignalsBlock(
                    trusted_hosts=tuple(part.trusted_hosts),
                    columns=tuple(part.columns()),
                    weights=array("d", (scale * w for w in coef[start : start + size])),
                )
            )
        elif isinstance(part, PretrainedOffensive):
            # One column, itself linear in its own TF-IDF: w·(v̄·x + b̄) = (w·v̄)·x + w·b̄.
            size = 1
            weight = scale * coef[start]
            block = _tfidf_block(part.vectorizer_, weight, part.coef_.tolist())
            if block is None:
                return None
            blocks.append(block)
            intercept += weight * part.intercept_
        else:
            return None
        start += size
    if start != len(coef):
        return None
    return FastLinear(blocks=tuple(blocks), intercept=intercept)


def _tfidf_block(part: TfidfVectorizer, scale: float, coef: Any) -> _TfidfBlock | None:
    """A TF-IDF vectorizer and its columns' weights as lookups; None for settings this module
    does not compute (no idf, another norm, binary counts)."""
    if not (part.use_idf and part.norm == "l2" and not part.binary):
        return None
    idf = part.idf_.tolist()
    return _TfidfBlock(
        analyze=part.build_analyzer(),
        analysis=_analysis(part),
        vocabulary=part.vocabulary_,
        idf=array("d", idf),
        weighted_idf=array("d", (i * w for i, w in zip(idf, coef, strict=True))),
        scale=scale,
        sublinear=bool(part.sublinear_tf),
    )
