from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dateline.moderation.classifier import TextScorer

from .conftest import ABUSE_CSV, SPAM_CSV


def run_score(path: Path) -> list[str]:
    out = io.StringIO()
    call_command("moderation_score", str(path), stdout=out)
    return out.getvalue().splitlines()


def test_moderation_score_prints_two_scores_for_every_line_empty_ones_too(
    settings, trained_model_dir: Path, tmp_path: Path
) -> None:
    settings.DATELINE_MODEL_DIR = trained_model_dir
    comments = tmp_path / "comments.txt"
    comments.write_text(
        "Great reporting on the floods.\n\nFree bitcoin at http://coins.xyz\r\nYou idiot.\nlast",
        encoding="utf-8",
    )
    lines = run_score(comments)
    assert len(lines) == 5
    for line in lines:
        spam, abuse = line.split("\t")
        assert len(spam.split(".")[1]) == 4
        assert 0.0 <= float(spam) <= 1.0
        assert 0.0 <= float(abuse) <= 1.0
    assert float(lines[2].split("\t")[0]) > float(lines[0].split("\t")[0])


def test_moderation_score_without_models_says_to_train_first(settings, tmp_path: Path) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path / "empty"
    comments = tmp_path / "comments.txt"
    comments.write_text("hello\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"run manage\.py train_filters first"):
        run_score(comments)


def test_moderation_score_names_the_line_that_is_not_utf8(
    settings, trained_model_dir: Path, tmp_path: Path
) -> None:
    settings.DATELINE_MODEL_DIR = trained_model_dir
    comments = tmp_path / "comments.txt"
    comments.write_bytes(b"fine\nalso fine\ncaf\xe9 latin-1\nfine again\n")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"line 3 is not valid UTF-8"):
        call_command("moderation_score", str(comments), stdout=out)
    assert out.getvalue() == ""  # nothing printed before the error


def test_moderation_score_on_a_missing_file_fails_clearly(
    settings, trained_model_dir: Path, tmp_path: Path
) -> None:
    settings.DATELINE_MODEL_DIR = trained_model_dir
    with pytest.raises(CommandError, match="cannot read"):
        run_score(tmp_path / "nope.txt")


def test_train_filters_on_given_csv_files_writes_both_models(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "train_filters",
        "--spam-csv", str(SPAM_CSV),
        "--spam-text-column", "text",
        "--spam-label-column", "label",
        "--abuse-csv", str(ABUSE_CSV),
        "--abuse-text-column", "text",
        "--abuse-label-column", "label",
        "--abuse-positive", "1",
        "--output-dir", str(tmp_path),
        stdout=out,
    )  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["abuse.joblib", "spam.joblib"]
    abuse = TextScorer.load(tmp_path / "abuse.joblib")
    assert abuse.metadata["n_positive"] == 40
    assert "spam: 89 examples (45 spam)" in out.getvalue()
    assert "abuse: 80 examples (40 abuse)" in out.getvalue()


def test_train_filters_writes_into_the_model_dir_setting(settings, tmp_path: Path) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path / "models"
    settings.SITE_URL = "https://news.example:8443"
    call_command(
        "train_filters", "--only", "spam", "--spam-csv", str(SPAM_CSV),
        "--spam-text-column", "text", "--spam-label-column", "label",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert [p.name for p in (tmp_path / "models").iterdir()] == ["spam.joblib"]
    spam = TextScorer.load(tmp_path / "models" / "spam.joblib")
    assert "news.example" in spam.metadata["config"]["trusted_hosts"]  # own links aren't external


def test_train_filters_without_data_explains_what_to_pass(settings, tmp_path: Path) -> None:
    settings.SHARED_DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="--spam-csv PATH"):
        call_command("train_filters", "--output-dir", str(tmp_path), stdout=io.StringIO())


def test_train_filters_names_a_missing_column(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no column CLASS, CONTENT"):
        call_command(
            "train_filters", "--only", "spam", "--spam-csv", str(SPAM_CSV),
            "--output-dir", str(tmp_path), stdout=io.StringIO(),
        )  # fmt: skip
