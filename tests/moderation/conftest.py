"""Fixtures for the learned filters: labelled examples we wrote ourselves and models trained
on them once per test session (a second or two)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dateline.moderation.classifier import CONFIGS, TextScorer, clear_scorer_cache

from ..conftest import _fixture_abuse_config

FIXTURES = Path(__file__).parent / "fixtures"
SPAM_CSV = FIXTURES / "spam_small.csv"
ABUSE_CSV = FIXTURES / "abuse_small.csv"


def read_fixture(path: Path) -> tuple[list[str], list[int]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [int(r["label"]) for r in rows]


@pytest.fixture(autouse=True)
def _fresh_scorer_cache() -> Iterator[None]:
    clear_scorer_cache()
    yield
    clear_scorer_cache()


@pytest.fixture(scope="session")
def spam_scorer() -> TextScorer:
    return TextScorer.train(
        *read_fixture(SPAM_CSV),
        kind="spam",
        config=replace(CONFIGS["spam"], high_fpr=0.03, low_fpr=0.10),
    )


@pytest.fixture(scope="session")
def abuse_scorer() -> TextScorer:
    return TextScorer.train(
        *read_fixture(ABUSE_CSV),
        kind="abuse",
        config=_fixture_abuse_config(),
    )


@pytest.fixture(scope="session")
def trained_model_dir(
    tmp_path_factory: pytest.TempPathFactory, spam_scorer: TextScorer, abuse_scorer: TextScorer
) -> Path:
    """A model directory holding spam.joblib and abuse.joblib trained on the fixtures."""
    path = tmp_path_factory.mktemp("models")
    spam_scorer.save(path / "spam.joblib")
    abuse_scorer.save(path / "abuse.joblib")
    return path


# --- Retraining (test_retrain.py, test_filters_admin.py) --------------------------------------


@pytest.fixture
def models(db: None, settings: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """The site's model folder, empty."""
    settings.DATELINE_MODEL_DIR = tmp_path / "models"  # type: ignore[attr-defined]
    clear_scorer_cache()
    yield tmp_path / "models"
    clear_scorer_cache()


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The recipe of a 300-comment base corpus in a CSV file, as train_filters records it. The
    spam model is configured as for any corpus (the shipped configuration is tuned on the shared
    datasets' sources), so these tests do not follow its tuning."""
    from .retraining import plain_spam_config, write_base

    plain_spam_config(monkeypatch)
    return write_base(tmp_path / "base.csv")


@pytest.fixture
def moderator(db: None) -> Any:
    from .retraining import member

    return member("Moderator", "moderator")


@pytest.fixture
def administrator(db: None) -> Any:
    from .retraining import member

    return member("Administrator", "chief")
