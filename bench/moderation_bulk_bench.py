"""Benchmark a desk bulk action on SQLite: moderating 10,000 comments in chunks while a reader
keeps posting, and check the targets of issue 4.

    .venv/bin/python bench/moderation_bulk_bench.py [--comments 10000] [--chunk 500]
        [--action approve] [--out bench/out/moderation_bulk.json] [--no-doc]
        [--max-transaction 1.0] [--max-post 1.0] [--max-seconds-per-1000 1.0]

Builds a throw-away site in a temporary directory (its own SQLite file in WAL mode, the
project's connection options: BEGIN IMMEDIATE, 10 s busy timeout), one article with
``--comments`` held comments from distinct commenters, then runs the desk's ``desk_bulk`` on
all of them, ``--chunk`` per transaction. Meanwhile a second thread (its own connection) posts a
reader's comment through ``comment_post`` every 50 ms and times each post; its first posts, before
the run, give its pace alone. Prints and records: total time, number of chunks, the longest
single transaction, the reader's posts during the run against the room the run left for them,
and their median and slowest time.

Targets (exit status 1 when one is missed, and docs/performance.md is left alone): every
comment decided, no reader error, the longest transaction under --max-transaction seconds, the
reader's slowest post under --max-post seconds, at least half the posts the run had room for
(its length / (50 ms + twice the post's time alone: the two threads share one interpreter)),
and the run under --max-seconds-per-1000 per 1,000 comments. Writes JSON to --out and, when the
targets are met, the figures into docs/performance.md ("Moderation bulk actions") unless
--no-doc.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- moderation_bulk:begin -->", "<!-- moderation_bulk:end -->"


def setup_django(directory: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dateline.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DEBUG", "false")
    os.environ["DATELINE_VAR_DIR"] = str(directory)
    import logging

    import django

    django.setup()
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(comments: int) -> tuple[object, list[int], object]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from dateline.comments.models import Comment
    from dateline.news.models import ArticlePage, HomePage, SectionPage

    home = HomePage.objects.get()
    section = home.add_child(instance=SectionPage(title="Bench", slug="bench"))
    article = section.add_child(
        instance=ArticlePage(
            title="Bench article", slug="bench-article", first_published_at=timezone.now()
        )
    )
    now = timezone.now()
    rows = []
    for i in range(comments):
        rows.append(
            Comment(
                article=article,
                path=f"{i:016x}",
                thread=f"{i:016x}",
                status=Comment.Status.PENDING,
                author_name=f"Reader {i}",
                author_email=f"reader{i}@example.org",
                email_key=f"reader{i}@example.org",
                body=f"A held remark, number {i}, about the bench article.",
                body_hash=f"bench-{i}",
                created_at=now,
            )
        )
    created = Comment.objects.bulk_create(rows, batch_size=2000)
    moderator = get_user_model().objects.create_user(username="bench-moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    return article, [c.pk for c in created], moderator


INTERVAL = 0.05  # the reader's pause between two posts
WARM_POSTS = 5  # posts before the run: the first warms up, the others time a post alone


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--action", default="approve", choices=["approve", "spam", "trash"])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "moderation_bulk.json")
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--max-transaction", type=float, default=1.0, metavar="SECONDS")
    parser.add_argument("--max-post", type=float, default=1.0, metavar="SECONDS")
    parser.add_argument("--max-seconds-per-1000", type=float, default=1.0, metavar="SECONDS")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dateline-bulk-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection

        from dateline.comments.models import Comment
        from dateline.comments.screening import Submission
        from dateline.comments.services import comment_post
        from dateline.moderation.desk import desk_bulk

        article, ids, moderator = build(args.comments)
        connection.close()

        stop = threading.Event()
        ready = threading.Event()
        posts: list[tuple[float, float]] = []  # started, seconds
        errors: list[str] = []

        def reader() -> None:
            n = 0
            while not stop.is_set():
                if n == WARM_POSTS:
                    ready.set()
                started = time.perf_counter()
                try:
                    comment_post(
                        submission=Submission(
                            article=article,  # type: ignore[arg-type]
                            name="Busy Reader",
                            email=f"busy{n}@example.org",
                            body=f"Posted while the desk works ({n}).",
                            ip="203.0.113.5",
                        )
                    )
                    posts.append((started, time.perf_counter() - started))
                except Exception as exc:  # recorded: a failure is a finding
                    errors.append(repr(exc))
                n += 1
                time.sleep(INTERVAL)
            ready.set()
            connection.close()

        thread = threading.Thread(target=reader)
        thread.start()
        ready.wait(timeout=60)
        began = time.perf_counter()
        try:
            result = desk_bulk(
                comment_ids=ids, action=args.action, actor=moderator, chunk_size=args.chunk
            )
        finally:
            ended = time.perf_counter()
            stop.set()
            thread.join()
        decided = Comment.objects.filter(pk__in=ids).exclude(status="pending").count()

    total = ended - began
    alone = statistics.median(seconds for _, seconds in posts[1:WARM_POSTS])
    during = [seconds for started, seconds in posts if began <= started < ended]
    room = total / (INTERVAL + 2 * alone)
    figures = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "comments": args.comments,
        "chunk": args.chunk,
        "action": args.action,
        "decided": decided,
        "changed": result.changed,
        "chunks": result.chunks,
        "total_seconds": round(total, 3),
        "longest_transaction_seconds": round(result.longest_transaction, 3),
        "per_1000_seconds": round(total / args.comments * 1000, 3),
        "reader_post_alone_ms": round(alone * 1000, 1),
        "reader_posts": len(during),
        "reader_posts_room": round(room, 1),
        "reader_post_median_ms": round(statistics.median(during) * 1000, 1) if during else None,
        "reader_post_max_ms": round(max(during) * 1000, 1) if during else None,
        "reader_errors": len(errors),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    missed = [
        target
        for target, met in [
            (f"all {args.comments:,} comments decided", decided == args.comments),
            ("no reader error", not errors),
            (
                f"longest transaction under {args.max_transaction} s",
                result.longest_transaction < args.max_transaction,
            ),
            (
                f"reader's slowest post under {args.max_post} s",
                max(during, default=0) < args.max_post,
            ),
            (f"at least half the {room:.0f} posts the run had room for", len(during) >= room / 2),
            (
                f"under {args.max_seconds_per_1000} s per 1,000 comments",
                total / args.comments * 1000 < args.max_seconds_per_1000,
            ),
        ]
        if not met
    ]
    figures["missed"] = missed
    print(json.dumps(figures, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    if errors:
        print("reader errors:", *errors[:5], sep="\n  ")
    if missed:
        print("MISSED:", *missed, sep="\n  ", file=sys.stderr)
        return 1
    if not args.no_doc:
        write_doc(figures)
    return 0


def write_doc(f: dict[str, object]) -> None:
    block = f"""{BEGIN}
Measured by `bench/moderation_bulk_bench.py` on {f["when"]} (Python {f["python"]}, {f["cpus"]} CPUs shared with other work; SQLite in WAL mode with the project's options).

| | |
|---|---:|
| comments moderated ({f["action"]}) | {f["comments"]:,} |
| chunk size (comments per transaction) | {f["chunk"]} |
| transactions | {f["chunks"]} |
| total time | {f["total_seconds"]} s |
| longest single transaction | {f["longest_transaction_seconds"]} s |
| reader posts during the run (one every 50 ms) / room for | {f["reader_posts"]} / {f["reader_posts_room"]} ({f["reader_errors"]} failed) |
| reader post alone (before the run) | {f["reader_post_alone_ms"]} ms |
| reader post during the run, median / slowest | {f["reader_post_median_ms"]} ms / {f["reader_post_max_ms"]} ms |
{END}"""
    text = DOC.read_text()
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    DOC.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
