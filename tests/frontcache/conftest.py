"""A real front cache for the tests: Varnish with the shipped configuration
(deploy/varnish/dateline.vcl) in front of two app servers (deploy/granian_server.py) and a task
worker, on the test run's database, with the page cache shared between them and this process.

Started once per session; each test gets it cleared (Varnish purged, page cache emptied) and a
freshly migrated site (transactional database with serialized rollback). Skipped with the reason
when varnishd or its xkey module is missing: `make test` installs them (`make stack-deps`)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[2]
VCL = ROOT / "deploy" / "varnish" / "dateline.vcl"
HERE = Path(__file__).parent
# A change shows through the front cache because it was purged: without a purge it would wait for
# the page's TTL (DATELINE_FRONT_CACHE_TTL, an hour). The tests allow a margin a busy CI machine
# needs; how fast it shows (issue 13's one second) is measured by bench/frontcache_bench.py, not
# asserted here.
VISIBLE_WITHIN = 15.0


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "frontcache: runs Varnish in front of live app servers")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.frontcache)


def varnishd_path() -> str | None:
    found = shutil.which("varnishd") or "/usr/sbin/varnishd"
    return found if os.path.exists(found) else None


def skip_without_varnish() -> None:
    """Skip the test, with the reason, where Varnish or its xkey module is not installed."""
    if varnishd_path() is None or not list(
        Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")
    ):
        pytest.skip(
            "varnishd or its xkey module is not installed: `make stack-deps` (run by `make test` "
            "as root) installs Debian's varnish and varnish-modules"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class Stack:
    """Varnish on ``port`` in front of the app servers on ``app_ports``."""

    port: int
    app_ports: list[int]
    workdir: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    worker: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    def worker_alive(self) -> None:
        """Start the task worker again if it stopped (it does when a test's flush deletes the
        row of the task it runs)."""
        if self.worker is None or self.worker.poll() is not None:
            if self.worker is not None:
                self.processes.remove(self.worker)
            self.worker = task_worker(env=self.env, logdir=self.workdir)
            self.processes.append(self.worker)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(
        self, path: str, *, cookies: dict[str, str] | None = None, port: int | None = None
    ) -> Answer:
        # A test that waits for a change to show polls here: a worker that stopped after the
        # fixture's check (the previous test's flush deleted its task row as it finished) is
        # started again, or no purge would ever come.
        if self.env:
            self.worker_alive()
        headers = {"Accept-Encoding": "identity"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return self.request("GET", path, headers=headers, port=port)

    def post(
        self,
        path: str,
        data: dict[str, Any],
        *,
        cookies: dict[str, str] | None = None,
        port: int | None = None,
    ) -> Answer:
        import urllib.parse

        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.url}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = urllib.parse.urlencode(data).encode()
        return self.request("POST", path, headers=headers, body=body, port=port)

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        port: int | None = None,
    ) -> Answer:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        # Every server is asked by the site's public name, as Varnish asks them.
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return Answer(
                status=response.status,
                headers={k.lower(): v for k, v in response.getheaders()},
                body=response.read().decode("utf-8", "replace"),
            )
        finally:
            conn.close()

    def purge_everything(self) -> None:
        self.request("PURGE", "/", headers={"xkey": "content listings"})

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def tiny_backend(server_class: type[Any], handler: type[Any]) -> Any:
    """A small threaded HTTP server of ``server_class`` answering with ``handler``, on a free
    port, serving until shut down: a stand-in app server for testing the VCL alone."""
    import threading

    server = server_class(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def until(check: Callable[[], Any], *, within: float, every: float = 0.02) -> Any:
    """Poll ``check`` until it returns something true or ``within`` seconds pass; returns its last
    value (the caller asserts on it)."""
    deadline = time.monotonic() + within
    while True:
        value = check()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(every)


def _wait_for(url: str, *, within: float, log: Path) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {within} s; see {log}")


def _server_env(*, db_name: str, pages_dir: Path, varnish_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.frontcache.server_settings",
            "DATELINE_TEST_DB_NAME": db_name,
            "DATELINE_TEST_PAGES_DIR": str(pages_dir),
            "DATELINE_TEST_MODEL_DIR": str(pages_dir.parent / "models"),
            "TASKS_BACKEND": "database",
            "DATELINE_VARNISH_URLS": varnish_url,
            # Varnish appends the reader's address; the rate limits must count the reader.
            "DATELINE_TRUSTED_PROXY_COUNT": "1",
            "WEB_CONCURRENCY": "1",
            "GRANIAN_BLOCKING_THREADS": "4",
            "GRANIAN_ACCESS_LOG": "0",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    return env


def app_server(
    *, port: int, env: dict[str, str], logdir: Path, name: str
) -> subprocess.Popen[bytes]:
    log = (logdir / f"{name}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "granian_server.py"), "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def task_worker(*, env: dict[str, str], logdir: Path) -> subprocess.Popen[bytes]:
    log = (logdir / "worker.log").open("ab")
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.05",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def varnish(*, port: int, app_ports: list[int], workdir: Path) -> subprocess.Popen[bytes]:
    """varnishd with the shipped VCL; the backends file on its include path names our servers."""
    backends = "\n".join(
        f'backend app{i} {{ .host = "127.0.0.1"; .port = "{p}"; .probe = {{ .url = "/healthz/process"; '
        f".interval = 1s; .timeout = 2s; .window = 2; .threshold = 1; .initial = 0; }} }}"
        for i, p in enumerate(app_ports)
    )
    adds = "\n".join(f"    app.add_backend(app{i});" for i in range(len(app_ports)))
    (workdir / "dateline-backends.vcl").write_text(
        f"{backends}\nsub vcl_init {{\n    new app = directors.round_robin();\n{adds}\n}}\n"
    )
    log = (workdir / "varnishd.log").open("wb")
    return subprocess.Popen(
        [
            str(varnishd_path()),
            "-F",
            # No privilege drop to Varnish's own user: it could not read a test's temporary folder.
            "-j",
            "none",
            "-n",
            str(workdir / "varnish"),
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "none",
            "-s",
            "malloc,64m",
            "-p",
            f"vcl_path={workdir}:{VCL.parent}:/usr/share/varnish/vcl",
            "-f",
            str(VCL),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.fixture(scope="session")
def front_stack(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    skip_without_varnish()
    from django.db import connection

    workdir = tmp_path_factory.mktemp("frontcache")
    with django_db_blocker.unblock():
        db_name = str(connection.settings_dict["NAME"])
    stack = Stack(port=free_port(), app_ports=[free_port(), free_port()], workdir=workdir)
    env = _server_env(db_name=db_name, pages_dir=workdir / "pages", varnish_url=stack.url)
    try:
        for i, port in enumerate(stack.app_ports):
            stack.processes.append(
                app_server(port=port, env=env, logdir=workdir, name=f"app{i + 1}")
            )
        stack.env = env
        stack.worker_alive()
        stack.processes.append(varnish(port=stack.port, app_ports=stack.app_ports, workdir=workdir))
        for i, port in enumerate(stack.app_ports):
            _wait_for(
                f"http://127.0.0.1:{port}/healthz", within=120, log=workdir / f"app{i + 1}.log"
            )
        _wait_for(f"{stack.url}/healthz", within=30, log=workdir / "varnishd.log")
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def front(
    front_stack: Stack,
    transactional_db: None,
    django_db_serialized_rollback: None,
    settings: Any,
) -> Iterator[Stack]:
    """The stack, emptied, with this process configured as its servers are (shared page cache,
    the database task queue, purges to this Varnish), on a freshly migrated site."""
    from tests.caches import cache_empty

    if not django_settings.REDIS_URL:
        settings.CACHES = {
            **settings.CACHES,
            "pages": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(front_stack.workdir / "pages"),
            },
        }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATELINE_VARNISH_URLS = [front_stack.url]
    front_stack.worker_alive()
    cache_empty("pages")
    front_stack.purge_everything()
    yield front_stack
    # The test's tasks finish before its rows are deleted (a worker whose task row vanishes
    # under it stops).
    from django_tasks_db.models import DBTaskResult

    until(
        lambda: (
            not DBTaskResult.objects.filter(status="RUNNING").exists()
            and not DBTaskResult.objects.ready().exists()
        ),
        within=20,
        every=0.1,
    )
    _flush_wins_deadlocks()


def _flush_wins_deadlocks() -> None:
    """The test's flush (one TRUNCATE of every table, locking them one after another) can meet
    an app server still reading several tables (Varnish's probes, a background fetch after the
    test's last request): PostgreSQL then breaks the deadlock by failing whichever session
    checks first, after ``deadlock_timeout``. This session waits longer, so the server's
    request is the one that fails (after the test, unseen) and the flush goes through."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET deadlock_timeout = '30s'")
    except DatabaseError:  # not a superuser: PostgreSQL's default stays
        pass


# The conversation's fixtures (an article, comments, a poster, staff), shared with these tests.
from tests.comments.conftest import (  # noqa: E402, F401
    article,
    comment_factory,
    post_comment,
    staff_user,
)
