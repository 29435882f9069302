from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dateline.core.errors import ServiceError
from dateline.newsletters.services import address_suppress


class Command(BaseCommand):
    """Record bounces or complaints reported outside the webhook (a provider's CSV export, a
    mailbox read by hand): each address's newsletters stop."""

    help = "Record a bounce or complaint for addresses (arguments, or one per line on stdin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("emails", nargs="*", help="Addresses; none: read them from stdin.")
        parser.add_argument(
            "--complaint", action="store_true", help="A spam complaint rather than a bounce."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        emails = options["emails"] or [line.strip() for line in sys.stdin if line.strip()]
        kind = "complaint" if options["complaint"] else "bounce"
        stopped = 0
        for email in emails:
            try:
                stopped += address_suppress(email=email, kind=kind, source="command")
            except ServiceError as exc:
                self.stderr.write(f"{email!r}: {exc.message}")
        self.stdout.write(f"Recorded {len(emails)} {kind}(s); {stopped} subscription(s) stopped.")
