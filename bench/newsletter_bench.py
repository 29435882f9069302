"""Benchmark a newsletter issue to 50,000 subscribers over real SMTP (issue 16, §2).

    .venv/bin/python bench/newsletter_bench.py [--subscribers 50000] [--batch 100] [--no-doc]

Builds a throw-away site in a temporary directory (its own SQLite database), with one article,
one newsletter and N confirmed subscribers, starts a local SMTP server in its own process
(aiosmtpd, counting what it accepts), and sends the issue the way the task does
(``sending.issue_send_run``, in this process, without a time budget). Measures the time, the
peak memory of the sending process, the database statements per mail and per batch, and checks
that the server accepted every mail exactly once. Writes the figures into docs/performance.md
(between the ``newsletter`` markers) unless ``--no-doc``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- newsletter:begin -->", "<!-- newsletter:end -->"

SERVER = r"""
import asyncio, sys, time
from aiosmtpd.controller import Controller

class Count:
    def __init__(self):
        self.seen = {}
    async def handle_DATA(self, server, session, envelope):
        for to in envelope.rcpt_tos:
            self.seen[to] = self.seen.get(to, 0) + 1
        return "250 OK"

handler = Count()
controller = Controller(handler, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
for line in sys.stdin:
    if line.strip() == "report":
        twice = sum(1 for v in handler.seen.values() if v > 1)
        print(len(handler.seen), sum(handler.seen.values()), twice, flush=True)
controller.stop()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="dateline-newsletter-bench-"))
    port = free_port()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dateline.settings.dev",
            "DATELINE_IGNORE_DOTENV": "1",
            "DATELINE_VAR_DIR": str(tmp),
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "TASKS_BACKEND": "immediate",
            "DATELINE_BASE_URL": "https://news.example",
            "DEBUG": "0",
        }
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from dateline.news.models import HomePage
    from dateline.newsletters import sending
    from dateline.newsletters.models import Newsletter, SendLog, Subscriber, Subscription
    from dateline.newsletters.services import issue_prepare, issue_send

    print("migrating a throw-away database …", flush=True)
    call_command("migrate", verbosity=0)
    home = HomePage.objects.get()
    from tests.factories import ArticlePageFactory, SectionPageFactory

    section = SectionPageFactory(parent=home, title="International", slug="international")
    for n in range(8):
        ArticlePageFactory(
            parent=section,
            title=f"Dispatch number {n} from the harbour towns",
            first_published_at=timezone.now(),
        )
    newsletter = Newsletter.objects.create(name="International daily", slug="intl")
    newsletter.sections.add(section)
    print(f"adding {args.subscribers:,} subscribers …", flush=True)
    step = 5000
    for start in range(0, args.subscribers, step):
        made = Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{n}@mail.example", email_key=f"reader{n}@mail.example")
            for n in range(start, min(start + step, args.subscribers))
        )
        Subscription.objects.bulk_create(
            Subscription(subscriber=s, newsletter=newsletter, status="confirmed") for s in made
        )
    issue = issue_prepare(newsletter=newsletter)

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    statements = {"n": 0}

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements["n"] += 1
        return execute(sql, params, many, context)

    try:
        with override_settings(DATELINE_NEWSLETTER_BATCH_SIZE=args.batch):
            from unittest import mock

            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            with connection.execute_wrapper(count):
                with mock.patch("dateline.newsletters.services.send_issue"):
                    issue_send(issue=issue)
                result = sending.issue_send_run(issue.pk, seconds=10**9)
            elapsed = time.perf_counter() - started
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write("report\n")
        server.stdin.flush()
        unique, total, twice = (int(x) for x in server.stdout.readline().split())
    finally:
        server.terminate()
        server.wait()
    sent = SendLog.objects.filter(issue=issue, status="sent").count()
    shutil.rmtree(tmp, ignore_errors=True)
    mails = max(result.sent, 1)
    figures = {
        "subscribers": args.subscribers,
        "batch": args.batch,
        "batches": result.batches,
        "seconds": elapsed,
        "per_second": result.sent / elapsed,
        "statements": statements["n"],
        "per_mail": statements["n"] / mails,
        "peak_rss_mb": rss_after / 1024,
        "rss_growth_mb": (rss_after - rss_before) / 1024,
        "sent": sent,
        "unique": unique,
        "total": total,
        "twice": twice,
    }
    for key, value in figures.items():
        print(f"{key:>14}: {value:,.3f}" if isinstance(value, float) else f"{key:>14}: {value:,}")
    ok = sent == unique == total == args.subscribers and twice == 0
    if not ok:
        print("FAILED: not every subscriber got exactly one mail", file=sys.stderr)
        return 1
    if not args.no_doc:
        write_doc(figures)
    return 0


def write_doc(f: dict[str, float]) -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = f"""{BEGIN}
Measured by `bench/newsletter_bench.py` on {now} (Python {sys.version.split()[0]}, {os.cpu_count()} CPUs shared with other work; SQLite, a local aiosmtpd server in its own process).

| | |
|---|---:|
| subscribers (confirmed) | {f["subscribers"]:,} |
| batch size / batches | {f["batch"]:,} / {f["batches"]:,} |
| total time | {f["seconds"]:.1f} s |
| mails per second | {f["per_second"]:,.0f} |
| database statements, all / per mail | {f["statements"]:,} / {f["per_mail"]:.3f} |
| peak memory of the sending process (RSS) / growth during the send | {f["peak_rss_mb"]:.0f} MB / {f["rss_growth_mb"]:.1f} MB |
| mails the server accepted / addresses / addresses that got two | {f["total"]:,} / {f["unique"]:,} / {f["twice"]} |
{END}"""
    text = DOC.read_text()
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = (
            text.rstrip() + "\n\n## Newsletters: one issue to 50,000 subscribers\n\n" + block + "\n"
        )
    DOC.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
