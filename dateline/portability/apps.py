from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "dateline.portability"
    label = "portability"
    verbose_name = "Moving in and out"
