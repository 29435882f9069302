from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dateline.core"
    label = "core"
    verbose_name = "Dateline core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .db import database_analyze

        post_migrate.connect(database_analyze, sender=self, dispatch_uid="core_analyze")
