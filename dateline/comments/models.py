"""Reader comments: the thread under each article, likes, reports and reply subscriptions.

The thread is a materialized path: each comment's ``path`` is its parent's path plus a segment
that sorts by time, so one ``ORDER BY path`` reads a thread depth-first and posting a reply
writes one row without renumbering anything.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from dateline.core.wordlists import validate_domain_list, validate_word_list

# Limits as WordPress has them, counted in characters.
NAME_MAX, EMAIL_MAX, URL_MAX, BODY_MAX = 245, 100, 200, 65_525
SEGMENT_LEN = 16
MAX_DEPTH_LIMIT = 10


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def for_article(self, article_id: int) -> CommentQuerySet:
        return self.filter(article_id=article_id)


class Comment(models.Model):
    # Wagtail's reference index would queue a task on every save; nothing links to these.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    # What its author is shown as "awaiting moderation" (their own page, the page's script):
    # held and marked as spam alike, so a robot learns nothing from the answer and a person
    # whose civil comment a filter marked as spam still sees their text and where it stands.
    AWAITING = (Status.PENDING, Status.SPAM)

    # No index of its own: every index below starts with the article (one index less to
    # update on each post).
    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    # RESTRICT, not PROTECT: a comment with replies is never deleted on its own (it is trashed,
    # its replies keep their place), but deleting its article deletes the whole thread.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="replies"
    )
    # The comment the reader answered. Usually the parent; higher up the tree when the site's
    # depth limit attached the reply to an ancestor. Notifications go to its author.
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(max_length=(SEGMENT_LEN + 1) * MAX_DEPTH_LIMIT, editable=False)
    thread = models.CharField(
        max_length=SEGMENT_LEN, editable=False, help_text="The top-level comment's path segment."
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING, db_index=True)

    author_name = models.CharField(_("name"), max_length=NAME_MAX)
    author_email = models.CharField(_("email"), max_length=EMAIL_MAX, blank=True)
    email_key = models.CharField(
        max_length=EMAIL_MAX + 8,
        editable=False,
        help_text="The normalised email (or user id) that identifies the commenter.",
    )
    author_url = models.CharField(_("website"), max_length=URL_MAX, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    is_staff = models.BooleanField(
        default=False, help_text="Written by a member of staff; shown with a badge."
    )

    body = models.TextField(max_length=BODY_MAX)
    body_hash = models.CharField(max_length=64, editable=False)
    # The body as HTML, rendered and sanitised once when it is written (comments.bodies), and
    # what it was rendered from: the renderer's version and a digest of the body. A row whose
    # key does not match its body (a new renderer, or a write that changed the body alone) is
    # rendered again when it is next read, and stored.
    body_html = models.TextField(blank=True, default="", editable=False)
    body_html_key = models.CharField(max_length=40, blank=True, default="", editable=False)
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)

    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    featured_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when an editor picks the comment."
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Set when readers' reports reach CommentSettings.reports_to_review on an approved comment:
    # it joins the desk's Reported queue (still published) until a moderator decides.
    reported_at = models.DateTimeField(null=True, blank=True)
    moderation_reasons = models.JSONField(default=list, blank=True)
    # The learned filters' scores (0–1) when the comment was posted, by kind ("spam",
    # "abuse"); empty when no model was trained. Shown on the moderator's card.
    scores = models.JSONField(default=dict, blank=True)
    likes_count = models.PositiveIntegerField(default=0)
    reports_count = models.PositiveIntegerField(default=0)

    ip_prefix = models.CharField(
        max_length=64,
        blank=True,
        help_text="The network (/24 or /48) the comment came from; cleared after the retention period.",
    )
    user_agent = models.CharField(max_length=300, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(fields=["article", "depth", "status", "path"], name="comment_thread_top"),
            models.Index(fields=["article", "thread", "path"], name="comment_thread_tree"),
            models.Index(fields=["email_key", "status"], name="comment_commenter"),
            # "Has this thread approved replies?" and "the replies of these threads".
            models.Index(fields=["article", "thread", "depth"], name="comment_thread_depth"),
            models.Index(
                fields=["article", "featured_at"],
                condition=Q(featured_at__isnull=False),
                name="comment_picks",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["article", "path"], name="comment_path_unique"),
            # A double submit or a retry never makes two comments.
            models.UniqueConstraint(
                fields=["article", "email_key", "body_hash"], name="comment_no_duplicate"
            ),
            models.UniqueConstraint(
                fields=["article", "email_key", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="comment_idempotency",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "spam", "trash"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(depth__lt=MAX_DEPTH_LIMIT), name="comment_depth_limit"
            ),
            # Lengths in characters: SQLite does not enforce max_length.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), BODY_MAX), name="comment_body_max_length"
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("body"), 1), name="comment_body_not_empty"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("author_name"), NAME_MAX),
                name="comment_name_max_length",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("author_name"), 1),
                name="comment_name_not_empty",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("author_email"), EMAIL_MAX),
                name="comment_email_max_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("author_url"), URL_MAX),
                name="comment_url_max_length",
            ),
            models.CheckConstraint(
                condition=Q(depth=0, parent__isnull=True) | Q(depth__gt=0, parent__isnull=False),
                name="comment_depth_matches_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:60]}"

    def get_absolute_url(self) -> str:
        return f"/comments/{self.pk}/"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED


class CommentLike(models.Model):
    # Wagtail's reference index would queue a task on every save; nothing links to these.
    wagtail_reference_index_ignore = True

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    voter = models.CharField(max_length=64, help_text="A keyed hash of the reader's browser token.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="like_once_per_reader")
        ]

    def __str__(self) -> str:
        return f"like of {self.comment_id}"


class CommentReport(models.Model):
    # Wagtail's reference index would queue a task on every save; nothing links to these.
    wagtail_reference_index_ignore = True

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off-topic", _("Off-topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=16, choices=Reason)
    note = models.CharField(max_length=500, blank=True)
    reporter = models.CharField(
        max_length=64, help_text="A keyed hash of the reader's browser token."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_once_per_reader"),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "abuse", "off-topic", "other"]),
                name="report_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} report on {self.comment_id}"


class Subscriber(models.Model):
    """An address that asked for reply notifications. Mail goes only to confirmed ones."""

    # Wagtail's reference index would queue a task on every save; nothing links to these.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email_key = models.CharField(max_length=EMAIL_MAX, unique=True)
    email = models.CharField(max_length=EMAIL_MAX)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "unsubscribed"]),
                name="subscriber_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"subscriber {self.pk} ({self.status})"


class ReplySubscription(models.Model):
    # Wagtail's reference index would queue a task on every save; nothing links to these.
    wagtail_reference_index_ignore = True

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="subscriptions")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "subscriber"], name="subscription_once")
        ]

    def __str__(self) -> str:
        return f"subscription to {self.comment_id}"


class SentMail(models.Model):
    """Mail sent to readers, for per-recipient rate limits."""

    # Wagtail's reference index would queue a task on every save; nothing links to these.
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirmation")
        REPLY = "reply", _("Reply notification")

    email_key = models.CharField(max_length=EMAIL_MAX, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind)
    sent_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} mail at {self.sent_at:%Y-%m-%d %H:%M}"


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """How the conversation works on a site; editable under Settings → Comments."""

    max_depth = models.PositiveSmallIntegerField(
        default=5,
        help_text=_("Levels of replies shown (1–10). Deeper replies join the deepest level."),
    )
    page_size = models.PositiveSmallIntegerField(
        default=50, help_text=_("Top-level comments per page.")
    )
    edit_window_minutes = models.PositiveSmallIntegerField(
        default=15, help_text=_("How long readers may edit or delete their own comment.")
    )
    hold_first_comment = models.BooleanField(
        default=True, help_text=_("Hold a commenter's comments until one has been approved.")
    )
    hold_links = models.PositiveSmallIntegerField(
        default=2, help_text=_("Hold a comment with this many links or more (0: never).")
    )
    retention_days = models.PositiveSmallIntegerField(
        default=30, help_text=_("Days to keep commenters' network and browser details.")
    )
    # --- Rules (docs/moderation.md, "Rules"); sections and articles may override some. ----------
    premoderate = models.BooleanField(
        default=False,
        help_text=_(
            "Pre-moderation: hold every comment for a moderator (WordPress: “Comment must be manually approved”)."
        ),
    )
    require_name_email = models.BooleanField(
        default=True, help_text=_("Readers who are not signed in must give a name and an email.")
    )
    signed_in_only = models.BooleanField(
        default=False, help_text=_("Only signed-in users may comment.")
    )
    close_after_days = models.PositiveSmallIntegerField(
        default=0, help_text=_("Close comments on articles older than this many days (0: never).")
    )
    trust_after_approved = models.PositiveSmallIntegerField(
        default=1,
        help_text=_(
            "With “hold first comment”: publish a commenter's comments at once after this many of theirs were approved (WordPress: 1, Coral: 2)."
        ),
    )
    rejected_share = models.PositiveSmallIntegerField(
        default=30,
        help_text=_(
            "Hold every comment of a commenter when at least this percentage of their recent moderated comments were rejected (0: never)."
        ),
    )
    rejected_window_days = models.PositiveSmallIntegerField(
        default=7, help_text=_("Days of a commenter's history the rejected share looks at.")
    )
    repeat_window_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text=_(
            "Hold the same text from the same commenter on another article within this many hours (0: never)."
        ),
    )
    max_length = models.PositiveIntegerField(
        default=BODY_MAX, help_text=_("The longest comment, in characters.")
    )
    moderation_words = models.TextField(
        blank=True,
        validators=[validate_word_list],
        help_text=_(
            "Hold a comment containing any of these: one word or phrase per line, whole words, any case and accents; casin* for a word's start, /regex/ for a pattern."
        ),
    )
    disallowed_words = models.TextField(
        blank=True,
        validators=[validate_word_list],
        help_text=_("Mark a comment containing any of these as spam (same format)."),
    )
    blocked_link_domains = models.TextField(
        blank=True,
        validators=[validate_domain_list],
        help_text=_(
            "Mark a comment linking to any of these domains (one per line; subdomains included) as spam."
        ),
    )
    hold_disposable_email = models.BooleanField(
        default=True, help_text=_("Hold comments from disposable (throwaway) email addresses.")
    )
    nudge_commenters = models.BooleanField(
        default=True,
        help_text=_(
            "Before posting, tell a commenter whose comment the abusive-language filter flags that it may break the community guidelines, so they can revise it (Coral's nudge). Needs a trained abusive-language model."
        ),
    )
    reports_to_review = models.PositiveSmallIntegerField(
        default=3,
        help_text=_("Reader reports that send an approved comment to the Reported queue."),
    )
    decision_target_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text=_("The desk aims to decide on a held comment within this many hours."),
    )

    class Meta:
        verbose_name = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_depth__gte=1, max_depth__lte=MAX_DEPTH_LIMIT),
                name="comment_settings_depth_range",
            ),
            models.CheckConstraint(
                condition=Q(page_size__gte=5, page_size__lte=500),
                name="comment_settings_page_size_range",
            ),
            models.CheckConstraint(
                condition=Q(max_length__gte=1, max_length__lte=BODY_MAX),
                name="comment_settings_max_length_range",
            ),
            models.CheckConstraint(
                condition=Q(rejected_share__lte=100), name="comment_settings_rejected_share_range"
            ),
        ]


class CommentEvent(models.Model):
    """One decision on a comment, by a person or a rule: the moderation log."""

    # Wagtail's reference index would queue a task on every save; nothing links to these.
    wagtail_reference_index_ignore = True

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.CharField(
        max_length=64, blank=True, help_text="The rule that decided, when no person did."
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} on {self.comment_id}"


# --- The moderators' desk ---------------------------------------------------------------------------


class CommentRevision(models.Model):
    """The text of a comment before a member of staff edited it (the original is never lost)."""

    wagtail_reference_index_ignore = True

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=BODY_MAX)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"earlier text of {self.comment_id}"


class RateCounter(models.Model):
    """A rate-limit counter when there is no Redis: one row per key and time window, counted
    with one atomic upsert (dateline.comments.ratelimit); expired rows are purged daily."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
