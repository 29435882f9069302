"""Score each line of a UTF-8 text file with the spam and abusive-language filters.

    manage.py moderation_score comments.txt > scores.tsv
    some-export | manage.py moderation_score -

Prints ``spam_score<TAB>abuse_score`` (0–1, four decimals) for every line in, empty lines too,
in the same order, as it reads (in batches), so a large file streams.

With ``--outcome``, a third column says what the site would do with the line from a returning
commenter in good standing on an open article, under the default site's comment settings and
the configured rules (``moderation.outcomes.comment_outcome``, the steps a post takes):
``published``, ``nudged`` (published if sent again), ``held``, ``spam``, or ``refused`` (not
taken at all: empty, or longer than the site allows). The rules reuse the batch's scores.
Nothing is written to the database; an empty one (migrated) gives the default settings.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from dateline.comments.models import CommentSettings
from dateline.moderation.classifier import KINDS, TextScorer, get_scorer, model_path
from dateline.moderation.outcomes import comment_outcome, default_comment_settings
from dateline.moderation.scoring import remember_score

BATCH = 512


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """(line number, text) for each line, without its line ending; CommandError naming the
    line when it is not UTF-8."""
    for number, raw in enumerate(stream, start=1):
        raw = raw.removesuffix(b"\n").removesuffix(b"\r")
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"line {number} is not valid UTF-8 (byte {exc.start + 1}: {exc.reason})"
            ) from exc


def _outcome(
    text: str,
    spam: float,
    abuse: float,
    scorers: dict[str, TextScorer],
    site_settings: CommentSettings,
) -> str:
    # The nudge and the rules ask for these scores again: they get the batch's, not a new run.
    remember_score(scorers["spam"], text, spam)
    remember_score(scorers["abuse"], text, abuse)
    return comment_outcome(text=text, site_settings=site_settings).value


class Command(BaseCommand):
    help = (
        "Print 'spam_score<TAB>abuse_score' (0–1) for each line of a UTF-8 text file "
        "('-' reads standard input); with --outcome, and what the site would do with it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a UTF-8 text file, one comment per line; - for stdin")
        parser.add_argument(
            "--outcome",
            action="store_true",
            help="add a third column: what the site would do with the text from a returning "
            "commenter in good standing on an open article under the site's settings "
            "(published, nudged, held, spam; refused: not taken at all)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scorers = self._scorers()
        # With --outcome: the settings the outcome is judged under.
        site_settings = self._site_settings() if options["outcome"] else None
        name = options["file"]
        if name == "-":
            self._score(sys.stdin.buffer, scorers, site_settings)
            return
        path = Path(name)
        try:
            with path.open("rb") as stream:
                # Check the whole file first, so a bad line stops us before any output.
                for _ in _lines(stream):
                    pass
                stream.seek(0)
                self._score(stream, scorers, site_settings)
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc

    def _scorers(self) -> dict[str, TextScorer]:
        scorers = {kind: get_scorer(kind) for kind in KINDS}
        missing = [kind for kind, scorer in scorers.items() if scorer is None]
        if missing:
            raise CommandError(
                f"No trained {' and '.join(missing)} model "
                f"({', '.join(str(model_path(k)) for k in missing)}): "
                "run manage.py train_filters first."
            )
        return {kind: scorer for kind, scorer in scorers.items() if scorer is not None}

    def _site_settings(self) -> CommentSettings:
        try:
            return default_comment_settings()
        except DatabaseError as exc:
            raise CommandError(
                f"--outcome reads the site's settings, but the database cannot be read ({exc}): "
                "run manage.py migrate first (an empty database is fine)."
            ) from exc

    def _score(
        self,
        stream: IO[bytes],
        scorers: dict[str, TextScorer],
        site_settings: CommentSettings | None,
    ) -> None:
        lines = _lines(stream)
        while batch := [text for _, text in islice(lines, BATCH)]:
            spam = scorers["spam"].score(batch)
            abuse = scorers["abuse"].score(batch)
            rows = [f"{s:.4f}\t{a:.4f}" for s, a in zip(spam, abuse, strict=True)]
            if site_settings is not None:
                rows = [
                    f"{row}\t{_outcome(text, s, a, scorers, site_settings)}"
                    for row, text, s, a in zip(rows, batch, spam, abuse, strict=True)
                ]
            self.stdout.write("\n".join(rows))
            self.stdout.flush()
