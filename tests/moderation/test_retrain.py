"""Retraining that can only help (docs/retraining-draft.md): from the base corpus the live model
records plus the moderators' decisions, never on too few of them, and a retrained model replaces
the live one only when it is at least as good on the validation set kept with the model.

The base corpus is a small CSV written per test (tests/moderation/retraining.py: comments made
of two vocabularies, with some overlap), so a model trains in under a second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dateline.comments.models import Comment
from dateline.comments.services import comment_moderate
from dateline.moderation.classifier import (
    TextScorer,
    comment_decisions,
    decision_examples,
    filter_retrain,
    filter_rollback,
    get_scorer,
    install_base_model,
)
from dateline.moderation.classifier.corpora import Examples, base_examples, split_validation
from dateline.moderation.classifier.registry import RollbackError
from dateline.moderation.classifier.site_guard import trained_texts
from dateline.moderation.desk import desk_bulk_chunk
from dateline.moderation.models import FilterEvent, FilterVersion
from tests.comments.conftest import CommentFactory

from .retraining import comments, install

Status = Comment.Status
Version = FilterVersion.Status


@pytest.fixture
def decide(
    moderator: Any, section: Any, article_factory: Any
) -> Callable[[Examples], list[Comment]]:
    """Moderators decide at the desk on comments with these texts: label 1 marked as spam,
    0 approved, spread over three articles."""
    articles = [
        article_factory(parent=section, title=f"Harbour {n}", slug=f"harbour-{n}") for n in range(3)
    ]

    def run(examples: Examples) -> list[Comment]:
        made = [
            CommentFactory(article=articles[n % 3], body=text, status=Status.PENDING)
            for n, text in enumerate(examples.texts)
        ]
        for action, label in (("spam", 1), ("approve", 0)):
            ids = [c.pk for c, lab in zip(made, examples.labels, strict=True) if lab == label]
            desk_bulk_chunk(comment_ids=ids, action=action, actor=moderator)
        return made

    return run


@pytest.fixture
def few_decisions_suffice(settings: Any) -> None:
    settings.DATELINE_RETRAIN_MIN_DECISIONS = 20
    settings.DATELINE_RETRAIN_MIN_PER_CLASS = 5


def live_bytes(models: Path) -> bytes:
    return (models / "spam.joblib").read_bytes()


# --- What counts as a decision ------------------------------------------------------------------


def test_only_what_a_moderator_decided_is_learned(
    db: None, moderator: Any, section: Any, article_factory: Any
) -> None:
    article = article_factory(parent=section, title="Ferry", slug="ferry")
    published = CommentFactory(article=article, body="No rule objected.", status=Status.APPROVED)
    by_the_model = CommentFactory(article=article, body="Spam by the model.", status=Status.SPAM)
    approved = CommentFactory(
        article=article, body="Released by a moderator.", status=Status.PENDING
    )
    spam = CommentFactory(article=article, body="Cheap pills here.", status=Status.PENDING)
    flag = [{"code": "abusive_language", "reason": "Held: abusive language", "status": "pending"}]
    rude = CommentFactory(
        article=article, body="Rude remark, idiot.", status=Status.PENDING, moderation_reasons=flag
    )
    off_topic = CommentFactory(article=article, body="Off topic.", status=Status.PENDING)
    for comment, action in [
        (approved, "approve"), (spam, "spam"), (rude, "trash"), (off_topic, "trash"),
    ]:  # fmt: skip
        comment_moderate(comment=comment, action=action, actor=moderator)
    assert published.pk and by_the_model.pk

    spam_decisions = decision_examples("spam")
    assert sorted(
        zip(spam_decisions.examples.texts, spam_decisions.examples.labels, strict=True)
    ) == [
        ("Cheap pills here.", 1),
        ("Released by a moderator.", 0),
    ]
    assert set(spam_decisions.examples.groups) == {f"decision:article:{article.pk}"}
    assert sorted(zip(*comment_decisions("abuse"), strict=True)) == [
        ("Released by a moderator.", 0),
        ("Rude remark, idiot.", 1),
    ]


def test_a_decision_later_undone_by_a_rule_does_not_count(
    db: None, moderator: Any, section: Any, article_factory: Any
) -> None:
    article = article_factory(parent=section, title="Tide", slug="tide")
    comment = CommentFactory(
        article=article, body="Approved, then held again.", status=Status.PENDING
    )
    comment_moderate(comment=comment, action="approve", actor=moderator)
    comment_moderate(comment=comment, action="spam", rule="banned")  # not a person
    assert decision_examples("spam").examples.texts == []


# --- Never on too few decisions, never at once ---------------------------------------------------


def test_one_decision_waiting_is_counted_in_the_singular(
    models: Path, base: dict[str, Any], decide: Callable[[Examples], list[Comment]]
) -> None:
    """The filters' page said "Waiting: 1 moderators' decisions (…)"."""
    install(base)
    decide(comments(1, seed=2))

    outcome = filter_retrain(kind="spam")

    assert outcome.outcome == "waiting"
    assert outcome.reason.startswith("1 moderator decision (")


def test_a_tiny_decision_set_never_replaces_a_good_model(
    models: Path, base: dict[str, Any], decide: Callable[[Examples], list[Comment]]
) -> None:
    from dateline.moderation.tasks import retrain_filters

    good = install(base)
    before = live_bytes(models)
    decide(comments(12, seed=2))

    outcome = filter_retrain(kind="spam")

    assert outcome.outcome == "waiting"
    assert "12 moderator decisions (6 spam, 6 legitimate)" in outcome.reason
    assert "needs 200, with at least 20 of each" in outcome.reason
    assert live_bytes(models) == before
    assert list(FilterVersion.objects.values_list("version", flat=True)) == [good.version]
    assert retrain_filters.call()["spam"].startswith("waiting: 12 moderator decisions")
    assert live_bytes(models) == before


def test_the_schedulers_first_pass_never_retrains(
    models: Path,
    base: dict[str, Any],
    decide: Callable[[Examples], list[Comment]],
    few_decisions_suffice: None,
    monkeypatch: Any,
    time_machine: Any,
) -> None:
    from django.core.management import call_command

    from dateline.core.management.commands import run_scheduler

    install(base)
    decide(comments(40, seed=2))
    ran: list[str] = []
    monkeypatch.setattr(run_scheduler, "call_command", lambda name, **kw: ran.append(name))

    # Started after the retraining hour, as make demo may be: nothing retrains that day.
    time_machine.move_to(datetime(2026, 12, 6, 4, 30, tzinfo=UTC), tick=False)
    nights = iter(
        [datetime(2026, 12, 6, 23, 0, tzinfo=UTC), datetime(2026, 12, 7, 3, 1, tzinfo=UTC)]
    )

    class Stop(Exception):
        pass

    def sleep(seconds: float) -> None:
        try:
            time_machine.move_to(next(nights), tick=False)
        except StopIteration:
            raise Stop from None

    monkeypatch.setattr(run_scheduler.time, "sleep", sleep)
    with pytest.raises(Stop):
        call_command("run_scheduler", verbosity=0)
    assert ran.count("retrain_filters") == 1  # the next night, after 03:00: once

    ran.clear()
    call_command("run_scheduler", "--once", verbosity=0)
    assert "retrain_filters" not in ran
    assert not FilterVersion.objects.filter(origin=FilterVersion.Origin.RETRAINED).exists()


# --- Champion and challenger ----------------------------------------------------------------------


def test_a_better_candidate_replaces_the_live_model(
    models: Path,
    base: dict[str, Any],
    decide: Callable[[Examples], list[Comment]],
    few_decisions_suffice: None,
) -> None:
    weak = install(base, first=8)
    decide(comments(40, seed=2))

    outcome = filter_retrain(kind="spam")

    assert outcome.outcome == "accepted", outcome.reason
    assert outcome.reason.startswith("At least as good as the live model on the")
    live = FilterVersion.objects.get(kind="spam", status=Version.LIVE)
    assert live.origin == FilterVersion.Origin.RETRAINED
    # One in five approved comments is set aside for the site guard (test_site_guard.py).
    trained = len(trained_texts(comments(40, seed=2)))
    assert 30 < trained < 40
    assert live.n_decisions == trained and live.decision_weight == 3.0
    assert live.n_examples == trained + len(split_validation(base_examples("spam", base))[0])
    assert live.base == base
    served = get_scorer("spam")
    assert served is not None and served.metadata["version"] == live.version
    assert FilterVersion.objects.get(pk=weak.pk).status == Version.PREVIOUS
    assert (models / weak.file).is_file()  # kept for a rollback
    event = FilterEvent.objects.get(action=FilterEvent.Action.ACCEPTED)
    assert (event.version, event.other, event.actor) == (live, weak, None)
    assert event.figures["candidate"]["auc"] >= event.figures["live"]["auc"]


def test_a_worse_candidate_is_rejected_and_the_reason_recorded(
    models: Path,
    base: dict[str, Any],
    decide: Callable[[Examples], list[Comment]],
    few_decisions_suffice: None,
) -> None:
    good = install(base)
    before = live_bytes(models)
    # Moderators (or a brigade) deciding the opposite of what the base corpus says.
    wrong = comments(200, seed=3)
    decide(Examples(wrong.texts, [1 - label for label in wrong.labels], wrong.groups))

    outcome = filter_retrain(kind="spam")

    assert outcome.outcome == "rejected"
    assert outcome.reason.startswith("Worse than the live model on the")
    assert "legitimate examples held" in outcome.reason
    assert live_bytes(models) == before
    served = get_scorer("spam")
    assert served is not None and served.metadata["version"] == good.version
    rejected = FilterVersion.objects.get(status=Version.REJECTED)
    trained = len(trained_texts(Examples(wrong.texts, [1 - lab for lab in wrong.labels])))
    assert (rejected.file, rejected.n_decisions) == ("", trained)
    assert not (models / "spam" / f"{rejected.version}.joblib").exists()
    event = FilterEvent.objects.get(action=FilterEvent.Action.REJECTED)
    assert (event.version, event.other, event.reason) == (rejected, good, outcome.reason)
    # Nothing new to learn: the same decisions are not tried again.
    assert filter_retrain(kind="spam").reason == (
        "No new moderators' decisions since the last training."
    )


def test_decisions_never_outweigh_the_base_corpus(
    models: Path,
    base: dict[str, Any],
    decide: Callable[[Examples], list[Comment]],
    few_decisions_suffice: None,
    settings: Any,
) -> None:
    install(base)
    n_base = len(split_validation(base_examples("spam", base))[0])
    decide(comments(400, seed=4))

    filter_retrain(kind="spam")

    candidate = FilterVersion.objects.get(origin=FilterVersion.Origin.RETRAINED)
    trained = len(trained_texts(comments(400, seed=4)))
    assert candidate.n_decisions == trained
    assert candidate.decision_weight == pytest.approx(0.5 * n_base / trained)


def test_a_model_without_a_base_recipe_is_kept_with_the_reason(
    models: Path,
    spam_scorer: TextScorer,
    decide: Callable[[Examples], list[Comment]],
    few_decisions_suffice: None,
) -> None:
    models.mkdir()
    spam_scorer.save(models / "spam.joblib")  # trained before models recorded their base
    decide(comments(40, seed=2))

    outcome = filter_retrain(kind="spam")

    assert outcome.outcome == "kept"
    assert "does not record the corpus it was trained on" in outcome.reason
    live = FilterVersion.objects.get(status=Version.LIVE)
    assert live.origin == FilterVersion.Origin.ADOPTED  # now in the history, restorable
    assert (models / live.file).is_file()
    assert filter_retrain(kind="spam").outcome == "kept"
    assert FilterEvent.objects.filter(action=FilterEvent.Action.KEPT).count() == 1  # said once


# --- Versions and rollback ------------------------------------------------------------------------


def test_rollback_restores_the_previous_file_and_get_scorer_serves_it(
    models: Path, base: dict[str, Any], administrator: Any
) -> None:
    first = install(base)
    first_bytes = live_bytes(models)
    second = install(base, first=8)
    served = get_scorer("spam")
    assert served is not None and served.metadata["version"] == second.version

    event = filter_rollback(kind="spam", actor=administrator)

    assert live_bytes(models) == first_bytes == (models / first.file).read_bytes()
    served = get_scorer("spam")
    assert served is not None and served.metadata["version"] == first.version
    assert (models / "spam.validation.joblib").read_bytes() == (
        models / first.validation_file
    ).read_bytes()
    assert (event.action, event.version, event.other, event.actor) == (
        FilterEvent.Action.ROLLED_BACK, first, second, administrator,
    )  # fmt: skip
    statuses = dict(FilterVersion.objects.values_list("version", "status"))
    assert statuses == {first.version: Version.LIVE, second.version: Version.ROLLED_BACK}
    with pytest.raises(RollbackError, match="no earlier model"):
        filter_rollback(kind="spam", actor=administrator)


def test_after_a_rollback_retraining_waits_for_new_decisions(
    models: Path,
    base: dict[str, Any],
    decide: Callable[[Examples], list[Comment]],
    few_decisions_suffice: None,
    administrator: Any,
    time_machine: Any,
) -> None:
    def at(day: int, hour: int) -> None:
        time_machine.move_to(datetime(2026, 12, day, hour, 0, tzinfo=UTC), tick=False)

    at(5, 12)
    install(base, first=8)
    at(5, 15)
    decide(comments(40, seed=2))
    at(6, 3)
    assert filter_retrain(kind="spam").outcome == "accepted"
    at(6, 10)
    filter_rollback(kind="spam", actor=administrator)
    at(6, 11)
    decide(comments(6, seed=5))
    at(7, 3)

    outcome = filter_retrain(kind="spam")

    assert outcome.outcome == "waiting"
    assert "waits for 20 decisions made since then (6 so far)" in outcome.reason


def test_only_the_newest_files_are_kept(models: Path, base: dict[str, Any], settings: Any) -> None:
    settings.DATELINE_FILTER_VERSIONS_KEPT = 2
    training, validation = split_validation(base_examples("spam", base))
    scorer = TextScorer.train(training.texts, training.labels, kind="spam")
    scorer.metadata["base"] = base
    for _ in range(5):
        install_base_model(kind="spam", scorer=scorer, validation=validation)

    rows = list(FilterVersion.objects.order_by("created_at", "pk"))
    assert [r.status for r in rows] == [
        Version.ARCHIVED, Version.ARCHIVED, Version.PREVIOUS, Version.PREVIOUS, Version.LIVE,
    ]  # fmt: skip
    assert sorted(p.name for p in (models / "spam").glob("*[0-9a-f].joblib")) == sorted(
        Path(r.file).name for r in rows[2:]
    )
    assert FilterEvent.objects.filter(action=FilterEvent.Action.INSTALLED).count() == 5


def test_train_filters_into_another_folder_writes_no_history(
    models: Path, base: dict[str, Any], tmp_path: Path
) -> None:
    training, validation = split_validation(base_examples("spam", base))
    scorer = TextScorer.train(training.texts, training.labels, kind="spam")
    elsewhere = tmp_path / "elsewhere"

    install_base_model(kind="spam", scorer=scorer, validation=validation, directory=elsewhere)

    assert sorted(p.name for p in elsewhere.iterdir()) == ["spam.joblib", "spam.validation.joblib"]
    assert not FilterVersion.objects.exists()


def test_a_model_copied_in_by_hand_is_recorded_before_it_is_replaced(
    models: Path, base: dict[str, Any], spam_scorer: TextScorer, administrator: Any
) -> None:
    models.mkdir()
    spam_scorer.save(models / "spam.joblib")
    by_hand = live_bytes(models)

    install(base)
    filter_rollback(kind="spam", actor=administrator)

    restored = get_scorer("spam")
    assert restored is not None
    assert restored.metadata["trained_at"] == spam_scorer.metadata["trained_at"]
    assert FilterVersion.objects.get(status=Version.LIVE).origin == FilterVersion.Origin.ADOPTED
    assert len(live_bytes(models)) > 0 and live_bytes(models) != by_hand  # stamped: version
