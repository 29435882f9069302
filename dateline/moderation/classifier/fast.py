"""One comment scored without scikit-learn's per-call machinery.

The trained pipeline is linear: TF-IDF blocks (sublinear term frequency, L2-normalised per
block, weighted by the FeatureUnion) and the rule signals, dotted with one weight vector. For a
batch, ``Pipeline.decision_function`` is the right tool. For the one comment a POST scores, its
input validation, joblib dispatch, sparse matrices and their stacking cost about 1.5–2 ms,
against about 0.2 ms for the arithmetic itself (docs/decisions/0052-scoring-one-comment.md).
:func:`compile_linear` reads the fitted pipeline once into plain lookups; :meth:`score` gives
the same number as the pipeline (to float32 rounding, which the pipeline computes in).

A text is cut into terms by the vectorizer's own code, with two shortcuts that change no term
(docs/decisions/0086-one-comment-cut-once.md): the preprocessed text is made once per
preprocessor (a model's word and character blocks share it), and the character n-grams of a
word, already looked up in the vocabulary, are kept per block for the words seen lately.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from .features import RuleSignals, rule_signals
from .pretrained import PretrainedOffensive

# Words whose character n-gram columns a block keeps (then it starts again): a few hundred
# kilobytes per block, and a news site's comments reuse most of their words.
WORD_CACHE = 8192


class _Preprocessed(threading.local):
    """The last text's preprocessed forms, per preprocessor, in this thread: a model's word and
    character blocks read the same preprocessed text, so it is made once."""

    text: str | None = None
    forms: dict[Hashable, str]

    def get(self, preprocess: Callable[[str], str], text: str) -> str:
        if self.text != text:
            self.text, self.forms = text, {}
        found = self.forms.get(preprocess)
        if found is None:
            found = self.forms[preprocess] = preprocess(text)
        return found


_preprocessed = _Preprocessed()


def _word_columns(
    part: TfidfVectorizer, vocabulary: Mapping[str, int]
) -> Callable[[str], list[int]]:
    """A preprocessed text's word n-grams as vocabulary columns (unknown ones left out), in
    the analyzer's order: its own tokenizer, stop words and n-gram code."""
    tokenize = part.build_tokenizer()
    stop_words = part.get_stop_words()
    ngrams = part._word_ngrams
    get = vocabulary.get

    def columns(text: str) -> list[int]:
        return [c for c in map(get, ngrams(tokenize(text), stop_words)) if c is not None]

    return columns


def _char_wb_columns(
    part: TfidfVectorizer, vocabulary: Mapping[str, int]
) -> Callable[[str], list[int]]:
    """A preprocessed text's character n-grams inside words as vocabulary columns, in the
    analyzer's order. The analyzer cuts each word on its own (it splits the text at white space
    first), so its n-grams are scikit-learn's for that word, kept per word."""
    white_spaces = part._white_spaces
    word_ngrams = part._char_wb_ngrams
    get = vocabulary.get
    cache: dict[str, tuple[int, ...]] = {}

    def columns(text: str) -> list[int]:
        found: list[int] = []
        extend = found.extend
        for word in white_spaces.sub(" ", text).split():
            known = cache.get(word)
            if known is None:
                if len(cache) >= WORD_CACHE:
                    cache.clear()
                known = cache[word] = tuple(c for c in map(get, word_ngrams(word)) if c is not None)
            extend(known)
        return found

    return columns


def _analyzed_columns(
    part: TfidfVectorizer, vocabulary: Mapping[str, int]
) -> Callable[[str], list[int]]:
    """Any other analyzer: scikit-learn's whole analyzer, then the vocabulary."""
    analyze = part.build_analyzer()
    get = vocabulary.get

    def columns(text: str) -> list[int]:
        return [c for c in map(get, analyze(text)) if c is not None]

    return columns


def _identity(text: str) -> str:
    return text


# Term frequencies as the vectorizer computes them (1 + log n, sublinear; n otherwise), for the
# counts a comment has; a larger count is computed on the spot.
_TF_COUNTS = 1024
_SUBLINEAR_TF = np.array([0.0, *(1.0 + math.log(n) for n in range(1, _TF_COUNTS))])
_LINEAR_TF = np.arange(_TF_COUNTS, dtype=np.float64)
# From this many distinct terms on, a block's sums are taken with numpy (a character block: about
# 800 for a comment of 400 characters); below it, in a loop.
_VECTOR_TERMS = 64


@dataclass(frozen=True)
class _TfidfBlock:
    preprocess: Callable[[str], str]  # shared per text through _preprocessed
    columns: Callable[[str], list[int]]  # the preprocessed text's known terms, as columns
    idf: array[float]
    weighted_idf: array[float]  # idf × the model's weight of each of this block's columns
    scale: float  # FeatureUnion transformer weight
    sublinear: bool
    # The same two tables seen by numpy (no copy).
    idf_vector: np.ndarray
    weighted_idf_vector: np.ndarray

    def score(self, text: str) -> float:
        # Columns in the order of their terms' first appearance, as the analyzer's terms were
        # counted before, and summed one after the other in that order (np.add.accumulate is
        # sequential, unlike np.sum): the same operations in the same order, so the same float.
        counts = Counter(self.columns(_preprocessed.get(self.preprocess, text)))
        if len(counts) >= _VECTOR_TERMS:
            found = self._score_vector(counts)
            if found is not None:
                return found
        idf, weighted, log, sublinear = self.idf, self.weighted_idf, math.log, self.sublinear
        squares = dot = 0.0
        for column, count in counts.items():
            if count == 1:  # most terms: tf is 1.0, and 1.0 × x is x exactly
                value = idf[column]
                squares += value * value
                dot += weighted[column]
                continue
            tf = 1.0 + log(count) if sublinear else float(count)
            value = tf * idf[column]
            squares += value * value
            dot += tf * weighted[column]
        return self.scale * dot / math.sqrt(squares) if squares else 0.0

    def _score_vector(self, counts: Counter[int]) -> float | None:
        """The loop's sum, in numpy; None when a term is counted more often than the table of
        term frequencies reaches."""
        size = len(counts)
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=size)
        try:
            tf = (_SUBLINEAR_TF if self.sublinear else _LINEAR_TF)[
                np.fromiter(counts.values(), dtype=np.intp, count=size)
            ]
        except IndexError:
            return None
        values = tf * self.idf_vector[columns]
        squares = float(np.add.accumulate(values * values)[-1])
        dot = float(np.add.accumulate(tf * self.weighted_idf_vector[columns])[-1])
        return self.scale * dot / math.sqrt(squares) if squares else 0.0


@dataclass(frozen=True)
class _SignalsBlock:
    trusted_hosts: tuple[str, ...]
    columns: tuple[int, ...]  # which of rule_signals' values the model reads
    weights: array[float]  # already multiplied by the transformer weight

    def score(self, text: str) -> float:
        values = rule_signals(text, self.trusted_hosts, columns=self.columns)
        return sum(v * w for v, w in zip(values, self.weights, strict=True))


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
    vocabulary = part.vocabulary_  # the vectorizer's own (shared, not copied)
    columns: Callable[[str], list[int]]
    preprocess: Callable[[str], str]
    # The word and character analyzers of a text given as it is (not a file name or bytes) are
    # built from these parts; anything else runs the whole analyzer.
    if part.input == "content" and part.analyzer in ("word", "char_wb"):
        preprocess = part.build_preprocessor()
        if part.analyzer == "word":
            columns = _word_columns(part, vocabulary)
        else:
            columns = _char_wb_columns(part, vocabulary)
    else:
        preprocess = _identity
        columns = _analyzed_columns(part, vocabulary)
    idf_table = array("d", idf)
    weighted = array("d", (i * w for i, w in zip(idf, coef, strict=True)))
    return _TfidfBlock(
        preprocess=preprocess,
        columns=columns,
        idf=idf_table,
        weighted_idf=weighted,
        idf_vector=np.frombuffer(idf_table, dtype=np.float64),
        weighted_idf_vector=np.frombuffer(weighted, dtype=np.float64),
        scale=scale,
        sublinear=bool(part.sublinear_tf),
    )
