from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.news.models import HomePage
from dateline.portability.parsing import ExportFileError
from dateline.portability.services import wxr_import

from ._progress import StageBars


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR): posts become articles, categories sections, and tags, "
        "authors, comments and old addresses (as redirects) come along. All or nothing; a second "
        "run of the same file changes nothing. Images are taken only from --media-dir."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--media-dir",
            type=Path,
            default=None,
            help="A copy of the old site's uploads (wp-content/uploads); nothing is downloaded.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, then roll everything back."
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no front page yet; run `manage.py migrate` first.")
        media_dir = options["media_dir"]
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir} is not a directory.")
        bars = StageBars(disable=options["no_progress"] or options["verbosity"] == 0, unit=" items")
        try:
            summary = wxr_import(
                path=options["path"],
                home=home,
                media_dir=media_dir,
                dry_run=options["dry_run"],
                progress=bars,
            )
        except ExportFileError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        finally:
            bars.close()
        for line in summary.lines():
            self.stdout.write(line)
