from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dateline.core.db import database_analyze


class Command(BaseCommand):
    """The periodic jobs of a one-machine install, for operators without cron: scheduled
    publishing and the newsletters' issues every minute, the comment-metadata purge every
    day, the learned filters' retraining every night and the moderators' digest every morning
    (both queued for the run_worker). With cron, run the commands from it instead (see docs/operations.md).

    The retraining never runs on the day the scheduler starts (nor with ``--once``): a site
    that just started has nothing new to learn; it runs from the next night on, after
    DATELINE_RETRAIN_HOUR."""

    help = "Run scheduled publishing every minute, the daily purge and statistics update, until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run every job once (the retraining excepted) and stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        last_purge = 0.0
        last_retrain = None
        last_digest = None
        first_pass = True
        while True:
            call_command("publish_scheduled", verbosity=0)
            # Newsletters: prepare the issues whose time is near, start the due ones, resume
            # sends that stopped (dateline.newsletters, docs/newsletters.md).
            call_command("send_newsletters", verbosity=0)
            if time.monotonic() - last_purge > 24 * 3600 or last_purge == 0.0:
                call_command("purge_comment_metadata", verbosity=0)
                # Readers' expired sessions and sign-in links (by name: core imports no app).
                call_command("readers_purge", verbosity=0)
                database_analyze()
                last_purge = time.monotonic()
            # Nightly, after DATELINE_RETRAIN_HOUR (site time): queue the filters' retraining.
            # Never on the day the scheduler starts (make demo must not retrain at once).
            now = timezone.localtime()
            if first_pass:
                last_retrain = now.date()
            elif now.hour >= settings.DATELINE_RETRAIN_HOUR and last_retrain != now.date():
                call_command("retrain_filters", verbosity=0)
                last_retrain = now.date()
            # Each morning after DATELINE_DIGEST_HOUR: the moderators' digest, and unconfirmed
            # export/erasure requests forget their address.
            if (options["once"] or now.hour >= settings.DATELINE_DIGEST_HOUR) and (
                last_digest != now.date()
            ):
                call_command("commenters_daily", verbosity=0)
                last_digest = now.date()
            if options["once"]:
                return
            first_pass = False
            time.sleep(60)
