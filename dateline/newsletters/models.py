"""Newsletters, their subscribers and issues, and the send log that makes sending resumable.

A subscriber is one address; a subscription ties it to one newsletter with one status. An issue
is what one newsletter sends once (a daily or weekly edition, or an alert for one article). The
send log has one row per (issue, subscriber), written before the mail leaves: the unique
constraint is what guarantees nobody gets an issue twice (docs/newsletters.md, "Sending").
"""

from __future__ import annotations

import zoneinfo
from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

EMAIL_MAX = 254


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(zone)s” is not a time zone name (e.g. Europe/London)."), params={"zone": value}
        ) from exc


def validate_one_line(value: str) -> None:
    """Mail headers are one line: a line break in a subject or a sender name is refused here,
    and stripped again when the mail is built (dateline.newsletters.mail)."""
    if any(ch in value for ch in "\r\n\x00"):
        raise ValidationError(_("Use a single line, without line breaks."))


class Newsletter(index.Indexed, models.Model):
    """A newsletter editors define: what feeds it, when it goes, how it looks."""

    class Schedule(models.TextChoices):
        DAILY = "daily", _("Daily, at a time")
        WEEKLY = "weekly", _("Weekly, on a day at a time")
        ON_PUBLISH = "on_publish", _("On publish: an alert for every new story")
        BREAKING = "breaking", _("On breaking news: an alert when editors flag a story")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active: offered to readers and sent")
        PAUSED = "paused", _("Paused: not offered, nothing sent")

    class Template(models.TextChoices):
        DIGEST = "digest", _("Digest: headlines with summaries")
        ALERT = "alert", _("Alert: one story, prominent")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    name = models.CharField(max_length=120, validators=[validate_one_line])
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(
        max_length=300, blank=True, help_text=_("One sentence readers see next to the checkbox.")
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.ACTIVE)
    sections = models.ManyToManyField(
        "news.SectionPage",
        blank=True,
        related_name="+",
        help_text=_("Articles of these sections feed it. None and no tags: every section."),
    )
    tags: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "taggit.Tag",
        blank=True,
        related_name="+",
        help_text=_("Articles with one of these tags feed it too."),
    )
    schedule = models.CharField(max_length=16, choices=Schedule, default=Schedule.DAILY)
    send_time = models.TimeField(
        default=time(7, 0), help_text=_("Daily and weekly: the time it goes, in its time zone.")
    )
    weekday = models.PositiveSmallIntegerField(
        choices=Weekday, default=Weekday.MONDAY, help_text=_("Weekly: the day it goes.")
    )
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    template = models.CharField(max_length=16, choices=Template, default=Template.DIGEST)
    intro = models.TextField(
        blank=True, help_text=_("A few words at the top of every issue (plain text).")
    )
    sender_name = models.CharField(
        max_length=80,
        blank=True,
        validators=[validate_one_line],
        help_text=_("The name in the From line; the site's name when empty."),
    )
    max_articles = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="newsletter_weekday"),
            models.CheckConstraint(
                condition=Q(max_articles__gte=1, max_articles__lte=50),
                name="newsletter_max_articles",
            ),
            models.CheckConstraint(
                condition=Q(schedule__in=["daily", "weekly", "on_publish", "breaking"]),
                name="newsletter_schedule",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    """One address. Never shown on a public page; the manage link identifies it by a signature
    over its id and key (dateline.newsletters.tokens)."""

    email = models.CharField(max_length=EMAIL_MAX)
    # The address as compared: lower case (the local part too: mailbox providers treat it so).
    email_key = models.CharField(max_length=EMAIL_MAX, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the first confirmation: the address has proved it receives our mail.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last confirmation mail: at most one per DATELINE_NEWSLETTER_CONFIRM_INTERVAL.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"subscriber {self.pk}"


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Stopped: mail bounced")
        COMPLAINED = "complained", _("Stopped: marked as spam")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "newsletter"], name="nl_subscription_once"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "confirmed", "unsubscribed", "bounced", "complained"]
                ),
                name="nl_subscription_status",
            ),
        ]
        indexes = [
            # The send's keyset: a newsletter's confirmed subscriptions by id.
            models.Index(fields=["newsletter", "status", "id"], name="nl_subscription_list"),
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk} ({self.status})"


class NewsletterIssue(models.Model):
    """One edition of a newsletter: its articles chosen when it is prepared, its text rendered
    when the send starts (and kept: what was sent stays readable)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        SKIPPED = "skipped", _("Skipped: nothing new")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="issues")
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT)
    subject = models.CharField(max_length=200, validators=[validate_one_line])
    articles = models.ManyToManyField(
        "news.ArticlePage", through="IssueArticle", related_name="+", blank=True
    )
    # The schedule's moment this issue stands for (daily/weekly); one issue per moment.
    slot = models.DateTimeField(null=True, blank=True)
    # An alert's article; one alert per article and newsletter.
    alert_article = models.ForeignKey(
        "news.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    covers_until = models.DateTimeField(help_text=_("Articles published up to this moment."))
    send_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Sending: the last subscription id claimed (a keyset cursor) and the last batch's time,
    # by which a stalled send is recognised and resumed.
    cursor = models.BigIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0, help_text=_("List size at the start."))
    html_body = models.TextField(blank=True, editable=False)
    text_body = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("send_newsletterissue", "Can send newsletter issues")]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "slot"],
                condition=Q(slot__isnull=False),
                name="nl_issue_one_per_slot",
            ),
            models.UniqueConstraint(
                fields=["newsletter", "alert_article"],
                condition=Q(alert_article__isnull=False),
                name="nl_issue_one_alert_per_article",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "scheduled", "sending", "sent", "cancelled", "skipped"]
                ),
                name="nl_issue_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "send_at"], name="nl_issue_due")]

    def __str__(self) -> str:
        return self.subject


class IssueArticle(models.Model):
    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "article"], name="nl_issue_article_once")
        ]

    def __str__(self) -> str:
        return f"article {self.article_id} in issue {self.issue_id}"


class SendLog(models.Model):
    """One mail of one issue to one subscriber. CLAIMED is written and committed before the
    mail goes; SENT or FAILED after. A row left CLAIMED by a crash becomes INTERRUPTED: that
    mail may or may not have left, so it is never tried again."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused by the mail server")
        INTERRUPTED = "interrupted", _("Interrupted (not retried)")

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="log")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status, default=Status.CLAIMED)
    claimed_at = models.DateTimeField()
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="nl_sendlog_once"),
            models.CheckConstraint(
                condition=Q(status__in=["claimed", "sent", "failed", "interrupted"]),
                name="nl_sendlog_status",
            ),
        ]
        indexes = [models.Index(fields=["issue", "status"], name="nl_sendlog_issue_status")]

    def __str__(self) -> str:
        return f"issue {self.issue_id} to subscriber {self.subscriber_id}: {self.status}"


class Suppression(models.Model):
    """A bounce or complaint reported for an address (webhook or command), kept as the reason
    its subscriptions stopped (staff only: the admin counts them per newsletter)."""

    class Kind(models.TextChoices):
        BOUNCE = "bounce", _("Bounce")
        COMPLAINT = "complaint", _("Complaint")

    email_key = models.CharField(max_length=EMAIL_MAX, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind)
    source = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["bounce", "complaint"]), name="nl_suppression_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
