from typing import Any

from django.core.management.base import BaseCommand

from dateline.comments.ratelimit import counters_purge
from dateline.comments.services import comment_metadata_purge


class Command(BaseCommand):
    help = "Clear commenters' network prefixes and browser strings older than the retention period, and ended rate-limit windows (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        cleared = comment_metadata_purge()
        self.stdout.write(f"Cleared the network and browser details of {cleared} comments.")
        counters = counters_purge()
        self.stdout.write(f"Deleted {counters} ended rate-limit counters.")
