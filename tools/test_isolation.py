"""Two test runs at once on one PostgreSQL server and one Redis database: they must keep apart.

    .venv/bin/python tools/test_isolation.py [--pg URL] [--redis URL] [--redis-db 15]
        [--workers 2] [TEST ...]
    .venv/bin/python tools/test_isolation.py --drop [--pg URL]

Starts two pytest runs of TEST (by default tests/test_queries.py and
tests/comments/test_guards.py: the page cache, fragments and rate limits, all in Redis) with
the same DATABASE_URL, REDIS_URL and DATELINE_TEST_REDIS_DB, as two `make unit-postgres` on one
machine would. While they run it watches the server's test databases and the Redis keys of the
tests. It passes (exit 0) when both runs pass, each used databases and key prefixes of its own
(test_<name>_<run>_gw<N>, dateline-test-<run>-gw<N>; dateline/settings/test.py), and none of
those databases is left once the runs are over.

--drop removes the test databases that runs which were killed left behind (named
test_<name>_<8 hex digits>[_gw<N>]) while no session is connected to them.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TESTS = ["tests/test_queries.py", "tests/comments/test_guards.py"]


def server_url(url: str) -> str:
    """The server's maintenance database, where CREATE and DROP DATABASE are asked."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


def test_databases(pg: str) -> list[tuple[str, int]]:
    """(name, connected sessions) of every database a test run made from ``pg``'s name."""
    import psycopg

    pattern = f"test\\_{database_name(pg)}\\_%"
    with psycopg.connect(server_url(pg), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT d.datname, (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = d.datname)"
            " FROM pg_database d WHERE d.datname LIKE %s ORDER BY 1",
            [pattern],
        ).fetchall()
    return [(name, int(sessions)) for name, sessions in rows]


def drop_leftovers(pg: str) -> list[str]:
    import psycopg
    from psycopg import sql

    leftover = re.compile(rf"^test_{re.escape(database_name(pg))}_[0-9a-f]{{8}}(_gw\d+)?$")
    dropped = []
    with psycopg.connect(server_url(pg), autocommit=True) as conn:
        for name, sessions in test_databases(pg):
            if leftover.match(name) and sessions == 0:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
                dropped.append(name)
    return dropped


def redis_prefixes(redis_url: str, db: int) -> set[str]:
    import redis

    client = redis.Redis.from_url(f"{redis_url.rsplit('/', 1)[0]}/{db}")
    prefixes = set()
    for key in client.scan_iter(match="dateline-test-*", count=1000):
        prefixes.add(key.decode().split(":", 1)[0])
    return prefixes


class Watch(threading.Thread):
    """Samples the test databases and key prefixes while the runs go."""

    def __init__(self, pg: str, redis_url: str, db: int) -> None:
        super().__init__(daemon=True)
        self.pg, self.redis_url, self.db = pg, redis_url, db
        self.databases: set[str] = set()
        self.prefixes: set[str] = set()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            self.databases.update(name for name, _ in test_databases(self.pg))
            self.prefixes.update(redis_prefixes(self.redis_url, self.db))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/dateline")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--redis-db", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drop", action="store_true", help="drop databases killed runs left")
    parser.add_argument("tests", nargs="*", default=DEFAULT_TESTS)
    args = parser.parse_args()

    if args.drop:
        dropped = drop_leftovers(args.pg)
        print("dropped:", " ".join(dropped) or "none")
        return 0

    before = {name for name, _ in test_databases(args.pg)}
    runs = (secrets.token_hex(4), secrets.token_hex(4))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATELINE_TEST_RUN", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DATABASE_URL=args.pg, REDIS_URL=args.redis, DATELINE_TEST_REDIS_DB=str(args.redis_db)
    )
    watch = Watch(args.pg, args.redis, args.redis_db)
    watch.start()
    started = time.monotonic()
    procs = {}
    for run in runs:
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
        command += ["-n", str(args.workers)] if args.workers > 1 else []
        procs[run] = subprocess.Popen(
            [*command, "-m", "not browser", *args.tests],
            cwd=REPO,
            env={**env, "DATELINE_TEST_RUN": run},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    outputs = {run: proc.communicate()[0] for run, proc in procs.items()}
    watch.stop.set()
    watch.join()
    seconds = time.monotonic() - started
    after = {name for name, _ in test_databases(args.pg)}

    ok = True
    for run, proc in procs.items():
        summary = [
            line
            for line in outputs[run].splitlines()
            if re.search(r"\d+ (passed|failed|errors?|skipped)", line)
        ][-1:]
        databases = sorted(n for n in watch.databases if f"_{run}" in n)
        prefixes = sorted(p for p in watch.prefixes if p.startswith(f"dateline-test-{run}-"))
        print(f"run {run}: exit {proc.returncode}: {' '.join(summary)}")
        print(f"  databases: {' '.join(databases) or 'none seen'}")
        print(f"  Redis key prefixes: {' '.join(prefixes) or 'none seen'}")
        if proc.returncode != 0:
            ok = False
            print(outputs[run][-3000:])
        if not databases:
            ok = False
    left = sorted(n for n in after - before if any(f"_{run}" in n for run in runs))
    print(f"both runs at once: {seconds:.0f} s")
    print(f"test databases left behind: {' '.join(left) or 'none'}")
    return 0 if ok and not left else 1


if __name__ == "__main__":
    sys.exit(main())
