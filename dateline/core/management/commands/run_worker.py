"""``manage.py run_worker``: django-tasks' database worker, kept alive and watched.

The bare ``db_worker`` stops for good on the first database error outside a task (``database is
locked`` after a long write transaction on SQLite; PostgreSQL restarting), and a task whose own
query hits the lock is recorded as failed for ever. This command runs the same worker loop and:

- on a database error (or any error of the loop itself), logs it, closes the connections, waits
  (1 s, doubling up to 60 s) and starts the loop again, until stopped (SIGINT or SIGTERM);
- stores a task's outcome again until the database takes it (instead of leaving it "running");
- puts a task that failed on an unreachable or locked database back in the queue, to run again
  after the same backoff (at most ``MAX_ATTEMPTS`` runs in all), and one that could not reach
  the mail server (connection refused, no such host, a 4xx greeting) too, for longer
  (``MAX_ATTEMPTS_UNREACHABLE`` runs, about seven minutes): nothing was sent, so nothing is sent
  twice, and a sign-in link or a reply notice is not lost to a mail server restarting;
- writes a heartbeat row every ``DATELINE_WORKER_HEARTBEAT`` seconds from a thread of its own
  (so a long task does not look like a dead worker), read by /healthz and the admin's dashboard.

A process that dies anyway (killed, out of memory) is restarted by what runs it: the loops in
``make serve`` and ``make demo``, or systemd's ``Restart=always`` (docs/operations.md).
docs/decisions/0062-supervised-task-worker.md says why this is ours and not a library's.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import socket
import threading
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker, valid_interval
from django_tasks_db.models import DBTaskResult

from dateline.core.health import heartbeat_seconds, worker_beat
from dateline.core.middleware import is_database_unavailable
from dateline.core.models import WorkerHeartbeat

log = logging.getLogger("dateline.worker")

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 60.0
# A loop that ran this long without an error starts its backoff from the first step again.
BACKOFF_RESET_AFTER = 300.0
# A task is run at most this many times when the database fails under it.
MAX_ATTEMPTS = 5
# ... and when a server it sends to (the mail server) cannot be reached: 2, 4, 8, 16, 32 s, then
# a minute apart, about seven minutes in all.
MAX_ATTEMPTS_UNREACHABLE = 12


def is_server_unreachable(exc: BaseException) -> bool:
    """The task could not open its connection (the mail server down, its name not resolving,
    or it greeting with a temporary refusal): nothing left, so running it again is safe."""
    return isinstance(exc, ConnectionRefusedError | socket.gaierror | smtplib.SMTPConnectError)


class Vitals:
    """What the heartbeat reports, shared between the worker loop and the heartbeat thread."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.state = WorkerHeartbeat.State.RUNNING
        self.tasks_run = 0
        self.database_errors = 0
        self.last_error = ""
        self.last_error_at: Any = None
        self.lock = threading.Lock()

    def error(self, exc: BaseException) -> None:
        with self.lock:
            self.database_errors += 1
            self.last_error = f"{type(exc).__name__}: {exc}"
            self.last_error_at = timezone.now()

    def beat(self) -> None:
        with self.lock:
            fields = {
                "state": self.state,
                "tasks_run": self.tasks_run,
                "database_errors": self.database_errors,
                "last_error": self.last_error,
                "last_error_at": self.last_error_at,
            }
        worker_beat(worker_id=self.worker_id, started_at=self.started_at, **fields)


class SupervisedWorker(Worker):
    """django-tasks-db's worker, whose task outcomes survive a database that is away."""

    def __init__(self, *, vitals: Vitals, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.vitals = vitals

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # The outcome is written by these two methods (each retried three times in 0.3 s by
        # the library); ours retry until the database answers.
        successful, failed = db_task_result.set_successful, db_task_result.set_failed

        def set_successful(return_value: Any) -> None:
            self._store(lambda: successful(return_value))

        def set_failed(exc: BaseException) -> None:
            attempts = len(db_task_result.worker_ids)
            if is_database_unavailable(exc) and attempts < MAX_ATTEMPTS:
                self.vitals.error(exc)
                self._store(lambda: self._requeue(db_task_result, exc))
            elif is_server_unreachable(exc) and attempts < MAX_ATTEMPTS_UNREACHABLE:
                self._store(lambda: self._requeue(db_task_result, exc))
            else:
                self._store(lambda: failed(exc))

        db_task_result.set_successful = set_successful
        db_task_result.set_failed = set_failed
        super().run_task(db_task_result)
        with self.vitals.lock:
            self.vitals.tasks_run += 1

    def _requeue(self, db_task_result: DBTaskResult, exc: BaseException) -> None:
        delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** len(db_task_result.worker_ids))
        log.warning(
            "task %s (%s) met %s (%s); queued again in %.0f s",
            db_task_result.id,
            db_task_result.task_path,
            "a database error" if is_database_unavailable(exc) else "an unreachable server",
            exc,
            delay,
        )
        DBTaskResult.objects.filter(pk=db_task_result.pk).update(
            status=TaskResultStatus.READY, run_after=timezone.now() + timedelta(seconds=delay)
        )

    def _store(self, write: Any) -> None:
        delay = BACKOFF_FIRST
        while True:
            try:
                write()
                return
            except DatabaseError as exc:
                self.vitals.error(exc)
                log.warning("could not store a task's outcome (%s); again in %.0f s", exc, delay)
                connections.close_all()
                if not self.running and delay >= BACKOFF_MAX:
                    log.error("stopping with a task's outcome unstored: %s", exc)
                    raise
                time.sleep(delay)
                delay = min(BACKOFF_MAX, delay * 2)


class Command(BaseCommand):
    help = (
        "Run background tasks (django-tasks' database worker) and keep running through database "
        "errors, with a heartbeat for /healthz and the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds between looks at an empty queue (default 1).",
        )
        parser.add_argument(
            "--queue-name", default="default", help="Queues to run, comma-separated ('*': all)."
        )
        parser.add_argument(
            "--heartbeat",
            type=valid_interval,
            default=None,
            help="Seconds between heartbeats (default: settings.DATELINE_WORKER_HEARTBEAT).",
        )
        parser.add_argument(
            "--worker-id", default="", help="Unique across workers (default: generated)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"] or get_random_string(32)
        vitals = Vitals(worker_id)
        worker = SupervisedWorker(
            vitals=vitals,
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        every = options["heartbeat"] or heartbeat_seconds()
        stop = threading.Event()
        beating = threading.Thread(
            target=_heartbeat, args=(vitals, stop, every), name="heartbeat", daemon=True
        )
        beating.start()
        log.info("task worker %s started", worker_id)
        delay = BACKOFF_FIRST
        try:
            while worker.running:
                started = time.monotonic()
                try:
                    with vitals.lock:
                        vitals.state = WorkerHeartbeat.State.RUNNING
                    worker.run()
                    return
                except Exception as exc:
                    if time.monotonic() - started > BACKOFF_RESET_AFTER:
                        delay = BACKOFF_FIRST
                    vitals.error(exc)
                    with vitals.lock:
                        vitals.state = WorkerHeartbeat.State.WAITING
                    if isinstance(exc, DatabaseError):
                        log.warning("database error (%s); the worker goes on in %.0f s", exc, delay)
                    else:
                        log.exception("the worker loop failed; it goes on in %.0f s", delay)
                    _close_connections()
                    time.sleep(delay)
                    delay = min(BACKOFF_MAX, delay * 2)
        finally:
            stop.set()
            beating.join(timeout=every + 5)
            with vitals.lock:
                vitals.state = WorkerHeartbeat.State.STOPPED
            try:
                vitals.beat()
            except DatabaseError:
                log.warning("could not record that the worker stopped", exc_info=True)
            log.info("task worker %s stopped", worker_id)


def _close_connections() -> None:
    """Drop this thread's connections, whatever state the failed statement left them in."""
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            conn.close()


def _heartbeat(vitals: Vitals, stop: threading.Event, every: float) -> None:
    """Beat now and every ``every`` seconds until ``stop``; a failed beat is logged and the
    next one tried (the row's age tells /healthz the worker could not write)."""
    while True:
        try:
            close_old_connections()
            vitals.beat()
        except DatabaseError as exc:
            log.warning("heartbeat not written: %s", exc)
            _close_connections()
        except Exception:
            log.exception("heartbeat failed")
        if stop.wait(every):
            break
    _close_connections()
