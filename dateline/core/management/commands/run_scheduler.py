from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as clock
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dateline.core.db import database_analyze

log = logging.getLogger("dateline.scheduler")

# Queued by commenters_daily (named, not imported: core imports no app).
DIGEST_TASK = "dateline.commenters.tasks.send_moderator_digest"


def digest_queued_on(day: date) -> bool:
    """Whether the moderators' digest was queued on ``day`` (site time) already, by this
    scheduler before a restart or by another run: a deploy must not mail it twice."""
    start = timezone.make_aware(datetime.combine(day, clock.min))
    try:
        return DBTaskResult.objects.filter(task_path=DIGEST_TASK, enqueued_at__gte=start).exists()
    except Exception:  # the database away: the pass that queues it meets it too
        return False


class Command(BaseCommand):
    """The periodic jobs of a one-machine install, for operators without cron: scheduled
    publishing and the newsletters' issues every minute, the comment-metadata purge every
    day, the learned filters' retraining every night and the moderators' digest every morning
    (both queued for the run_worker). With cron, run the commands from it instead (see docs/operations.md).

    The retraining never runs on the day the scheduler starts (nor with ``--once``): a site
    that just started has nothing new to learn; it runs from the next night on, after
    DATELINE_RETRAIN_HOUR. The digest goes once a day, restarts included.

    A job that fails (the database restarting or locked, a bug) is logged and the others run;
    the next pass runs it again. The scheduler stopped for good at the first error before,
    and scheduled articles stayed unpublished until someone noticed."""

    help = "Run scheduled publishing every minute, the daily purge and statistics update, until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run every job once (the retraining excepted) and stop.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=60.0,
            help="Seconds between passes (default 60).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.last_purge = 0.0
        self.last_retrain: date | None = None
        self.last_digest: date | None = None
        first_pass = True
        while True:
            self._pass(options, first_pass=first_pass)
            if options["once"]:
                return
            first_pass = False
            time.sleep(options["interval"])

    def _job(
        self, name: str, options: dict[str, Any], run: Callable[[], Any] | None = None
    ) -> bool:
        """Run the command ``name`` (or ``run``, under that name); False when it failed."""
        try:
            if run is None:
                call_command(name, verbosity=0)
            else:
                run()
        except Exception:
            if options["once"]:
                raise
            log.exception("scheduled job %s failed; it runs again on the next pass", name)
            close_old_connections()
            return False
        return True

    def _pass(self, options: dict[str, Any], *, first_pass: bool) -> None:
        self._job("publish_scheduled", options)
        # Newsletters: prepare the issues whose time is near, start the due ones, resume
        # sends that stopped (dateline.newsletters, docs/newsletters.md).
        self._job("send_newsletters", options)
        if time.monotonic() - self.last_purge > 24 * 3600 or self.last_purge == 0.0:
            purged = self._job("purge_comment_metadata", options)
            # Readers' expired sessions and sign-in links (by name: core imports no app).
            purged = self._job("readers_purge", options) and purged
            purged = self._job("ANALYZE", options, database_analyze) and purged
            if purged:
                self.last_purge = time.monotonic()
        # Nightly, after DATELINE_RETRAIN_HOUR (site time): queue the filters' retraining.
        # Never on the day the scheduler starts (make demo must not retrain at once).
        now = timezone.localtime()
        today = now.date()
        retrain_due = now.hour >= settings.DATELINE_RETRAIN_HOUR and self.last_retrain != today
        if first_pass or (retrain_due and self._job("retrain_filters", options)):
            self.last_retrain = today
        # Each morning after DATELINE_DIGEST_HOUR: the moderators' digest, and unconfirmed
        # export/erasure requests forget their address; once a day, restarts included.
        digest_due = (options["once"] or now.hour >= settings.DATELINE_DIGEST_HOUR) and (
            self.last_digest != today
        )
        if digest_due and (digest_queued_on(today) or self._job("commenters_daily", options)):
            self.last_digest = today
