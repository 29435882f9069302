"""A task for the worker tests, run by a real ``manage.py run_worker`` in a subprocess."""

from __future__ import annotations

from pathlib import Path

from django.core.mail import send_mail
from django.db import OperationalError
from django_tasks import task

# A queue of these tests' own (enqueued with .using(queue_name=QUEUE)): another test module's
# worker on the same test database (the front-cache stack's, kept for the session) runs the
# default queue and must not take them.
QUEUE = "hardening-worker"


@task()
def leave_a_mark(path: str) -> str:
    Path(path).write_text("done", encoding="utf-8")
    return "done"


@task()
def locked_the_first_time(path: str) -> str:
    """Meets a locked database on its first run (as a task whose query waited past SQLite's
    busy timeout), and works on the next."""
    mark = Path(path)
    if not mark.exists():
        mark.write_text("tried", encoding="utf-8")
        raise OperationalError("database is locked")
    mark.write_text("done", encoding="utf-8")
    return "done"


@task()
def mail_a_note(to: str) -> int:
    """Mails as the site's tasks do (sign-in links, reply notices), through EMAIL_URL."""
    return send_mail("A note", "Sent by the task worker.", None, [to])
