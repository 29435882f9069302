from __future__ import annotations

import math
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sklearn.metrics import roc_auc_score

from dateline.moderation.classifier import (
    CONFIGS,
    SIGNAL_NAMES,
    CsvSource,
    TextScorer,
    TrainingDataError,
    get_scorer,
    read_labelled_csv,
    rule_signals,
)
from dateline.moderation.classifier.features import link_shape_tokens, normalize_link_shapes

from .conftest import ABUSE_CSV, SPAM_CSV, read_fixture

CRYPTO_SPAM = (
    "Turn 100 into 5000 in a week with this crypto bot!!! Join now https://moon-profit.xyz"
)
OPINION = "I think the council was right to delay the vote until the budget figures are published."


def test_spam_scorer_ranks_a_crypto_link_above_a_reader_opinion(spam_scorer: TextScorer) -> None:
    spam, ham = spam_scorer.score([CRYPTO_SPAM, OPINION])
    assert spam > ham
    assert spam > 0.5 > ham


def test_abuse_scorer_ranks_an_insult_above_a_polite_disagreement(abuse_scorer: TextScorer) -> None:
    insult, polite = abuse_scorer.score(
        ["You are a clueless idiot, shut up.", "I respectfully disagree with the columnist."]
    )
    assert insult > polite


def test_scores_are_probabilities_one_per_text(spam_scorer: TextScorer) -> None:
    scores = spam_scorer.score(["", "hello", OPINION, CRYPTO_SPAM])
    assert len(scores) == 4
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert spam_scorer.score([]) == []


def test_training_stores_thresholds_and_metadata(spam_scorer: TextScorer) -> None:
    meta = spam_scorer.metadata
    assert meta["kind"] == "spam"
    assert meta["n_samples"] == 89
    assert meta["sklearn_version"]
    assert meta["trained_at"].endswith("+00:00")
    assert 0.0 <= spam_scorer.thresholds.low <= spam_scorer.thresholds.high <= 1.0


def test_saved_model_gives_the_same_scores_after_loading(
    spam_scorer: TextScorer, tmp_path: Path
) -> None:
    texts = [CRYPTO_SPAM, OPINION, "", "ümlaut <b>tags</b> &amp; entities"]
    path = spam_scorer.save(tmp_path / "nested" / "spam.joblib")
    loaded = TextScorer.load(path)
    assert loaded.score(texts) == spam_scorer.score(texts)
    assert loaded.metadata == spam_scorer.metadata
    assert [p.name for p in path.parent.iterdir()] == ["spam.joblib"]  # no temporary left
    assert path.stat().st_mode & 0o777 == 0o644  # readable by the web server's user


def test_loading_a_file_that_is_not_a_model_fails_clearly(tmp_path: Path) -> None:
    import joblib

    joblib.dump({"something": "else"}, tmp_path / "spam.joblib")
    with pytest.raises(ValueError, match="not a Dateline model file"):
        TextScorer.load(tmp_path / "spam.joblib")


def test_training_needs_both_classes() -> None:
    with pytest.raises(TrainingDataError, match="two examples of each class"):
        TextScorer.train(["buy now", "cheap pills", "free money"], [1, 1, 1], kind="spam")


def test_get_scorer_returns_none_without_a_model_file(settings, tmp_path: Path) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path
    assert get_scorer("spam") is None
    assert get_scorer("abuse") is None


def test_get_scorer_loads_once_and_picks_up_a_retrained_file(
    settings, tmp_path: Path, trained_model_dir: Path, spam_scorer: TextScorer
) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path
    spam_scorer.save(tmp_path / "spam.joblib")
    first = get_scorer("spam")
    assert first is not None
    assert get_scorer("spam") is first
    spam_scorer.save(tmp_path / "spam.joblib")
    stat = (tmp_path / "spam.joblib").stat()
    os.utime(tmp_path / "spam.joblib", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = get_scorer("spam")
    assert second is not None and second is not first


def test_get_scorer_survives_a_broken_model_file(settings, tmp_path: Path) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path
    (tmp_path / "spam.joblib").write_bytes(b"not a pickle")
    assert get_scorer("spam") is None


def test_youtube_model_trained_on_one_video_ranks_another_well(shared_data: Path) -> None:
    folder = shared_data / "youtube-spam-collection"

    def video(name: str) -> tuple[list[str], list[int]]:
        return read_labelled_csv(CsvSource((folder / name,), "CONTENT", "CLASS", frozenset({"1"})))

    scorer = TextScorer.train(*video("Youtube01-Psy.csv"), kind="spam")
    texts, labels = video("Youtube02-KatyPerry.csv")
    assert roc_auc_score(labels, scorer.score(texts)) > 0.9


def test_nbsvm_scaling_is_folded_into_one_linear_model() -> None:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    from dateline.moderation.classifier import LinearBlend

    rng = np.random.default_rng(0)
    X = csr_matrix(rng.random((60, 8)) * (rng.random((60, 8)) > 0.5))
    y = (np.asarray(X[:, 0].todense()).ravel() + rng.random(60) * 0.3 > 0.4).astype(int)
    model = LinearBlend(C=1.0, nb_scale=True).fit(X, y)
    present = (X > 0).toarray()
    p = 1.0 + present[y == 1].sum(0)
    q = 1.0 + present[y == 0].sum(0)
    ratio = np.log(p / p.sum()) - np.log(q / q.sum())
    lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
    lr.fit(X.multiply(ratio).tocsr(), y)
    expected = lr.decision_function(X.multiply(ratio).tocsr())
    assert np.allclose(model.decision_function(X), expected, atol=1e-6)


ODD_TEXTS = [
    "",
    "   ",
    "A reader's view: the harbour wall vote was closer than the council admits.",
    "FREE MONEY!!! visit http://win.example/now and http://win.example/again",
    "ｃａｓｉｎｏ ＢＯＮＵＳ",
    "<b>bold &amp; markup</b> \u200bzero\u200bwidth",
    "soooooo goooood",
    "مرحبا بالجميع",
    "words that the model never saw: zyxwv qwertz",
    # Unicode: case, ligatures, combining marks, spaces other than the ASCII one.
    "İstanbul ǅemal ﬃ ẞ straße e\u0301 \u00e9 ΑΒΓ Жизнь שלום",
    "no\u00a0break\u2003em\u3000ideographic\x1cfile\u2028line",
    "🙂🙂🙂 😡!!! ¡¿",
    "中文评论没有空格" * 40,
    # Links: shapes, hosts, a handle, an address.
    "See https://www.bbc.co.uk/news/articles/c4g7 and www.casino.xyz/ref/XY12ab now",
    "@Sam_99 you're right, write to info@casino-prizes.com "
    + " ".join(f"https://win{n}.top/r/{n}Ab9x" for n in range(30)),
    # Very long, and one word counted more often than the fast path's table of frequencies.
    "The council's budget vote, again. " * 400,
    "word " * 3000,
    "x" * 20_000,
]


@pytest.fixture(scope="module")
def shipped_abuse_scorer() -> TextScorer:
    """The fixture trained with the site's own abuse configuration (pretrained feature, base
    rate, thresholds on civil sources)."""
    return TextScorer.train(*read_fixture(ABUSE_CSV), kind="abuse")


@pytest.mark.parametrize("which", ["spam_scorer", "abuse_scorer", "shipped_abuse_scorer"])
def test_one_comment_scores_the_same_without_the_pipeline(request, which: str) -> None:
    """The single-comment path (classifier.fast) gives the pipeline's own numbers."""
    from dateline.moderation.classifier.fast import compile_linear

    scorer: TextScorer = request.getfixturevalue(which)
    texts = [*ODD_TEXTS, *read_fixture(SPAM_CSV)[0], *read_fixture(ABUSE_CSV)[0]]
    assert compile_linear(scorer.pipeline) is not None
    assert scorer._fast_linear() is not None

    batch = scorer.score(texts)  # more than FAST_BATCH: the pipeline
    one_by_one = [scorer.score([text])[0] for text in texts]

    assert len(texts) > 8
    assert one_by_one == pytest.approx(batch, abs=1e-6)


@pytest.mark.parametrize("which", ["spam_scorer", "shipped_abuse_scorer"])
def test_the_fast_path_cuts_a_text_into_scikit_learns_terms(
    request, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    """Each block finds the terms the vectorizer's own analyzer finds, in the same order (the
    order of the sums, so the very same float), also for a word seen before (kept per word)
    and after the kept words were dropped."""
    from dateline.moderation.classifier import fast
    from dateline.moderation.classifier.fast import _TfidfBlock, compile_linear

    scorer: TextScorer = request.getfixturevalue(which)
    compiled = compile_linear(scorer.pipeline)
    assert compiled is not None
    union = scorer.pipeline.named_steps["features"]
    vectorizers = [
        getattr(part, "vectorizer_", part)
        for _name, part in union.transformer_list
        if hasattr(part, "vocabulary_") or hasattr(part, "vectorizer_")
    ]
    blocks = [b for b in compiled.blocks if isinstance(b, _TfidfBlock)]
    assert len(blocks) == len(vectorizers) >= 2
    texts = [*ODD_TEXTS, *read_fixture(SPAM_CSV)[0], *read_fixture(ABUSE_CSV)[0]]
    for block, vectorizer in zip(blocks, vectorizers, strict=True):
        analyze, vocabulary = vectorizer.build_analyzer(), vectorizer.vocabulary_
        for text in [*texts, *texts]:
            expected = [vocabulary[t] for t in analyze(text) if t in vocabulary]
            assert block.columns(block.preprocess(text)) == expected
    monkeypatch.setattr(fast, "WORD_CACHE", 3)  # the kept words dropped every few words
    for block, vectorizer in zip(blocks, vectorizers, strict=True):
        analyze, vocabulary = vectorizer.build_analyzer(), vectorizer.vocabulary_
        for text in texts:
            expected = [vocabulary[t] for t in analyze(text) if t in vocabulary]
            assert block.columns(block.preprocess(text)) == expected


def _counted_alone(compiled: Any, union: Any) -> Any:
    """``compiled`` with each n-gram block counting its own columns through the vectorizer's
    whole analyzer (a Counter of its own terms), as before the blocks shared their counts."""
    from dataclasses import replace as replace_block

    from dateline.moderation.classifier.fast import (
        FastLinear,
        _analyzed_columns,
        _identity,
        _TfidfBlock,
    )

    vectorizers = iter(
        getattr(part, "vectorizer_", part)
        for _name, part in union.transformer_list
        if hasattr(part, "vocabulary_") or hasattr(part, "vectorizer_")
    )
    blocks = []
    for block in compiled.blocks:
        if isinstance(block, _TfidfBlock):
            vectorizer = next(vectorizers)
            block = replace_block(
                block,
                preprocess=_identity,
                member=None,
                analyzed=_analyzed_columns(vectorizer, vectorizer.vocabulary_),
            )
        blocks.append(block)
    return FastLinear(blocks=tuple(blocks), intercept=compiled.intercept)


def test_the_two_models_count_a_text_once_and_score_it_as_each_alone(
    spam_scorer: TextScorer, shipped_abuse_scorer: TextScorer
) -> None:
    """The spam and the abuse model's word blocks share one numbering of their terms, and so do
    their character blocks: a text both preprocess alike is cut and counted once. Every score is
    the very float each model gives counting its own terms, whichever model scores first, for
    texts with and without links, ``@name``s, markup and odd Unicode."""
    from dateline.moderation.classifier.fast import _TfidfBlock, compile_linear

    spam = compile_linear(spam_scorer.pipeline)
    abuse = compile_linear(shipped_abuse_scorer.pipeline)
    assert spam is not None and abuse is not None
    spam_blocks = [b for b in spam.blocks if isinstance(b, _TfidfBlock)]
    abuse_blocks = [b for b in abuse.blocks if isinstance(b, _TfidfBlock)]
    assert spam_blocks[0].member is not None and abuse_blocks[0].member is not None
    assert spam_blocks[1].member is not None and abuse_blocks[1].member is not None
    # Words with words, characters with characters; the pretrained block cuts its own way.
    assert spam_blocks[0].member.analysis is abuse_blocks[0].member.analysis
    assert spam_blocks[1].member.analysis is abuse_blocks[1].member.analysis
    assert spam_blocks[0].member.analysis is not spam_blocks[1].member.analysis
    assert abuse_blocks[2].member is not None
    assert abuse_blocks[2].member.analysis is not abuse_blocks[0].member.analysis
    spam_alone = _counted_alone(spam, spam_scorer.pipeline.named_steps["features"])
    abuse_alone = _counted_alone(abuse, shipped_abuse_scorer.pipeline.named_steps["features"])
    texts = [
        *ODD_TEXTS,
        "@Sam_99 you're right",
        "Read https://www.bbc.co.uk/news/x — or not",
        *read_fixture(SPAM_CSV)[0],
        *read_fixture(ABUSE_CSV)[0],
    ]
    expected = {text: (spam_alone.decision(text), abuse_alone.decision(text)) for text in texts}
    assert len({pair for pair in expected.values()}) > len(texts) // 2  # scores that tell apart
    for text in texts:  # spam first
        assert (spam.decision(text), abuse.decision(text)) == expected[text], text
    for text in reversed(texts):  # abuse first
        found_abuse = abuse.decision(text)
        assert (spam.decision(text), found_abuse) == expected[text], text
    for text in texts:  # one model alone, texts one after the other
        assert abuse.decision(text) == expected[text][1], text


def test_threads_scoring_at_once_each_get_their_own_texts_count(
    spam_scorer: TextScorer, shipped_abuse_scorer: TextScorer
) -> None:
    """The last count is kept per thread: server threads scoring different comments at once
    (the shipped server runs eight per worker) never read each other's."""
    import random
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from dateline.moderation.classifier.fast import compile_linear

    spam = compile_linear(spam_scorer.pipeline)
    abuse = compile_linear(shipped_abuse_scorer.pipeline)
    assert spam is not None and abuse is not None
    texts = [*ODD_TEXTS[:12], *read_fixture(SPAM_CSV)[0], *read_fixture(ABUSE_CSV)[0]]
    expected = {text: (spam.decision(text), abuse.decision(text)) for text in texts}

    def score_all(seed: int) -> list[str]:
        order = random.Random(seed).sample(texts, len(texts))
        wrong = []
        for text in order * 3:
            found = (abuse.decision(text), spam.decision(text))[::-1]
            if found != expected[text]:
                wrong.append(text)
        return wrong

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # threads take turns within a score, not only between them
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(score_all, range(4)))
    finally:
        sys.setswitchinterval(interval)
    assert results == [[], [], [], []]


def test_a_model_replaced_by_another_leaves_the_shared_numbering(
    spam_scorer: TextScorer,
) -> None:
    """A retrained model's blocks join the numbering; those of the model it replaced leave it
    once they are collected, so the numbering does not grow with every retraining."""
    import gc

    from dateline.moderation.classifier.fast import _TfidfBlock, compile_linear

    first = compile_linear(spam_scorer.pipeline)
    assert first is not None
    block = next(b for b in first.blocks if isinstance(b, _TfidfBlock))
    assert block.member is not None
    analysis, serial = block.member.analysis, block.member.serial
    assert serial in analysis.index.columns
    del first, block
    gc.collect()
    second = compile_linear(spam_scorer.pipeline)
    assert second is not None
    assert serial not in analysis.index.columns
    assert any(
        isinstance(b, _TfidfBlock)
        and b.member is not None
        and b.member.serial in analysis.index.columns
        for b in second.blocks
    )


def test_the_rule_signals_a_model_reads_are_those_of_the_full_list() -> None:
    from dateline.moderation.classifier import SIGNAL_NAMES, rule_signals

    for text in ODD_TEXTS:
        full = rule_signals(text, ("youtube.com",))
        assert len(full) == len(SIGNAL_NAMES)
        for columns in [(2, 3, 6, 7, 8, 9, 10, 11), (1,), (11, 0, 5)]:
            part = rule_signals(text, ("youtube.com",), columns=columns)
            assert part == [full[c] for c in columns]


def _normalised_step_by_step(text: str, links: str) -> str:
    """The normalisers as written before their steps were shared (decision 0088)."""
    from dateline.moderation.classifier import features as f

    replace_link: Any = {
        "token": f._url_token,
        "hosts": f._host_token,
        "shape": f._shape_token,
        "drop": " ",
    }[links]
    plain = f.plain_text(text)
    if links == "shape":
        plain = f.without_handles(plain)
    text = f._URL.sub(replace_link, plain)
    text = f._RUN.sub(r"\1\1\1", text)
    return f._SPACE.sub(" ", text).strip().lower()


def test_the_normalisers_share_their_steps_without_changing_a_text() -> None:
    """Each model's preprocessing and the rule signals ask shared steps (links found once, runs
    cut once) about the same string; whatever the order of the calls, every normaliser gives
    the text it gave when it ran each step itself, and the signals the same counts."""
    import random

    from dateline.moderation.classifier import features as f

    normalisers = {
        "token": f.normalize_text,
        "hosts": f.normalize_link_hosts,
        "shape": f.normalize_link_shapes,
        "drop": f.normalize_without_links,
    }
    texts = [*ODD_TEXTS, *read_fixture(SPAM_CSV)[0], *read_fixture(ABUSE_CSV)[0]]
    rng = random.Random(88)
    for text in [*texts, *reversed(texts)]:
        kinds = list(normalisers)
        rng.shuffle(kinds)
        for kind in kinds:
            assert normalisers[kind](text) == _normalised_step_by_step(text, kind), (kind, text)
        repeats = rule_signals(text)[SIGNAL_NAMES.index("repeats")]
        assert repeats == min(len(f._RUN.findall(f.plain_text(text))), 5) / 5


def test_the_signals_folded_to_lower_case_find_what_the_case_insensitive_expressions_find() -> None:
    """The signals' case-insensitive expressions run case-sensitively on the folded text
    (decision 0088). The proof, piece by piece: every piece the expressions are made of (read
    from Python's own parse of them) matches each Unicode character case-insensitively exactly
    when it matches the character's fold case-sensitively; the engine then takes the same path
    through both, so the matches are the same."""
    import re
    import sys
    from re import _constants as c
    from re import _parser

    from dateline.moderation.classifier import features as f

    everything = "".join(chr(n) for n in range(sys.maxunicode + 1) if not 0xD800 <= n <= 0xDFFF)
    # One character for one (str.lower is one for one once "İ" is folded; a final sigma reads
    # as "ς", a word character like "σ", so the character folded alone is enough).
    folded = "".join(f._folded(ch) for ch in everything)
    assert len(folded) == len(everything)
    assert f._folded("ΑΣ Σ") == "ας σ"

    def positions(pattern: str, text: str, flags: int = 0) -> list[int]:
        return [m.start() for m in re.finditer(pattern, text, flags)]

    literals: set[int] = set()
    categories: set[Any] = set()

    def pieces(parsed: Any) -> None:
        for op, av in parsed:
            if op is c.LITERAL:
                literals.add(av)
            elif op is c.IN:
                for member, value in av:
                    assert member in (c.LITERAL, c.CATEGORY), member  # else: check it here
                    (literals.add if member is c.LITERAL else categories.add)(value)
            elif op is c.BRANCH:
                for branch in av[1]:
                    pieces(branch)
            elif op is c.SUBPATTERN:
                pieces(av[-1])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                pieces(av[2])
            elif op is c.AT:
                assert av in (c.AT_BOUNDARY, c.AT_NON_BOUNDARY), av  # word classes, below
            else:
                raise AssertionError(f"{op} in a folded signal: add its check here")

    for expression, folded_expression in f._FOLDED_SIGNALS.items():
        assert expression.flags & re.IGNORECASE
        assert not folded_expression.flags & re.IGNORECASE
        assert expression.pattern == folded_expression.pattern == expression.pattern.lower()
        pieces(_parser.parse(expression.pattern, expression.flags))
    assert len(literals) > 30 and categories
    for code in sorted(literals):
        piece = re.escape(chr(code))
        assert positions(piece, everything, re.IGNORECASE) == positions(piece, folded), chr(code)
    for pattern in (r"\w", r"\d", r"\s"):  # the categories and what a word boundary reads
        assert positions(pattern, everything) == positions(pattern, folded), pattern
    assert {str(category) for category in categories} <= {
        "CATEGORY_WORD",
        "CATEGORY_DIGIT",
        "CATEGORY_SPACE",
    }


def test_one_comment_scores_the_same_twice_in_a_row_and_between_others(
    spam_scorer: TextScorer, shipped_abuse_scorer: TextScorer
) -> None:
    """What is kept between scores (the last text's preprocessing, the words' n-grams) never
    leaks from one text into the next."""
    texts = ODD_TEXTS[2:8]
    alone = {
        scorer.kind: [scorer.score([t])[0] for t in texts]
        for scorer in (spam_scorer, shipped_abuse_scorer)
    }
    for text, expected_spam, expected_abuse in zip(
        reversed(texts), reversed(alone["spam"]), reversed(alone["abuse"]), strict=True
    ):
        assert spam_scorer.score([text])[0] == expected_spam
        assert shipped_abuse_scorer.score([text])[0] == expected_abuse
        assert spam_scorer.score([text])[0] == expected_spam


def test_a_pipeline_the_fast_path_does_not_know_falls_back_to_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from dateline.moderation.classifier.fast import compile_linear

    texts, labels = read_fixture(SPAM_CSV)
    pipeline = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(texts, labels)
    scorer = TextScorer(kind="spam", pipeline=pipeline, calibration=(1.0, 0.0))

    assert compile_linear(pipeline) is None
    assert scorer._fast_linear() is None
    (score,) = scorer.score([CRYPTO_SPAM])
    assert score == pytest.approx(1 / (1 + math.exp(-pipeline.decision_function([CRYPTO_SPAM])[0])))


def test_the_spam_model_reads_neither_length_nor_link_count(spam_scorer: TextScorer) -> None:
    """Long prose and a link are not spam by themselves (issue 12, §2): no such feature."""
    names = set(spam_scorer.pipeline.named_steps["features"].get_feature_names_out())
    signals = {n.split("__", 1)[1] for n in names if n.startswith("signals__")}
    assert signals, "the spam model still reads the other rule signals"
    assert not signals & {"signal_length", "signal_links", "signal_external_links"}
    assert "signal_mention" not in signals
    assert {"signal_engagement", "signal_hidden_link"} <= signals


def _signal(text: str, name: str) -> float:
    return rule_signals(text)[SIGNAL_NAMES.index(name)]


@pytest.mark.parametrize(
    ("text", "name", "read"),
    [
        ("Like this comment if you are still listening in 2015", "engagement", True),
        ("share and like this page to win a signed photo!!!", "engagement", True),
        ("Help me get 50 subs before Friday", "engagement", True),
        (
            "I like the new timetable and I will vote for the councillor who wrote it.",
            "engagement",
            False,
        ),
        ("Thumbs up for the reporter, that was a fair piece.", "engagement", True),
        ("earn real money from a game: cashgame . com/start", "hidden_link", True),
        ("read W W W. BIG PRIZES. NET today", "hidden_link", True),
        ("go and share youtu  be/Xq7Tz91k", "hidden_link", True),
        ("The figures are at www.ons.gov.uk. Net migration fell.", "hidden_link", False),
        ("The dotcom boom ended in 2001, and the .com domains with it.", "hidden_link", False),
    ],
)
def test_asking_for_likes_and_hiding_a_link_are_signals(text: str, name: str, read: bool) -> None:
    """What YouTube's spam says instead of a handle: asks for likes, shares, votes and
    subscribers, or writes its address so that it is not a link (issue 12)."""
    assert (_signal(text, name) > 0) is read


def test_a_model_saved_before_the_new_signals_reads_the_signals_it_was_trained_with() -> None:
    """A model file from before ``engagement`` and ``hidden_link`` whose signals were all of
    SIGNAL_NAMES (``names`` None) still gets its twelve columns, not fourteen."""
    from dateline.moderation.classifier import RuleSignals

    state = RuleSignals().fit(["x"]).__getstate__()
    del state["n_signals_"]
    old = RuleSignals.__new__(RuleSignals)
    old.__setstate__(state)  # as joblib.load restores it
    assert old.transform(["Like this comment"]).shape == (1, 12)
    assert RuleSignals().fit(["x"]).transform(["x"]).shape == (1, len(SIGNAL_NAMES))


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("@Sam_99 you're right about the buses", "you're right about the buses"),
        ("@cnn-7c252df:disqus she means the dad", ":disqus she means the dad"),
        ("Thanks @j.smith, and @Ana too", "thanks , and too"),
        (
            "write to info@casino-prizes.com now",
            "write to info@ dom_casino_prizes_com urlother urlbare now",
        ),
    ],
)
def test_the_spam_model_does_not_read_whom_a_reply_answers(text: str, read: str) -> None:
    """Forums and comment systems start a reply with ``@name``; no spam training set has
    replies, so a model reading the handle learned that answering a reader is spam (issue 12:
    59 % of the civil Impermium comments with one were held or marked as spam). An email
    address is not a handle and stays."""
    assert normalize_link_shapes(text) == read


def test_a_reply_scores_as_the_same_words_without_the_handle(spam_scorer: TextScorer) -> None:
    plain, reply = spam_scorer.score(
        [
            "I think the council got this one right.",
            "@Marta I think the council got this one right.",
        ]
    )
    # Only the share of capitals and digits still counts the name's letters.
    assert reply == pytest.approx(plain, rel=0.05)


def test_a_link_to_a_reputable_site_adds_little_to_a_civil_comment(shared_data: Path) -> None:
    """Trained on YouTube's comments and news prose (half of HuffPost's with their link), a
    civil comment citing a source stays under the hold threshold."""
    from dateline.moderation.classifier import corpora

    examples = corpora.youtube(shared_data) + corpora.huffpost(shared_data, limit=600)
    scorer = TextScorer.train(examples.texts, examples.labels, kind="spam", groups=examples.groups)
    civil = "The inflation figures for October are worse than the minister suggested."
    cited = f"{civil} See https://www.ons.gov.uk/economy/inflationandpriceindices"
    # A host on no list, but an article's address: the host says nothing by itself.
    local = (
        "Our local paper covered the council vote in more detail: "
        "https://www.yorkshireeveningpost.co.uk/news/politics/council-budget-vote-2026"
    )
    # A link whose shape gives it away (a referral path and an identifier), on a new host.
    referral = "https://payday-winners.net/ref/Xq7Tz91k"
    (plain, linked, local_score, referral_score) = scorer.score([civil, cited, local, referral])
    assert linked < scorer.thresholds.low
    assert plain < scorer.thresholds.low
    assert local_score < scorer.thresholds.low
    assert referral_score >= scorer.thresholds.low


@pytest.mark.parametrize(
    ("url", "tokens"),
    [
        ("https://www.gov.uk/guidance/visas", ["dom_gov_uk", "urlcited"]),
        ("https://www.abs.gov.au/statistics", ["dom_abs_gov_au", "urlcited"]),
        ("https://en.wikipedia.org/wiki/Treaty", ["dom_en_wikipedia_org", "urlcited"]),
        (
            "https://www.yorkshireeveningpost.co.uk/news/politics/council-budget-vote-2026",
            ["dom_yorkshireeveningpost_co_uk"],
        ),
        ("https://www.reddit.com/r/ukpolitics/", ["dom_reddit_com"]),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", ["dom_youtube_com", "urlvideo"]),
        ("https://www.youtube.com/channel/UC12", ["dom_youtube_com", "urlvideo", "urlpromo"]),
        (
            "http://www.ermail.pl/dolacz/V3VeYGIN",
            ["dom_ermail_pl", "urlother", "urlcode", "urlref"],
        ),
        ("https://bit.ly/3xYz12", ["dom_bit_ly", "urlother", "urlshort", "urlone", "urlcode"]),
        ("http://10.0.0.1/", ["dom_10_0_0_1", "urlother", "urlip", "urlbare"]),
        ("murdev.com", ["dom_murdev_com", "urlother", "urlbare"]),
        ("http://t.co/1jL4hi8ZMF", ["dom_t_co", "urlpost"]),
        ("https://x.com/BBCBreaking/status/1861234567890", ["dom_x_com", "urlpost"]),
        ("https://twitter.com/GBphotography", ["dom_twitter_com", "urlother", "urlone"]),
        (
            "http://hackfb.com/?ref=4436607",
            ["dom_hackfb_com", "urlother", "urlcode", "urlref", "urlquery"],
        ),
    ],
)
def test_a_link_reads_as_its_host_and_its_shape(url: str, tokens: list[str]) -> None:
    """A reputable host is a citation and nothing more; any other link says what its shape
    gives away (a shortener, a referral code, a profile), never "there is a link"."""
    assert link_shape_tokens(url) == tokens


def test_the_spam_model_reads_link_shapes_not_a_link_token(spam_scorer: TextScorer) -> None:
    words = spam_scorer.pipeline.named_steps["features"].transformer_list[0][1]
    (text,) = [words.build_preprocessor()("Source: https://www.gov.uk/x and bit.ly/3xYz12")]
    assert "urltoken" not in text
    assert "urlcited" in text and "urlshort" in text


def test_scores_move_to_the_sites_base_rate() -> None:
    """The same evidence, scored for a site where 3 % of comments are abusive instead of the
    training data's half: lower probabilities, and thresholds chosen on those."""
    texts, labels = read_fixture(ABUSE_CSV)
    config = replace(CONFIGS["abuse"], pretrained=False)
    as_trained = TextScorer.train(
        texts, labels, kind="abuse", config=replace(config, base_rate=None)
    )
    at_site = TextScorer.train(texts, labels, kind="abuse", config=config)
    neutral = "The council meets on Tuesday."

    assert at_site.metadata["training_base_rate"] == pytest.approx(0.5, abs=0.01)
    (before,), (after,) = as_trained.score([neutral]), at_site.score([neutral])
    assert after < before
    # Bayes: odds scaled by (0.03/0.97) / (0.5/0.5).
    assert after / (1 - after) == pytest.approx(before / (1 - before) * 0.03 / 0.97, rel=1e-6)


def test_thresholds_are_chosen_on_the_named_sources() -> None:
    texts, labels = read_fixture(ABUSE_CSV)
    # Two "sources" of civil text; the thresholds may only count the second one's.
    groups = [
        f"abusive:{i}" if y else (f"tweets:{i}" if i % 2 else f"prose:{i}")
        for i, y in enumerate(labels)
    ]
    config = replace(CONFIGS["abuse"], pretrained=False, base_rate=None, high_fpr=0.0)
    scorer = TextScorer.train(texts, labels, kind="abuse", config=config, groups=groups)
    civil_prose = [t for t, g in zip(texts, groups, strict=True) if g.startswith("prose:")]
    assert max(scorer.score(civil_prose)) < scorer.thresholds.high


def test_a_model_with_the_pretrained_feature_scores_without_the_package(
    shipped_abuse_scorer: TextScorer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """alt-profanity-check is read when training; the model file carries what it needs."""
    import sys

    path = shipped_abuse_scorer.save(tmp_path / "abuse.joblib")
    monkeypatch.setitem(sys.modules, "profanity_check", None)
    monkeypatch.setitem(sys.modules, "profanity_check.profanity_check", None)
    loaded = TextScorer.load(path)
    texts = ["You are an idiot.", "Thanks for the careful reporting."]
    assert loaded.score(texts) == pytest.approx(shipped_abuse_scorer.score(texts))
    rude, kind = loaded.score(texts)
    assert rude > kind


def test_tweets_read_as_comments() -> None:
    from dateline.moderation.classifier.corpora import untweet

    assert untweet("RT @someone: @USER you are wrong #MAGA URL") == "you are wrong MAGA"
    assert untweet("no marks here") == "no marks here"


def test_the_validation_split_is_the_same_however_the_corpus_is_read() -> None:
    from dateline.moderation.classifier.corpora import Examples, split_validation

    texts, labels = read_fixture(ABUSE_CSV)
    examples = Examples(texts, labels, ["fixture"] * len(texts))
    reversed_ = Examples(texts[::-1], labels[::-1], ["fixture"] * len(texts))
    grown = examples + Examples(["a new example"], [0], ["more"])

    _, validation = split_validation(examples)
    assert 0 < len(validation) < len(examples)
    assert set(split_validation(reversed_)[1].texts) == set(validation.texts)
    assert set(validation.texts) <= set(split_validation(grown)[1].texts)
    training, _ = split_validation(grown)
    assert not set(training.texts) & set(validation.texts)


def test_the_shared_corpora_are_read_by_source(shared_data: Path) -> None:
    from dateline.moderation.classifier.corpora import shared_examples

    spam = shared_examples("spam", shared_data)
    abuse = shared_examples("abuse", shared_data)
    assert {g.split(":")[0] for g in spam.groups} == {"youtube", "bbc", "huffpost"}
    assert {g.split(":")[0] for g in abuse.groups} == {"davidson", "olid", "prose"}
    assert sum(spam.labels) == 1005  # the YouTube spam; the prose is all legitimate
    assert not any("@USER" in t or t.startswith("RT ") for t in abuse.texts)
    # BBC passages up to 2,000 characters: long comments, not whole articles.
    assert max(len(t) for t, g in zip(spam.texts, spam.groups, strict=True) if "bbc" in g) <= 2000


SPAM_MAIL = """\
From: "Prize Desk" <desk@example.net>
To: someone@example.org
Subject: [ILUG] You have been selected!
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><head><style>p {color: red}</style></head><body><p>Claim your =A3500 voucher =
now</p></body></html>
--b1--
"""

HAM_MAIL = """\
From: someone@example.org
Subject: Re: [SAtalk] rules update
Content-Type: text/plain; charset="us-ascii"

On Tue, 6 Aug 2002, Jo Bloggs wrote:
> is the update out yet?

Yes, it went out this morning.
--
Jo
"""


def _mail_corpus(root: Path) -> Path:
    for folder, name, text in (
        ("spam-2", "00001.aa.txt", SPAM_MAIL),
        ("easy-ham-1", "00001.bb.txt", HAM_MAIL),
        ("easy-ham-2", "00001.cc.txt", HAM_MAIL),  # the same text twice: read once
    ):
        (root / "package" / "data" / folder).mkdir(parents=True, exist_ok=True)
        (root / "package" / "data" / folder / name).write_text(text, encoding="latin-1")
    return root


def test_a_mail_reads_as_its_subject_and_what_it_says(tmp_path: Path) -> None:
    from dateline.moderation.classifier.corpora import spamassassin

    mails = spamassassin(_mail_corpus(tmp_path))
    assert mails.labels == [0, 1]
    assert mails.groups == ["email:easy-ham-1", "email:spam-2"]
    ham, spam = mails.texts
    # List tags, "Re:", the attribution line, quoted text and the signature are not the message.
    assert ham == "rules update. Yes, it went out this morning."
    # HTML: the style sheet dropped, the tags and the quoted-printable soft break undone.
    assert spam == "You have been selected! Claim your £500 voucher now"


def test_a_missing_mail_corpus_is_named(tmp_path: Path) -> None:
    from dateline.moderation.classifier.corpora import spamassassin

    with pytest.raises(TrainingDataError, match="datasets-spam-assassin"):
        spamassassin(tmp_path)


def test_warm_up_loads_the_site_models_before_any_comment(
    settings, trained_model_dir: Path
) -> None:
    from dateline.moderation.classifier.storage import _cache, warm_up

    settings.DATELINE_MODEL_DIR = trained_model_dir
    assert warm_up() == ["spam", "abuse"]
    assert set(_cache) == {"spam", "abuse"}
    assert all(entry[2]._fast_linear() is not None for entry in _cache.values())


def test_warm_up_without_models_does_nothing(settings, tmp_path: Path) -> None:
    from dateline.moderation.classifier.storage import warm_up

    settings.DATELINE_MODEL_DIR = tmp_path
    assert warm_up() == []
