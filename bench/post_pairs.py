"""Two checkouts' comment POST, post by post, on one kept bench site (in process, no server).

    .venv/bin/python bench/comments_bench.py --models DIR --posts-in-process 50 --keep
    .venv/bin/python bench/post_pairs.py --site /tmp/dateline-bench-XXXX --a ../before --b . \\
        [--posts 400] [--rounds 4] [--core 1]

On a shared machine, two runs of ``--posts-in-process`` minutes apart differ by up to 2× (the
neighbours change), far more than most changes to the posting code. Here one worker process per
checkout (each with its own code, the same site, models and settings) posts in turn: post n
goes to A then B, post n+1 to B then A, each the same text (a random generator seeded with n,
shaped as bench/wrk/post_comment.lua sends them), and both are pinned to the same core
(``taskset``), so both see the same neighbours. The CPU of each post is the worker's process
clock around the WSGI call. Rounds swap which checkout's worker starts first. Prints per round
the median CPU per post of each, and the median and mean of B − A over the paired posts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.lib import comment_post_environ, production_env

WARM_UP = 50


def worker() -> None:
    """Post the numbers read on stdin through this checkout's WSGI application; write the CPU
    milliseconds of each (the environment is the kept site's, the code this checkout's)."""
    from dateline.wsgi import application  # first: sets Django up and warms the site

    _serve(application)


def _serve(application: Any) -> None:

    from bench.comments_bench import POST_REPLY_SHARE, post_form
    from dateline.comments.guards import form_stamp
    from dateline.comments.models import Comment
    from dateline.news.models import ArticlePage

    article = ArticlePage.objects.get(slug="bench-article-a")
    reply_to = list(
        Comment.objects.filter(article=article, status="approved", depth__lt=3)
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
    run_id = f"{os.getpid()}-{time.time_ns() % 10**9}"
    stamp = form_stamp(now=time.time() - 30)
    host = "127.0.0.1:8000"

    def post(n: int) -> float:
        rng = random.Random(n)
        nonce = f"pair-{run_id}-{n}"
        parent = rng.choice(reply_to) if rng.random() < POST_REPLY_SHARE else 0
        form = post_form(rng, nonce, article_id=article.pk, parent=parent, stamp=stamp)
        environ = comment_post_environ(host, form, agent="dateline-bench (in process, paired)")
        seen: list[str] = []
        cpu = time.process_time()
        body = b"".join(application(environ, lambda status, _h, *_: seen.append(status)))
        cpu = time.process_time() - cpu
        if not seen[0].startswith("201"):
            raise RuntimeError(f"post answered {seen[0]}: {body[:300]!r}")
        return cpu * 1000

    print("ready", flush=True)
    for line in sys.stdin:
        print(f"{post(int(line)):.4f}", flush=True)


def _start(checkout: Path, site: Path, core: str) -> subprocess.Popen[str]:
    env = production_env(site, DATELINE_COMMENT_NETWORK_PER_HOUR="100000000")
    argv = [str(checkout / ".venv" / "bin" / "python"), str(checkout / "bench" / "post_pairs.py")]
    process = subprocess.Popen(
        ["taskset", "-c", core, *argv, "--worker"],
        cwd=checkout,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError(f"the worker of {checkout} did not start")
    return process


def _post(process: subprocess.Popen[str], n: int) -> float:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(f"{n}\n")
    process.stdin.flush()
    return float(process.stdout.readline())


def one_round(a: Path, b: Path, *, site: Path, posts: int, core: str, b_first: bool) -> None:
    order = [("b", b), ("a", a)] if b_first else [("a", a), ("b", b)]
    workers = {name: _start(path, site, core) for name, path in order}
    cpu: dict[str, list[float]] = {"a": [], "b": []}
    load = os.getloadavg()[0]
    try:
        for n in range(WARM_UP + posts):
            for name in ("a", "b") if n % 2 == 0 else ("b", "a"):
                spent = _post(workers[name], 1_000_000 + n)
                if n >= WARM_UP:
                    cpu[name].append(spent)
    finally:
        for process in workers.values():
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=60)
    difference = [y - x for x, y in zip(cpu["a"], cpu["b"], strict=True)]
    print(
        f"{time.strftime('%H:%M:%S')} {'B' if b_first else 'A'} started first, load {load:.2f}: "
        f"A {statistics.median(cpu['a']):.3f} ms, B {statistics.median(cpu['b']):.3f} ms "
        f"(median CPU per post); B − A median {statistics.median(difference):+.3f} ms, "
        f"mean {statistics.fmean(difference):+.3f} ms",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a site kept by comments_bench.py --keep")
    parser.add_argument("--a", type=Path, help="the checkout to compare against (before)")
    parser.add_argument("--b", type=Path, help="the checkout to measure (after)")
    parser.add_argument("--posts", type=int, default=400, help="paired posts per round")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--core", default="1", help="the CPU both workers are pinned to")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return 0
    if not (args.site and args.a and args.b):
        parser.error("--site, --a and --b are needed")
    for checkout in (args.a, args.b):
        if not (checkout / ".venv" / "bin" / "python").exists():
            parser.error(f"{checkout} has no .venv (link the main one: ln -s …/.venv .venv)")
    for n in range(args.rounds):
        one_round(
            args.a.resolve(),
            args.b.resolve(),
            site=args.site.resolve(),
            posts=args.posts,
            core=args.core,
            b_first=n % 2 == 1,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
