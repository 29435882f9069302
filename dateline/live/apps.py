from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LiveConfig(AppConfig):
    name = "dateline.live"
    label = "live"
    verbose_name = "Live coverage"

    def ready(self) -> None:
        from . import models, selectors, signal_handlers

        models.LiveReads.selectors = selectors
        # After news's receiver, which creates the newsroom's groups (INSTALLED_APPS order).
        post_migrate.connect(signal_handlers.grant_permissions, sender=self)
