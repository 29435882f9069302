"""Slow clients and restarts against the production server (issue 15, items 3 and 4).

    .venv/bin/python bench/slow_clients_bench.py [--workers 2] [--idle 2] [--half 2]
        [--patience 90] [--out bench/out/slow_clients.json]

Starts the server three times on a throw-away site (production settings, an empty SQLite file,
tasks inline): gunicorn as `make serve` started it before issue 15 (sync workers, no
configuration file), gunicorn with deploy/gunicorn.conf.py (the alternative), and the shipped
deploy/granian_server.py. For each it measures the time from start to the
first answer of /healthz, /healthz alone (median of 20), and /healthz while --idle connections
send nothing and --half requests stop half-way through their headers (given up after
--patience seconds). Servers are always stopped. The tests (tests/hardening/test_slow_clients.py)
check the behaviour; this measures it.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.lib import (
    REPO,
    Service,
    app_server_command,
    free_port,
    log,
    machine_info,
    production_env,
)

GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
KINDS = ("sync (before)", "deploy/gunicorn.conf.py", "deploy/granian_server.py")


def argv_for(kind: str, *, port: int, workers: int) -> tuple[list[str], dict[str, str]]:
    common = ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]
    if kind == "sync (before)":
        return [str(GUNICORN), "dateline.wsgi:application", *common], {}
    if kind == "deploy/gunicorn.conf.py":
        return [str(GUNICORN), "-c", str(REPO / "deploy" / "gunicorn.conf.py"), *common], {}
    return app_server_command("granian", port=port, workers=workers)


def get_seconds(url: str, *, patience: float) -> float | None:
    """Seconds until ``url`` answered (any status), or None when it did not within patience."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=patience):  # noqa: S310 - 127.0.0.1 only
            pass
    except urllib.error.HTTPError:
        pass
    except OSError:
        return None
    return time.monotonic() - started


def measure(kind: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    port = free_port()
    env = production_env(workdir / kind.split()[0])
    argv, extra = argv_for(kind, port=port, workers=args.workers)
    service = Service(kind, argv, env | extra, workdir / "log")
    url = f"http://127.0.0.1:{port}/healthz"
    started = time.monotonic()
    service.start()
    held: list[socket.socket] = []
    try:
        while get_seconds(url, patience=5) is None:
            if not service.alive() or time.monotonic() - started > 120:
                raise RuntimeError(f"{kind} did not start:\n{service.log_tail()}")
            time.sleep(0.05)
        first_answer = time.monotonic() - started
        alone = [get_seconds(url, patience=args.patience) or args.patience for _ in range(20)]
        for _ in range(args.idle):
            held.append(socket.create_connection(("127.0.0.1", port)))
        for _ in range(args.half):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            held.append(sock)
        held_answers = [get_seconds(url, patience=args.patience) for _ in range(3)]
    finally:
        for sock in held:
            sock.close()
        service.stop()
    return {
        "server": kind,
        "first_answer_s": round(first_answer, 2),
        "healthz_alone_ms": round(statistics.median(alone) * 1000, 1),
        "healthz_with_slow_clients_s": [
            round(s, 3) if s is not None else f">{args.patience:.0f} (gave up)"
            for s in held_answers
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--idle", type=int, default=2)
    parser.add_argument("--half", type=int, default=2)
    parser.add_argument("--patience", type=float, default=90.0)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "slow_clients.json")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="dateline-slow-") as tmp:
        for kind in KINDS:
            log(f"measuring {kind}")
            results.append(measure(kind, args, Path(tmp)))
    report = {"machine": machine_info(), "settings": vars(args) | {"out": str(args.out)}}
    report["results"] = results
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str))
    print(f"{'server':26} {'first answer':>13} {'/healthz':>10}  /healthz with slow clients")
    for r in results:
        print(
            f"{r['server']:26} {r['first_answer_s']:>11} s {r['healthz_alone_ms']:>7} ms  "
            f"{', '.join(str(s) for s in r['healthz_with_slow_clients_s'])}"
        )


if __name__ == "__main__":
    main()
