"""Issue 15, item 5: the task worker survives ``database is locked`` (and any database error),
goes on with its tasks once the database answers, and says how it is in /healthz and the admin.

A real ``manage.py run_worker`` runs on the test database's SQLite file while another process
holds its write lock."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dateline.core.health import worker_beat
from dateline.core.models import WorkerHeartbeat

from .processes import database_url_for_subprocesses, free_port, manage, site_env, wait_for
from .worker_tasks import QUEUE, leave_a_mark, locked_the_first_time, mail_a_note

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the lock taken here is SQLite's (the file's write lock)"
)

HOLD_THE_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")  # the write lock, as a long write transaction holds it
print("locked", flush=True)
sys.stdin.read()  # until the test closes our stdin
db.execute("ROLLBACK")
"""


@pytest.fixture
def database_tasks(settings: Any) -> None:
    """Tasks go to the database queue, as on the site (the tests run them in the request)."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", QUEUE],
        }
    }


@pytest.fixture
def lock_holder(
    transactional_db: None, django_db_serialized_rollback: None
) -> Iterator[Callable[[], subprocess.Popen[str]]]:
    """Starts another process that holds the SQLite database's write lock until the test lets
    go (:func:`release`). The worker sees the test's rows, so they are committed (and the
    database restored afterwards, with the rows the migrations made)."""
    holders: list[subprocess.Popen[str]] = []

    def hold() -> subprocess.Popen[str]:
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_THE_LOCK, str(connection.settings_dict["NAME"])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        return holder

    yield hold
    for holder in holders:
        if holder.poll() is None:
            holder.kill()
        holder.wait()


def release(holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(timeout=30)


@pytest.fixture
def worker_env(tmp_path: Path) -> dict[str, str]:
    return site_env(
        tmp_path / "var",
        settings_module="dateline.settings.dev",
        DATABASE_URL=database_url_for_subprocesses(),
        TASKS_BACKEND="database",
        TASKS_QUEUES=f"default,{QUEUE}",
        # The worker gives up waiting for the lock after a second, so it meets the error soon.
        SQLITE_BUSY_TIMEOUT="1",
        LOG_LEVEL="INFO",
    )


@sqlite_only
def test_worker_waits_out_a_locked_database_and_then_runs_the_task(
    database_tasks: None,
    tmp_path: Path,
    worker_env: dict[str, str],
    lock_holder: Callable[[], subprocess.Popen[str]],
    client: Any,
) -> None:
    mark = tmp_path / "mark"
    result = leave_a_mark.using(queue_name=QUEUE).enqueue(str(mark))
    locked = lock_holder()
    log = tmp_path / "worker.log"
    worker = manage(
        ["run_worker", "--interval", "0.2", "--heartbeat", "1", "--queue-name", QUEUE],
        worker_env,
        log,
    )
    try:
        # It meets the lock, and again after waiting: still running, nothing done.
        wait_for(
            lambda: log.read_text().count("(database is locked); the worker goes on") >= 2,
            "two lock errors",
            log=log,
        )
        assert worker.poll() is None, log.read_text()
        assert not mark.exists()

        release(locked)

        wait_for(mark.exists, "the task to run once the lock went", log=log)
        wait_for(
            lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL",
            "the task's outcome to be stored",
            log=log,
        )
        wait_for(
            lambda: WorkerHeartbeat.objects.filter(state="running", tasks_run=1).exists(),
            "a heartbeat after the task",
            log=log,
        )
        beat = WorkerHeartbeat.objects.get()
        assert beat.database_errors >= 2
        assert "database is locked" in beat.last_error

        health = client.get("/healthz").json()
        assert health["worker"]["state"] == "running"
        assert health["worker"]["database_errors"] >= 2
        assert health["worker"]["waiting_tasks"] == 0
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert WorkerHeartbeat.objects.get().state == "stopped"
    assert client.get("/healthz").json()["worker"]["state"] == "stopped"


def test_a_task_that_met_a_locked_database_runs_again(
    database_tasks: None,
    transactional_db: None,
    django_db_serialized_rollback: None,
    tmp_path: Path,
    worker_env: dict[str, str],
) -> None:
    mark = tmp_path / "mark"
    result = locked_the_first_time.using(queue_name=QUEUE).enqueue(str(mark))
    log = tmp_path / "worker.log"
    worker = manage(
        ["run_worker", "--interval", "0.2", "--heartbeat", "1", "--queue-name", QUEUE],
        worker_env,
        log,
    )
    try:
        wait_for(
            lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL",
            "the task to succeed on its second run",
            log=log,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert mark.read_text() == "done"
    assert len(DBTaskResult.objects.get(pk=result.id).worker_ids) == 2


def test_mail_the_mail_server_refused_is_sent_once_it_is_back(
    database_tasks: None,
    transactional_db: None,
    django_db_serialized_rollback: None,
    tmp_path: Path,
    worker_env: dict[str, str],
) -> None:
    port = free_port()
    worker_env["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    result = mail_a_note.using(queue_name=QUEUE).enqueue("reader@example.test")
    log = tmp_path / "worker.log"
    worker = manage(
        ["run_worker", "--interval", "0.2", "--heartbeat", "1", "--queue-name", QUEUE],
        worker_env,
        log,
    )
    received: list[Envelope] = []
    server = Controller(Inbox(received), hostname="127.0.0.1", port=port)
    try:
        # The mail server is down: the task is tried, and waits in the queue (it failed for
        # good before, the mail lost).
        wait_for(lambda: tried(result.id), "a first try", log=log)
        assert DBTaskResult.objects.get(pk=result.id).status == "READY", log.read_text()

        server.start()

        wait_for(lambda: bool(received), "the mail once the server is back", log=log)
        wait_for(
            lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL",
            "the task's outcome",
            log=log,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        if received:
            server.stop()
    assert [envelope.rcpt_tos for envelope in received] == [["reader@example.test"]]


def tried(result_id: str) -> bool:
    task = DBTaskResult.objects.get(pk=result_id)
    return bool(task.worker_ids) and task.status != "RUNNING"


class Inbox:
    def __init__(self, received: list[Envelope]) -> None:
        self.received = received

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def beat(database_tasks: None, db: None) -> Callable[..., None]:
    def write(*, seconds_ago: int = 0, **fields: Any) -> None:
        now = timezone.now()
        worker_beat(
            worker_id="w1",
            started_at=now - timedelta(hours=1),
            **{"state": "running", "tasks_run": 12, "database_errors": 0, **fields},
        )
        WorkerHeartbeat.objects.update(beat_at=now - timedelta(seconds=seconds_ago))

    return write


@pytest.mark.parametrize(
    ("seconds_ago", "state", "ok"), [(3, "running", True), (3600, "not answering", False)]
)
def test_healthz_reports_a_worker_that_stopped_beating_as_not_answering(
    client: Any, beat: Callable[..., None], seconds_ago: int, state: str, ok: bool
) -> None:
    beat(seconds_ago=seconds_ago)

    response = client.get("/healthz")

    # The site serves without its worker: only the body says so.
    assert response.status_code == 200
    assert response.json()["worker"]["state"] == state
    assert response.json()["worker"]["ok"] is ok


def test_the_dashboard_shows_the_worker_to_those_allowed_to_see_it(
    client: Any, beat: Callable[..., None], django_user_model: Any
) -> None:
    beat(
        seconds_ago=3600,
        database_errors=3,
        last_error="OperationalError: database is locked",
        last_error_at=timezone.now(),
    )
    admin = django_user_model.objects.create_superuser("chief", "chief@example.com", "pw")
    editor = django_user_model.objects.create_user("ed", "ed@example.com", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))

    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert 'data-worker-state="not answering"' in page
    assert "Database errors waited out</th><td>3" in page
    assert "database is locked" in page

    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert client.get("/admin/").status_code == 200
    assert "data-worker-state" not in page
