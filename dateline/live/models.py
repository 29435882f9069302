"""Live coverage: a live page (an article that keeps changing), its updates, and the breaking
news flag.

``LivePage`` *is* an article (multi-table inheritance from ``news.ArticlePage``), so its
conversation, byline, tags, listings, feeds, sitemaps and search are the article's own
(docs/decisions/0076-live-page-is-an-article.md). Its updates are rows of their own
(``LiveUpdate``), written from the admin by any number of reporters at once: no page revision
is involved, so nobody overwrites anybody.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from types import ModuleType
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from dateline.news.models import ArticlePage, Author

from .blocks import UPDATE_FEATURES, UpdateBodyBlock
from .forms import LiveUpdateForm


class LiveReads:
    """What the live page renders with: ``live.selectors``, which imports these models, handed
    over by ``LiveConfig.ready()`` (as ``news.models.PageReads``)."""

    selectors: ClassVar[ModuleType]


def live_dependency(page_id: int) -> str:
    """The page cache's name for a live page's updates (its page, fragment, feed)."""
    return f"live:{page_id}"


# A headline's own "live" at its end, with what sets it off ("Talks in Moscow: live").
_TRAILING_LIVE = re.compile(r"[\s:,.\-\u2013\u2014|]*\blive$", re.IGNORECASE)


class LivePageQuerySet(PageQuerySet):
    def running(self) -> LivePageQuerySet:
        """Live pages whose coverage is live (not ended): listings label them "Live"
        (``news.selectors.with_live_now`` asks for this by name)."""
        return self.filter(coverage=LivePage.Coverage.LIVE)


class LivePage(ArticlePage):
    """Live coverage of a story as it happens: a headline, the key points editors keep
    current, and timestamped updates (``LiveUpdate``), newest first."""

    #: The conversation comes below a page of updates: it gets half an article's room (half
    #: the top-level comments per page, replies folded at half the length), so the page stays
    #: within the article's weight (issue 17); the rest is a crawlable link away, as on articles.
    comment_room = 0.5

    class Coverage(models.TextChoices):
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    coverage = models.CharField(
        _("coverage"),
        max_length=8,
        choices=Coverage,
        default=Coverage.LIVE,
        help_text=_("“Ended” when the story stops moving: the page says so, and stops polling."),
    )
    key_points = RichTextField(
        _("key points"),
        features=UPDATE_FEATURES,
        blank=True,
        help_text=_("The summary at the top of the page: keep it current as the story moves."),
    )

    content_panels = [
        TitleFieldPanel("title", heading=_("Headline"), placeholder=_("Headline*")),
        FieldPanel("standfirst"),
        FieldPanel("coverage"),
        FieldPanel("key_points"),
        MultiFieldPanel(
            [
                FieldPanel("dateline_place"),
                FieldPanel("language"),
                InlinePanel("byline", label=_("Author"), min_num=1),
            ],
            heading=_("Byline"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading=_("Lead image"),
        ),
        FieldPanel("body", heading=_("Background")),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("comment_status"), FieldPanel("comments_close_at")], heading=_("Comments")
        ),
    ]
    objects = PageManager.from_queryset(LivePageQuerySet)()

    search_fields = [*ArticlePage.search_fields, index.SearchField("key_points")]
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    template = "live/live_page.html"

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverage pages")
        constraints = [
            models.CheckConstraint(
                condition=Q(coverage__in=["live", "ended"]), name="live_page_coverage_valid"
            )
        ]

    @property
    def feed_title(self) -> str:
        """Its feed's title, "<title>: live updates", without "live" twice when the headline
        already ends with it ("… in the Kremlin: live")."""
        title = self.title.strip()
        return f"{_TRAILING_LIVE.sub('', title) or title}: live updates"

    @property
    def is_live(self) -> bool:
        return self.coverage == self.Coverage.LIVE

    def cache_dependencies(self) -> list[str]:
        return [*super().cache_dependencies(), live_dependency(self.pk)]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # Past the article's own context: its detail reads corrections, related coverage and
        # language versions, which a live page does not show.
        context = super(ArticlePage, self).get_context(request, *args, **kwargs)
        context["detail"] = LiveReads.selectors.live_page_detail(page=self)
        # The page of updates' number, known without reading the updates themselves.
        context["live_number"] = number = LiveReads.selectors.page_number_of(
            request.GET.get("page")
        )
        try:
            context["live"] = LiveReads.selectors.live_page_stream(page=self, number=number)
        except LiveReads.selectors.NoSuchUpdatesPage as past_the_last:
            raise Http404 from past_the_last
        context["live_poll_every"] = settings.DATELINE_LIVE_POLL_EVERY
        return context


class LiveUpdateQuerySet(models.QuerySet["LiveUpdate"]):
    def published(self) -> LiveUpdateQuerySet:
        return self.filter(status=LiveUpdate.Status.PUBLISHED)


class LiveUpdate(models.Model):
    """One timestamped entry of a live page, its own row: two reporters filing at once write
    two rows, and an edit writes only the fields it changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DELETED = "deleted", _("Deleted")

    page = models.ForeignKey(
        LivePage, on_delete=models.CASCADE, related_name="updates", verbose_name=_("live page")
    )
    author = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        related_name="live_updates",
        help_text=_("Whose name the update carries; yours if you leave it empty."),
        null=True,
        blank=True,
    )
    headline = models.CharField(
        max_length=160, blank=True, help_text=_("Optional; key events are listed by it.")
    )
    body = StreamField(UpdateBodyBlock())
    # The body as HTML, rendered once when the update is written (services), so a page of
    # updates is read in one query whatever its pictures and embeds.
    body_html = models.TextField(blank=True, default="", editable=False)
    status = models.CharField(
        max_length=16, choices=Status, default=Status.PUBLISHED, db_index=True
    )
    pinned = models.BooleanField(
        default=False, help_text=_("Kept at the top of the page, above the newest updates.")
    )
    key_event = models.BooleanField(
        default=False, help_text=_("Listed under “Key events” at the top of the page.")
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LiveUpdateQuerySet.as_manager()

    base_form_class = LiveUpdateForm
    # The version the form was opened on (LiveUpdateForm.opened_version) has no panel: Wagtail
    # puts a form's fields that no panel claims into the form as they are, here a hidden input,
    # with no heading and no entry in the side panel's list of sections.
    panels = [
        PageChooserPanel("page", "live.LivePage"),
        FieldPanel("author"),
        FieldPanel("headline"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("pinned"), FieldPanel("key_event")],
            heading=_("Publishing"),
        ),
    ]

    class Meta:
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["page", "status", "-published_at", "-id"], name="live_update_stream"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "deleted"]),
                name="live_update_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="live_update_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.published_at).strftime("%H:%M") if self.published_at else ""
        label = self.headline or _("Update")
        return f"{when} {label}".strip()

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"

    @property
    def stamp(self) -> int:
        """The publication time in microseconds: the page's script orders and compares by it."""
        return int(self.published_at.timestamp() * 1_000_000) if self.published_at else 0

    @property
    def version(self) -> str:
        """Changes with every edit: the page's script replaces an update whose version moved."""
        return str(int(self.updated_at.timestamp() * 1_000_000))


class BreakingNewsQuerySet(models.QuerySet["BreakingNews"]):
    def showing(self, now: datetime) -> BreakingNewsQuerySet:
        """Flags the banner shows at ``now``: set, started, not expired, on a live page that
        every reader may read (a story behind a password or a login, or under a section that
        is, would put its headline in front of everyone)."""
        return self.filter(
            status=BreakingNews.Status.ACTIVE,
            starts_at__lte=now,
            expires_at__gt=now,
            page__live=True,
        ).exclude(Exists(view_restrictions_over_the_page()))

    def with_restricted(self) -> BreakingNewsQuerySet:
        """Each flag with ``restricted``: whether its story is closed to some readers."""
        return self.annotate(restricted=Exists(view_restrictions_over_the_page()))


def view_restrictions_over_the_page() -> models.QuerySet[PageViewRestriction]:
    """The view restrictions (password, login, groups) on a flag's page or one of its
    ancestors: those whose page's tree path begins the flag's page's path. For ``Exists``."""
    return PageViewRestriction.objects.annotate(
        over=Substr(OuterRef("page__path"), 1, Length("page__path"))
    ).filter(page__path=F("over"))


def default_expiry() -> datetime:
    return timezone.now() + timedelta(hours=2)


class BreakingNews(models.Model):
    """An article or a live page flagged as breaking news: a banner across the site until the
    flag is cleared or expires (docs/live.md, "Breaking news")."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("On")
        CLEARED = "cleared", _("Cleared")

    page = models.ForeignKey(
        ArticlePage,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("story"),
        help_text=_("The article or live page the banner links to."),
    )
    headline = models.CharField(
        max_length=140,
        blank=True,
        help_text=_("The banner's words; the story's headline if you leave it empty."),
    )
    status = models.CharField(max_length=8, choices=Status, default=Status.ACTIVE)
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(
        default=default_expiry, help_text=_("The banner goes by itself at this time.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BreakingNewsQuerySet.as_manager()

    panels = [
        PageChooserPanel("page", "news.ArticlePage"),
        FieldPanel("headline"),
        FieldPanel("status"),
        FieldPanel("starts_at"),
        FieldPanel("expires_at"),
    ]

    class Meta:
        verbose_name = _("breaking news")
        verbose_name_plural = _("breaking news")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "cleared"]), name="breaking_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("starts_at")), name="breaking_expires_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.headline or self.page.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.page_id is not None and not self.page.live:
            errors["page"] = _("Only a published story can be breaking news.")
        if self.status == self.Status.ACTIVE and self.starts_at and self.expires_at:
            if self.expires_at <= self.starts_at:
                errors["expires_at"] = _("The banner must end after it starts.")
            elif self.expires_at <= timezone.now():
                errors["expires_at"] = _("This time has passed: choose a later one.")
        if errors:
            raise ValidationError(errors)

    def is_showing(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.ACTIVE and self.starts_at <= now < self.expires_at
