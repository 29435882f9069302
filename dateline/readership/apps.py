from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "dateline.readership"
    label = "readership"
    verbose_name = "Readership"
    default_auto_field = "django.db.models.BigAutoField"
