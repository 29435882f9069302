"""The WordPress (WXR) import: the first pass reads and checks the file, the second writes,
in one transaction."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import transaction

from dateline.comments.services import comment_counts_refresh
from dateline.core.pagecache import invalidate
from dateline.news.models import HomePage

from ...media import Images
from ...summary import Summary
from ..common import DryRun, Progress, no_progress
from .index import wxr_index, wxr_source
from .redirects import OldAddresses
from .terms import Terms
from .writing import ItemWriter


def _other_items_note(summary: Summary) -> None:
    if summary.skipped:
        summary.note(
            "Pages, menus and other WordPress item types have no place in the paper and were "
            "not imported; pingbacks and trackbacks are not reader comments."
        )


def wxr_import(
    *,
    path: Path,
    home: HomePage,
    media_dir: Path | None = None,
    dry_run: bool = False,
    progress: Progress = no_progress,
) -> Summary:
    """Import a WordPress export (WXR 1.x): posts, categories, tags, authors, comments.

    Raises ExportFileError (nothing written) when the file is malformed. With ``dry_run`` the
    whole import runs and is rolled back: the summary says what would happen.
    """
    started = time.monotonic()
    summary = Summary(dry_run=dry_run)
    index = wxr_index(path, progress)
    source = wxr_source(index.channel, path)
    images = Images(
        media_dir=media_dir,
        attachments=index.attachments,
        source=source,
        summary=summary,
        dry_run=dry_run,
    )
    terms = Terms(home=home, index=index, source=source, summary=summary)
    addresses = OldAddresses(path=path, home=home, index=index, terms=terms, summary=summary)
    writer = ItemWriter(
        path=path,
        home=home,
        index=index,
        images=images,
        terms=terms,
        addresses=addresses,
        summary=summary,
    )
    try:
        with transaction.atomic():
            terms.authors_import()
            terms.sections_import()
            terms.tags_import()
            terms.category_tags_import()
            writer.items_import(progress)
            addresses.archives()
            writer.sticky_lead()
            for article_id in writer.touched:
                comment_counts_refresh(article_id=article_id)
            if dry_run:
                raise DryRun
            transaction.on_commit(lambda: invalidate(["content", "listings"]))
    except DryRun:
        pass
    except Exception:
        images.discard_files()
        raise
    _other_items_note(summary)
    summary.seconds = time.monotonic() - started
    return summary
