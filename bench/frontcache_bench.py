"""Benchmark the shipped Varnish configuration against nginx serving the same bytes (issue 13, §2).

    .venv/bin/python bench/frontcache_bench.py [--duration 10] [--connections 32] [--threads 2]
        [--rounds 2] [--out bench/out/frontcache.json]

Builds a throw-away site in a temporary directory (its own SQLite database, production
settings) with one article and 200 threaded comments (the shape comments_bench.py builds), starts
the production server (deploy/granian_server.py, as `make serve`), Varnish 7.1 with
deploy/varnish/dateline.vcl in front of it (the backends file generated beside, on vcl_path) and
nginx with a static copy of the article's bytes, and measures with wrk, rounds interleaved:

- nginx static copy (the ceiling);
- the article through Varnish, nothing changing;
- the article through Varnish while a moderator approves a comment every second (each approval
  purges the article from Varnish after commit: TASKS_BACKEND=immediate here, so the purge is
  sent by the process that approves), with the time from each approval until the comment shows
  through Varnish.

With `--page live` the page measured is a live page beside the article (render_bench.py's: 60
updates by two reporters, 200 comments; issue 17, "the performance targets of the article page
hold for the live page"), and the churn files a live update every second instead, timed until
it shows through Varnish.

Prints a table and writes JSON to --out. Needs `make bench-deps` (wrk, nginx) and
`make stack-deps` (varnish, varnish-modules). Servers are always stopped, even on Ctrl+C.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.lib import (
    APP_SERVERS,
    NGINX,
    REPO,
    Service,
    app_server_command,
    free_port,
    http_get,
    loadavg,
    log,
    machine_info,
    nginx_config,
    nginx_service,
    production_env,
    run,
    run_wrk,
    wait_http,
)

PYTHON = REPO / ".venv" / "bin" / "python"
VARNISHD = "/usr/sbin/varnishd"
VCL = REPO / "deploy" / "varnish" / "dateline.vcl"
TARGET_SHARE = 0.80  # through Varnish, with purges, vs nginx static
TARGET_VISIBLE_S = 1.0  # an approved comment shows through Varnish within this
PENDING = 40  # comments waiting for approval, one approved per second during the churn


def internal_setup() -> dict[str, Any]:
    """A section, one article with 200 approved comments and PENDING held ones."""
    import django

    django.setup()
    from bench.comments_bench import _build_comments, _sentence
    from dateline.comments.models import Comment
    from dateline.comments.services import comment_counts_refresh
    from dateline.core.pagecache import invalidate
    from dateline.news.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage

    rng = random.Random(20_240_603)
    home = HomePage.objects.get()
    section = SectionPage(title="City", slug="city", description="The city and its council.")
    home.add_child(instance=section)
    section.save_revision().publish(skip_permission_checks=True)
    author = Author.objects.create(name="Mira Castell", slug="mira-castell", role="City reporter")
    body = [("heading", "What was decided")] + [
        ("paragraph", f"<p>{' '.join(_sentence(rng, rng.randint(12, 24)) for _ in range(5))}</p>")
        for _ in range(8)
    ]
    article = ArticlePage(
        title="Council backs the new river bridge after a long night of debate",
        slug="bench-article-a",
        standfirst=_sentence(rng, 20),
        dateline_place="RIVERTON",
        body=body,
        comment_status=ArticlePage.CommentStatus.OPEN,
        first_published_at=datetime.now(UTC) - timedelta(days=3),
    )
    section.add_child(instance=article)
    ArticleAuthor.objects.create(article=article, author=author, sort_order=0)
    article.save_revision().publish(skip_permission_checks=True)
    _build_comments(article, rng=rng, total=200 + PENDING, top_level=70, commenters=80, days=3)
    newest = Comment.objects.filter(article_id=article.pk, depth=0).order_by("-path")
    held = list(newest.values_list("id", flat=True)[:PENDING])
    Comment.objects.filter(pk__in=held).update(status=Comment.Status.PENDING)
    comment_counts_refresh(article_id=article.pk)
    invalidate(["content", "listings", f"article:{article.pk}"])
    return {
        "id": article.pk,
        "url": ArticlePage.objects.get(pk=article.pk).get_url(),
        "approved": Comment.objects.filter(article_id=article.pk, status="approved").count(),
        "held": held,
    }


def internal_setup_live_page() -> dict[str, Any]:
    """The article's site (internal_setup) and render_bench's live page beside it."""
    from bench.render_bench import internal_setup_live

    site = internal_setup()
    live = internal_setup_live()
    from dateline.live.models import LivePage

    return {**site, "url": live["url"], "id": LivePage.objects.get(slug="bench-live").pk}


def internal_churn_live(page_id: int, every: float, seconds: float) -> None:
    """File one live update every ``every`` seconds for ``seconds`` on the live page
    ``page_id``; print each moment and the update's id."""
    import django

    django.setup()
    from dateline.live.models import LivePage
    from dateline.live.services import live_update_create

    page = LivePage.objects.get(pk=page_id)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        n += 1
        update = live_update_create(
            page=page, body=[("paragraph", f"<p>Bench update {n}: the vote is still open.</p>")]
        )
        print(json.dumps({"approved": update.pk, "at": time.time()}), flush=True)
        time.sleep(max(0.0, every - (time.monotonic() - started)))


def internal_churn(held: list[int], every: float, seconds: float) -> None:
    """Approve one held comment every ``every`` seconds for ``seconds``; print each moment."""
    import django

    django.setup()
    from dateline.comments.models import Comment
    from dateline.comments.services import comment_moderate

    deadline = time.monotonic() + seconds
    for pk in held:
        started = time.monotonic()
        if started >= deadline:
            break
        comment_moderate(comment=Comment.objects.get(pk=pk), action="approve")
        print(json.dumps({"approved": pk, "at": time.time()}), flush=True)
        time.sleep(max(0.0, every - (time.monotonic() - started)))


def varnish_service(*, workdir: Path, app_port: int, port: int, env: dict[str, str]) -> Service:
    (workdir / "dateline-backends.vcl").write_text(
        f'backend app1 {{ .host = "127.0.0.1"; .port = "{app_port}"; }}\n'
        "sub vcl_init {\n    new app = directors.round_robin();\n"
        "    app.add_backend(app1);\n}\n"
    )
    argv = [
        VARNISHD,
        "-F",
        "-j",
        "none",
        "-n",
        str(workdir / "varnish"),
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "none",
        "-s",
        "malloc,256m",
        "-p",
        f"vcl_path={workdir}:{VCL.parent}:/usr/share/varnish/vcl",
        "-f",
        str(VCL),
    ]
    return Service("varnish", argv, env, workdir / "varnish.log")


def nginx_gzip_service(*, workdir: Path, page: bytes, env: dict[str, str]) -> tuple[Service, int]:
    """nginx serving ``page`` and a gzipped copy beside it (gzip_static): the ceiling for
    clients that accept gzip, as Varnish serves them its stored gzip."""
    prefix = workdir / "nginx-gzip"
    root = prefix / "www"
    (prefix / "temp").mkdir(parents=True, exist_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_bytes(page)
    (root / "index.html.gz").write_bytes(gzip.compress(page, 6))
    port = free_port()
    conf = nginx_config(prefix=prefix, root=root, port=port).replace(
        'default_type "text/html; charset=utf-8";',
        'default_type "text/html; charset=utf-8";\n            gzip_static on;',
    )
    (prefix / "nginx.conf").write_text(conf)
    argv = [
        NGINX,
        "-p",
        str(prefix),
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        str(prefix / "error.log"),
    ]
    return Service("nginx-gzip", argv, env, prefix / "nginx.log"), port


def collect(process: subprocess.Popen[str], lines: list[str]) -> None:
    for line in process.stdout or []:
        lines.append(line)


def watch_visible(
    url: str,
    lines: list[str],
    found: list[float],
    stop: threading.Event,
    *,
    marker: str = 'id="comment-{}"',
) -> None:
    """For each approval (or live update) the churn prints, poll Varnish until the comment (the
    update) is on the page: ``marker`` with its id."""
    seen = 0
    while not stop.is_set():
        if seen >= len(lines):
            time.sleep(0.005)
            continue
        event = json.loads(lines[seen])
        seen += 1
        wanted = marker.format(event["approved"]).encode()
        while not stop.is_set():
            _status, _headers, body = http_get(url)
            if wanted in body:
                found.append(time.time() - event["at"])
                break
            if time.time() - event["at"] > 10:
                found.append(float("inf"))
                break
            time.sleep(0.01)


def bench(args: argparse.Namespace) -> int:
    for tool in ("/usr/bin/wrk", "/usr/sbin/nginx", VARNISHD):
        if not Path(tool).exists():
            log(f"{tool} is missing: make bench-deps stack-deps (as root)")
            return 2
    workdir = Path(tempfile.mkdtemp(prefix="dateline-frontcache-bench-"))
    services: list[Service] = []
    try:
        varnish_port = free_port()  # the public address the app purges; Varnish binds it below
        env = production_env(
            workdir,
            DATELINE_VARNISH_URLS=f"http://127.0.0.1:{varnish_port}",
            DATELINE_TRUSTED_PROXY_COUNT="1",
        )
        log(f"building the site in {workdir}")
        run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], env=env, timeout=900)
        run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], env=env, timeout=900)
        live = args.page == "live"
        out = run(
            [
                str(PYTHON),
                str(Path(__file__).resolve()),
                "--internal",
                "setup-live" if live else "setup",
            ],
            env=env,
            timeout=900,
        )
        site = json.loads(out.stdout.strip().splitlines()[-1])
        app_port = free_port()
        argv, extra = app_server_command(APP_SERVERS[0], port=app_port)
        app = Service(APP_SERVERS[0], argv, env | extra, workdir / "app.log")
        services.append(app.start())
        wait_http(f"http://127.0.0.1:{app_port}/healthz", service=app, timeout=180)
        varnish = varnish_service(workdir=workdir, app_port=app_port, port=varnish_port, env=env)
        services.append(varnish.start())
        front = f"http://127.0.0.1:{varnish_port}{site['url']}"
        wait_http(front, service=varnish, timeout=60)
        # The bytes readers get through Varnish (the page names its host in its links).
        _status, _headers, page = http_get(front)
        nginx, nginx_port = nginx_service(workdir=workdir, page=page, env=env)
        services.append(nginx.start())
        static = f"http://127.0.0.1:{nginx_port}/"
        wait_http(static, service=nginx, timeout=30)
        nginx_gz, nginx_gz_port = nginx_gzip_service(workdir=workdir, page=page, env=env)
        services.append(nginx_gz.start())
        static_gz = f"http://127.0.0.1:{nginx_gz_port}/"
        wait_http(static_gz, service=nginx_gz, timeout=30)
        gzip_script = Path(__file__).resolve().parent / "frontcache_gzip.lua"

        common = {
            "duration": args.duration,
            "connections": args.connections,
            "threads": args.threads,
        }
        rounds: list[dict[str, Any]] = []
        remaining = list(site["held"])
        for n in range(args.rounds):
            log(f"round {n + 1}/{args.rounds}")
            # The page as it is now (the last round's approvals changed it) for both nginx.
            _status, _headers, page = http_get(front)
            for root in (workdir / "nginx" / "www", workdir / "nginx-gzip" / "www"):
                (root / "index.html").write_bytes(page)
            (workdir / "nginx-gzip" / "www" / "index.html.gz").write_bytes(gzip.compress(page, 6))
            result: dict[str, Any] = {}
            result["nginx"] = run_wrk(static, **common)
            result["varnish"] = run_wrk(front, **common)
            result["nginx_gzip"] = run_wrk(static_gz, script=gzip_script, **common)
            result["varnish_gzip"] = run_wrk(front, script=gzip_script, **common)
            # With purges: a moderator approves a comment every second meanwhile.
            per_round = int(args.duration) + 2
            what = (
                ["churn-live", "--page-id", str(site["id"])]
                if live
                else ["churn", "--held", ",".join(str(i) for i in remaining[:per_round])]
            )
            churn = subprocess.Popen(
                [
                    str(PYTHON),
                    str(Path(__file__).resolve()),
                    "--internal",
                    *what,
                    "--seconds",
                    str(args.duration),
                ],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            remaining = remaining[per_round:]
            lines: list[str] = []
            visible: list[float] = []
            stop = threading.Event()
            reader = threading.Thread(target=collect, args=(churn, lines), daemon=True)
            watcher = threading.Thread(
                target=watch_visible,
                args=(front, lines, visible, stop),
                kwargs={"marker": 'id="update-{}"'} if live else {},
                daemon=True,
            )
            reader.start()
            time.sleep(3)  # Django's start-up in the churn process, before wrk starts
            watcher.start()
            result["varnish_purged"] = run_wrk(front, **common)
            churn.wait(timeout=120)
            reader.join(timeout=5)
            time.sleep(1)
            stop.set()
            watcher.join(timeout=15)
            result["approvals"] = len(lines)
            result["visible_s"] = sorted(visible)
            rounds.append(result)

        report = summarise(rounds, args=args, site=site)
        print_table(report)
        out_path = Path(args.out)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(report, indent=2, default=str))
        log(f"wrote {out_path}")
        return 0 if report["target_met"] else 1
    except KeyboardInterrupt:
        return 130
    finally:
        for service in reversed(services):
            service.stop()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def summarise(rounds: list[dict[str, Any]], *, args: argparse.Namespace, site: dict) -> dict:
    def rate(key: str) -> list[float]:
        return [float(r[key]["rps"]) for r in rounds]

    nginx, varnish, purged = rate("nginx"), rate("varnish"), rate("varnish_purged")
    nginx_gz, varnish_gz = rate("nginx_gzip"), rate("varnish_gzip")
    visible = sorted(v for r in rounds for v in r["visible_s"])
    shares = [p / n for p, n in zip(purged, nginx, strict=True)]
    worst_visible = max(visible) if visible else float("inf")
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "load_after": loadavg(),
        "wrk": {
            "duration": args.duration,
            "connections": args.connections,
            "threads": args.threads,
        },
        "page": args.page,
        "article": {"comments": site["approved"], "url": site["url"]},
        "nginx_rps": nginx,
        "varnish_rps": varnish,
        "varnish_with_purges_rps": purged,
        "share_of_nginx": [v / n for v, n in zip(varnish, nginx, strict=True)],
        "share_of_nginx_with_purges": shares,
        "nginx_gzip_rps": nginx_gz,
        "varnish_gzip_rps": varnish_gz,
        "share_of_nginx_gzip": [v / n for v, n in zip(varnish_gz, nginx_gz, strict=True)],
        "approvals": sum(r["approvals"] for r in rounds),
        "visible_s": {
            "n": len(visible),
            "median": visible[len(visible) // 2] if visible else None,
            "max": worst_visible,
        },
        "rounds": rounds,
        "target_met": min(shares) >= TARGET_SHARE and worst_visible <= TARGET_VISIBLE_S,
    }


def print_table(report: dict[str, Any]) -> None:
    churn = (
        "a live update filed every second"
        if report.get("page") == "live"
        else "a comment approved every second"
    )
    rows = [
        ("nginx static copy", report["nginx_rps"], None),
        ("through Varnish", report["varnish_rps"], report["share_of_nginx"]),
        (
            f"through Varnish, {churn}",
            report["varnish_with_purges_rps"],
            report["share_of_nginx_with_purges"],
        ),
        ("nginx static copy, gzip_static (clients accepting gzip)", report["nginx_gzip_rps"], None),
        (
            "through Varnish, clients accepting gzip",
            report["varnish_gzip_rps"],
            report["share_of_nginx_gzip"],
        ),
    ]
    print("| workload | req/s per round | share of nginx |")
    print("|---|---:|---:|")
    for name, rates, shares in rows:
        r = " / ".join(f"{x:,.0f}" for x in rates)
        s = " / ".join(f"{x:.0%}" for x in shares) if shares else "–"
        print(f"| {name} | {r} | {s} |")
    v = report["visible_s"]
    if v["n"]:
        print(
            f"\n{'Live updates' if report.get('page') == 'live' else 'Approved comments'} "
            f"visible through Varnish: {v['n']} measured, median "
            f"{v['median'] * 1000:.0f} ms, worst {v['max'] * 1000:.0f} ms."
        )
    print(
        f"Target (≥ {TARGET_SHARE:.0%} with purges, visible ≤ {TARGET_VISIBLE_S} s): "
        f"{'met' if report['target_met'] else 'missed'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds")
    parser.add_argument("--out", default=str(REPO / "bench" / "out" / "frontcache.json"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--page",
        choices=["article", "live"],
        default="article",
        help="the page measured: the article, or a live page with a live update every second",
    )
    parser.add_argument(
        "--internal",
        choices=["setup", "setup-live", "churn", "churn-live"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--held", help=argparse.SUPPRESS)
    parser.add_argument("--page-id", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=10, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.internal == "setup":
        print(json.dumps(internal_setup()))
        return 0
    if args.internal == "setup-live":
        print(json.dumps(internal_setup_live_page()))
        return 0
    if args.internal == "churn-live":
        internal_churn_live(args.page_id, 1.0, args.seconds)
        return 0
    if args.internal == "churn":
        internal_churn([int(i) for i in args.held.split(",") if i], 1.0, args.seconds)
        return 0
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())
