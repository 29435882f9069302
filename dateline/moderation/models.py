"""How a section or an article changes the site's comment rules (Settings → Comments), and the
learned filters' model files and their history, and the desk's own records: bans, desk
assignments (per-section desks) and bulk jobs (moved from ``comments`` with their tables,
migrations comments 0010 / moderation 0004).

Every field can say "as the site" (blank or empty): the effective policy for an article is the
site's settings, then its section's overrides, then its own (dateline.moderation.policy).
Word lists add to the site's lists rather than replace them.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dateline.comments.models import EMAIL_MAX
from dateline.comments.text import normalise_email
from dateline.core.wordlists import validate_word_list

from .hours import parse_days


class Inherit(models.TextChoices):
    INHERIT = "", _("As the site")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Moderation(models.TextChoices):
    INHERIT = "", _("As the site")
    PRE = "pre", _("Pre-moderation: hold every comment for a moderator")
    POST = "post", _("Post-moderation: publish what the rules allow")


class PolicyOverride(models.Model):
    moderation = models.CharField(max_length=8, choices=Moderation, blank=True, default="")
    signed_in_only = models.CharField(
        _("signed-in readers only"), max_length=8, choices=Inherit, blank=True, default=""
    )
    require_name_email = models.CharField(
        _("require name and email"), max_length=8, choices=Inherit, blank=True, default=""
    )
    close_after_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "Close comments on articles older than this many days (0: never; empty: as the site)."
        ),
    )
    hold_links = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Hold a comment with this many links or more (0: never; empty: as the site)."),
    )
    trust_after_approved = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "Hold new commenters until this many of their comments were approved (empty: as the site)."
        ),
    )
    moderation_words = models.TextField(
        blank=True,
        validators=[validate_word_list],
        help_text=_("Held, in addition to the site's list (same format: one per line)."),
    )
    disallowed_words = models.TextField(
        blank=True,
        validators=[validate_word_list],
        help_text=_("Marked as spam, in addition to the site's list."),
    )

    class Meta:
        abstract = True


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(value)s” is not a time zone; use a name like Europe/London."),
            params={"value": value},
        ) from exc


def validate_days(value: str) -> None:
    try:
        parse_days(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class SectionPolicy(PolicyOverride):
    """A section's comment rules and its moderators' staffed hours."""

    class OutsideHours(models.TextChoices):
        PRE = "pre", _("Hold every comment until the desk is back")
        CLOSE = "close", _("Close to new comments")

    section = models.ForeignKey("news.SectionPage", on_delete=models.CASCADE, related_name="+")
    staffed_days = models.CharField(
        max_length=40,
        blank=True,
        validators=[validate_days],
        help_text=_(
            "Days the desk moderates, like mon-fri or mon-fri,sun (empty: always staffed)."
        ),
    )
    staffed_from = models.TimeField(null=True, blank=True)
    staffed_until = models.TimeField(
        null=True, blank=True, help_text=_("An end before the start runs past midnight.")
    )
    timezone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_timezone]
    )
    outside_hours = models.CharField(max_length=8, choices=OutsideHours, default=OutsideHours.PRE)

    class Meta:
        verbose_name = _("section comment policy")
        verbose_name_plural = _("section comment policies")
        constraints = [
            models.UniqueConstraint(fields=["section"], name="section_policy_once"),
            models.CheckConstraint(
                condition=Q(moderation__in=["", "pre", "post"]), name="section_policy_moderation"
            ),
            models.CheckConstraint(
                condition=Q(outside_hours__in=["pre", "close"]), name="section_policy_outside"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment policy of {self.section}"

    def clean(self) -> None:
        if (self.staffed_from is None) != (self.staffed_until is None):
            raise ValidationError(
                {"staffed_until": _("Give both the start and the end of the staffed hours.")}
            )
        if self.staffed_days and self.staffed_from is None:
            raise ValidationError(
                {"staffed_from": _("Give the hours the desk is staffed on those days.")}
            )


class ArticlePolicy(PolicyOverride):
    """One article's comment rules, over its section's and the site's."""

    article = models.OneToOneField("news.ArticlePage", on_delete=models.CASCADE, related_name="+")
    ignore_hours = models.BooleanField(
        default=False,
        help_text=_("Take comments as at staffed hours all day (a live blog with its own desk)."),
    )

    class Meta:
        verbose_name = _("article comment policy")
        verbose_name_plural = _("article comment policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(moderation__in=["", "pre", "post"]), name="article_policy_moderation"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment policy of {self.article}"


# --- The learned filters' model files ------------------------------------------------------------


class FilterKind(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abusive language")


class FilterVersion(models.Model):
    """One trained model file of a learned filter (docs/retraining-draft.md): the live one,
    earlier ones kept so a rollback can restore them, and candidates that lost to the live one.

    The file is ``<DATELINE_MODEL_DIR>/<file>``; the live model is also copied to
    ``<kind>.joblib``, which is what the site loads. Rows are never deleted: they are the
    history."""

    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        LIVE = "live", _("Live")
        PREVIOUS = "previous", _("Replaced (can be restored)")
        ROLLED_BACK = "rolled_back", _("Rolled back")
        REJECTED = "rejected", _("Rejected candidate")
        ARCHIVED = "archived", _("Replaced (file removed)")

    class Origin(models.TextChoices):
        BASE = "base", _("Trained on the base corpus (train_filters)")
        RETRAINED = "retrained", _("Retrained with moderators' decisions")
        ADOPTED = "adopted", _("Found in the model folder")

    kind = models.CharField(max_length=8, choices=FilterKind)
    version = models.CharField(max_length=40, help_text=_("The file's name, without .joblib."))
    status = models.CharField(max_length=16, choices=Status, db_index=True)
    origin = models.CharField(max_length=16, choices=Origin)
    file = models.CharField(
        max_length=200, blank=True, help_text=_("Under the model folder; empty once removed.")
    )
    validation_file = models.CharField(
        max_length=200, blank=True, help_text=_("The validation set it is judged on.")
    )
    trained_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    live_since = models.DateTimeField(null=True, blank=True)
    n_examples = models.PositiveIntegerField(default=0)
    n_positive = models.PositiveIntegerField(default=0)
    n_decisions = models.PositiveIntegerField(default=0)
    decision_weight = models.FloatField(null=True, blank=True)
    # The newest decision it was trained on: later ones are "new" for the next retraining.
    decisions_until = models.DateTimeField(null=True, blank=True)
    base = models.JSONField(default=dict, blank=True, help_text=_("The base corpus' recipe."))
    source = models.TextField(blank=True)
    thresholds = models.JSONField(default=dict, blank=True)
    # validation_report() on its validation set: auc, legitimate_over_low/high, caught_*.
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("learned filter model")
        ordering = ["-created_at", "-pk"]
        permissions = [("rollback_filterversion", "Can roll a learned filter back")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="filter_version_once"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(status="live"), name="filter_version_one_live"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["spam", "abuse"]), name="filter_version_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["live", "previous", "rolled_back", "rejected", "archived"]),
                name="filter_version_status",
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["base", "retrained", "adopted"]),
                name="filter_version_origin",
            ),
            # What can serve or be restored has its file.
            models.CheckConstraint(
                condition=~Q(status__in=["live", "previous"]) | ~Q(file=""),
                name="filter_version_file",
            ),
            models.CheckConstraint(
                condition=~Q(status="live") | Q(live_since__isnull=False),
                name="filter_version_live_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.version}"


class FilterEvent(models.Model):
    """The learned filters' history: each install, candidate judged, rollback, and each time
    retraining was refused for a reason someone must act on."""

    wagtail_reference_index_ignore = True

    class Action(models.TextChoices):
        INSTALLED = "installed", _("Installed (trained on the base corpus)")
        ACCEPTED = "accepted", _("Retrained model accepted")
        REJECTED = "rejected", _("Retrained model rejected")
        ROLLED_BACK = "rolled_back", _("Rolled back")
        KEPT = "kept", _("Not retrained")

    kind = models.CharField(max_length=8, choices=FilterKind)
    action = models.CharField(max_length=16, choices=Action)
    # The model this is about: installed, accepted, rejected or restored (the live one: kept).
    version = models.ForeignKey(
        FilterVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    # The live model it replaced, or was compared with.
    other = models.ForeignKey(
        FilterVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    # {"candidate": report, "live": report} when two models were compared.
    figures = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("learned filter event")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["spam", "abuse"]), name="filter_event_kind"
            ),
            models.CheckConstraint(
                condition=Q(
                    action__in=["installed", "accepted", "rejected", "rolled_back", "kept"]
                ),
                name="filter_event_action",
            ),
            models.CheckConstraint(
                condition=Q(action="kept") | Q(version__isnull=False),
                name="filter_event_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.action} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def by(self) -> str:
        """Who did it: the person, else what runs without one."""
        if self.actor is not None:
            return self.actor.get_full_name() or self.actor.get_username()
        if self.action == self.Action.INSTALLED:
            return "manage.py train_filters"
        return "nightly retraining"


class CommentBanQuerySet(models.QuerySet["CommentBan"]):
    def active(self, *, now: datetime) -> CommentBanQuerySet:
        """What "an active ban" means, the one definition: not lifted, and without an end or
        ending after ``now``. The ban rule's query (``moderation.bans.BannedCommenter``) is compiled from
        it; the desk and a commenter's export ask it."""
        return self.filter(lifted_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class CommentBan(models.Model):
    """A commenter kept out: their new comments go straight to spam, with the reason."""

    wagtail_reference_index_ignore = True

    email_key = models.CharField(
        _("commenter (email key)"),
        max_length=EMAIL_MAX + 8,
        blank=True,
        db_index=True,
        help_text=_("The normalised email address, or user:<id> for a signed-in reader."),
    )
    ip_prefix = models.CharField(
        _("network"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("A /24 (IPv4) or /48 (IPv6) network, as shown on the comment."),
    )
    reason = models.CharField(max_length=300)
    expires_at = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Empty: until lifted.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = CommentBanQuerySet.as_manager()

    class Meta:
        verbose_name = _("commenter ban")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email_key="") | ~Q(ip_prefix=""), name="ban_names_someone"
            )
        ]

    def __str__(self) -> str:
        who = " / ".join(x for x in (self.email_key, self.ip_prefix) if x)
        return f"ban of {who}"

    def clean(self) -> None:
        # An address typed in the admin is stored as the ban rule compares it: normalised.
        key = self.email_key.strip()
        if key and not key.startswith(("user:", "hmac:")):
            key = normalise_email(key)
        self.email_key = key
        self.ip_prefix = self.ip_prefix.strip()


class DeskAssignment(models.Model):
    """Limits a moderator (or a group of them) to a section's comments. A moderator with no
    assignment, directly or through a group, works on every section."""

    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="desk_assignments",
    )
    group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="desk_assignments",
    )
    section = models.ForeignKey(
        "news.SectionPage", on_delete=models.CASCADE, related_name="desk_assignments"
    )

    class Meta:
        verbose_name = _("desk assignment")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True)
                | Q(user__isnull=True, group__isnull=False),
                name="desk_assignment_user_or_group",
            ),
            models.UniqueConstraint(fields=["user", "section"], name="desk_assignment_user_once"),
            models.UniqueConstraint(fields=["group", "section"], name="desk_assignment_group_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.group} → {self.section}"


class DeskBulkJob(models.Model):
    """A desk action on every comment of a filter, processed in chunks by a background task."""

    wagtail_reference_index_ignore = True

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    action = models.CharField(max_length=16)
    comment_ids = models.JSONField(default=list)
    reason = models.CharField(max_length=500, blank=True)
    description = models.CharField(max_length=300, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=State, default=State.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.action} on {self.total} comments"
