from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dateline.comments.bodies import comment_bodies_rerender, renderer_version


class Command(BaseCommand):
    help = (
        "Render again the stored HTML of comments whose body or renderer changed since it was "
        "rendered (pages also do it lazily, when they show such a comment). --all renders every one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Render every comment again.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for rendered in comment_bodies_rerender(
            batch_size=options["batch_size"], force=options["all"]
        ):
            total += rendered
        self.stdout.write(
            f"Rendered {total} comment bodies again (renderer version {renderer_version()})."
        )
