from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from dateline.comments.models import Comment, CommentSettings
from dateline.comments.screening import Submission
from dateline.comments.services import comment_moderate, comment_post
from dateline.comments.submissions import submission_nudged
from dateline.moderation.classifier import TextScorer, clear_scorer_cache
from dateline.moderation.scoring import SpamScore
from dateline.news.models import ArticlePage

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
    written = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".joblib")
    assert written == [
        "abuse.joblib",
        "abuse.validation.joblib",
        "spam.joblib",
        "spam.validation.joblib",
    ]
    abuse = TextScorer.load(tmp_path / "abuse.joblib")
    # A validation set is split off and kept beside the model, never trained on.
    holdout = abuse.metadata["holdout"]
    assert abuse.metadata["n_samples"] + holdout["n"] == 80
    assert abuse.metadata["n_positive"] + holdout["n_positive"] == 40
    assert 0 < holdout["n"] < 80
    # The model says what it was trained on, so the retraining can start from it again.
    assert abuse.metadata["base"]["recipe"] == "csv"
    assert abuse.metadata["base"]["sources"][0]["paths"] == [str(ABUSE_CSV)]
    assert f"abuse: {abuse.metadata['n_samples']} examples" in out.getvalue()
    assert "validation set kept with the model" in out.getvalue()


@pytest.mark.django_db
def test_train_filters_writes_into_the_model_dir_setting(settings, tmp_path: Path) -> None:
    settings.DATELINE_MODEL_DIR = tmp_path / "models"
    settings.SITE_URL = "https://news.example:8443"
    call_command(
        "train_filters", "--only", "spam", "--spam-csv", str(SPAM_CSV),
        "--spam-text-column", "text", "--spam-label-column", "label",
        stdout=io.StringIO(),
    )  # fmt: skip
    written = sorted(p.name for p in (tmp_path / "models").iterdir() if p.suffix == ".joblib")
    assert written == ["spam.joblib", "spam.validation.joblib"]
    spam = TextScorer.load(tmp_path / "models" / "spam.joblib")
    assert "news.example" in spam.metadata["config"]["trusted_hosts"]  # own links aren't external


def test_train_filters_without_data_explains_what_to_pass(settings, tmp_path: Path) -> None:
    settings.SHARED_DATA_DIR = tmp_path / "nowhere"
    with pytest.raises(CommandError, match="--spam-csv PATH"):
        call_command("train_filters", "--output-dir", str(tmp_path), stdout=io.StringIO())


def test_train_filters_names_the_missing_dataset(settings, tmp_path: Path) -> None:
    settings.SHARED_DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="youtube-spam-collection"):
        call_command("train_filters", "--output-dir", str(tmp_path), stdout=io.StringIO())


def test_train_filters_names_a_missing_column(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no column CLASS, CONTENT"):
        call_command(
            "train_filters", "--only", "spam", "--spam-csv", str(SPAM_CSV),
            "--output-dir", str(tmp_path), stdout=io.StringIO(),
        )  # fmt: skip


# --- moderation_score --outcome: what the site would do with each line ----------------------------

# Written for these tests: the tiny spam model below learns from them.
SPAM_EXAMPLES = [
    "Earn 500 dollars a day from home, click www.quick-cash.biz now!!!",
    "FREE iPhone giveaway, claim yours at http://win-prizes.top today",
    "Crypto bot turned 100 into 9000 in a week, join https://moon-profit.xyz",
    "Cheap pills online, no prescription, visit www.pharma-deals.shop",
    "Make money fast!!! Work from home, message me on WhatsApp +44 7700 900123",
    "Subscribe to my channel for daily giveaways and free gift cards!!!",
]
HAM_EXAMPLES = [
    "I disagree with the council: the wall is too low.",
    "The ferry timetable change will hurt people who work early shifts.",
    "Thank you for reporting on the harbour, it matters to us here.",
    "My grandfather helped build the old sea wall in 1953.",
    "Does anyone know when the public consultation closes?",
    "The budget figures in the third paragraph do not add up.",
]
# Under the abuse_model fixture (low ≈ 0.54, high ≈ 0.89) and the spam model below.
CIVIL = "I think the harbour plan is sensible, though late."  # abuse ≈ 0.03
RUDE = "You clueless idiot, the sea wall was never going to hold."  # abuse ≈ 0.77: nudge
ABUSIVE = "You absolute moron, nobody cares about your stupid sea wall."  # abuse ≈ 1.0: hold
SPAMMY = "Earn 900 dollars a day from home!!! Click www.easy-money.biz for free gift cards"
SUSPECT = "My lawyer says the council will lose the lawsuit over the sea wall."  # word list


@pytest.fixture(scope="session")
def tiny_spam_scorer() -> TextScorer:
    return TextScorer.train(
        SPAM_EXAMPLES + HAM_EXAMPLES,
        [1] * len(SPAM_EXAMPLES) + [0] * len(HAM_EXAMPLES),
        kind="spam",
    )


@pytest.fixture
def filters(
    abuse_model: Path,
    tiny_spam_scorer: TextScorer,
    tmp_path: Path,
    settings: Any,
    monkeypatch: Any,
) -> Path:
    """The site's filters: the fixture-trained abuse model and a tiny spam model trained here.
    The spam model's own thresholds mean nothing on twelve examples, so the rule's are set."""
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(abuse_model / "abuse.joblib", models / "abuse.joblib")
    tiny_spam_scorer.save(models / "spam.joblib")
    settings.DATELINE_MODEL_DIR = models
    monkeypatch.setattr(SpamScore, "high", 0.9)
    monkeypatch.setattr(SpamScore, "low", 0.5)
    clear_scorer_cache()
    return models


def run_outcome(path: Path | str, *flags: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("moderation_score", *flags, str(path), stdout=out)
    return [line.split("\t") for line in out.getvalue().splitlines()]


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "comments.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def returning_commenter(article: ArticlePage) -> Callable[[str], Submission]:
    """Submissions from a reader one of whose comments was approved before."""

    def submission(body: str) -> Submission:
        return Submission(
            article=article,
            name="Ada Reader",
            email="ada@example.org",
            body=body,
            ip="203.0.113.77",
            user_agent="TestBrowser/1.0",
        )

    first = comment_post(submission=submission("A first, civil remark about the harbour."))
    comment_moderate(comment=first.comment, action="approve")
    return submission


def what_posting_does(submission: Submission) -> str:
    """The form's path: the nudge is asked first; sent again (or not nudged), it is posted."""
    nudged = submission_nudged(submission, acknowledged=False)
    status = comment_post(submission=submission).comment.status
    if status == Comment.Status.APPROVED:
        return "nudged" if nudged else "published"
    return {Comment.Status.PENDING: "held", Comment.Status.SPAM: "spam"}[status]


@pytest.mark.django_db
def test_outcome_column_agrees_with_what_posting_the_same_text_does(
    filters: Path, section: Any, article_factory: Any, tmp_path: Path
) -> None:
    site_settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.moderation_words = "lawsuit"
    site_settings.save()
    texts = [CIVIL, RUDE, ABUSIVE, SPAMMY, SUSPECT]

    rows = run_outcome(write_lines(tmp_path, *texts), "--outcome")

    article = article_factory(parent=section, title="Harbour wall", slug="harbour-wall")
    post = returning_commenter(article)
    posted = [what_posting_does(post(text)) for text in texts]
    assert [row[2] for row in rows] == posted
    assert posted == ["published", "nudged", "held", "spam", "held"]


@pytest.mark.django_db
def test_outcome_follows_the_default_sites_settings(filters: Path, tmp_path: Path) -> None:
    site_settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.premoderate = True
    site_settings.save()

    rows = run_outcome(write_lines(tmp_path, CIVIL, RUDE), "--outcome")

    assert [row[2] for row in rows] == ["held", "held"]


@pytest.mark.django_db
def test_outcome_writes_nothing_and_takes_the_defaults_from_an_empty_database(
    filters: Path, tmp_path: Path
) -> None:
    Site.objects.all().delete()
    path = write_lines(tmp_path, CIVIL, RUDE, ABUSIVE, SPAMMY)

    with CaptureQueriesContext(connection) as queries:
        rows = run_outcome(path, "--outcome")

    assert [row[2] for row in rows] == ["published", "nudged", "held", "spam"]
    assert not CommentSettings.objects.exists()
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert len(queries) <= 2  # the default site and its settings, once for the whole file


@pytest.mark.django_db
def test_outcome_scores_each_line_once_in_the_batch(
    filters: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    scored: dict[str, list[int]] = {"spam": [], "abuse": []}
    original = TextScorer.score

    def spy(self: TextScorer, texts: Any) -> list[float]:
        scored[self.kind].append(len(texts))
        return original(self, texts)

    monkeypatch.setattr(TextScorer, "score", spy)
    run_outcome(write_lines(tmp_path, CIVIL, RUDE, ABUSIVE, SPAMMY, SUSPECT), "--outcome")

    # One call per kind for the batch; the nudge and the rules reuse its scores.
    assert scored == {"spam": [5], "abuse": [5]}


@pytest.mark.django_db
def test_outcome_adds_a_column_and_leaves_the_scores_as_they_were(
    filters: Path, tmp_path: Path
) -> None:
    path = write_lines(tmp_path, CIVIL, "", SPAMMY)

    plain = run_outcome(path)
    with_outcome = run_outcome(path, "--outcome")

    assert all(len(row) == 2 for row in plain)
    assert [row[:2] for row in with_outcome] == plain
    # An empty line is scored as before; the form would not take it.
    assert [row[2] for row in with_outcome] == ["published", "refused", "spam"]


@pytest.mark.django_db
def test_outcome_reads_standard_input(filters: Path, monkeypatch: Any) -> None:
    data = f"{CIVIL}\n{RUDE}\r\n{SPAMMY}".encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))

    rows = run_outcome("-", "--outcome")

    assert [row[2] for row in rows] == ["published", "nudged", "spam"]


@pytest.mark.django_db
def test_outcome_names_the_line_that_is_not_utf8(
    filters: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    bad = b"fine\ncaf\xe9 latin-1\n"
    path = tmp_path / "comments.txt"
    path.write_bytes(bad)
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"line 2 is not valid UTF-8"):
        call_command("moderation_score", "--outcome", str(path), stdout=out)
    assert out.getvalue() == ""

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(bad), encoding="utf-8"))
    with pytest.raises(CommandError, match=r"line 2 is not valid UTF-8"):
        call_command("moderation_score", "--outcome", "-", stdout=io.StringIO())


def test_train_filters_if_needed_trains_only_a_missing_or_outdated_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """make demo runs it every time: a current model is kept, a stale one is trained again."""
    from dataclasses import replace

    from dateline.moderation.classifier import model as model_module

    args = [
        "train_filters", "--only", "spam", "--if-needed", "--output-dir", str(tmp_path),
        "--spam-csv", str(SPAM_CSV), "--spam-text-column", "text", "--spam-label-column", "label",
    ]  # fmt: skip
    call_command(*args, stdout=io.StringIO())
    first = (tmp_path / "spam.joblib").stat().st_mtime_ns

    out = io.StringIO()
    call_command(*args, stdout=out)
    assert "up to date" in out.getvalue()
    assert (tmp_path / "spam.joblib").stat().st_mtime_ns == first

    # The code now trains spam differently: the model is trained again.
    changed = {**model_module.CONFIGS, "spam": replace(model_module.CONFIGS["spam"], C=3.0)}
    monkeypatch.setattr(model_module, "CONFIGS", changed)
    monkeypatch.setattr("dateline.moderation.classifier.storage.CONFIGS", changed)
    out = io.StringIO()
    call_command(*args, stdout=out)
    assert "spam:" in out.getvalue()
    assert TextScorer.load(tmp_path / "spam.joblib").metadata["config"]["C"] == 3.0
