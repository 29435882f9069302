from django.apps import AppConfig


class ReadersConfig(AppConfig):
    """Reader accounts: sign-in by emailed link, the reader's own page, the reader cookie that
    keeps signed-in readers out of cached pages (docs/readers.md)."""

    name = "dateline.readers"
    label = "readers"
    verbose_name = "Reader accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from dateline.comments.signals import replies_stopped

        from .checks import mail_delivery_check, oidc_providers_check
        from .signal_handlers import replies_stopped_receiver

        replies_stopped.connect(replies_stopped_receiver, dispatch_uid="readers.replies_stopped")

        checks.register(oidc_providers_check)
        checks.register(mail_delivery_check, deploy=True)
