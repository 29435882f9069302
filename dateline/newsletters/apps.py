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

        from dateline.core.personal_data import personal_data_register

        from . import signal_handlers
        from .selectors import subscriber_export
        from .services import subscriber_erase

        signal_handlers.connect()
        # Exported and erased with the rest of an address's data (the commenters' flow).
        personal_data_register("newsletters", export=subscriber_export, erase=subscriber_erase)
        post_migrate.connect(signal_handlers.grant_permissions, sender=self)
