"""Benchmark rendered pages (issue 13, section 1): the article with 200 comments and the home page,
rendered without the full-page cache, against nginx serving the article's bytes.

    .venv/bin/python bench/render_bench.py [--duration 10] [--rounds 3] [--connections 32]
        [--threads 2] [--workers cores] [--server granian[,gunicorn]] [--profile] [--keep]
        [--out bench/out/render.json]

Builds the same throw-away site as comments_bench.py (article A: 200 threaded comments, B:
20,000; production settings, its own SQLite database), plus a live page beside A (60 updates by
two reporters, 200 comments: issue 17 asks the article's targets of it), stores the comments' HTML
(`manage.py comments_rerender`, as an import or a bulk load would be followed), then:

1. In-process (`--internal inspect`): for A and the home page rendered with `?nocache=1` (a
   parameter the page cache does not know, so every request renders; the fragments it keeps
   — the thread, the article's byline and related coverage, the front page's lists — are used):
   queries, bytes uncompressed, gzip and Brotli, the median time of one request in the Django
   test client (wall clock, and the CPU time of the thread, which a busy machine disturbs
   less), the same after the article changed (a comment approved: the article's fragments built
   again) and with every fragment built again. With `--profile`, a cProfile of 50 renders of A.
2. Over HTTP: the shipped server (`deploy/granian_server.py`, as `make serve`; no access log;
   `--server gunicorn` for the alternative, `--server granian,gunicorn` both in the same rounds,
   each page on one then the other) and nginx with a static copy of A; `--rounds` interleaved rounds of wrk on nginx,
   `/healthz` (the server's own ceiling: no page can be served faster), A rendered and the home
   page rendered, so each share of nginx compares rates measured
   minutes apart at most (min and median over the rounds); one request at a time (median of
   60) for both pages; and whether each answer comes compressed to a client that accepts Brotli
   or gzip.

Prints a table and writes JSON to --out. Servers are always stopped. Figures only: the targets
are judged by the lead in docs/performance.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.comments_bench import (
    PYTHON,
    _terminate,
    bench_env,
    internal_setup,
    measure,
)
from bench.lib import (
    APP_SERVERS,
    BENCH,
    Service,
    app_server_command,
    free_port,
    http_get,
    log,
    machine_info,
    nginx_service,
    run,
    wait_http,
)

SEQUENTIAL_N = 60


def internal(env: dict[str, str], *args: str, timeout: float = 1800) -> dict[str, Any]:
    result = run([str(PYTHON), str(Path(__file__).resolve()), *args], env=env, timeout=timeout)
    return json.loads(result.stdout.strip().splitlines()[-1])


LIVE_UPDATES = 60


def internal_setup_live() -> dict[str, Any]:
    """A live page beside A (issue 17: "the performance targets of the article page hold for the
    live page"): the same kind of conversation (200 comments) and 60 updates by two reporters."""
    import random
    from datetime import timedelta

    import django

    django.setup()
    from django.utils import timezone

    from bench.comments_bench import _build_comments, _sentence
    from dateline.comments.services import comment_counts_refresh
    from dateline.core.pagecache import invalidate
    from dateline.live.models import LivePage, LiveUpdate
    from dateline.live.services import live_update_create
    from dateline.news.models import ArticleAuthor, Author, SectionPage

    rng = random.Random(20_261_206)
    section = SectionPage.objects.get(slug="city")
    writers = [
        Author.objects.get(slug="mira-castell"),
        Author.objects.create(name="Tomas Reyne", slug="tomas-reyne", role="City reporter"),
    ]
    page = LivePage(
        title="River bridge vote: live",
        slug="bench-live",
        standfirst=_sentence(rng, 20),
        key_points="<ul>" + "".join(f"<li>{_sentence(rng, 12)}</li>" for _ in range(4)) + "</ul>",
        comment_status=LivePage.CommentStatus.OPEN,
        first_published_at=timezone.now() - timedelta(hours=6),
    )
    section.add_child(instance=page)
    for order, writer in enumerate(writers):
        ArticleAuthor.objects.create(article=page, author=writer, sort_order=order)
    page.save_revision().publish(skip_permission_checks=True)
    page = LivePage.objects.get(pk=page.pk)
    now = timezone.now()
    for n in range(LIVE_UPDATES):
        update = live_update_create(
            page=page,
            body=[("paragraph", f"<p>{_sentence(rng, rng.randint(20, 50))}</p>")],
            author=writers[n % 2],
            headline=_sentence(rng, 6) if n % 5 == 0 else "",
            key_event=n % 10 == 0,
            pinned=n == 3,
        )
        at = now - timedelta(minutes=5 * (LIVE_UPDATES - n))
        LiveUpdate.objects.filter(pk=update.pk).update(
            published_at=at, created_at=at, updated_at=at
        )
    _build_comments(page, rng=rng, total=200, top_level=60, commenters=80, days=1)
    comment_counts_refresh(article_id=page.pk)
    invalidate(["content", "listings", f"article:{page.pk}", f"live:{page.pk}"])
    return {"url": page.url, "updates": LIVE_UPDATES, "comments": 200}


def internal_inspect(*, profile: bool, sort: str = "tottime") -> dict[str, Any]:
    """Queries, sizes and in-process render times of A and the home page (warm and cold)."""
    import django

    django.setup()
    import brotli
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dateline.core.fragments import forget_in_process
    from dateline.core.pagecache import invalidate
    from dateline.news.models import ArticlePage

    article = ArticlePage.objects.get(slug="bench-article-a")
    live = ArticlePage.objects.get(slug="bench-live")
    client = Client(HTTP_HOST="127.0.0.1")
    out: dict[str, Any] = {}
    for name, url in (
        ("article_a", article.url + "?nocache=1"),
        ("live", live.url + "?nocache=1"),
        ("home", "/?nocache=1"),
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        body = response.content
        warm, warm_cpu = [], []
        for _ in range(100):
            started, cpu = time.perf_counter(), time.thread_time()
            client.get(url)
            warm_cpu.append((time.thread_time() - cpu) * 1000)
            warm.append((time.perf_counter() - started) * 1000)
        # After a change of what the page shows (a comment approved on A, a count on the
        # front page): its fragments are built again, the site's are not.
        changed = {
            "article_a": [f"article:{article.pk}"],
            "live": [f"article:{live.pk}", f"live:{live.pk}"],
        }.get(name, ["listings"])
        after_change = []
        for _ in range(10):
            invalidate(changed)
            started = time.perf_counter()
            client.get(url)
            after_change.append((time.perf_counter() - started) * 1000)
        invalidate(changed)
        with CaptureQueriesContext(connection) as changed_captured:
            client.get(url)
        cold = []
        for _ in range(10):
            caches["pages"].clear()
            forget_in_process()
            started = time.perf_counter()
            client.get(url)
            cold.append((time.perf_counter() - started) * 1000)
        caches["pages"].clear()
        forget_in_process()
        with CaptureQueriesContext(connection) as cold_captured:
            client.get(url)
        out[name] = {
            "status": response.status_code,
            "queries": len(captured),
            "queries_after_change": len(changed_captured),
            "queries_cold": len(cold_captured),
            "bytes": len(body),
            "gzip_bytes": len(gzip.compress(body, 6)),
            "brotli_bytes": len(brotli.compress(body, quality=4)),
            "comments_on_page": body.count(b'class="comment '),
            "median_ms": round(statistics.median(warm), 2),
            "median_cpu_ms": round(statistics.median(warm_cpu), 2),
            "min_cpu_ms": round(min(warm_cpu), 2),
            "median_ms_after_change": round(statistics.median(after_change), 2),
            "median_ms_cold": round(statistics.median(cold), 2),
        }
    if profile:
        import cProfile
        import io
        import pstats

        url = article.url + "?nocache=1"
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(50):
            client.get(url)
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(sort).print_stats(45)
        out["profile_article_a"] = stream.getvalue().splitlines()[:80]
    return out


def compressed(url: str, encoding: str) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310
        url, headers={"User-Agent": "dateline-bench", "Accept-Encoding": encoding}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return {
            "content_encoding": response.headers.get("Content-Encoding", ""),
            "bytes": len(response.read()),
            "vary": response.headers.get("Vary", ""),
        }


def sequential(url: str, n: int = SEQUENTIAL_N) -> dict[str, float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        status, _h, _b = http_get(url)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
    times.sort()
    return {"median_ms": round(times[len(times) // 2], 2), "min_ms": round(times[0], 2), "n": n}


def bench(args: argparse.Namespace) -> int:
    out = Path(args.out or BENCH / "out" / "render.json")
    workdir = Path(tempfile.mkdtemp(prefix="dateline-render-bench-"))
    services: list[Service] = []
    log(f"working in {workdir}")
    try:
        env = bench_env(workdir, redis=False)
        (workdir / "var").mkdir()
        log("collectstatic, migrate")
        run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], env=env, timeout=900)
        run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], env=env, timeout=900)
        log("building articles A (200 comments) and B (20,000 comments)")
        data = internal(env, "--internal", "setup")
        log("building a live page beside A (60 updates, 200 comments)")
        data["live"] = internal(env, "--internal", "setup-live")
        run([str(PYTHON), "manage.py", "comments_rerender"], env=env, timeout=1800)
        log("in-process: queries, sizes, render times")
        inspected = internal(env, "--internal", "inspect", *(["--profile"] if args.profile else []))
        for name in ("article_a", "live", "home"):
            i = inspected[name]
            log(
                f"  {name}: {i['queries']} queries ({i['queries_after_change']} after a change, "
                f"{i['queries_cold']} cold), {i['bytes']} bytes (gzip {i['gzip_bytes']}, br "
                f"{i['brotli_bytes']}), {i['median_ms']} ms, CPU {i['median_cpu_ms']} ms "
                f"({i['median_ms_after_change']} ms after a change, {i['median_ms_cold']} ms cold)"
            )
        for line in inspected.get("profile_article_a", []):
            print(line)

        # One server, or several measured in the same rounds (`--server granian,gunicorn`): the
        # first one's keys are plain, the others' end in @<server>.
        servers = args.server.split(",")
        origins: dict[str, str] = {}
        for server in servers:
            port = free_port()
            argv, extra = app_server_command(server, port=port, workers=args.workers)
            app = Service(server, argv, env | extra, workdir / f"{server}.log", nice=args.nice)
            services.append(app.start())
            origins[server] = f"http://127.0.0.1:{port}"
            wait_http(f"{origins[server]}/healthz", service=app)

        def pages(server: str) -> list[tuple[str, str]]:
            origin, tag = origins[server], "" if server == servers[0] else f"@{server}"
            return [
                # The server's own ceiling: the smallest answer it has, no page at all.
                (f"healthz{tag}", origin + "/healthz"),
                (f"article_a_rendered{tag}", origin + data["a"]["url"] + "?nocache=1"),
                (f"live_rendered{tag}", origin + data["live"]["url"] + "?nocache=1"),
                (f"home_rendered{tag}", origin + "/?nocache=1"),
            ]

        url_a, url_home = pages(servers[0])[1][1], pages(servers[0])[3][1]
        status, _h, page_a = http_get(url_a)
        if status != 200:
            raise RuntimeError(f"{url_a} answered {status}")
        nginx, nginx_port = nginx_service(workdir=workdir, page=page_a, env=env)
        services.append(nginx.start())
        static_url = f"http://127.0.0.1:{nginx_port}/index.html"
        wait_http(static_url, service=nginx)

        report_lua = BENCH / "wrk" / "report.lua"
        rounds: list[dict[str, Any]] = []
        for number in range(1, args.rounds + 1):
            log(f"round {number} of {args.rounds}")
            # Each page on every server in turn, the servers' order turning with the rounds.
            order = servers[number - 1 :] + servers[: number - 1]
            targets = [("nginx_static", static_url)] + [
                target
                for index in range(4)
                for target in (pages(server)[index] for server in order)
            ]
            rounds.append(
                {
                    key: measure(key, url, args, services=services, script=report_lua)
                    for key, url in targets
                }
            )
        keys = [key for server in servers for key, _url in pages(server)]
        shares = {
            key: [r[key].get("rps", 0) / (r["nginx_static"].get("rps", 0) or 1) for r in rounds]
            for key in keys
        }
        # The round whose article share is the median stands for the run in the summary.
        middle = sorted(range(len(rounds)), key=lambda i: shares["article_a_rendered"][i])[
            len(rounds) // 2
        ]
        results: dict[str, Any] = dict(rounds[middle])
        for server in servers:
            for key, url in pages(server)[1:]:
                log(f"timing one request at a time: {key}")
                results[key]["sequential"] = sequential(url)
        encodings = {
            f"{page}:{enc}": compressed(url, enc)
            for page, url in (("article_a", url_a), ("home", url_home))
            for enc in ("br", "gzip", "zstd", "identity")
        }
        nginx_rps = results["nginx_static"].get("rps", 0) or 1
        summary = {
            key: {
                "rps": round(r.get("rps", 0), 1),
                "share_of_nginx": round(r.get("rps", 0) / nginx_rps, 4),
                "errors": r["errors_total"],
                "one_request_ms": r.get("sequential", {}).get("median_ms"),
                "cpu": r["cpu"],
            }
            for key, r in results.items()
        }
        report = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": machine_info(),
            "rounds": [
                {key: round(r.get("rps", 0), 1) for key, r in one.items()} for one in rounds
            ],
            "shares": {
                key: {
                    "each_round": [round(v, 4) for v in values],
                    "min": round(min(values), 4),
                    "median": round(statistics.median(values), 4),
                }
                for key, values in shares.items()
            },
            "settings": {
                "rounds": args.rounds,
                "duration": args.duration,
                "connections": args.connections,
                "threads": args.threads,
                "workers": args.workers,
                "server": args.server,
            },
            "data": data,
            "inspect": inspected,
            "summary": summary,
            "encodings": encodings,
            "results": results,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, default=str))
        print()
        print("| measurement | req/s | share of nginx static | one request (ms) |")
        print("|---|---:|---:|---:|")
        for key, s in summary.items():
            one = s["one_request_ms"] if s["one_request_ms"] is not None else "–"
            print(f"| {key} | {s['rps']:.1f} | {s['share_of_nginx']:.2%} | {one} |")
        print()
        print(
            "| round | nginx static req/s | article rendered req/s (share) | home rendered req/s (share) |"
        )
        print("|---|---:|---:|---:|")
        for number, one in enumerate(rounds, 1):
            n = one["nginx_static"].get("rps", 0) or 1
            a, h = one["article_a_rendered"].get("rps", 0), one["home_rendered"].get("rps", 0)
            print(f"| {number} | {n:,.0f} | {a:,.1f} ({a / n:.2%}) | {h:,.1f} ({h / n:.2%}) |")
        for key, values in shares.items():
            print(
                f"{key}: share of nginx min {min(values):.2%}, median {statistics.median(values):.2%}"
            )
        print()
        for key, e in encodings.items():
            print(f"{key}: {e['content_encoding'] or 'none'} {e['bytes']} bytes, Vary: {e['vary']}")
        log(f"written {out}")
        return 0
    finally:
        for service in reversed(services):
            service.stop()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of wrk")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up before each")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=cores, help="server workers")
    parser.add_argument(
        "--server",
        default=APP_SERVERS[0],
        help=f"the app server ({' or '.join(APP_SERVERS)}; granian:N for N blocking threads per "
        "worker), or several, comma-separated, measured in the same rounds (default: make serve's)",
    )
    parser.add_argument("--quiet-below", type=float, default=0.15)
    parser.add_argument("--max-wait", type=float, default=30)
    parser.add_argument("--nice", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="cProfile 50 renders of A")
    parser.add_argument("--profile-sort", default="tottime", help="pstats order (cumulative, …)")
    parser.add_argument("--out", help="JSON results (default bench/out/render.json)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--internal", choices=["setup", "setup-live", "inspect"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    args.redis = False  # measure() asks

    if args.internal == "setup":
        print(json.dumps(internal_setup()))
        return 0
    if args.internal == "setup-live":
        print(json.dumps(internal_setup_live()))
        return 0
    if args.internal == "inspect":
        print(json.dumps(internal_inspect(profile=args.profile, sort=args.profile_sort)))
        return 0
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
