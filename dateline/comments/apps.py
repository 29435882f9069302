from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommentsConfig(AppConfig):
    name = "dateline.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from dateline.core.pagecache import page_cache_variant

        from . import signal_handlers
        from .selectors import ORDERS

        # The thread's variants a cached article page may have (comments.rendering).
        page_cache_variant("cpage")
        page_cache_variant("replytocom")
        page_cache_variant("corder", "|".join(sorted(ORDERS)))
        page_cache_variant("cfull", "1")

        post_migrate.connect(signal_handlers.grant_comment_permissions, sender=self)
        signal_handlers.connect()
