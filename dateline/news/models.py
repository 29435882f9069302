"""The newsroom's content: the front page, sections, articles, authors and corrections.

Page tree: Root → HomePage → SectionPage → ArticlePage, so an article's URL is
``/<section>/<article-slug>/``. Authors are snippets with their own route on the home page
(``/authors/<slug>/``), as are tags (``/tags/<slug>/``).
"""

from __future__ import annotations

from datetime import datetime
from types import ModuleType
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.url_routing import RouteResult

import dateline.core.converters  # noqa: F401 - registers <wslug:…>
from dateline.core.pagecache import page_cache_depends

from .admin_forms import ArticlePageForm
from .blocks import ArticleBodyBlock
from .routing import article_at, may_be_restricted
from .slots import FrontSlots, SectionSlots

# Slugs a section may not take, because the home page or the site routes them itself.
RESERVED_SECTION_SLUGS = frozenset(
    [
        "admin",
        "api",
        "authors",
        "comments",
        "documents",
        "feeds",
        "live",
        "media",
        "privacy",
        "readership",
        "search",
        "static",
        "tags",
    ]
)


def language_choices() -> list[tuple[str, str]]:
    return list(settings.DATELINE_ARTICLE_LANGUAGES)


class CachedPageMixin:
    """Pages served to anonymous readers from the full-page cache (dateline.core.pagecache)."""

    def cache_dependencies(self) -> list[str]:
        # Listings show every article's card and comment count.
        return ["content", "listings"]

    def cache_expires_at(self) -> datetime | None:
        """When the page changes by itself (a clock, not an edit): the cache keeps it until then."""
        return None

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        page_cache_depends(request, self.cache_dependencies(), expires_at=self.cache_expires_at())
        return super().serve(request, *args, **kwargs)  # type: ignore[misc]

    def get_view_restrictions(self) -> Any:
        """Wagtail's check (two queries) only for a page a restriction could apply to: the
        restricted paths are kept under "content" (``news.routing``)."""
        if getattr(self, "pk", None) and not may_be_restricted(self):
            return []  # what Wagtail's hook iterates over; no query at all
        return super().get_view_restrictions()  # type: ignore[misc]


class PageReads:
    """What the pages render with: ``news.selectors``, which imports these models, so the models
    don't import it back; ``NewsConfig.ready()`` hands it over once (docs/architecture.md)."""

    selectors: ClassVar[ModuleType]
    # ``news.front``: the front page's and section pages' slots.
    front: ClassVar[ModuleType]


class ArrangedPageMixin(CachedPageMixin):
    """A page built from slots (the home page, a section page): kept by the caches until the
    content changes, or until "most read" is chosen anew when the page shows it."""

    def cache_expires_at(self) -> datetime | None:
        if PageReads.front.shows_most_read(self):
            return PageReads.front.most_read_period()[1]
        return super().cache_expires_at()


class HomePage(ArrangedPageMixin, RoutablePageMixin, Page):
    """The front page, as editors arrange it in slots (lead, stories, live strip, section
    blocks, latest news, most read; ``news.slots``); without slots, the lead story, the newest
    per section, the latest news and most read."""

    lead_article = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The story at the top of the front page when its lead slot is empty (or there are "
            "no slots). Leave empty for the newest article."
        ),
    )
    strapline = models.CharField(
        max_length=200, blank=True, help_text=_("Shown under the masthead.")
    )
    slots = StreamField(
        FrontSlots(),
        blank=True,
        help_text=_(
            "The front page from top to bottom. Places you leave empty show the newest stories; "
            "with no slots at all, the front page is arranged automatically."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("strapline"),
        PageChooserPanel("lead_article", "news.ArticlePage"),
        FieldPanel("slots", heading=_("Front page slots")),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("front page")

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        """``/<section>/<article>/`` in one statement (``news.routing``); everything else, and
        an article that is not live, through Wagtail's routing."""
        if len(path_components) == 2 and self.live and not self._own_route(path_components):
            url_path, slug = f"{self.url_path}{'/'.join(path_components)}/", path_components[1]
            # As its own type (live coverage, built on the article), in the same statement.
            article = article_at(ArticlePage, url_path, slug)
            if article is not None and article.live:
                return RouteResult(article)
        return super().route(request, path_components)

    def _own_route(self, path_components: list[str]) -> bool:
        try:
            self.resolve_subpage("/" + "/".join(path_components) + "/")
        except Http404:
            return False
        return True

    @path("", name="front")
    def front_view(self, request: HttpRequest) -> HttpResponse:
        # Only the front page itself builds the front page; the author and tag routes don't.
        # Read only if the page's kept HTML has to be built again (home_page.html).
        preview = bool(getattr(request, "is_preview", False))
        front = SimpleLazyObject(lambda: PageReads.front.front_page(home=self, preview=preview))
        variant = (
            PageReads.front.most_read_period()[0] if PageReads.front.shows_most_read(self) else ""
        )
        return self.render(request, context_overrides={"front": front, "front_variant": variant})

    @path("authors/<slug:slug>/", name="author")
    def author_view(self, request: HttpRequest, slug: str) -> HttpResponse:
        listing = PageReads.selectors.author_page(slug=slug, page_number=request.GET.get("page"))
        if listing is None:
            raise Http404
        return self.render(
            request, context_overrides={"listing": listing}, template="news/author_page.html"
        )

    @path("tags/<wslug:slug>/", name="tag")
    def tag_view(self, request: HttpRequest, slug: str) -> HttpResponse:
        listing = PageReads.selectors.tag_page(slug=slug, page_number=request.GET.get("page"))
        if listing is None:
            raise Http404
        return self.render(
            request, context_overrides={"listing": listing}, template="news/tag_page.html"
        )


class SectionPage(ArrangedPageMixin, Page):
    """A section of the paper (International, Politics, …): the slots editors arranged at its
    top, if any, then its articles, newest first."""

    description = models.CharField(max_length=300, blank=True)
    slots = StreamField(
        SectionSlots(),
        blank=True,
        help_text=_(
            "The top of the section's first page, within the section. Leave empty for the "
            "list of its stories only."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("slots", heading=_("Section page slots")),
    ]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage", "live.LivePage"]

    class Meta:
        verbose_name = _("section")

    def clean(self) -> None:
        super().clean()
        if self.slug in RESERVED_SECTION_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is used by the site itself; choose another slug.")
                    % {"slug": self.slug}
                }
            )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        listing = PageReads.selectors.section_articles(
            section=self, page_number=request.GET.get("page")
        )
        context["listing"] = listing
        if listing.number == 1:
            preview = bool(getattr(request, "is_preview", False))
            context["front"] = PageReads.front.section_front(section=self, preview=preview)
        return context


class Author(index.Indexed, ClusterableModel):
    """A journalist in bylines, with a public profile page."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(max_length=120, blank=True, help_text=_("E.g. “Moscow correspondent”."))
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text=_(
            "The newsroom account that writes as this author: new articles by it get "
            "this name in the byline."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
        InlinePanel("links", label=_("Links")),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="author_slug_not_empty")]

    def __str__(self) -> str:
        return self.name

    def get_url(self) -> str:
        # The home page is each site's root, so its routes sit at the top of every site.
        return f"/authors/{self.slug}/"


register_snippet(Author)


class AuthorLink(Orderable):
    author = ParentalKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60)
    url = models.URLField(max_length=500)

    panels = [FieldPanel("label"), FieldPanel("url")]

    def __str__(self) -> str:
        return self.label


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(CachedPageMixin, Page):
    """A news article."""

    class CommentStatus(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    standfirst = models.CharField(
        max_length=400, blank=True, help_text=_("The summary under the headline.")
    )
    dateline_place = models.CharField(
        _("dateline"),
        max_length=80,
        blank=True,
        help_text=_("Where the story was reported from, e.g. MOSCOW."),
    )
    language = models.CharField(max_length=8, choices=language_choices, default="en")
    section = models.ForeignKey(
        SectionPage,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(max_length=300, blank=True)
    lead_image_credit = models.CharField(max_length=120, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    comment_status = models.CharField(
        max_length=8, choices=CommentStatus, default=CommentStatus.OPEN
    )
    comments_close_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Comments close by themselves at this time.")
    )
    # Approved comments; kept by the comments app as statuses change.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_(
            "If this article is a translation, the original article. Readers' browsers and "
            "search engines are then told about every language version."
        ),
    )
    # The body as plain text, kept by save(): search snippets are cut from it.
    body_text = models.TextField(blank=True, default="", editable=False)

    base_form_class = ArticlePageForm
    # A copy (the admin's "Copy") is a new article: none of the original's comments (not their
    # count), nor its corrections and updates log (in the page and in its revisions).
    exclude_fields_in_copy = ["comment_count", "corrections"]

    content_panels = [
        # Fills the slug (Promote tab) from the headline until the article is first published,
        # as Wagtail's own title panel does: a reporter never has to type one.
        TitleFieldPanel("title", heading=_("Headline"), placeholder=_("Headline*")),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [
                FieldPanel("dateline_place"),
                FieldPanel("language"),
                PageChooserPanel("translation_of", "news.ArticlePage"),
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
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel(
            "corrections", label=_("Correction or update"), heading=_("Corrections and updates")
        ),
        MultiFieldPanel(
            [FieldPanel("comment_status"), FieldPanel("comments_close_at")], heading=_("Comments")
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body_text"),
        index.SearchField("search_byline"),
        index.SearchField("search_normalised"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("section"),
        index.FilterField("language"),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        constraints = [
            models.CheckConstraint(
                condition=Q(comment_status__in=["open", "closed"]),
                name="article_comment_status_valid",
            ),
            models.CheckConstraint(condition=~Q(language=""), name="article_language_not_empty"),
        ]

    def clean(self) -> None:
        super().clean()
        if self.translation_of_id is not None:
            original = self.translation_of
            if self.pk is not None and self.translation_of_id == self.pk:
                raise ValidationError({"translation_of": _("An article can't translate itself.")})
            if original is not None and original.translation_of_id is not None:
                raise ValidationError(
                    {"translation_of": _("Choose the original article, not another translation.")}
                )
            if original is not None and original.language == self.language:
                raise ValidationError(
                    {"translation_of": _("A translation is in a different language.")}
                )
        # The section follows the page's place in the tree; a move updates it (signal_handlers).
        if self.path:
            parent = self.get_parent()
            self.section = (
                parent.specific
                if parent is not None and isinstance(parent.specific, SectionPage)
                else None
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .search import plain_text

        self.body_text = plain_text(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_text"}
        super().save(*args, **kwargs)

    def search_byline(self) -> str:
        """Authors' names, for the search index."""
        return " ".join(entry.author.name for entry in self.byline.all() if entry.author_id)

    def search_normalised(self) -> str:
        """Arabic words in their normalised form (search.normalise_arabic), for the index."""
        from .search import has_arabic, normalise_arabic

        if self.language != "ar" and not has_arabic(self.title + self.standfirst):
            return ""
        tags = " ".join(tag.name for tag in self.tags.all())
        return normalise_arabic(" ".join([self.title, self.standfirst, self.body_text, tags]))

    def cache_dependencies(self) -> list[str]:
        return ["content", f"article:{self.pk}"]

    def cache_expires_at(self) -> datetime | None:
        # The comment form disappears when comments close by themselves.
        if self.comments_close_at is not None and self.comments_close_at > timezone.now():
            return self.comments_close_at
        return None

    def with_content_json(self, content: dict[str, Any]) -> ArticlePage:
        obj = super().with_content_json(content)
        # Publishing an old revision must not bring back an old comment count.
        obj.comment_count = self.comment_count
        return obj

    @property
    def page_kind(self) -> str:
        """The name of the page type when this is a kind of article built on the article (live
        coverage), else "": moderators' cards say which kind a thread is under."""
        kind = self.specific_class  # content types are kept in memory: no query
        return "" if kind is None or kind is ArticlePage else str(kind._meta.verbose_name)

    #: The room a page of this kind gives its conversation, as a share of an article's: the
    #: top-level comments on one page of the thread (``CommentSettings.page_size``) and the
    #: length past which replies fold (``comments.rendering``). A kind of page whose
    #: conversation comes after other content (live coverage, below its updates) gives less.
    comment_room: float = 1.0

    @property
    def conversation_room(self) -> float:
        """``comment_room`` of this page's type, read from its content type: a comment's
        ``article`` is the base row, whatever kind of page it is under (no query)."""
        kind = self.specific_class or type(self)
        return kind.comment_room

    @property
    def text_direction(self) -> str:
        return "rtl" if get_language_info(self.language).get("bidi") else "ltr"

    def comments_open(self, now: datetime | None = None) -> bool:
        """Whether readers may post on this article right now."""
        if self.comment_status != self.CommentStatus.OPEN:
            return False
        return self.comments_close_at is None or (now or timezone.now()) < self.comments_close_at

    @property
    def updated_at(self) -> datetime | None:
        """The last publication time, when it is meaningfully later than the first one."""
        first, last = self.first_published_at, self.last_published_at
        if first and last and (last - first).total_seconds() > 600:
            return last
        return None

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["detail"] = PageReads.selectors.article_detail(article=self)
        return context


class ArticleAuthor(Orderable):
    """One name in an article's byline."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="byline")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once")
        ]


class ArticleCorrection(Orderable):
    """A dated, public entry in an article's corrections and updates log."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.CORRECTION)
    noted_at = models.DateTimeField(default=timezone.now, help_text=_("Shown to readers."))
    text = models.TextField()

    panels = [FieldPanel("kind"), FieldPanel("noted_at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["correction", "update"]), name="correction_kind_valid"
            )
        ]


class RelatedArticle(models.Model):
    """One entry of an article's "related coverage" list, computed when articles are published
    (services.article_related_refresh), so the article page reads it with one indexed query."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="related_from")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_article_once"),
            models.CheckConstraint(
                condition=~Q(article=models.F("related")), name="related_article_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id}"


class SearchTerm(models.Model):
    """A word from published headlines, tags, sections and bylines: the vocabulary that "did you
    mean" suggestions are chosen from. Words are folded as the search index folds them."""

    word = models.CharField(max_length=60, unique=True)
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["initial", "length"], name="search_term_initial_length")]
        constraints = [models.CheckConstraint(condition=~Q(word=""), name="search_term_not_empty")]

    def __str__(self) -> str:
        return self.word


__all__ = [
    "ArticleAuthor",
    "ArticleCorrection",
    "ArticlePage",
    "ArticleTag",
    "Author",
    "AuthorLink",
    "HomePage",
    "RelatedArticle",
    "SearchTerm",
    "SectionPage",
    "Tag",
]
