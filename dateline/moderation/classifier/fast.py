"""One comment scored without scikit-learn's per-call machinery.

The trained pipeline is linear: TF-IDF blocks (sublinear term frequency, L2-normalised per
block, weighted by the FeatureUnion) and the rule signals, dotted with one weight vector. For a
batch, ``Pipeline.decision_function`` is the right tool. For the one comment a POST scores, its
input validation, joblib dispatch, sparse matrices and their stacking cost about 1.5–2 ms,
against about 0.2 ms for the arithmetic itself (docs/decisions/0052-scoring-one-comment.md).
:func:`compile_linear` reads the fitted pipeline once into plain lookups; :meth:`score` gives
the same number as the pipeline (to float32 rounding, which the pipeline computes in).

A text is cut into terms by the vectorizer's own code, with shortcuts that change no term
(docs/decisions/0086-one-comment-cut-once.md): the preprocessed text is made once per
preprocessor (a model's word and character blocks share it), and the character n-grams of a
word, already looked up, are kept for the words seen lately. The blocks that cut text the same
way (the spam and the abuse model's word blocks; their character blocks) number their terms
together, so a text both models preprocess alike is cut, looked up and counted once for both
(docs/decisions/0092-one-count-for-both-models.md).
"""

from __future__ import annotations

import itertools
import math
import threading
import weakref
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

# Words whose character n-grams' numbers an analysis keeps (then it starts again): a few hundred
# kilobytes, and a news site's comments reuse most of their words.
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


class _Index:
    """Every term the live blocks of one analysis know, numbered once, and each block's column
    for each number (-1: a term the block does not know). Made anew when a block joins; never
    changed after, but for the words it keeps."""

    def __init__(self, members: list[tuple[int, Mapping[str, int]]]) -> None:
        ids: dict[str, int] = {}
        for _serial, vocabulary in members:
            if not ids and _numbered_from_zero(vocabulary):
                # The first vocabulary's own numbers (and their int objects): a copy, not a loop.
                ids = dict(vocabulary)
                continue
            for term in vocabulary:
                if term not in ids:
                    ids[term] = len(ids)
        self.ids = ids
        # Each block's columns by number, 32 bits (half the memory of numpy's default).
        self.columns: dict[int, np.ndarray] = {}
        for serial, vocabulary in members:
            mapping = np.full(len(ids), -1, dtype=np.int32)
            mapping[np.fromiter(map(ids.__getitem__, vocabulary), np.intp, len(vocabulary))] = (
                np.fromiter(vocabulary.values(), np.intp, len(vocabulary))
            )
            self.columns[serial] = mapping
        # A word's character n-grams as numbers (char_wb), for the last WORD_CACHE words.
        self.words: dict[str, tuple[int, ...]] = {}


def _numbered_from_zero(vocabulary: Mapping[str, int]) -> bool:
    """Whether the vocabulary's columns are 0, 1, … n − 1 (a fitted vectorizer's are)."""
    columns = vocabulary.values()
    return len(set(columns)) == len(vocabulary) and (
        not columns or (min(columns) == 0 and max(columns) == len(vocabulary) - 1)
    )


class _Counted(threading.local):
    """The last preprocessed text an analysis counted in this thread, and its counts."""

    index: _Index | None = None
    text: str | None = None
    ids: np.ndarray
    counts: np.ndarray


_serials = itertools.count()


class _Member:
    """A block's place in an analysis: its serial there, for as long as the block lives."""

    def __init__(self, analysis: _Analysis, serial: int) -> None:
        self.analysis = analysis
        self.serial = serial


class _Analysis:
    """One way of cutting a preprocessed text into terms: word n-grams of one tokenizer, stop
    words and range, or character n-grams inside words of one range (the vectorizer's own
    code). The blocks that cut text this way (the spam and the abuse model's word blocks, their
    character blocks) share one numbering of their terms, so a text both preprocess alike (no
    link, no ``@name``) is cut, looked up and counted once for both models
    (docs/decisions/0092). Each block still reads its own columns, in the order of their first
    appearance, with the same counts: the same sums in the same order as its own count."""

    def __init__(self, part: TfidfVectorizer) -> None:
        self.analyzer = part.analyzer
        # A fresh, unfitted vectorizer with the same settings: its methods, without keeping a
        # model's vocabulary alive.
        cutter = TfidfVectorizer(
            analyzer=part.analyzer,
            ngram_range=part.ngram_range,
            token_pattern=part.token_pattern,
            tokenizer=part.tokenizer,
            stop_words=part.stop_words,
        )
        self._tokenize = cutter.build_tokenizer() if part.analyzer == "word" else None
        self._stop_words = cutter.get_stop_words()
        self._word_ngrams = cutter._word_ngrams
        self._char_wb_ngrams = cutter._char_wb_ngrams
        self._white_spaces = cutter._white_spaces
        self._members: dict[int, tuple[weakref.ref[Any], Mapping[str, int]]] = {}
        self._lock = threading.Lock()
        self._counted = _Counted()
        self.index = _Index([])

    @staticmethod
    def key(part: TfidfVectorizer) -> Hashable:
        """What decides the terms of a preprocessed text (the preprocessor is not part of it:
        blocks share a count only for the same preprocessed string)."""
        if part.analyzer == "word":
            stop_words = part.get_stop_words()
            return (
                "word",
                tuple(part.ngram_range),
                part.token_pattern if part.tokenizer is None else part.tokenizer,
                frozenset(stop_words) if stop_words is not None else None,
            )
        return (part.analyzer, tuple(part.ngram_range))

    def join(self, vocabulary: Mapping[str, int]) -> _Member:
        """Number ``vocabulary``'s terms with those of the other live blocks. The block keeps
        the membership; when it is collected, the next block to join leaves it out."""
        with self._lock:
            member = _Member(self, next(_serials))
            members = {s: m for s, m in self._members.items() if m[0]() is not None}
            members[member.serial] = (weakref.ref(member), vocabulary)
            self._members = members
            self.index = _Index([(s, m[1]) for s, m in members.items()])
        return member

    def count(self, text: str) -> tuple[_Index, np.ndarray, np.ndarray]:
        """The known terms of a preprocessed text, as (index, numbers in the order of their
        first appearance, how often each appears); the last text's kept per thread."""
        counted, index = self._counted, self.index
        if counted.index is not index or counted.text != text:
            counts = Counter(self._ids(index, text))
            size = len(counts)
            counted.ids = np.fromiter(counts.keys(), np.intp, size)
            counted.counts = np.fromiter(counts.values(), np.intp, size)
            counted.index, counted.text = index, text
        return index, counted.ids, counted.counts

    def _ids(self, index: _Index, text: str) -> list[int]:
        """The known terms' numbers, in the analyzer's order."""
        get = index.ids.get
        if self._tokenize is not None:
            ngrams = self._word_ngrams(self._tokenize(text), self._stop_words)
            return [i for i in map(get, ngrams) if i is not None]
        found: list[int] = []
        extend, words, word_ngrams = found.extend, index.words, self._char_wb_ngrams
        for word in self._white_spaces.sub(" ", text).split():
            known = words.get(word)
            if known is None:
                if len(words) >= WORD_CACHE:
                    words.clear()
                known = words[word] = tuple(i for i in map(get, word_ngrams(word)) if i is not None)
            extend(known)
        return found


_analyses: dict[Hashable, _Analysis] = {}
_analyses_lock = threading.Lock()


def _analysis(part: TfidfVectorizer) -> _Analysis:
    key = _Analysis.key(part)
    with _analyses_lock:
        found = _analyses.get(key)
        if found is None:
            found = _analyses[key] = _Analysis(part)
        return found


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
    # Word and character n-grams: the analysis shared with the other blocks that cut text
    # the same way; any other analyzer: its own known terms as columns.
    member: _Member | None
    analyzed: Callable[[str], list[int]] | None
    idf: array[float]
    weighted_idf: array[float]  # idf × the model's weight of each of this block's columns
    scale: float  # FeatureUnion transformer weight
    sublinear: bool
    # The same two tables seen by numpy (no copy).
    idf_vector: np.ndarray
    weighted_idf_vector: np.ndarray

    def columns(self, text: str) -> list[int]:
        """A preprocessed text's known terms as this block's columns, in the analyzer's
        order."""
        if self.member is None:
            assert self.analyzed is not None
            return self.analyzed(text)
        analysis = self.member.analysis
        index = analysis.index
        mapping = index.columns[self.member.serial]
        return [c for c in mapping[analysis._ids(index, text)].tolist() if c >= 0]

    def score(self, text: str) -> float:
        # Columns in the order of their terms' first appearance, as the analyzer's terms were
        # counted before, and summed one after the other in that order (np.add.accumulate is
        # sequential, unlike np.sum): the same operations in the same order, so the same float.
        preprocessed = _preprocessed.get(self.preprocess, text)
        if self.member is None:
            assert self.analyzed is not None
            found = Counter(self.analyzed(preprocessed))
            size = len(found)
            columns = np.fromiter(found.keys(), np.intp, size)
            counts = np.fromiter(found.values(), np.intp, size)
        else:
            # The terms every block of the analysis knows, counted once per text; this
            # block's are those its table numbers (the others' columns are -1), in the same
            # order of first appearance, with the same counts.
            index, ids, counts = self.member.analysis.count(preprocessed)
            columns = index.columns[self.member.serial][ids]
            known = columns >= 0
            columns, counts = columns[known], counts[known]
        if len(columns) >= _VECTOR_TERMS:
            vector = self._score_vector(columns, counts)
            if vector is not None:
                return vector
        idf, weighted, log, sublinear = self.idf, self.weighted_idf, math.log, self.sublinear
        squares = dot = 0.0
        for column, count in zip(columns.tolist(), counts.tolist(), strict=True):
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

    def _score_vector(self, columns: np.ndarray, counts: np.ndarray) -> float | None:
        """The loop's sum, in numpy; None when a term is counted more often than the table of
        term frequencies reaches."""
        try:
            tf = (_SUBLINEAR_TF if self.sublinear else _LINEAR_TF)[counts]
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
    preprocess: Callable[[str], str]
    member: _Member | None = None
    analyzed: Callable[[str], list[int]] | None = None
    # The word and character analyzers of a text given as it is (not a file name or bytes) are
    # built from these parts; anything else runs the whole analyzer.
    if part.input == "content" and part.analyzer in ("word", "char_wb"):
        preprocess = part.build_preprocessor()
        member = _analysis(part).join(vocabulary)
    else:
        preprocess = _identity
        analyzed = _analyzed_columns(part, vocabulary)
    idf_table = array("d", idf)
    weighted = array("d", (i * w for i, w in zip(idf, coef, strict=True)))
    return _TfidfBlock(
        preprocess=preprocess,
        member=member,
        analyzed=analyzed,
        idf=idf_table,
        weighted_idf=weighted,
        idf_vector=np.frombuffer(idf_table, dtype=np.float64),
        weighted_idf_vector=np.frombuffer(weighted, dtype=np.float64),
        scale=scale,
        sublinear=bool(part.sublinear_tf),
    )
