"""What we keep about commenters' requests, and the site's settings for their data and mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class PrivacyRequest(models.Model):
    """A request for an export or for erasure. The address is kept only until the request is
    done or expires; ``requester_key`` (a keyed hash) counts requests per address."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        DONE = "done", _("Done")
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(max_length=16, choices=Kind)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    requester_key = models.CharField(max_length=64, db_index=True)
    email = models.CharField(
        max_length=100, blank=True, help_text="Cleared when the request is done or expires."
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member of staff who acted, when staff did.",
    )
    requested_at = models.DateTimeField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        permissions = [("act_for_commenters", "Export or erase a commenter's data")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["export", "erase"]), name="privacy_request_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "done", "expired"]),
                name="privacy_request_status_valid",
            ),
            # An address is only held while the request waits.
            models.CheckConstraint(
                condition=Q(status="pending") | Q(email=""), name="privacy_request_email_cleared"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} request {self.pk} ({self.status})"


class DigestPreference(models.Model):
    """A moderator who does not want the queue digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    digest = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"digest {'on' if self.digest else 'off'} for user {self.user_id}"


@register_setting(icon="user")
class CommenterSettings(BaseSiteSetting):
    """Settings → Commenters' data and mail."""

    erasure_keeps_text = models.BooleanField(
        default=False,
        help_text=_(
            "On erasure, keep the comment's text (without name, address, website or network "
            "details). Off: the text is replaced by a note that the author removed it."
        ),
    )
    outcome_notices = models.BooleanField(
        default=False,
        help_text=_(
            "Tell commenters with a confirmed address when a held comment is approved or "
            "rejected (with the moderator's reason when rejected)."
        ),
    )
    moderator_digest = models.BooleanField(
        default=True, help_text=_("Email moderators a daily summary of what waits in the queues.")
    )

    class Meta:
        verbose_name = _("commenters' data and mail")

    def __str__(self) -> str:
        return "Commenters' data and mail"
