from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "dateline.feeds"
    label = "feeds"
    verbose_name = "Feeds"
