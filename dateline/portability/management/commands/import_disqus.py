from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.news.models import HomePage
from dateline.portability.parsing import ExportFileError
from dateline.portability.services import disqus_import

from ._progress import StageBars


class Command(BaseCommand):
    help = (
        "Import comments from a Disqus XML export onto the articles at the threads' addresses "
        "(directly or through a redirect left by import_wxr). All or nothing; a second run "
        "changes nothing. Threads with no matching article are listed, not imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, then roll everything back."
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no front page yet; run `manage.py migrate` first.")
        bars = StageBars(
            disable=options["no_progress"] or options["verbosity"] == 0, unit=" records"
        )
        try:
            summary = disqus_import(
                path=options["path"], home=home, dry_run=options["dry_run"], progress=bars
            )
        except ExportFileError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        finally:
            bars.close()
        for line in summary.lines():
            self.stdout.write(line)
