from django.apps import AppConfig


class CommentersConfig(AppConfig):
    """Commenters' rights (export and erasure of their data) and the mail around moderation:
    outcome notices to commenters and queue digests to moderators."""

    name = "dateline.commenters"
    label = "commenters"
    verbose_name = "Commenters' data and mail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signal_handlers

        post_migrate.connect(signal_handlers.grant_permissions, sender=self)
