"""How a section or an article changes the site's comment rules (Settings → Comments).

Every field can say "as the site" (blank or empty): the effective policy for an article is the
site's settings, then its section's overrides, then its own (dateline.moderation.policy).
Word lists add to the site's lists rather than replace them.
"""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dateline.comments.wordlists import validate_word_list

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
