"""Score each line of a UTF-8 text file with the spam and abusive-language filters.

    manage.py moderation_score comments.txt > scores.tsv
    some-export | manage.py moderation_score -

Prints ``spam_score<TAB>abuse_score`` (0–1, four decimals) for every line in, empty lines too,
in the same order, as it reads (in batches), so a large file streams.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.moderation.classifier import KINDS, TextScorer, get_scorer, model_path

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


class Command(BaseCommand):
    help = (
        "Print 'spam_score<TAB>abuse_score' (0–1) for each line of a UTF-8 text file "
        "('-' reads standard input)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a UTF-8 text file, one comment per line; - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        scorers = self._scorers()
        name = options["file"]
        if name == "-":
            self._score(sys.stdin.buffer, scorers)
            return
        path = Path(name)
        try:
            with path.open("rb") as stream:
                # Check the whole file first, so a bad line stops us before any output.
                for _ in _lines(stream):
                    pass
                stream.seek(0)
                self._score(stream, scorers)
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

    def _score(self, stream: IO[bytes], scorers: dict[str, TextScorer]) -> None:
        lines = _lines(stream)
        while batch := [text for _, text in islice(lines, BATCH)]:
            spam = scorers["spam"].score(batch)
            abuse = scorers["abuse"].score(batch)
            self.stdout.write(
                "\n".join(f"{s:.4f}\t{a:.4f}" for s, a in zip(spam, abuse, strict=True))
            )
            self.stdout.flush()
