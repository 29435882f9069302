from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommentsConfig(AppConfig):
    name = "dateline.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from . import signal_handlers

        post_migrate.connect(signal_handlers.grant_comment_permissions, sender=self)
        signal_handlers.connect()
