from typing import Any

from django.core.management.base import BaseCommand

from dateline.readers.services import sessions_purge


class Command(BaseCommand):
    help = "Delete readers' expired sessions and sign-in links (and the addresses they held)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{sessions_purge()} expired sessions and links deleted.")
