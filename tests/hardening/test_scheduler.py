"""``manage.py run_scheduler`` through restarts and errors: a job that fails does not stop the
others nor the next pass, and a restart (a deploy) does not mail the moderators' digest again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult

from dateline.core.management.commands import run_scheduler


class Stop(Exception):
    pass


def test_a_database_error_does_not_stop_the_scheduler(monkeypatch: Any, db: None) -> None:
    ran: list[str] = []

    def job(name: str, **kwargs: Any) -> None:
        ran.append(name)
        if name == "publish_scheduled" and ran.count(name) == 1:
            # PostgreSQL restarting: the scheduler stopped for good here, and scheduled
            # articles stayed unpublished.
            raise OperationalError("connection refused")

    passes = iter([None])

    def sleep(seconds: float) -> None:
        if next(passes, Stop) is Stop:
            raise Stop

    monkeypatch.setattr(run_scheduler, "call_command", job)
    monkeypatch.setattr(run_scheduler.time, "sleep", sleep)
    with pytest.raises(Stop):
        call_command("run_scheduler", verbosity=0)

    assert ran.count("publish_scheduled") == 2
    assert ran.count("send_newsletters") == 2  # the other jobs of the failed pass ran too


def test_a_restart_does_not_send_the_moderators_digest_twice_a_day(
    settings: Any, db: None, time_machine: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    time_machine.move_to(datetime(2026, 12, 7, 9, 30, tzinfo=UTC), tick=False)
    digests = DBTaskResult.objects.filter(task_path=run_scheduler.DIGEST_TASK)

    call_command("run_scheduler", "--once", verbosity=0)
    call_command("run_scheduler", "--once", verbosity=0)  # restarted: a deploy
    assert digests.count() == 1

    time_machine.move_to(datetime(2026, 12, 8, 9, 30, tzinfo=UTC), tick=False)
    call_command("run_scheduler", "--once", verbosity=0)
    assert digests.count() == 2
