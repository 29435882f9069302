"""The shipped server's process guarantees (deploy/granian_server.py, docs/decisions/0085): a
worker that dies or stops answering is replaced by one forked from the loaded main process,
SIGTERM lets the requests in flight finish, request heads have limits, the access log goes to
standard output, and the process environment stays out of the requests."""

from __future__ import annotations

import contextlib
import importlib.util
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest
import requests

from .processes import PATIENCE, SERVER, site_env, started_app_server, wait_for


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def workers(process: subprocess.Popen[bytes], count: int = 2) -> set[int]:
    """The server's worker processes, once it has ``count`` of them."""
    wait_for(lambda: len(children(process.pid)) == count, f"{count} workers")
    return children(process.pid)


def all_ready(url: str) -> None:
    # Several, so both workers are asked.
    for _ in range(6):
        health = requests.get(f"{url}/healthz", timeout=10).json()
        assert health["status"] == "ok"
        assert health["process"]["preloaded"] is True


def start(var_dir: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    env = site_env(
        var_dir,
        settings_module="dateline.settings.production",
        WEB_CONCURRENCY="2",
        TASKS_BACKEND="immediate",
        GRANIAN_TIMEOUT="5",
    )
    log = var_dir.parent / "server.log"
    with started_app_server(env, log) as (url, process):
        yield url, process, log


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """A server of the test's own, to kill workers of or to stop."""
    yield from start(tmp_path / "var")


@pytest.fixture(scope="module")
def shared_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """A server for the tests that only send it requests."""
    yield from start(tmp_path_factory.mktemp("shared") / "var")


def test_a_worker_that_dies_is_replaced_by_one_forked_from_the_loaded_process(
    server: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    url, process, _log = server
    before = workers(process)
    dead = min(before)

    os.kill(dead, signal.SIGKILL)

    wait_for(
        lambda: dead not in children(process.pid) and len(children(process.pid)) == 2,
        "a new worker",
    )
    all_ready(url)


def test_a_worker_that_stops_answering_is_killed_and_replaced(
    server: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    url, process, log = server
    stuck = min(workers(process))

    os.kill(stuck, signal.SIGSTOP)

    wait_for(
        lambda: stuck not in children(process.pid) and len(children(process.pid)) == 2,
        "the stuck worker replaced",
        log=log,
    )
    assert f"worker {stuck} silent" in log.read_text()
    all_ready(url)


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_the_workers_stop_when_the_main_process_is_killed_outright(
    server: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    url, process, log = server
    orphans = workers(process)

    os.kill(process.pid, signal.SIGKILL)  # no chance to stop them (the OOM killer, kill -9)
    process.wait()

    # Without the check they went on serving on the inherited socket, unwatched, beside the
    # server started again on the same port.
    try:
        wait_for(
            lambda: not any(alive(pid) for pid in orphans), "the orphaned workers gone", log=log
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the group: any worker left
    assert "main process" in log.read_text()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/healthz", timeout=5)


def _stop_during_half_a_comment(
    sock: socket.socket, process: subprocess.Popen[bytes], url: str
) -> None:
    """Send half a comment's POST on ``sock`` (Django reads this form: a CSRF cookie and a
    matching Origin, and waits for the rest of its body), then SIGTERM the server and wait until
    it takes no new connection."""
    parts = urlsplit(url)
    sock.sendall(
        b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\n"
        b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\n\r\n"
        b"comment=half"
    )
    time.sleep(1)
    process.send_signal(signal.SIGTERM)
    wait_for(lambda: not accepts(parts.hostname, parts.port), "the listener closed")


def test_sigterm_lets_a_request_in_flight_finish_and_takes_no_new_one(
    server: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    url, process, _log = server
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=PATIENCE) as sock:
        _stop_during_half_a_comment(sock, process, url)

        sock.sendall(b"&author=")
        answer = sock.recv(100)

    # Answered, whatever the answer (this site has no tables: 503).
    assert answer.startswith(b"HTTP/1.1 ")
    assert process.wait(timeout=PATIENCE) == 0


# Longer than the 4 s after which granian seemed to kill a worker on SIGTERM; well inside
# GRANIAN_GRACEFUL_TIMEOUT (30 s).
SLOW_REQUEST_SECONDS = 6


def test_a_slow_request_in_flight_is_answered_during_a_graceful_stop(
    server: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    url, process, log = server
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=PATIENCE) as sock:
        _stop_during_half_a_comment(sock, process, url)
        time.sleep(SLOW_REQUEST_SECONDS)
        assert process.poll() is None, "the server stopped with a request in flight"

        sock.sendall(b"&author=")
        answer = sock.recv(100)

    assert answer.startswith(b"HTTP/1.1 ")
    assert process.wait(timeout=PATIENCE) == 0
    # The idle worker stopped at once; granian told it from one that refused to stop wrongly.
    assert "refused to gracefully stop" not in log.read_text()


def test_a_worker_that_has_exited_is_not_taken_for_one_that_refuses_to_stop() -> None:
    """Granian's watcher thread may reap an exited worker before its stop loop asks whether
    the worker is alive (multiprocessing then says it is): the launcher asks the kernel."""
    worker_class = launcher().worker_class()
    fork = multiprocessing.get_context("fork")
    busy = fork.Process(target=time.sleep, args=(PATIENCE,))
    done = fork.Process(target=time.sleep, args=(0,))
    workers = []
    for process in (busy, done):
        process.start()
        worker = object.__new__(worker_class)
        worker.inner = process
        workers.append(worker)
    try:
        os.waitpid(done.pid, 0)  # as granian's watcher thread does, unknown to multiprocessing

        assert workers[0].is_alive()
        assert not workers[1].is_alive()
    finally:
        busy.kill()
        busy.join()


def test_ctrl_c_and_the_stacks_sigterm_at_once_stop_the_server(
    server: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    """Ctrl+C on make stack sends SIGINT to every process, and the recipe's trap SIGTERM right
    after: a signal landing while granian's handler for the previous one held its event's
    lock deadlocked the process (the main process waited for ever, a worker went silent); and
    a signal the kernel handed to one of a worker's other threads woke no one, so the worker
    served on until the graceful timeout killed it, 30 s later."""
    _url, process, log = server
    workers(process)
    for _ in range(20):
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signum)

    try:
        process.wait(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the server did not stop:\n{log.read_text()}") from None
    assert "refused to gracefully stop" not in log.read_text()


# A process whose main thread waits on a lock, as granian's main process and workers do, and
# a signal the kernel hands to another of its threads (pthread_kill picks that thread here).
SIGNAL_ON_ANOTHER_THREAD = """
import signal, sys, threading
sys.path.insert(0, {deploy!r})
import granian_server
{setup}
other = threading.Thread(target=threading.Event().wait, daemon=True)
other.start()
threading.Timer(0.2, signal.pthread_kill, (other.ident, signal.SIGTERM)).start()
{wait}
print("stopped")
"""


def run_signalled(setup: str, wait: str) -> subprocess.CompletedProcess[str]:
    code = SIGNAL_ON_ANOTHER_THREAD.format(
        deploy=str(SERVER.parent), setup=textwrap.dedent(setup), wait=textwrap.dedent(wait)
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=PATIENCE
    )


def test_a_worker_stops_on_a_signal_another_of_its_threads_received() -> None:
    out = run_signalled(
        # Granian's own event tells only its Rust server loop, which is not running here.
        setup="""
        import granian._granian
        class WorkerSignal:
            def __init__(self):
                self.stopping = threading.Event()
            def set(self):
                self.stopping.set()
        granian._granian.WorkerSignal = WorkerSignal
        stopping = granian_server.set_sync_signals_once().stopping
        """,
        wait="assert stopping.wait(timeout=10), 'the worker was never told'",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "stopped"


def test_the_main_process_stops_on_a_signal_another_of_its_threads_received() -> None:
    out = run_signalled(
        setup="""
        server = granian_server.server_class()("dateline.wsgi:application", workers=1)
        server.route_signals()
        """,
        wait="""
        assert server.main_loop_interrupt.wait(timeout=10), 'the server was never told'
        assert server.interrupt_signal and not server.reload_signal
        """,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "stopped"


def accepts(host: str | None, port: int | None) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


def raw_status(url: str, head: bytes) -> bytes:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=PATIENCE) as sock:
        sock.sendall(head)
        return sock.recv(100).split(b"\r\n")[0]


def test_request_heads_have_limits(
    shared_server: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    url, _process, _log = shared_server
    start = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    fields = b"".join(b"X-Field-%d: a\r\n" % i for i in range(98))

    assert raw_status(url, start + fields + b"\r\n") == b"HTTP/1.1 200 OK"
    assert raw_status(url, start + fields + b"X-One: a\r\nX-Two: a\r\n\r\n").startswith(
        b"HTTP/1.1 431"
    )
    assert raw_status(url, start + b"X-Big: " + b"a" * 300_000 + b"\r\n\r\n").startswith(
        b"HTTP/1.1 431"
    )
    long_uri = b"GET /healthz?" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    assert raw_status(url, long_uri).startswith(b"HTTP/1.1 414")


def test_the_access_log_goes_to_standard_output(
    shared_server: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    url, _process, log = shared_server
    requests.get(f"{url}/healthz?probe=1", timeout=10, headers={"User-Agent": "access-log-probe"})

    wait_for(lambda: "access-log-probe" in log.read_text(), "the access log line", log=log)
    line = next(line for line in log.read_text().splitlines() if "access-log-probe" in line)
    assert '"GET /healthz HTTP/1.1" 200 ' in line
    assert '"probe=1"' in line


def launcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("granian_server", SERVER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_process_environment_stays_out_of_the_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_ENVIRONMENT_PROBE", "kept-out")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid")
    seen: dict[str, object] = {}

    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        seen.update(environ)
        return []

    wrapped = launcher().without_environment(app, list(os.environ))
    # What granian passes: a copy of os.environ, the server's keys, the request's.
    request_keys = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_SOFTWARE": "Granian"}
    wrapped({**os.environ, **request_keys}, None)
    assert "SECRET_ENVIRONMENT_PROBE" not in seen
    assert "HTTP_PROXY" not in seen
    assert seen["PATH_INFO"] == "/" and seen["SERVER_SOFTWARE"] == "Granian"

    # A header sent under the name of an environment variable is the client's.
    wrapped({**os.environ, **request_keys, "HTTP_PROXY": "sent"}, None)
    assert seen["HTTP_PROXY"] == "sent"
