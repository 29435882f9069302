from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsConfig(AppConfig):
    name = "dateline.news"
    label = "news"
    verbose_name = "News"

    def ready(self) -> None:
        from . import front, models, selectors, signal_handlers

        models.PageReads.selectors = selectors
        models.PageReads.front = front

        post_migrate.connect(signal_handlers.ensure_newsroom, sender=self)
        signal_handlers.connect()
