"""Every write on comments, by concern: posting, decisions on a comment's status, other changes,
likes and reports, reply subscriptions, the log. Import from here (``comments.services``)."""

from ..errors import (
    CommentError,
    CommentRefused,
    CommentsClosed,
    NotAllowed,
    Nudged,
    ParentUnavailable,
    RateLimited,
)
from ..mailing import (
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    mail_budget_allows,
    mail_record,
    subscriber_from_token,
    subscriber_token,
)
from ..retention import comment_metadata_purge
from ..tree import path_segment
from .audit import comment_event, comment_log
from .decisions import (
    DECISIONS,
    MODERATION_ACTIONS,
    STATUS_ACTION,
    WAGTAIL_ACTIONS,
    Decision,
    comment_moderate,
    comments_decide,
)
from .editing import (
    article_comments_set_status,
    comment_delete_by_author,
    comment_edit_by_author,
    comment_feature,
    comments_author_renamed,
    edit_window_open,
)
from .effects import article_changed, comment_counts_refresh, comment_counts_refresh_many
from .posting import (
    ANONYMOUS_NAME,
    RETRY_WINDOW,
    PostResult,
    comment_name_stored,
    comment_post,
    comment_text_stored,
)
from .reactions import comment_like, comment_likes_carry_over, comment_report, comment_unlike
from .site import (
    SETTINGS_CACHE_SECONDS,
    comment_policy_for,
    comment_settings_changed,
    comment_settings_for,
    email_key_for,
)
from .subscriptions import subscribe, subscriber_confirm, subscriber_unsubscribe

__all__ = [
    "ANONYMOUS_NAME",
    "CONFIRM_SALT",
    "DECISIONS",
    "MODERATION_ACTIONS",
    "RETRY_WINDOW",
    "SETTINGS_CACHE_SECONDS",
    "STATUS_ACTION",
    "UNSUBSCRIBE_SALT",
    "WAGTAIL_ACTIONS",
    "CommentError",
    "CommentRefused",
    "CommentsClosed",
    "Decision",
    "NotAllowed",
    "Nudged",
    "ParentUnavailable",
    "PostResult",
    "RateLimited",
    "article_changed",
    "article_comments_set_status",
    "comment_counts_refresh",
    "comment_counts_refresh_many",
    "comment_delete_by_author",
    "comment_edit_by_author",
    "comment_event",
    "comment_feature",
    "comment_like",
    "comment_likes_carry_over",
    "comment_log",
    "comment_metadata_purge",
    "comment_moderate",
    "comment_name_stored",
    "comment_policy_for",
    "comment_post",
    "comment_report",
    "comment_settings_changed",
    "comment_settings_for",
    "comment_text_stored",
    "comment_unlike",
    "comments_author_renamed",
    "comments_decide",
    "edit_window_open",
    "email_key_for",
    "mail_budget_allows",
    "mail_record",
    "path_segment",
    "subscribe",
    "subscriber_confirm",
    "subscriber_from_token",
    "subscriber_token",
    "subscriber_unsubscribe",
]
