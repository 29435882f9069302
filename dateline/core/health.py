"""What /healthz and the admin's dashboard say about this process and the task worker.

Readiness: a server process loads what its requests need (the learned filters, URL patterns,
templates) before it takes traffic (``dateline.wsgi``; under the shipped server, in the main
process before the workers fork: deploy/granian_server.py). It records here how that went. The loading runs while
``dateline.wsgi`` is imported, before the server can answer anything, so a probe only ever sees
"ready" (it ran) or "cold" (this process was not started through ``dateline.wsgi``).

The task worker (``manage.py run_worker``) writes a heartbeat row every few seconds
(:func:`worker_beat`); :func:`worker_status` reads it back with how many tasks wait. A probe
(/healthz, every few seconds from each load balancer) reads the heartbeat each time and counts
the waiting tasks at most every ``WAITING_SECONDS`` per process (:func:`worker_status_for_probe`).
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .memo import remembered
from .models import WorkerHeartbeat

# A worker writes every DATELINE_WORKER_HEARTBEAT seconds; one silent for this many beats (and
# at least a minute) is reported as not answering.
STALE_BEATS = 4
# How long a probe's count of waiting tasks may be reused by the next probes of this process.
WAITING_SECONDS = 10.0


@dataclass
class Readiness:
    state: str = "cold"  # cold (not started through dateline.wsgi), ready
    started: float = 0.0
    seconds: float = 0.0
    loaded: dict[str, Any] = field(default_factory=dict)
    pid: int = 0  # the process that warmed up: under deploy/granian_server.py, the main one

    @property
    def preloaded(self) -> bool:
        """Warmed up by a parent process before this one was forked from it."""
        return self.state == "ready" and self.pid != os.getpid()


_readiness = Readiness()


def readiness_warming() -> None:
    """This process starts loading what its requests need (it answers nothing until it is
    done: the loading runs while the WSGI application is imported)."""
    _readiness.started = time.monotonic()
    _readiness.pid = os.getpid()


def readiness_ready(*, loaded: dict[str, Any]) -> None:
    _readiness.state = "ready"
    _readiness.seconds = round(time.monotonic() - _readiness.started, 2)
    _readiness.loaded = loaded


def readiness() -> Readiness:
    return _readiness


def heartbeat_seconds() -> int:
    return int(getattr(settings, "DATELINE_WORKER_HEARTBEAT", 10))


def worker_beat(
    *,
    worker_id: str,
    started_at: datetime,
    state: str,
    tasks_run: int,
    database_errors: int,
    last_error: str = "",
    last_error_at: datetime | None = None,
) -> None:
    """Write this worker's heartbeat row (one statement). Raises the database's error when it
    cannot; the worker logs it and goes on."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "state": state,
            "started_at": started_at,
            "beat_at": timezone.now(),
            "tasks_run": tasks_run,
            "database_errors": database_errors,
            "last_error": last_error[:2000],
            "last_error_at": last_error_at,
        },
    )


@dataclass(frozen=True)
class WorkerStatus:
    """``state``: "running" (a heartbeat within the last few beats), "waiting" (running, but its
    last attempts met a database error), "not answering" (a heartbeat, but too old), "stopped"
    (it stopped cleanly) or "never started"; "not used" when tasks run in the request."""

    state: str
    ok: bool
    waiting_tasks: int | None = None
    beat_at: datetime | None = None
    seconds_since_beat: int | None = None
    tasks_run: int = 0
    database_errors: int = 0
    last_error: str = ""
    last_error_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "ok": self.ok,
            "waiting_tasks": self.waiting_tasks,
            "seconds_since_heartbeat": self.seconds_since_beat,
            "tasks_run": self.tasks_run,
            "database_errors": self.database_errors,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
        }


def worker_status(*, waiting_seconds: float = 0.0) -> WorkerStatus:
    """The most recent heartbeat of any worker, and the tasks waiting for one (two queries;
    with ``waiting_seconds``, the count made by this process that long ago at most is reused)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return WorkerStatus(state="not used", ok=True)
    from django_tasks_db.models import DBTaskResult

    def count() -> int:
        return DBTaskResult.objects.ready().count()

    waiting = (
        remembered("health:waiting-tasks", count, seconds=waiting_seconds)
        if waiting_seconds > 0
        else count()
    )
    beat = WorkerHeartbeat.objects.order_by("-beat_at").first()
    if beat is None:
        return WorkerStatus(state="never started", ok=False, waiting_tasks=waiting)
    age = timezone.now() - beat.beat_at
    stale_after = timedelta(seconds=max(60, STALE_BEATS * heartbeat_seconds()))
    if beat.state == WorkerHeartbeat.State.STOPPED:
        state = "stopped"
    elif age > stale_after:
        state = "not answering"
    else:
        state = beat.state
    return WorkerStatus(
        state=state,
        ok=state == "running",
        waiting_tasks=waiting,
        beat_at=beat.beat_at,
        seconds_since_beat=max(0, int(age.total_seconds())),
        tasks_run=beat.tasks_run,
        database_errors=beat.database_errors,
        last_error=beat.last_error,
        last_error_at=beat.last_error_at,
    )


def worker_status_for_probe() -> WorkerStatus:
    """:func:`worker_status` for /healthz: one query a probe, the waiting tasks counted at most
    every ``WAITING_SECONDS`` by this process."""
    return worker_status(waiting_seconds=WAITING_SECONDS)
