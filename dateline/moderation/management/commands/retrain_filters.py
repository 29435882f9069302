"""Retrain the learned filters from moderators' decisions (nightly, from run_scheduler or cron).

manage.py retrain_filters          # queue the task (the db_worker trains)
manage.py retrain_filters --now    # train in this process and print the outcome

Either way a retrained model replaces the live one only if it is at least as good on the
validation set kept with it and on the site's published comments it did not train on (the site
guard, docs/moderation.md "Retraining"), and nothing is trained without enough new decisions, nor twice in
DATELINE_RETRAIN_MIN_HOURS (docs/retraining-draft.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dateline.moderation.tasks import retrain_filters


class Command(BaseCommand):
    help = "Retrain the spam and abusive-language models from moderators' decisions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Train here instead of queueing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            for kind, outcome in retrain_filters.call().items():
                self.stdout.write(f"{kind}: {outcome}")
            return
        result = retrain_filters.enqueue()
        self.stdout.write(f"Queued the retraining ({result.id}).")
