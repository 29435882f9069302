"""The Disqus import: each thread's comments onto our article at its address."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.db import transaction
from wagtail.contrib.redirects.models import Redirect

from dateline.comments.models import Comment
from dateline.comments.services import comment_counts_refresh
from dateline.core.pagecache import invalidate
from dateline.news.models import ArticlePage, HomePage

from ..comment_text import comment_text_from_html
from ..parsing import DisqusPost, DisqusReader, DisqusThread
from ..summary import Summary
from ..threads import IncomingComment, comments_import
from .common import DryRun, Progress, no_progress


def article_for_url(*, url: str, home: HomePage) -> ArticlePage | None:
    """Our article at an address: by its path on our site, else through a redirect."""
    parsed = urlparse(url.strip())
    if not parsed.path and not parsed.query:
        return None
    segments = [s for s in unquote(parsed.path).split("/") if s]
    if segments:
        url_path = home.url_path + "/".join(segments) + "/"
        found = ArticlePage.objects.filter(url_path=url_path).first()
        if found is not None:
            return found
    for candidate in (url, parsed.path or "/"):
        redirect = (
            Redirect.objects.filter(old_path=Redirect.normalise_path(candidate))
            .select_related("redirect_page")
            .first()
        )
        if redirect is not None and redirect.redirect_page is not None:
            page = redirect.redirect_page.specific
            if isinstance(page, ArticlePage):
                return page
    return None


def _disqus_status(post: DisqusPost) -> str:
    if post.is_spam:
        return Comment.Status.SPAM
    if post.is_deleted:
        return Comment.Status.TRASH
    return Comment.Status.APPROVED if post.is_approved else Comment.Status.PENDING


def disqus_import(
    *, path: Path, home: HomePage, dry_run: bool = False, progress: Progress = no_progress
) -> Summary:
    """Import comments from a Disqus XML export, each thread onto our article at its address.

    Threads whose address is not one of our articles (directly or through a redirect) are
    counted and named in the summary. Raises ExportFileError (nothing written) for a malformed
    file. The posts are held in memory between reading and writing.
    """
    started = time.monotonic()
    summary = Summary(dry_run=dry_run)
    reader = DisqusReader(path)
    threads: dict[str, DisqusThread] = {}
    posts: dict[str, list[DisqusPost]] = {}
    for read, record in enumerate(reader, start=1):
        progress("Checking", read, None)
        if isinstance(record, DisqusThread):
            threads.setdefault(record.thread_id, record)
        else:
            posts.setdefault(record.thread_id, []).append(record)
    source = ("disqus:" + (reader.forum or "")).rstrip(":")
    touched: list[int] = []
    try:
        with transaction.atomic():
            done = 0
            for thread_id, thread_posts in posts.items():
                done += 1
                progress("Importing", done, len(posts))
                thread = threads.get(thread_id)
                article = article_for_url(url=thread.link, home=home) if thread else None
                if article is None:
                    summary.skipped["comments on threads with no matching article"] += len(
                        thread_posts
                    )
                    summary.counts["threads with no matching article"] += 1
                    summary.note(
                        f"No article for the thread {thread.link if thread else thread_id!r} ({len(thread_posts)} comments)."
                    )
                    continue
                incoming = [
                    IncomingComment(
                        line=p.line,
                        source_id=p.post_id,
                        parent_source_id=p.parent_id,
                        author=p.author,
                        email=p.email,
                        url="",
                        created_at=p.created_at,
                        body=comment_text_from_html(p.message),
                        status=_disqus_status(p),
                    )
                    for p in thread_posts
                ]
                if comments_import(
                    article=article,
                    incoming=incoming,
                    source=source,
                    summary=summary,
                    file_name=path.name,
                ):
                    comment_counts_refresh(article_id=article.pk)
                    touched.append(article.pk)
            if dry_run:
                raise DryRun
            deps = [f"article:{pk}" for pk in touched] + ["listings"]
            transaction.on_commit(lambda: invalidate(deps))
    except DryRun:
        pass
    summary.seconds = time.monotonic() - started
    return summary
