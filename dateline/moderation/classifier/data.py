"""Training data: labelled CSV files and the moderators' decisions on comments."""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from .corpora import Examples
from .model import TrainingDataError

logger = logging.getLogger("dateline.moderation.classifier")

# --- Training data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvSource:
    """Labelled examples in CSV files: which column holds the text, which the label, and which
    label values mean spam/abusive (every other value means legitimate)."""

    paths: tuple[Path, ...]
    text_column: str
    label_column: str
    positive: frozenset[str]


def read_labelled_csv(source: CsvSource) -> tuple[list[str], list[int]]:
    """Texts and 0/1 labels from ``source``. Raises :class:`TrainingDataError` naming the file
    (and line) for a missing file or column, an empty label or a file that is not UTF-8."""
    texts: list[str] = []
    labels: list[int] = []
    for path in source.paths:
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = {source.text_column, source.label_column} - set(reader.fieldnames or [])
                if missing:
                    raise TrainingDataError(
                        f"{path}: no column {', '.join(sorted(missing))} "
                        f"(columns: {', '.join(reader.fieldnames or [])})"
                    )
                for row in reader:
                    label = (row[source.label_column] or "").strip()
                    if not label:
                        raise TrainingDataError(f"{path}, line {reader.line_num}: empty label")
                    texts.append(row[source.text_column] or "")
                    labels.append(int(label in source.positive))
        except FileNotFoundError as exc:
            raise TrainingDataError(f"{path}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise TrainingDataError(f"{path}: not UTF-8 ({exc.reason})") from exc
    return texts, labels


# What a moderator does to a comment that says what it is (holding it says nothing yet).
DECISION_ACTIONS = ("approve", "spam", "trash", "restore")
DECISION_GROUP = "decision:"


@dataclass(frozen=True)
class Decisions:
    """Moderators' decisions as training examples, grouped by article (``decision:article:<id>``:
    cross-validation never splits an article's comments), and when the newest was made."""

    examples: Examples
    latest: datetime | None

    @property
    def n_positive(self) -> int:
        return sum(self.examples.labels)

    @property
    def n_negative(self) -> int:
        return len(self.examples) - self.n_positive


def _decided_comments(kind: str) -> QuerySet[Any]:
    """The comments whose current status a person chose, annotated with ``decided_at`` (the
    newest such decision), that say something about ``kind``.

    A decision is a moderator's approve, mark as spam, trash or restore that led to the status
    the comment has now (desk, admin table, API). What the rules decided alone (a comment
    published because no rule objected, spam marked by the spam model itself) is not one: the
    filters would learn their own verdicts back. Comments whose writer had their data erased
    are left out. spam: approved → legitimate, marked as spam → spam. abuse: approved →
    legitimate, trashed after the abusive-language rule flagged it → abusive.
    """
    from dateline.comments.models import Comment, CommentEvent

    status = Comment.Status
    by_people = CommentEvent.objects.filter(actor__isnull=False, action__in=DECISION_ACTIONS)
    decided_at = (
        by_people.filter(comment=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    if kind == "spam":
        said = Q(status__in=[status.APPROVED, status.SPAM])
    elif kind == "abuse":
        # The rule's code in the comment's reasons (JSON text): the same test on every database.
        said = Q(status=status.APPROVED) | Q(
            status=status.TRASH, moderation_reasons__icontains="abusive_language"
        )
    else:
        raise ValueError(f"unknown kind {kind!r}")
    erased = CommentEvent.objects.filter(comment=OuterRef("pk"), action="erased")
    return (
        # Only comments a person decided on are looked at twice: a few among many.
        Comment.objects.filter(said, pk__in=by_people.values("comment_id"))
        .annotate(decided_at=Subquery(decided_at))
        .filter(decided_at__isnull=False)
        .exclude(Exists(erased))
    )


def decision_examples(kind: str, *, limit: int = 50_000) -> Decisions:
    """The newest ``limit`` moderators' decisions for ``kind`` (see :func:`_decided_comments`),
    as 0/1 examples. Read-only; one query."""
    from dateline.comments.models import Comment

    examples = Examples()
    latest = None
    rows = (
        _decided_comments(kind)
        .order_by("-decided_at", "-pk")
        .values_list("body", "status", "article_id", "decided_at")[:limit]
    )
    for body, state, article_id, decided_at in rows:
        examples.add(
            body, int(state != Comment.Status.APPROVED), f"{DECISION_GROUP}article:{article_id}"
        )
        latest = decided_at if latest is None else max(latest, decided_at)
    return Decisions(examples, latest)


def decision_counts(kind: str, *, since: datetime | None = None) -> dict[str, int]:
    """How many decisions :func:`decision_examples` would read: ``positive``, ``negative`` and
    ``new`` (made after ``since``). One query."""
    from dateline.comments.models import Comment

    approved = Q(status=Comment.Status.APPROVED)
    new = Q(decided_at__gt=since) if since is not None else Q(pk__isnull=False)
    return _decided_comments(kind).aggregate(
        negative=Count("pk", filter=approved),
        positive=Count("pk", filter=~approved),
        new=Count("pk", filter=new),
    )


def comment_decisions(kind: str, *, limit: int = 50_000) -> tuple[list[str], list[int]]:
    """What moderators decided, newest first: texts and 0/1 labels (:func:`decision_examples`)."""
    decisions = decision_examples(kind, limit=limit)
    return decisions.examples.texts, decisions.examples.labels
