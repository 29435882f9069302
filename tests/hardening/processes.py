"""The shipped server and worker, started for real in subprocesses by the hardening tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
SERVER = BASE_DIR / "deploy" / "granian_server.py"
# Waiting for a process to start or to do something; generous for a busy two-core machine.
PATIENCE = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def site_env(var_dir: Path, *, settings_module: str, **extra: str) -> dict[str, str]:
    """The environment of a site process whose state lives in ``var_dir`` (its SQLite file, its
    page cache), never the operator's .env or var/, nor the test run's Redis."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DATELINE_IGNORE_DOTENV="1",
        DATELINE_VAR_DIR=str(var_dir),
        DATELINE_MODEL_DIR=str(var_dir / "models"),
        SECRET_KEY="hardening-test-key-" + "x" * 50,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@contextmanager
def app_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """The production server as ``make serve`` starts it (deploy/granian_server.py), on a free
    port; yields its base URL once it answers /healthz (with any status)."""
    with started_app_server(env, log) as (url, _process):
        yield url


@contextmanager
def started_app_server(
    env: dict[str, str], log: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """:func:`app_server`, with its main process (to signal it)."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(SERVER), "--bind", f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended as one
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + PATIENCE
        while True:
            assert process.poll() is None, f"the server exited:\n{log.read_text()}"
            try:
                requests.get(f"{url}/healthz", timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"the server never answered:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield url, process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """The server's graceful stop; then the whole process group (its workers wait for the
    requests they hold, for seconds, which a test need not)."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def manage(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A ``manage.py`` command in the background, its output in ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition: object, what: str, *, log: Path | None = None) -> None:
    """Until ``condition()`` is true (at most PATIENCE seconds)."""
    deadline = time.monotonic() + PATIENCE
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            detail = f"\n{log.read_text()}" if log is not None and log.exists() else ""
            raise AssertionError(f"timed out waiting for {what}{detail}")
        time.sleep(0.2)


def database_url_for_subprocesses() -> str:
    """The test run's database, for a server or worker process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
