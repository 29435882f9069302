"""Newsletter mail from the task queue. Only ids travel through the queue: no address sits in
the task table (a test address is the one exception, an editor's own)."""

from __future__ import annotations

from django_tasks import task

from . import sending


# Behind reader-facing work (purges: 50), ahead of nothing in particular.
@task(priority=-10)
def send_issue(issue_id: int) -> int:
    """Send batches of the issue for a while, then queue the rest as a new task, so one big
    list never holds a worker for long. Returns how many mails were handed to the server."""
    result = sending.issue_send_run(issue_id)
    if result.more:
        send_issue.enqueue(issue_id)
    return result.sent


@task()
def send_confirmation(subscriber_id: int) -> bool:
    return sending.confirmation_send(subscriber_id)


@task()
def send_test_copy(issue_id: int, email: str) -> bool:
    return sending.issue_test_send(issue_id, email)
