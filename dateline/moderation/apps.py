from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "dateline.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.connect()
