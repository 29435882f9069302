"""What the imports share: progress reports, a dry run's rollback, slugs."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.utils.text import slugify

Progress = Callable[[str, int, int | None], None]


class DryRun(Exception):
    """Raised at the end of a dry run's transaction, to roll everything back."""


def no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def slug_of(value: str, *, fallback: str, max_length: int = 255) -> str:
    return slugify(unquote(value), allow_unicode=True)[:max_length].strip("-") or fallback
