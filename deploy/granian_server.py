"""The production server (`make serve`): granian, a Rust HTTP server, running the WSGI application.

    python deploy/granian_server.py [--bind HOST:PORT] [--workers N]

Why a launcher and not granian's command line (docs/decisions/0085-granian.md):

- **Loaded once, before the workers.** This process imports ``dateline.wsgi`` (scikit-learn, the
  learned filters, every view, the main templates: ``dateline.wsgi.warm_site``) and then starts
  granian, whose workers are forked from it (the start method is set to ``fork`` here; granian
  would use ``spawn`` where Python's default is another, and a spawned worker imports everything
  again). A worker takes its first request with all of it in memory, and a worker granian
  replaces is serving again in milliseconds. Granian's own command line imports the application
  in each worker, after the fork.
- **Slow clients hold no Python thread.** Granian reads connections in Rust: an idle connection
  or a request whose headers never end costs a socket, not a thread, and is closed after
  ``GRANIAN_HEADER_READ_TIMEOUT`` ms (5 s, as gunicorn's gthread did). The application is called
  once the headers are in; a request whose body never comes holds one of the worker's
  ``GRANIAN_BLOCKING_THREADS`` Python threads (8) until its client leaves, as with gunicorn.
  Many slow clients at once remain the job of a buffering proxy in front (Varnish, nginx).
- **Keep-alive off** (``GRANIAN_KEEP_ALIVE``): a kept-alive connection stays with the worker that
  accepted it, and a worker runs Python on one core at a time; closing each connection after its
  answer spreads busy clients over the workers (docs/performance.md, "A quieter machine").
- **A stuck worker is replaced.** Granian respawns a worker that exits; it has no timeout for a
  worker that stops answering. Each worker touches a heartbeat file (in ``$TMPDIR``) every
  second from a Python thread; this process kills a worker whose file is older than
  ``GRANIAN_TIMEOUT`` seconds (30), and granian starts another. As gunicorn's ``timeout`` did, it
  catches a stuck process (the interpreter's lock held, the process stopped), not a slow request.
  A worker that dies again within 5.5 s of being replaced stops the whole server (granian's
  crash-loop guard): run it under a supervisor that restarts it (systemd ``Restart=always``).
- **No orphans.** A worker whose main process is gone (killed with SIGKILL) stops by itself
  within a second, gracefully, instead of serving on unwatched beside the next server.
- **Graceful stop.** SIGTERM or SIGINT: the workers stop accepting, finish the requests in
  flight and exit; one still busy after ``GRANIAN_GRACEFUL_TIMEOUT`` seconds (30) is killed.
  Whether a worker still runs is read from ``/proc``: granian asked multiprocessing, which
  called a worker that had already exited "alive" when granian's own watcher thread had reaped
  it first, and logged "Killing worker-1 after it refused to gracefully stop" seconds after
  SIGTERM for a worker that had stopped as asked (``worker_class``). Signals reach a thread
  that waits for them, whichever of the process's threads the kernel hands them to, and no
  handler takes a lock: Ctrl+C's SIGINT and a SIGTERM at once stop it at once
  (``signals_to_thread``).
  SIGHUP replaces the workers one by one, forked again from this process: code is not reloaded,
  a deploy restarts the server.
- **Limits.** A request head (request line and headers) still incomplete once hyper's read
  buffer holds ``GRANIAN_HEAD_LIMIT`` bytes (64 KiB; the buffer grows in steps, so heads up to
  about twice that can pass) is refused with 431, as is one of more than 100 header fields; a URI
  longer than 65,534 bytes gets 414 (hyper's fixed limits).
- **The environment stays out of requests.** Granian starts every WSGI environ from a copy of
  ``os.environ`` (as CGI did): ``SECRET_KEY``, ``DATABASE_URL`` and the rest would reach
  ``request.META`` and error reports. The application is wrapped to drop them.
- **Logs**: the access log (one line per request, with the time it took) and the server's own
  messages to standard output, the application's to standard error as before.

Every value can be changed from the environment: ``GRANIAN_HOST``, ``GRANIAN_PORT`` (or
``--bind``), ``WEB_CONCURRENCY`` (or ``--workers``), ``GRANIAN_BLOCKING_THREADS``,
``GRANIAN_BACKPRESSURE``, ``GRANIAN_KEEP_ALIVE``, ``GRANIAN_HEADER_READ_TIMEOUT``,
``GRANIAN_HEAD_LIMIT``, ``GRANIAN_TIMEOUT``, ``GRANIAN_GRACEFUL_TIMEOUT``,
``GRANIAN_WORKERS_LIFETIME`` (seconds, at least 60; unset: workers live until stopped),
``GRANIAN_ACCESS_LOG`` (0 turns it off), ``GRANIAN_LOG_LEVEL``.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET = "dateline.wsgi:application"
# Gunicorn's common log format, without the response size (granian does not tell it), with the
# query string apart and the time taken.
ACCESS_LOG_FORMAT = (
    '%(addr)s - - [%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms '
    '"%(query_string)s" "%(header{referer})s" "%(header{user-agent})s"'
)
# What granian itself puts in every environ, apart from os.environ.
SERVER_KEYS = {"GATEWAY_INTERFACE", "SCRIPT_NAME", "SERVER_SOFTWARE"}
HEARTBEAT_SECONDS = 1.0

log = logging.getLogger("dateline.server")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value not in {"0", "false", "no", "off"}


def without_environment(app: Callable[..., Any], names: Iterable[str]) -> Callable[..., Any]:
    """``app`` called with an environ from which ``names`` (the process environment's variables,
    copied in by granian) are gone. A header the client sent under such a name (``HTTP_…``,
    ``CONTENT_…``) is kept when its value differs from the environment's."""
    environment = {name: os.environ.get(name) for name in names if name not in SERVER_KEYS}
    plain = [name for name in environment if not name.startswith(("HTTP_", "CONTENT_"))]
    shadowed = [(name, value) for name, value in environment.items() if name not in plain]

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        for name in plain:
            environ.pop(name, None)
        for name, value in shadowed:
            if environ.get(name) == value:
                del environ[name]
        return app(environ, start_response)

    return application


def heartbeat(folder: Path) -> None:
    """In a worker: touch ``folder/<pid>`` every second, from a thread, for as long as the
    process runs Python; and stop (gracefully, as on SIGTERM) once the main process is gone.

    A main process killed outright (SIGKILL, the kernel's out-of-memory killer) cannot stop its
    workers: they would go on serving on the inherited socket, unwatched, beside the server a
    supervisor starts again on the same port (granian binds it with SO_REUSEPORT), with the old
    code after a deploy."""
    path = folder / str(os.getpid())
    path.touch()
    parent = os.getppid()

    def beat() -> None:
        while True:
            if os.getppid() != parent:
                log.warning("main process %d gone: worker %d stops", parent, os.getpid())
                path.unlink(missing_ok=True)
                os.kill(os.getpid(), signal.SIGTERM)
                return
            with contextlib.suppress(OSError):
                os.utime(path)
            time.sleep(HEARTBEAT_SECONDS)

    threading.Thread(target=beat, name="dateline-heartbeat", daemon=True).start()


def _state_and_parent(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent, from the kernel; None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
    state, ppid = stat.rsplit(")", 1)[1].split()[:2]
    return state, int(ppid)


def is_child(pid: int) -> bool:
    found = _state_and_parent(pid)
    return found is not None and found[1] == os.getpid()


def running_child(pid: int) -> bool:
    """Whether ``pid`` is a child of this process that has not exited (a zombie has)."""
    found = _state_and_parent(pid)
    return found is not None and found[1] == os.getpid() and found[0] != "Z"


def worker_class() -> type:
    """Granian's worker process, told alive or stopped by the kernel, not by multiprocessing.

    Granian joins each worker twice: a thread per worker waits for it to exit (to respawn one
    that dies), and the graceful stop joins it again. Whichever reaps the exited worker first
    wins; the other's ``waitpid`` fails with ECHILD, which multiprocessing reads as "still
    running" until the first has written the exit code down. Granian's stop then logged
    "Killing worker-1 after it refused to gracefully stop" for a worker that had finished its
    requests and exited with 0, often under load (the reaping thread not scheduled within the
    millisecond granian waits), and sent SIGKILL to a process id that was no longer its own."""
    from granian.server.mp import WorkerProcess

    class Worker(WorkerProcess):  # type: ignore[misc]
        def is_alive(self) -> bool:
            return running_child(self.inner.pid)

    return Worker


def signals_to_thread(handle: Callable[[int], None], signums: Iterable[int]) -> None:
    """Call ``handle(signum)`` from a thread of its own for each of ``signums`` this process
    receives. Call it in the main thread.

    The kernel hands a signal sent to a process to any of its threads, and Python runs a
    signal's handler only in the main thread, between two bytecodes. Granian's main thread
    waits on a lock (the main process for its event, a worker for its own) and its Rust threads
    take signals too: a signal landing on one of them set Python's flag and woke nobody, so the
    handler never ran. Ctrl+C on ``make stack`` (SIGINT to every process, then the recipe's trap
    SIGTERM) left one worker or both serving on until the graceful timeout killed them, 30 s
    later ("Killing worker-2 after it refused to gracefully stop"). Here the handlers do
    nothing; the interpreter's own C handler writes the signal's number to a pipe
    (``signal.set_wakeup_fd``) whichever thread it lands on, and a thread reads it. No
    handler takes a lock, so a signal landing inside another's handler cannot deadlock it
    either (the first cause of that hang)."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    for signum in signums:
        signal.signal(signum, _ignore_in_main_thread)

    def forward() -> None:
        while received := os.read(read_end, 64):
            for signum in received:
                handle(signum)

    threading.Thread(target=forward, name="dateline-signals", daemon=True).start()

    def forget_in_child() -> None:
        # A forked worker must not write its signals into this process's pipe before it
        # routes its own.
        with contextlib.suppress(ValueError):
            signal.set_wakeup_fd(-1)
        os.close(read_end)
        os.close(write_end)

    os.register_at_fork(after_in_child=forget_in_child)


def _ignore_in_main_thread(signum: int, frame: Any) -> None:
    """The Python handler: the signal is acted on by ``signals_to_thread``'s thread."""


def server_class() -> type:
    """Granian's server, told of its signals by ``signals_to_thread``."""
    from granian.server import Server

    class DatelineServer(Server):  # type: ignore[misc]
        def route_signals(self) -> None:
            signals_to_thread(self._signalled, (signal.SIGINT, signal.SIGTERM, signal.SIGHUP))

        def _signalled(self, signum: int) -> None:
            if signum == signal.SIGHUP:
                self.reload_signal = True
            else:
                self.interrupt_signal = True
            self.main_loop_interrupt.set()

        def startup(self, spawn_target: Any, target_loader: Any) -> Any:
            # Granian's startup installs its handlers (below, doing nothing), then forks.
            self.route_signals()
            return super().startup(spawn_target, target_loader)

        def signal_handler_interrupt(self, *args: Any, **kwargs: Any) -> None:
            """Granian's handler: the signal is acted on by ``_signalled``."""

        def signal_handler_reload(self, *args: Any, **kwargs: Any) -> None:
            """Granian's handler: the signal is acted on by ``_signalled``."""

        def _spawn_worker(self, idx: int, target: Any, callback_loader: Any) -> Any:
            spawned = super()._spawn_worker(idx, target, callback_loader)
            spawned.__class__ = worker_class()
            return spawned

    return DatelineServer


def set_sync_signals_once() -> Any:
    """Granian's worker signals (``granian._signals.set_sync_signals``), told by
    ``signals_to_thread`` and acted on once: the first SIGINT or SIGTERM starts the graceful
    stop; a later one changes nothing."""
    from granian._granian import WorkerSignal

    signal_event = WorkerSignal()
    received: list[int] = []

    def stop(signum: int) -> None:
        if not received:
            received.append(signum)
            signal_event.set()

    signals_to_thread(stop, (signal.SIGINT, signal.SIGTERM))
    return signal_event


def watch_heartbeats(folder: Path, timeout: int) -> None:
    """In the server's main process: kill a worker whose heartbeat is older than ``timeout``
    seconds (granian starts another); forget the files of workers that are gone."""

    def watch() -> None:
        while True:
            time.sleep(HEARTBEAT_SECONDS)
            now = time.time()
            try:
                paths = list(folder.iterdir())
            except FileNotFoundError:  # the server is stopping
                return
            for path in paths:
                pid = int(path.name)
                try:
                    silent = now - path.stat().st_mtime
                except FileNotFoundError:
                    continue
                if not is_child(pid):
                    path.unlink(missing_ok=True)
                elif silent > timeout:
                    log.error("worker %d silent for %.0f s: killed, a new one starts", pid, silent)
                    path.unlink(missing_ok=True)
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)

    threading.Thread(target=watch, name="dateline-heartbeats", daemon=True).start()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Dateline's production server (granian, WSGI).")
    parser.add_argument(
        "--bind",
        default=f"{os.environ.get('GRANIAN_HOST', '127.0.0.1')}:{os.environ.get('GRANIAN_PORT', '8000')}",
        help="HOST:PORT to listen on (default from GRANIAN_HOST, GRANIAN_PORT: 127.0.0.1:8000)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=env_int("WEB_CONCURRENCY", os.cpu_count() or 1),
        help="worker processes (default WEB_CONCURRENCY, else one per core)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    host, _, port = args.bind.rpartition(":")
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.production")

    # Workers are forked from this process once the application is loaded (see above).
    multiprocessing.set_start_method("fork", force=True)
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    import dateline.wsgi

    heartbeats = Path(tempfile.mkdtemp(prefix="dateline-heartbeats-"))

    def load(target: str) -> Callable[..., Any]:
        """In each worker, after the fork: the loaded application, and the heartbeat. Granian
        copies os.environ into its environ template right after this returns."""
        heartbeat(heartbeats)
        return without_environment(dateline.wsgi.application, list(os.environ))

    import granian._signals

    # Read by each worker when it starts (granian imports it from the module then).
    granian._signals.set_sync_signals = set_sync_signals_once
    workers_lifetime = env_int("GRANIAN_WORKERS_LIFETIME", 0) or None
    server = server_class()(
        TARGET,
        address=host.strip("[]") or "127.0.0.1",
        port=int(port),
        interface=Interfaces.WSGI,
        http=HTTPModes.http1,
        workers=args.workers,
        blocking_threads=env_int("GRANIAN_BLOCKING_THREADS", 8),
        backlog=1024,
        backpressure=env_int("GRANIAN_BACKPRESSURE", 0) or None,
        http1_settings=HTTP1Settings(
            header_read_timeout=env_int("GRANIAN_HEADER_READ_TIMEOUT", 5000),
            keep_alive=env_flag("GRANIAN_KEEP_ALIVE", False),
            max_buffer_size=env_int("GRANIAN_HEAD_LIMIT", 64 * 1024),
        ),
        log_level=LogLevels(os.environ.get("GRANIAN_LOG_LEVEL", "info")),
        log_access=env_flag("GRANIAN_ACCESS_LOG", True),
        log_access_format=ACCESS_LOG_FORMAT,
        respawn_failed_workers=True,
        workers_lifetime=workers_lifetime,
        workers_kill_timeout=env_int("GRANIAN_GRACEFUL_TIMEOUT", 30),
        working_dir=BASE_DIR,
    )
    watch_heartbeats(heartbeats, env_int("GRANIAN_TIMEOUT", 30))
    try:
        server.serve(target_loader=load)
    finally:
        shutil.rmtree(heartbeats, ignore_errors=True)


if __name__ == "__main__":
    main()
