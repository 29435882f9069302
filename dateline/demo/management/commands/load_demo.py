from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from dateline.demo.services import demo_database_is_new, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (sections, authors, articles, a user per role). Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-users", action="store_true", help="Do not create the demo users.")
        parser.add_argument(
            "--if-new",
            action="store_true",
            help="Only on a new database (no page below the front page, no user account): "
            "what make stack runs.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_new"] and not demo_database_is_new():
            self.stdout.write(
                "The database has content or user accounts already: no demo content loaded."
            )
            return
        summary = demo_load(with_users=not options["no_users"])
        self.stdout.write(
            f"Demo content: {summary.sections} sections, {summary.authors} authors and "
            f"{summary.articles} articles and {summary.comments} comments added (existing ones are kept)."
        )
        self.stdout.write(
            "Readers sign up and sign in at /readers/sign-in/ with a link by mail "
            + (
                "(the mail sent is listed at /demo/mailbox/)."
                if settings.DATELINE_DEMO_MAILBOX
                else "(sent as EMAIL_URL says)."
            )
        )
        if summary.users:
            self.stdout.write(
                self.style.SUCCESS(
                    "Newsroom login at /admin/ — users: "
                    + ", ".join(summary.users)
                    + f"; password: {summary.password}"
                )
            )
