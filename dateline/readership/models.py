"""What readers read, counted without knowing who they are: views of a page per hour, nothing
else (docs/frontpage.md, "Most read")."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PageViews(models.Model):
    """How many times ``page`` was read during the hour starting at ``hour`` (UTC). No address,
    cookie, user agent or time finer than the hour is ever stored."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    hour = models.DateTimeField(help_text=_("The start of the hour counted (UTC)."))
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("page views in an hour")
        verbose_name_plural = _("page views per hour")
        constraints = [
            models.UniqueConstraint(fields=["page", "hour"], name="page_views_once_per_hour"),
            models.CheckConstraint(condition=Q(views__gte=0), name="page_views_not_negative"),
        ]
        # "Most read since …" walks the hours, newest last.
        indexes = [models.Index(fields=["hour", "page"], name="page_views_hour_page")]

    def __str__(self) -> str:
        return f"{self.page_id} @ {self.hour:%Y-%m-%d %H:00}: {self.views}"
