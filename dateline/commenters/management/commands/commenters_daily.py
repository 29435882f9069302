from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dateline.commenters.services import privacy_requests_expire
from dateline.commenters.tasks import send_moderator_digest


class Command(BaseCommand):
    """Once a day (run_scheduler, or cron): forget the addresses of unconfirmed export/erasure
    requests past their link's lifetime, and queue the moderators' digest."""

    help = "Expire unconfirmed privacy requests and queue the moderator digest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-digest", action="store_true", help="Only expire requests; send no digest."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = privacy_requests_expire()
        if not options["no_digest"]:
            send_moderator_digest.enqueue()
        if options["verbosity"]:
            self.stdout.write(
                f"{expired} unconfirmed request(s) expired; "
                + ("digest not sent." if options["no_digest"] else "digest queued.")
            )
