"""Benchmark the reader conversation (issue 3, section 5) against nginx serving the same bytes.

    .venv/bin/python bench/comments_bench.py [--duration 10] [--connections 16] [--threads 2]
        [--workers cores] [--server granian|gunicorn] [--redis] [--out bench/out/comments.json]

Builds a throw-away site in a temporary directory (its own SQLite database, production
settings), with article A (200 threaded comments) and article B (20,000), starts the production
server (granian, as `make serve` does; `--server gunicorn` for the alternative) and nginx with a static copy of article A's bytes, and
measures each with wrk. Prints a table, writes JSON to --out and the figures into
docs/performance.md. Servers are always stopped, even on Ctrl+C. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.lib import (
    APP_SERVERS,
    BENCH,
    REPO,
    CpuMeter,
    Service,
    app_server_command,
    comment_post_environ,
    free_port,
    http_get,
    loadavg,
    log,
    machine_info,
    nginx_service,
    production_env,
    run,
    run_wrk,
    wait_for_quiet,
    wait_http,
)

PYTHON = REPO / ".venv" / "bin" / "python"
DOC = REPO / "docs" / "performance.md"
REDIS_URL = "redis://127.0.0.1:6379/14"

# The targets of issue 3, section 5.
TARGET_ARTICLE_SHARE = 0.025  # article page (200 comments) req/s vs nginx static
TARGET_BIG_THREAD_RATIO = 1.2  # first page of 20,000 comments vs the 200-comment page (time)
TARGET_POST_SHARE = 0.03  # comment POST req/s vs nginx static, with 0 errors

# Threads that still get replies while new ones start (see _shape).
ACTIVE_THREADS = 8

# Share of benchmark POSTs that reply to an existing comment of article A.
POST_REPLY_SHARE = 0.3


# --- The data set (runs inside the benchmark's own Django environment) ------------------------

# Words for names and comment text, one string each for readability.
FIRST = """
Ana Ben Chloé Dmitri Efua Farid Greta Hiro Ines Jonas Kemal Lena Marta Nnamdi Olga Pavel
Rosa Sami Tomás Uma Vera Wen Yusuf Zofia
""".split()  # noqa: SIM905
LAST = """
Abebe Brandt Costa Dubois Eriksen Fischer García Haddad Ivanova Jensen Kowalski Lindqvist
Moreau Nakamura Okafor Petrov Quinn Rossi Schmidt Tanaka Varga Weber Yilmaz Zhou
""".split()  # noqa: SIM905
VOCAB = """
council budget vote minister bridge district residents hospital school transport funding
report figures paragraph meeting evening question answer journalists neighbours winter roads
closed week clearly numbers missing second think read twice still waited years north new
plan cost expected said tuesday would more than finally explains why agree point however
remember happened last should what when were thanks reporting local election turnout
candidates promised housing rents prices market workers union strike talks agreement weekend
protest square police mayor office statement interview source document published earlier
correction update river flooding repairs contract company tender delay months public
consultation survey results data chart article headline context history decade policy tax
rate increase families children parents teachers nurses doctors patients clinic waiting list
ambulance station train bus line timetable fares cyclists pedestrians safety crossing lights
traffic parking fines
""".split()  # noqa: SIM905


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(VOCAB) for _ in range(words))
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])


def _body(rng: random.Random) -> str:
    """200-600 characters in two or three paragraphs, sometimes with a little Markdown."""
    target = rng.randint(200, 600)
    paragraphs: list[str] = []
    current: list[str] = []
    length = 0
    while length < target - 30:
        sentence = _sentence(rng, rng.randint(6, 16))
        roll = rng.random()
        if roll < 0.12:
            word = rng.choice(VOCAB)
            sentence = sentence.replace(f" {word} ", f" *{word}* ", 1)
        elif roll < 0.2:
            word = rng.choice(VOCAB)
            sentence = sentence.replace(f" {word} ", f" **{word}** ", 1)
        elif roll < 0.25:
            sentence += f" `{rng.choice(VOCAB)}_{rng.randint(1, 99)}`"
        elif roll < 0.29:
            sentence += f" See https://example.org/{rng.choice(VOCAB)}/{rng.randint(1, 999)}"
        current.append(sentence)
        length += len(sentence) + 1
        if len(current) >= rng.randint(2, 4):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    if rng.random() < 0.1 and len(paragraphs) > 1:
        paragraphs[0] = "> " + paragraphs[0]
    text = "\n\n".join(paragraphs)
    while len(text) < 200:
        text += " " + _sentence(rng, 8)
    return text[:600].rstrip()


def _shape(rng: random.Random, *, total: int, top_level: int) -> list[int | None]:
    """Parents (as indexes into the list) for ``total`` comments in time order: ``top_level`` of
    them start a thread, the others answer someone in one of the few threads still active, at
    most 4 levels deep. Threads come out the same size on average (total / top_level) however
    long the conversation, so the first page of a long thread is comparable to a short one."""
    starts = {0, *rng.sample(range(1, total), top_level - 1)}
    parents: list[int | None] = []
    depths: list[int] = []
    members: list[list[int]] = []  # per thread: the comments that may still be answered
    for i in range(total):
        if i in starts:
            parents.append(None)
            depths.append(0)
            members.append([i])
        else:
            thread = members[-rng.randint(1, min(ACTIVE_THREADS, len(members)))]
            # About half of the replies answer the comment that started the thread.
            parent = thread[0] if rng.random() < 0.45 else rng.choice(thread)
            parents.append(parent)
            depths.append(depths[parent] + 1)
            if depths[i] < 4:
                thread.append(i)
    return parents


def _build_comments(
    article: Any, *, rng: random.Random, total: int, top_level: int, commenters: int, days: int
) -> int:
    from django.db import transaction
    from django.db.models import Max

    from dateline.comments.models import Comment
    from dateline.comments.services import email_key_for, path_segment
    from dateline.comments.text import body_fingerprint

    people = []
    for n in range(commenters):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        url = f"https://{last.lower()}-{n}.example.net/" if rng.random() < 0.15 else ""
        local = unicodedata.normalize("NFKD", f"{first}.{last}{n}").encode("ascii", "ignore")
        people.append((f"{first} {last}", f"{local.decode().lower()}@example.com", url))
    parents = _shape(rng, total=total, top_level=top_level)
    end = datetime.now(UTC) - timedelta(minutes=30)
    start = end - timedelta(days=days)
    step = (end - start) / total
    next_id = (Comment.objects.aggregate(n=Max("id"))["n"] or 0) + 1
    # The comment a reply answers, when the model records it apart from the tree parent.
    fields = {f.name for f in Comment._meta.get_fields()}
    answers = "in_reply_to_id" if "in_reply_to" in fields else None
    seen: set[tuple[str, str]] = set()
    rows: list[Comment] = []
    paths: list[str] = []
    threads: list[str] = []
    for i, parent in enumerate(parents):
        when = start + step * i + timedelta(microseconds=rng.randint(0, 999))
        segment = path_segment(when)
        name, email, url = rng.choice(people)
        key = email_key_for(email=email, user_id=None)
        body = _body(rng)
        while (key, body_fingerprint(body)) in seen:
            body = _body(rng)
        seen.add((key, body_fingerprint(body)))
        path = f"{paths[parent]}/{segment}" if parent is not None else segment
        paths.append(path)
        threads.append(threads[parent] if parent is not None else segment)
        extra = {answers: next_id + parent if parent is not None else None} if answers else {}
        rows.append(
            Comment(
                **extra,
                id=next_id + i,
                article_id=article.pk,
                parent_id=next_id + parent if parent is not None else None,
                path=path,
                thread=threads[-1],
                depth=path.count("/"),
                status=Comment.Status.APPROVED,
                author_name=name,
                author_email=email,
                email_key=key,
                author_url=url,
                body=body,
                body_hash=body_fingerprint(body),
                created_at=when,
                moderated_at=when,
                moderation_reasons=[],
                likes_count=rng.choice([0, 0, 0, 0, 1, 1, 2, 3, 5, 8, 13]),
                ip_prefix="192.0.2.0/24",
                user_agent="Mozilla/5.0 (bench)",
            )
        )
    with transaction.atomic():
        for offset in range(0, len(rows), 1000):
            Comment.objects.bulk_create(rows[offset : offset + 1000])
    return len(rows)


def internal_setup() -> dict[str, Any]:
    """A section, two articles and their conversations. Prints what the benchmark needs."""
    import django

    django.setup()
    from wagtail.models import Site

    from dateline.comments.models import Comment
    from dateline.comments.services import comment_counts_refresh
    from dateline.core.pagecache import invalidate
    from dateline.news.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage

    rng = random.Random(20_240_603)
    home = HomePage.objects.get()
    section = SectionPage(
        title="City", slug="city", description="The city, its council and its people."
    )
    home.add_child(instance=section)
    section.save_revision().publish(skip_permission_checks=True)
    author = Author.objects.create(name="Mira Castell", slug="mira-castell", role="City reporter")

    articles = {}
    for key, title in (
        ("a", "Council backs the new river bridge after a long night of debate"),
        ("b", "Bus fares to double in the spring, the transport board confirms"),
    ):
        body = [("heading", "What was decided")] + [
            (
                "paragraph",
                f"<p>{' '.join(_sentence(rng, rng.randint(12, 24)) for _ in range(5))}</p>",
            )
            for _ in range(8)
        ]
        article = ArticlePage(
            title=title,
            slug=f"bench-article-{key}",
            standfirst=_sentence(rng, 20),
            dateline_place="RIVERTON",
            body=body,
            comment_status=ArticlePage.CommentStatus.OPEN,
            first_published_at=datetime.now(UTC) - timedelta(days=3),
        )
        section.add_child(instance=article)
        ArticleAuthor.objects.create(article=article, author=author, sort_order=0)
        article.tags.add("council", "transport")
        article.save()
        article.save_revision().publish(skip_permission_checks=True)
        articles[key] = ArticlePage.objects.get(pk=article.pk)

    started = time.monotonic()
    made_a = _build_comments(articles["a"], rng=rng, total=200, top_level=60, commenters=80, days=3)
    made_b = _build_comments(
        articles["b"], rng=rng, total=20_000, top_level=6_000, commenters=3_000, days=30
    )
    for article in articles.values():
        comment_counts_refresh(article_id=article.pk)
    invalidate(["content", "listings", *(f"article:{a.pk}" for a in articles.values())])

    def facts(article: ArticlePage) -> dict[str, Any]:
        qs = Comment.objects.filter(article_id=article.pk)
        article.refresh_from_db()
        return {
            "id": article.pk,
            "url": article.get_url(),
            "comments": qs.count(),
            "top_level": qs.filter(depth=0).count(),
            "max_depth": max(qs.values_list("depth", flat=True)),
            "comment_count": article.comment_count,
        }

    site = Site.objects.get(is_default_site=True)
    return {
        "a": facts(articles["a"]),
        "b": facts(articles["b"]),
        "reply_to": list(
            Comment.objects.filter(article_id=articles["a"].pk, status="approved")
            .order_by("?")
            .values_list("id", flat=True)[:100]
        ),
        "comments_created": made_a + made_b,
        "seconds": round(time.monotonic() - started, 1),
        "site": f"{site.hostname}:{site.port}",
    }


def internal_count(article_id: int, ids_file: Path) -> dict[str, Any]:
    """Rows of the article, and which of the acknowledged comment ids are stored."""
    import django

    django.setup()
    from dateline.comments.models import Comment

    ids = [int(i) for i in json.loads(ids_file.read_text()) if i is not None]
    stored = set(
        Comment.objects.filter(pk__in=ids, article_id=article_id).values_list("id", flat=True)
    )
    return {
        "rows": Comment.objects.filter(article_id=article_id).count(),
        "pending": Comment.objects.filter(article_id=article_id, status="pending").count(),
        "acked_stored": len(stored),
        "acked_missing": sorted(set(ids) - stored)[:50],
        "acked_duplicates": len(ids) - len(set(ids)),
    }


def post_form(rng: random.Random, nonce: str, *, article_id: int, parent: int, stamp: str) -> bytes:
    """The form the page's script sends for one comment (as bench/wrk/post_comment.lua does)."""
    return urlencode(
        {
            "comment": _post_body(rng, f"({nonce})"),
            "author": f"{rng.choice(FIRST)} {nonce}",
            "email": f"reader-{nonce}@bench.example",
            "url": "",
            "comment_post_ID": article_id,
            "comment_parent": parent,
            "comment_key": f"k-{nonce}",
            "comment_stamp": stamp,
            "fax": "",
        }
    ).encode()


def _post_body(rng: random.Random, marker: str) -> str:
    """A comment as bench/wrk/post_comment.lua writes one: 200-600 characters, a little
    Markdown, its own marker so no two are the same."""
    target = rng.randint(200, 600)
    parts = [f"{_sentence(rng, 12)} *{rng.choice(VOCAB)} {rng.choice(VOCAB)}* {_sentence(rng, 8)}"]
    roll = rng.random()
    if roll < 0.2:
        parts.append("> " + _sentence(rng, 10))
    elif roll < 0.3:
        parts.append(
            f"See https://example.org/{rng.choice(VOCAB)} for the **{rng.choice(VOCAB)}**."
        )
    text = "\n\n".join(parts)
    while len(text) < target - 40:
        text += " " + _sentence(rng, 6)
    return f"{text}\n\n{marker}"


def internal_posts(
    article_id: int, reply_to: list[int], *, posts: int, profile: bool
) -> dict[str, Any]:
    """Comment POSTs in this process through the WSGI application (the server's own entry,
    warm-up included), shaped as the wrk script sends them: the time and CPU of each, and with
    ``profile`` where the CPU goes (cProfile over the measured posts)."""
    import cProfile
    import gc
    import io
    import pstats
    import statistics

    from django.db import connection

    from dateline.wsgi import application  # sets Django up and warms the site, as the server

    rng = random.Random()
    from dateline.comments.guards import form_stamp  # once Django is set up

    run_id = f"{os.getpid()}-{time.time_ns() % 10**9}"  # a rerun on the same site posts anew
    host = "127.0.0.1:8000"
    stamp = form_stamp(now=time.time() - 30)
    statuses: dict[str, int] = {}

    def one(n: int) -> tuple[float, float]:
        nonce = f"p-{run_id}-{n}"
        parent = rng.choice(reply_to) if reply_to and rng.random() < POST_REPLY_SHARE else 0
        form = post_form(rng, nonce, article_id=article_id, parent=parent, stamp=stamp)
        environ = comment_post_environ(host, form, agent="dateline-bench (in process)")
        seen: list[str] = []
        started, cpu = time.perf_counter(), time.process_time()
        body = b"".join(application(environ, lambda status, _h, *_: seen.append(status)))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        code = seen[0].split()[0]
        statuses[code] = statuses.get(code, 0) + 1
        if code != "201":
            raise RuntimeError(f"in-process post answered {seen[0]}: {body[:300]!r}")
        return wall * 1000, cpu * 1000

    for n in range(min(50, posts)):  # warm-up: caches, prepared statements, the models
        one(n)
    profiler = cProfile.Profile() if profile else None
    walls: list[float] = []
    cpus: list[float] = []
    queries = 0
    gc.collect()
    for n in range(posts):
        connection.queries_log.clear()
        connection.force_debug_cursor = n == 0
        if profiler is not None:
            profiler.enable()
        wall, cpu = one(1000 + n)
        if profiler is not None:
            profiler.disable()
        if n == 0:
            queries = len(connection.queries)
            connection.force_debug_cursor = False
        walls.append(wall)
        cpus.append(cpu)
    result: dict[str, Any] = {
        "posts": posts,
        "statuses": statuses,
        "queries_per_post": queries,
        "median_ms": round(statistics.median(walls), 3),
        "median_cpu_ms": round(statistics.median(cpus), 3),
        "mean_cpu_ms": round(statistics.fmean(cpus), 3),
        "min_cpu_ms": round(min(cpus), 3),
    }
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        result["profile"] = out.getvalue().splitlines()
        dump = Path(os.environ.get("DATELINE_VAR_DIR", tempfile.gettempdir())) / "posts.prof"
        profiler.dump_stats(dump)
        result["profile_file"] = str(dump)
    return result


# --- Orchestration ------------------------------------------------------------------------------


def bench_env(workdir: Path, *, redis: bool, extra: dict[str, str] | None = None) -> dict[str, str]:
    # Every request comes from 127.0.0.1: the per-network limit (60 an hour by default) would
    # answer 429 after a second. The limiter still runs and counts every post.
    env = production_env(workdir, DATELINE_COMMENT_NETWORK_PER_HOUR="100000000")
    if redis:
        env["REDIS_URL"] = REDIS_URL
    env.update(extra or {})
    return env


def flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    client.flushdb()
    client.close()


def internal(env: dict[str, str], *args: str, timeout: float = 1800) -> dict[str, Any]:
    result = run([str(PYTHON), str(Path(__file__).resolve()), *args], env=env, timeout=timeout)
    return json.loads(result.stdout.strip().splitlines()[-1])


def app_service(
    *, env: dict[str, str], workers: int, workdir: Path, nice: int = 0, server: str = "granian"
) -> tuple[Service, int]:
    """The production server as `make serve` runs it (bench.lib.app_server_command), with the
    bind and the worker count of the command line and no access log."""
    port = free_port()
    argv, extra = app_server_command(server, port=port, workers=workers)
    return Service(server, argv, env | extra, workdir / f"{server}.log", nice=nice), port


SEQUENTIAL_N = 60


def sequential_pair(url_a: str, url_b: str, *, n: int = SEQUENTIAL_N) -> list[dict[str, float]]:
    """One request at a time, alternating between the two pages: the time the server takes for
    each, without queueing. Alternating makes the two medians see the same machine (a page 20 %
    faster than the other is a few milliseconds; measured one after the other, a drift of the
    host's speed between the two series was as large)."""
    times: list[list[float]] = [[], []]
    for _ in range(n):
        for i, url in enumerate((url_a, url_b)):
            started = time.perf_counter()
            status, _headers, _body = http_get(url)
            times[i].append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"{url} answered {status}")
    out = []
    for series in times:
        series.sort()
        out.append({"median_ms": series[len(series) // 2], "min_ms": series[0], "n": n})
    return out


def _shared(args: argparse.Namespace) -> tuple[str, ...]:
    """Servers we use but did not start, counted with ours in the CPU figures."""
    return ("redis-server",) if args.redis else ()


def measure(
    name: str,
    url: str,
    args: argparse.Namespace,
    *,
    services: list[Service],
    script: Path,
    script_args: list[str] | None = None,
    warmup: bool = True,
) -> dict[str, Any]:
    common = {
        "connections": args.connections,
        "threads": args.threads,
        "script": script,
        "nice": args.nice,
    }
    quiet = {"other_cpu_before": -1.0, "waited_s": 0.0}
    if args.max_wait > 0:
        quiet = wait_for_quiet(
            services, threshold=args.quiet_below, max_wait=args.max_wait, names=_shared(args)
        )
        if quiet["other_cpu_before"] >= args.quiet_below:
            log(
                f"  the machine is busy: other processes use {quiet['other_cpu_before']:.0%} of "
                f"the CPU after waiting {quiet['waited_s']:.0f}s; measuring anyway"
            )
    if warmup and args.warmup > 0:
        run_wrk(url, duration=args.warmup, script_args=script_args or [], **common)
    log(f"measuring {name}: {url} for {args.duration:g}s")
    load_before = loadavg()
    with CpuMeter(services, _shared(args)) as cpu:
        result = run_wrk(url, duration=args.duration, script_args=script_args or [], **common)
    result["name"] = name
    result["loadavg_1min"] = [load_before, loadavg()]
    result["cpu"] = cpu.result
    result["quiet"] = quiet
    log(
        f"  {result.get('rps', 0):.1f} req/s, mean {result.get('latency_avg_ms', 0):.2f} ms, "
        f"p99 {result.get('p99_ms', 0):.2f} ms, errors {result['errors_total']}; CPU: "
        f"servers {cpu.result['cpu_servers']:.0%}, wrk {cpu.result['cpu_wrk']:.0%}, "
        f"other processes {cpu.result['cpu_other']:.0%}"
    )
    return result


def _ok(r: dict[str, Any]) -> bool:
    return r.get("requests", 0) > 0 and r["errors_total"] == 0


def _single(r: dict[str, Any]) -> float:
    return float(r.get("sequential", {}).get("median_ms", 0.0))


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf") if a else 0.0


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    static = results["nginx_static"]["rps"] or float("nan")
    a, b = results["article_a_cached"], results["article_b_cached"]
    a_r, b_r = results["article_a_rendered"], results["article_b_rendered"]
    post = results["comment_post"]
    integrity = results["post_integrity"]
    post_errors = post["errors_total"] + sum(
        n for status, n in post.get("lua", {}).get("statuses", {}).items() if status != "201"
    )
    checks = [
        {
            "target": "Article page, 200 comments (cached): req/s ≥ 2.5 % of nginx static",
            "value": f"{a['rps'] / static:.2%} ({a['rps']:.0f} / {static:.0f})",
            "pass": a["rps"] >= TARGET_ARTICLE_SHARE * static and _ok(a),
        },
        {
            "target": "  … same page rendered (page cache bypassed), for information",
            "value": f"{a_r['rps'] / static:.2%} ({a_r['rps']:.0f} / {static:.0f})",
            "pass": a_r["rps"] >= TARGET_ARTICLE_SHARE * static and _ok(a_r),
            "informational": True,
        },
        {
            "target": "First page of 20,000 comments (cached): mean time under load ≤ 1.2× the 200-comment page",
            "value": f"{_ratio(b['latency_avg_ms'], a['latency_avg_ms']):.2f}× ({b['latency_avg_ms']:.2f} / {a['latency_avg_ms']:.2f} ms)",
            "pass": b["latency_avg_ms"] <= TARGET_BIG_THREAD_RATIO * a["latency_avg_ms"]
            and _ok(a)
            and _ok(b),
        },
        {
            "target": "  … cached, time of one request, for information",
            "value": f"{_ratio(_single(b), _single(a)):.2f}× ({_single(b):.1f} / {_single(a):.1f} ms, median of {SEQUENTIAL_N}, alternating)",
            "pass": _ratio(_single(b), _single(a)) <= TARGET_BIG_THREAD_RATIO,
            "informational": True,
        },
        {
            "target": "First page of 20,000 comments (rendered, cache bypassed): time of one request ≤ 1.2× the 200-comment page",
            "value": f"{_ratio(_single(b_r), _single(a_r)):.2f}× ({_single(b_r):.0f} / {_single(a_r):.0f} ms, median of {SEQUENTIAL_N}, alternating)",
            "pass": _ratio(_single(b_r), _single(a_r)) <= TARGET_BIG_THREAD_RATIO
            and _ok(a_r)
            and _ok(b_r),
        },
        {
            "target": "  … rendered, mean time under load (dominated by queueing at this rate), for information",
            "value": f"{_ratio(b_r['latency_avg_ms'], a_r['latency_avg_ms']):.2f}× ({b_r['latency_avg_ms']:.0f} / {a_r['latency_avg_ms']:.0f} ms)",
            "pass": b_r["latency_avg_ms"] <= TARGET_BIG_THREAD_RATIO * a_r["latency_avg_ms"],
            "informational": True,
        },
        {
            "target": "Comment POST: req/s ≥ 3 % of nginx static",
            "value": f"{post['rps'] / static:.2%} ({post['rps']:.0f} / {static:.0f})",
            "pass": post["rps"] >= TARGET_POST_SHARE * static,
        },
        {
            "target": "Comment POST: 0 errors (socket errors, non-201 answers)",
            "value": str(post_errors),
            "pass": post_errors == 0,
        },
        {
            "target": "Comment POST: every acknowledged (201) comment is stored",
            "value": f"{integrity['acked_stored']} of {integrity['acked']} stored, {integrity['rows_created']} rows created",
            "pass": integrity["acked_missing"] == 0 and integrity["acked"] > 0,
        },
    ]
    return checks


ROWS = [
    ("nginx_static", "nginx, static copy of article A"),
    ("article_a_cached", "Article A, 200 comments (page cache)"),
    ("article_b_cached", "Article B, 20,000 comments, page 1 (page cache)"),
    ("article_a_rendered", "Article A, rendered (cache bypassed)"),
    ("article_b_rendered", "Article B, page 1, rendered (cache bypassed)"),
    ("comment_post", "Comment POST (JSON, to article A)"),
]


def table(results: dict[str, Any]) -> list[str]:
    static = results["nginx_static"]["rps"]
    lines = [
        "| Measurement | req/s | % of nginx | mean ms | p50 ms | p99 ms | errors | 1 request, ms | CPU: servers / wrk / other |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in ROWS:
        r = results[key]
        single = r.get("sequential", {}).get("median_ms")
        cpu = r.get("cpu", {})
        lines.append(
            f"| {label} | {r['rps']:,.0f} | {r['rps'] / static:.2%} | {r['latency_avg_ms']:.2f} "
            f"| {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors_total']} "
            f"| {f'{single:.1f}' if single is not None else '–'} "
            f"| {cpu.get('cpu_servers', 0):.0%} / {cpu.get('cpu_wrk', 0):.0%} / {cpu.get('cpu_other', 0):.0%} |"
        )
    return lines


def checks_table(checks: list[dict[str, Any]]) -> list[str]:
    lines = ["| Target | Measured | Result |", "|---|---|---|"]
    for c in checks:
        verdict = "pass" if c["pass"] else "**FAIL**"
        if c.get("informational"):
            verdict = f"({'within' if c['pass'] else 'outside'} the target; for information)"
        lines.append(f"| {c['target']} | {c['value']} | {verdict} |")
    return lines


def server_described(cfg: dict[str, Any]) -> str:
    """The app server of a run, as the report says it (runs before granian have no "server")."""
    if cfg.get("server", "gunicorn") == "gunicorn":
        return (
            f"gunicorn `-c deploy/gunicorn.conf.py` ({cfg['workers']} gthread workers, preloaded, "
            "keepalive 0)"
        )
    return (
        f"granian `deploy/granian_server.py` ({cfg['workers']} workers forked from the loaded "
        "application, 8 threads each, keep-alive off)"
    )


def variant_block(report: dict[str, Any]) -> str:
    m, cfg, data = report["machine"], report["config"], report["data"]
    other = [r.get("cpu", {}).get("cpu_other", 0) for r in report["results"].values() if "cpu" in r]
    priority = (
        f"{cfg.get('server', 'gunicorn')}, nginx and wrk ran at nice {cfg['nice']} (own autogroups) so that other work "
        f"on the machine disturbed them less; "
        if cfg["nice"]
        else ""
    )
    lines = [
        f"### {report['variant_title']}",
        "",
        f"Run {report['date']} on {m['nproc']} × {m['cpu_model']}, {m['memory_gb']} GB, "
        f"Linux {m['kernel']}; Python {m['python']}, {m['wrk']}, {m['nginx']}.",
        f"Settings: `dateline.settings.production`, SQLite (WAL) in a fresh temporary directory, "
        f"page cache {'in Redis (`REDIS_URL`)' if cfg['redis'] else 'file-based (`var/cache/pages`)'}, "
        f"`TASKS_BACKEND=immediate`; {server_described(cfg)}; "
        f"wrk {cfg['threads']} threads, {cfg['connections']} connections, {cfg['duration']:g} s per "
        f"measurement after a {cfg['warmup']:g} s warm-up; {priority}other processes used "
        f"{min(other, default=0):.0%}–{max(other, default=0):.0%} of the CPU during the measurements"
        f"{' (the Redis server counts with our servers)' if cfg['redis'] else ''}. "
        f"Page sizes: A {data['a']['bytes']:,} bytes ({data['a']['comments_on_page']} comments on "
        f"page 1), B {data['b']['bytes']:,} bytes ({data['b']['comments_on_page']} comments on page 1).",
        "",
        *table(report["results"]),
        "",
        *checks_table(report["checks"]),
        "",
        f"Command: `{report['command']}`",
    ]
    return "\n".join(lines)


SECTION_HEAD = "## Comments (issue 3)"
SECTION_INTRO = """\
`bench/comments_bench.py` builds a throw-away site (production settings, its own SQLite
database in a temporary directory) with article A (200 approved comments: 60 threads, replies up
to 4 levels deep, 200–600 characters with some Markdown) and article B (20,000 approved comments,
6,000 threads), runs the production server (as `make serve`) and nginx serving a
static copy of article A's bytes in the same run, and measures each with wrk.

- *cached*: an anonymous GET, answered by the full-page cache (`dateline.core.pagecache`).
- *rendered*: the same page with a query parameter the cache does not know (`?nocache=1`), so
  every request renders the page and its thread.
- *POST*: form-encoded comments with `Accept: application/json` and the site's `Origin`, each
  with its own text and address (so each is a first-time commenter, held as pending: 201);
  30 % reply to a comment of article A. After the run the acknowledged ids are looked up in
  the database.
- *1 request, ms*: the median of 60 requests sent one at a time (no queueing), alternating between article A and article B.

Targets (issue 3, §5, on the 2-core machine): article page with 200 comments ≥ 2.5 % of the
nginx-static rate; first page of the 20,000-comment thread within 1.2× the time of the
200-comment page; comment POST ≥ 3 % of the nginx-static rate with 0 errors."""

SECTION_REPRODUCE = """\
### How to reproduce

```sh
.venv/bin/python bench/comments_bench.py                 # SQLite, file-based page cache
.venv/bin/python bench/comments_bench.py --redis         # page cache in Redis (db 14, flushed)
.venv/bin/python bench/comments_bench.py --nice -10      # on a machine busy with other work
.venv/bin/python bench/comments_bench.py --duration 30 --connections 32 --workers 5
```

See bench/README.md for what each step does.

Each run prints the table, writes JSON (`--out`, default `bench/out/comments.json` or
`bench/out/comments-redis.json`) and rewrites its own block above; everything else in this
section is left as it is."""


def update_doc(report: dict[str, Any]) -> None:
    start = f"<!-- bench:comments:{report['variant']}:start -->"
    end = f"<!-- bench:comments:{report['variant']}:end -->"
    block = f"{start}\n{variant_block(report)}\n{end}"
    text = (
        DOC.read_text()
        if DOC.exists()
        else "# Performance\n\nFigures from the scripts in `bench/` (see bench/README.md).\n"
    )
    if SECTION_HEAD not in text:
        skeleton = [SECTION_HEAD, "", SECTION_INTRO, ""]
        for variant in ("sqlite", "redis"):
            skeleton += [
                f"<!-- bench:comments:{variant}:start -->",
                f"_{variant}: not run yet._",
                f"<!-- bench:comments:{variant}:end -->",
                "",
            ]
        skeleton += [SECTION_REPRODUCE, ""]
        text = text.rstrip("\n") + "\n\n" + "\n".join(skeleton)
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _old, after = rest.split(end, 1)
        text = before + block + after
    else:
        head, _, tail = text.partition(SECTION_HEAD)
        nxt = tail.find("\n## ")
        if nxt == -1:
            text = head + SECTION_HEAD + tail.rstrip("\n") + "\n\n" + block + "\n"
        else:
            text = (
                head + SECTION_HEAD + tail[:nxt].rstrip("\n") + "\n\n" + block + "\n" + tail[nxt:]
            )
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text)


def _terminate(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def bench(args: argparse.Namespace) -> int:
    variant = "redis" if args.redis else "sqlite"
    out = Path(args.out or BENCH / "out" / f"comments{'-redis' if args.redis else ''}.json")
    workdir = Path(tempfile.mkdtemp(prefix="dateline-bench-"))
    services: list[Service] = []
    log(f"working in {workdir}")
    try:
        env = bench_env(workdir, redis=args.redis)
        (workdir / "var").mkdir()
        if args.models:
            # The site's learned filters (manage.py train_filters): every post is scored.
            (workdir / "var" / "models").mkdir()
            for name in ("spam.joblib", "abuse.joblib"):
                shutil.copy2(Path(args.models) / name, workdir / "var" / "models" / name)
            log(f"with the trained filters from {args.models}")
        if args.redis:
            flush_redis()
        log("collectstatic, migrate")
        # collectstatic first: with the manifest storage, code that resolves a static URL at
        # import time (the URLconf) fails until the manifest exists.
        run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], env=env, timeout=900)
        run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], env=env, timeout=900)
        log("building articles A (200 comments) and B (20,000 comments)")
        data = internal(env, "--internal", "setup")
        log(f"  {data['comments_created']} comments in {data['seconds']} s")
        if args.posts_in_process:
            log(f"posting {args.posts_in_process} comments in process (after 50 to warm up)")
            posted = internal(
                env,
                "--internal",
                "posts",
                "--article",
                str(data["a"]["id"]),
                "--reply-to",
                ",".join(map(str, data["reply_to"])),
                "--posts-in-process",
                str(args.posts_in_process),
                *(["--profile"] if args.profile else []),
            )
            for line in posted.pop("profile", []):
                print(line)
            print(json.dumps(posted, indent=2))
            return 0

        app, port = app_service(
            env=env, workers=args.workers, workdir=workdir, nice=args.nice, server=args.server
        )
        services.append(app.start())
        origin = f"http://127.0.0.1:{port}"
        wait_http(f"{origin}/healthz", service=app)

        pages: dict[str, bytes] = {}
        for key in ("a", "b"):
            url = origin + data[key]["url"]
            first = http_get(url)
            second = http_get(url)
            for status, _h, _b in (first, second):
                if status != 200:
                    raise RuntimeError(f"{url} answered {status}")
            if second[1].get("x-page-cache") != "hit" or second[2] != first[2]:
                raise RuntimeError(f"{url} is not served from the page cache: {second[1]}")
            pages[key] = second[2]
            data[key]["bytes"] = len(second[2])
            data[key]["comments_on_page"] = second[2].count(b'<li id="comment-')

        nginx, nginx_port = nginx_service(workdir=workdir, page=pages["a"], env=env, nice=args.nice)
        services.append(nginx.start())
        static_url = f"http://127.0.0.1:{nginx_port}/index.html"
        wait_http(static_url, service=nginx)
        if http_get(static_url)[2] != pages["a"]:
            raise RuntimeError("nginx does not serve the same bytes as article A")

        report_lua = BENCH / "wrk" / "report.lua"
        url_a, url_b = origin + data["a"]["url"], origin + data["b"]["url"]
        results: dict[str, Any] = {}
        results["nginx_static"] = measure(
            "nginx static", static_url, args, services=services, script=report_lua
        )
        for key, url in (
            ("article_a_cached", url_a),
            ("article_b_cached", url_b),
            ("article_a_rendered", url_a + "?nocache=1"),
            ("article_b_rendered", url_b + "?nocache=1"),
        ):
            results[key] = measure(key, url, args, services=services, script=report_lua)
        for key_a, key_b, suffix in (
            ("article_a_cached", "article_b_cached", ""),
            ("article_a_rendered", "article_b_rendered", "?nocache=1"),
        ):
            log(f"timing one request at a time: {key_a} and {key_b}, alternating")
            one_a, one_b = sequential_pair(url_a + suffix, url_b + suffix)
            results[key_a]["sequential"], results[key_b]["sequential"] = one_a, one_b

        # Comment POSTs: count the article's rows around the measured run. The form's signed
        # timestamp comes from the server as the page's script gets it, a few seconds before use.
        stamp_status, _h, stamp_body = http_get(origin + "/comments/stamp/")
        if stamp_status != 200:
            raise RuntimeError(f"/comments/stamp/ answered {stamp_status}")
        post_args = [
            str(data["a"]["id"]),
            origin,
            str(POST_REPLY_SHARE),
            ",".join(map(str, data["reply_to"])),
            json.loads(stamp_body)["stamp"],
        ]
        time.sleep(4)
        post_lua = BENCH / "wrk" / "post_comment.lua"
        if args.warmup > 0:
            run_wrk(
                origin + "/comments/post/",
                duration=args.warmup,
                connections=args.connections,
                threads=args.threads,
                script=post_lua,
                script_args=post_args,
                nice=args.nice,
            )
        time.sleep(3)  # let the warm-up's queued requests finish before counting
        empty = workdir / "ids-none.json"
        empty.write_text("[]")
        before = internal(
            env, "--internal", "count", "--article", str(data["a"]["id"]), "--ids", str(empty)
        )
        results["comment_post"] = measure(
            "comment POST",
            origin + "/comments/post/",
            args,
            services=services,
            script=post_lua,
            script_args=post_args,
            warmup=False,
        )
        time.sleep(3)  # let requests wrk abandoned at the end of the run finish
        ids = results["comment_post"].get("lua", {}).get("acked_ids", [])
        ids_file = workdir / "acked.json"
        ids_file.write_text(json.dumps(ids))
        after = internal(
            env, "--internal", "count", "--article", str(data["a"]["id"]), "--ids", str(ids_file)
        )
        statuses = results["comment_post"].get("lua", {}).get("statuses", {})
        results["post_integrity"] = {
            "acked": len(ids),
            "answers_201": statuses.get("201", 0),
            "acked_stored": after["acked_stored"],
            "acked_missing": len(after["acked_missing"]) + sum(1 for i in ids if i is None),
            "acked_missing_ids": after["acked_missing"],
            "rows_created": after["rows"] - before["rows"],
            # Requests wrk abandoned when its time ran out: stored, never acknowledged to wrk.
            "unacknowledged_rows": after["rows"] - before["rows"] - len(ids),
        }
        log(f"  POST integrity: {results['post_integrity']}")
        # The acknowledged ids are many; keep their number, not the list.
        results["comment_post"].get("lua", {}).pop("acked_ids", None)

        checks = evaluate(results)
        report = {
            "variant": variant,
            "variant_title": "SQLite, page cache in Redis"
            if args.redis
            else "SQLite, file-based page cache",
            "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "machine": machine_info(),
            "config": {
                "duration": args.duration,
                "warmup": args.warmup,
                "connections": args.connections,
                "threads": args.threads,
                "workers": args.workers,
                "server": args.server,
                "redis": args.redis,
                "nice": args.nice,
                "quiet_below": args.quiet_below,
                "max_wait": args.max_wait,
                "settings": "dateline.settings.production",
                "database": "sqlite (WAL)",
            },
            "command": " ".join([".venv/bin/python bench/comments_bench.py", *sys.argv[1:]]),
            "data": data,
            "results": results,
            "checks": checks,
        }
        report["data"].pop("reply_to", None)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print()
        print("\n".join(table(results)))
        print()
        print("\n".join(checks_table(checks)))
        print(f"\nJSON: {out}")
        if not args.no_docs:
            update_doc(report)
            print(f"Updated {DOC.relative_to(REPO)} ({variant})")
        return 0 if all(c["pass"] for c in checks if not c.get("informational")) else 1
    finally:
        # A second Ctrl+C must not interrupt the teardown.
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        for service in reversed(services):
            log(f"stopping {service.name}")
            service.stop()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up before each")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--workers", type=int, default=cores, help="server workers (as make serve: one per core)"
    )
    parser.add_argument(
        "--server",
        default=APP_SERVERS[0],
        help=f"the app server ({' or '.join(APP_SERVERS)}; granian:N for N blocking threads per "
        "worker; default: make serve's)",
    )
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=0.15,
        help="before each measurement, wait until other processes use less than this share of the CPU",
    )
    parser.add_argument(
        "--max-wait", type=float, default=60, help="seconds to wait for that, at most (0: never)"
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="nice value for the app server, nginx and wrk (e.g. -10 on a machine shared with a test "
        "suite; negative values need root)",
    )
    parser.add_argument("--redis", action="store_true", help=f"page cache in Redis ({REDIS_URL})")
    parser.add_argument("--out", help="JSON results (default bench/out/comments[-redis].json)")
    parser.add_argument(
        "--models",
        help="a folder with spam.joblib and abuse.joblib (manage.py train_filters): posts are "
        "scored by the learned filters, as on a site that trained them",
    )
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/performance.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--posts-in-process",
        type=int,
        metavar="N",
        help="after building the site, post N comments in process through the WSGI application "
        "(no server, no wrk) and print the time and CPU per post; with --profile, where it goes",
    )
    parser.add_argument(
        "--profile", action="store_true", help="with --posts-in-process: cProfile the posts"
    )
    parser.add_argument("--internal", choices=["setup", "count", "posts"], help=argparse.SUPPRESS)
    parser.add_argument("--reply-to", default="", help=argparse.SUPPRESS)
    parser.add_argument("--article", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ids", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    try:
        app_server_command(args.server, port=0)
    except ValueError as error:
        parser.error(str(error))

    if args.internal == "setup":
        print(json.dumps(internal_setup()))
        return 0
    if args.internal == "count":
        print(json.dumps(internal_count(args.article, args.ids)))
        return 0
    if args.internal == "posts":
        reply_to = [int(i) for i in args.reply_to.split(",") if i]
        print(
            json.dumps(
                internal_posts(
                    args.article, reply_to, posts=args.posts_in_process, profile=args.profile
                )
            )
        )
        return 0
    if args.duration <= 0 or args.duration > 600:
        parser.error("--duration must be between 0 and 600 seconds")
    # Also SIGINT: a shell starts background jobs with it ignored, and the servers must stop.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _terminate)
    try:
        return bench(args)
    except KeyboardInterrupt:
        log("interrupted; servers stopped")
        return 130
    except (RuntimeError, subprocess.SubprocessError) as exc:
        log(f"failed: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
