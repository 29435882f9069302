from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.newsletters.models import NewsletterIssue
from dateline.newsletters.services import issue_resume, newsletters_run_due


class Command(BaseCommand):
    """The newsletters' minute, run by ``run_scheduler`` (or cron): prepare the daily and
    weekly issues whose time is near, start those whose time has come, resume sends that
    stopped. ``--resume ID`` resumes one send at once (after a crash you know of)."""

    help = "Prepare, start and resume newsletter issues that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--resume", type=int, metavar="ISSUE_ID", help="Resume this send now.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["resume"]:
            issue = NewsletterIssue.objects.filter(pk=options["resume"]).first()
            if issue is None or issue.status != NewsletterIssue.Status.SENDING:
                raise CommandError("No issue with that id is being sent.")
            doubtful = issue_resume(issue=issue)
            self.stdout.write(
                f"Resumed issue {issue.pk}; {doubtful} mail(s) in doubt are not sent again."
            )
            return
        run = newsletters_run_due()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"prepared {len(run.prepared)}, started {len(run.started)}, "
                f"resumed {len(run.resumed)}"
            )
