from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dateline.comments.models import Comment
from dateline.moderation.classifier import (
    TextScorer,
    TrainingDataError,
    get_scorer,
    retrain_from_comments,
)
from tests.comments.conftest import CommentFactory

from .conftest import SPAM_CSV, read_fixture

Status = Comment.Status


@pytest.fixture
def moderated(db: None, section: Any, article_factory: Any) -> None:
    """Comments moderators decided on: the fixture's ham approved, its spam marked as spam,
    plus a pending and a trashed comment that say nothing about spam."""
    article = article_factory(parent=section, title="Harbour wall", slug="harbour-wall")
    texts, labels = read_fixture(SPAM_CSV)
    for text, label in list(zip(texts, labels, strict=True))[::3]:
        CommentFactory(article=article, body=text, status=Status.SPAM if label else Status.APPROVED)
    CommentFactory(article=article, body="Still waiting for a moderator.", status=Status.PENDING)
    CommentFactory(article=article, body="Off topic, removed.", status=Status.TRASH)


def test_retraining_learns_from_moderators_decisions(
    settings: Any, tmp_path: Path, moderated: None
) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path
    scorer = retrain_from_comments("spam")
    decided = Comment.objects.filter(status__in=[Status.APPROVED, Status.SPAM]).count()
    assert scorer.metadata["n_samples"] == decided == 30
    assert scorer.metadata["n_positive"] == Comment.objects.filter(status=Status.SPAM).count()
    assert f"{decided} moderated comments" in scorer.metadata["source"]
    assert get_scorer("spam") is not None  # saved where the site looks


def test_retraining_adds_the_operators_base_csv(
    settings: Any, tmp_path: Path, moderated: None
) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path
    settings.DATELINE_MODERATION_TRAINING_CSV = {
        "spam": {"paths": [str(SPAM_CSV)], "text_column": "text", "label_column": "label"}
    }
    scorer = retrain_from_comments("spam", save=False)
    assert scorer.metadata["n_samples"] == 89 + 30
    assert str(SPAM_CSV) in scorer.metadata["source"]
    assert not (tmp_path / "spam.joblib").exists()


def test_abuse_retraining_counts_only_confirmed_flags(
    settings: Any, tmp_path: Path, section: Any, article_factory: Any
) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path
    article = article_factory(parent=section, title="Ferry", slug="ferry")
    flag = [{"code": "abusive_language", "reason": "Held: abusive language", "status": "pending"}]
    for n in range(3):
        CommentFactory(article=article, body=f"Polite remark {n}.", status=Status.APPROVED)
        CommentFactory(
            article=article, body=f"Rude remark {n}, idiot.", status=Status.TRASH,
            moderation_reasons=flag,
        )  # fmt: skip
        CommentFactory(article=article, body=f"Off topic {n}.", status=Status.TRASH)
    scorer = retrain_from_comments("abuse", save=False)
    assert (scorer.metadata["n_samples"], scorer.metadata["n_positive"]) == (6, 3)


def test_retraining_without_enough_decisions_keeps_the_old_model(
    settings: Any, tmp_path: Path, db: None, spam_scorer: TextScorer
) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path
    spam_scorer.save(tmp_path / "spam.joblib")
    before = (tmp_path / "spam.joblib").read_bytes()
    with pytest.raises(TrainingDataError):
        retrain_from_comments("spam")
    assert (tmp_path / "spam.joblib").read_bytes() == before


# --- The nightly task -------------------------------------------------------------------------


def test_nightly_task_retrains_from_decisions_and_swaps_the_file(
    settings: Any, tmp_path: Path, moderated: None, spam_scorer: TextScorer
) -> None:
    from dateline.moderation.tasks import retrain_filters

    settings.DATELINE_MODEL_DIR = tmp_path
    spam_scorer.save(tmp_path / "spam.joblib")
    before = get_scorer("spam")
    assert before is not None and "moderated comments" not in before.metadata["source"]
    old_inode = (tmp_path / "spam.joblib").stat().st_ino

    result = retrain_filters.enqueue()  # the test settings run tasks at once

    outcome = result.return_value
    assert outcome["spam"] == "retrained on 30 examples"
    assert outcome["abuse"].startswith("kept the old model")  # no confirmed abuse yet
    assert (tmp_path / "spam.joblib").stat().st_ino != old_inode  # a new file renamed in place
    after = get_scorer("spam")  # the web process sees the new model on its next comment
    assert after is not None and "30 moderated comments" in after.metadata["source"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_failed_save_leaves_the_old_model_whole(
    settings: Any, tmp_path: Path, moderated: None, spam_scorer: TextScorer, monkeypatch: Any
) -> None:
    import joblib

    from dateline.moderation.tasks import retrain_filters

    settings.DATELINE_MODEL_DIR = tmp_path
    spam_scorer.save(tmp_path / "spam.joblib")
    old = (tmp_path / "spam.joblib").read_bytes()

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(joblib, "dump", disk_full)
    with pytest.raises(OSError, match="No space"):
        retrain_filters.call()

    assert (tmp_path / "spam.joblib").read_bytes() == old
    assert not list(tmp_path.glob(".*.tmp"))


def test_scheduler_queues_the_retraining(settings: Any, tmp_path: Path, moderated: None) -> None:
    from django.core.management import call_command

    settings.DATELINE_MODEL_DIR = tmp_path
    call_command("run_scheduler", "--once", verbosity=0)

    assert (tmp_path / "spam.joblib").exists()  # the immediate backend trained at once
