from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from dateline.portability.services import wxr_export


class Command(BaseCommand):
    help = (
        "Write every article, section, tag, author, used image and comment to a WordPress "
        "export file (WXR 1.2). The file includes commenters' email addresses: keep it private."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        bar = tqdm(
            desc="Exporting",
            unit=" articles",
            disable=options["no_progress"] or options["verbosity"] == 0,
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            summary = wxr_export(path=options["path"], progress=progress)
        except OSError as exc:
            raise CommandError(f"Cannot write {options['path']}: {exc.strerror}.") from exc
        finally:
            bar.close()
        for line in summary.lines():
            self.stdout.write(line.replace("Created:", "Exported:"))
