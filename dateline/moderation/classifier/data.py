"""Training data from the site: the moderators' decisions on comments (labelled CSV files are
read by ``corpora``, with the other recipes)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from .corpora import Examples

logger = logging.getLogger("dateline.moderation.classifier")

# --- Training data ----------------------------------------------------------------------------


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
