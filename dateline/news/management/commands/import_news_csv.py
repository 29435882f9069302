from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from dateline.news.models import Author, HomePage
from dateline.news.services import ImportError_, articles_import_csv


class Command(BaseCommand):
    help = (
        "Import articles from a CSV file (columns: category, title, body or content; optional "
        "standfirst, published). Categories become sections. All or nothing: a malformed row "
        "stops the import before anything is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--limit", type=int, default=None, help="Import at most this many rows."
        )
        parser.add_argument(
            "--author", default=None, help="Slug of an author to put in every byline."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no front page yet; run `manage.py migrate` first.")
        author = None
        if options["author"]:
            author = Author.objects.filter(slug=options["author"]).first()
            if author is None:
                raise CommandError(f"No author with the slug “{options['author']}”.")
        bar = tqdm(
            desc="Importing",
            unit=" articles",
            disable=options["no_progress"] or options["verbosity"] == 0,
        )
        last = 0

        def progress(done: int) -> None:
            nonlocal last
            bar.update(done - last)
            last = done

        try:
            summary = articles_import_csv(
                path=options["path"],
                home=home,
                author=author,
                limit=options["limit"],
                progress=progress,
            )
        except ImportError_ as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        finally:
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.created} articles ({summary.skipped} already present, "
                f"{summary.sections_created} new sections)."
            )
        )
