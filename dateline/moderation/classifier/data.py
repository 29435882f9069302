"""Training data: labelled CSV files and the moderators' decisions on comments."""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

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


def _operator_source(kind: str) -> CsvSource | None:
    """``settings.DATELINE_MODERATION_TRAINING_CSV[kind]``: ``{"paths": [...], "text_column":
    ..., "label_column": ..., "positive": [...]}``, the operator's base data, if configured."""
    configured = getattr(settings, "DATELINE_MODERATION_TRAINING_CSV", {}).get(kind)
    if not configured:
        return None
    paths = configured["paths"]
    return CsvSource(
        paths=tuple(Path(p) for p in ([paths] if isinstance(paths, str | Path) else paths)),
        text_column=configured.get("text_column", "text"),
        label_column=configured.get("label_column", "label"),
        positive=frozenset(str(v) for v in configured.get("positive", ["1"])),
    )


def comment_decisions(kind: str, *, limit: int = 50_000) -> tuple[list[str], list[int]]:
    """What moderators decided, newest first, as training examples (read-only).

    spam: approved → 0, marked as spam → 1. abuse: approved → 0; trashed after the
    abusive-language rule flagged it → 1 (a moderator confirmed the flag).
    """
    from dateline.comments.models import Comment

    status = Comment.Status
    rows = Comment.objects.filter(status__in=[status.APPROVED, status.SPAM, status.TRASH])
    if kind == "spam":
        rows = rows.filter(status__in=[status.APPROVED, status.SPAM])
    texts: list[str] = []
    labels: list[int] = []
    for body, state, reasons in rows.order_by("-pk").values_list(
        "body", "status", "moderation_reasons"
    )[:limit]:
        if state == status.APPROVED:
            label = 0
        elif kind == "spam" or (
            state == status.TRASH
            and any(
                isinstance(r, dict) and r.get("code") == "abusive_language" for r in reasons or []
            )
        ):
            label = 1
        else:
            continue
        texts.append(body)
        labels.append(label)
    return texts, labels
