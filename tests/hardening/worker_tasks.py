"""A task for the worker tests, run by a real ``manage.py run_worker`` in a subprocess."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task


@task()
def leave_a_mark(path: str) -> str:
    Path(path).write_text("done", encoding="utf-8")
    return "done"
