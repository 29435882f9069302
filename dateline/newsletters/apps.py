from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    """Newsletters: editors define them, readers subscribe with double opt-in, issues go out
    from the task queue in batches (docs/newsletters.md)."""

    name = "dateline.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signal_handlers

        signal_handlers.connect()
        post_migrate.connect(signal_handlers.grant_permissions, sender=self)
