"""The background worker's sign of life, read by /healthz and the admin's dashboard."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per ``manage.py run_worker`` process (by its worker id), rewritten every few
    seconds while it runs, so a stopped or stuck worker shows as a row that stopped changing."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        WAITING = "waiting", "Waiting for the database"
        STOPPED = "stopped", "Stopped"

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    state = models.CharField(max_length=16, choices=State, default=State.RUNNING)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    tasks_run = models.PositiveIntegerField(default=0)
    database_errors = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "task worker heartbeat"

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.state})"
