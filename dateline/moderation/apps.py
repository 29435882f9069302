from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "dateline.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signal_handlers

        post_migrate.connect(signal_handlers.grant_filter_permissions, sender=self)
        signal_handlers.connect()
