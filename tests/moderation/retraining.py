"""A small base corpus and the steps of ``train_filters``, for the retraining tests (a model on
it trains in under a second)."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from dateline.moderation.classifier import (
    CONFIGS,
    CsvSource,
    ScorerConfig,
    TextScorer,
    install_base_model,
    site_config,
)
from dateline.moderation.classifier.corpora import (
    Examples,
    base_examples,
    csv_recipe,
    split_validation,
)
from dateline.moderation.models import FilterVersion

# fmt: off
CIVIL = (
    "harbour", "council", "vote", "ferry", "timetable", "budget", "school", "flood", "wall",
    "rail", "strike", "mayor", "report", "museum", "library", "hospital", "bridge", "election",
    "weather", "tide", "fishing", "port", "was", "delayed", "again", "I", "think", "the",
    "plan", "makes", "sense", "the", "article", "misses", "that", "my", "street", "flooded",
    "thanks", "for", "the", "clear", "report",
)
SPAMMY = (
    "cheap", "watches", "pills", "casino", "bonus", "crypto", "earn", "money", "fast", "click",
    "here", "free", "offer", "winner", "loan", "visit", "now", "limited", "best", "price",
    "order", "today", "guaranteed", "subscribe", "dm", "me",
)
# fmt: on


def comments(n: int, *, seed: int) -> Examples:
    """``n`` made-up comments, every other one spam, a few borrowing the other side's words."""
    rng = random.Random(seed)
    out = Examples()
    for i in range(n):
        spam = i % 2
        words = rng.sample(SPAMMY, 5) if spam else rng.sample(CIVIL, 6)
        if rng.random() < 0.15:
            words += rng.sample(CIVIL if spam else SPAMMY, 2)
        rng.shuffle(words)
        out.add(f"{' '.join(words)} (#{seed}-{i})", spam, f"part{i % 4}")
    return out


def write_base(path: Path, *, n: int = 300) -> dict[str, Any]:
    """A base corpus of ``n`` comments in a CSV file; the recipe train_filters records for it."""
    corpus = comments(n, seed=1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows(zip(corpus.texts, corpus.labels, strict=True))
    source = CsvSource(
        paths=(path,), text_column="text", label_column="label", positive=frozenset({"1"})
    )
    return csv_recipe([source])


def plain_spam_config(monkeypatch: Any) -> None:
    """The spam model's configuration without what is tuned to the shared datasets' sources
    (weights and threshold groups by source name), as the site trains on any corpus."""
    monkeypatch.setitem(CONFIGS, "spam", ScorerConfig())


def install(recipe: dict[str, Any], *, first: int | None = None) -> FilterVersion:
    """What ``manage.py train_filters`` does: train on the training part of the base corpus
    (only its ``first`` examples: a weak model) and install it with the validation part."""
    training, validation = split_validation(base_examples("spam", recipe))
    if first is not None:
        training = Examples(
            training.texts[:first], training.labels[:first], training.groups[:first]
        )
    # A weak model's few examples are cross-validated at random, as train_filters does for one CSV.
    groups = training.groups if first is None else None
    scorer = TextScorer.train(
        training.texts, training.labels, kind="spam", config=site_config("spam"), groups=groups
    )
    scorer.metadata["base"] = recipe
    install_base_model(kind="spam", scorer=scorer, validation=validation)
    return FilterVersion.objects.get(kind="spam", status=FilterVersion.Status.LIVE)


def member(group: str, username: str) -> Any:
    user = get_user_model().objects.create_user(
        username=username, password="not-a-real-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user
