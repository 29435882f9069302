"""Reads of the newsroom's content, each with its joins, so a page costs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from dateline.core.db import select_one
from dateline.core.fragments import fragment

from .models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    Author,
    HomePage,
    RelatedArticle,
    SearchTerm,
    SectionPage,
    Tag,
)
from .routing import restricted_tree_paths
from .search import Term, highlight, highlight_matches, parse_query, suggest
from .search_backend import SearchFilters, search_ids
from .visibility import public

# Renditions listings and article pages ask for; prefetched so rendering does not query.
CARD_RENDITIONS = ["fill-400x225", "fill-800x450"]
# The lead story's picture on the front page (WebP, two sizes).
FRONT_LEAD_RENDITIONS = ["format-webp|fill-800x450", "format-webp|fill-1200x675"]
LEAD_RENDITIONS = ["width-400", "width-800", "width-1200", "width-1600"]
page_permission_policy = PagePermissionPolicy()


def _images(specs: list[str]) -> QuerySet[Any]:
    return get_image_model().objects.prefetch_renditions(*specs)


def live_article(pk: int) -> ArticlePage | None:
    """The live article ``pk`` when readers may see it (no view restriction above it), else
    None. Every comment post starts here, so it is one statement written out once instead of
    ``public(ArticlePage.objects.live()).filter(pk=pk)`` built by the ORM each time
    (docs/decisions/0050-comment-post-speed.md)."""
    return select_one(ArticlePage, _live_article_sql(), [pk], _live_article_fields())


@lru_cache(maxsize=1)
def _live_article_fields() -> tuple[Any, ...]:
    """Every column but the body: a post never shows the article's text, and decoding the
    StreamField's JSON cost more than the rest of the row (the body is deferred: reading it
    loads it)."""
    return tuple(f for f in ArticlePage._meta.concrete_fields if f.name != "body")


@lru_cache(maxsize=1)
def _live_article_sql() -> str:
    from wagtail.models import Page, PageViewRestriction

    q = connection.ops.quote_name
    page, article = Page._meta.db_table, ArticlePage._meta.db_table
    columns = ", ".join(
        f"{q(f.model._meta.db_table)}.{q(str(f.column))}" for f in _live_article_fields()
    )
    restriction, restricted = q(PageViewRestriction._meta.db_table), q("restricted")
    path = f"{q(page)}.{q('path')}"
    # Only quoted names from the models' metadata are formatted in; the id is a parameter.
    return (
        f"SELECT {columns} FROM {q(page)} "  # noqa: S608
        f"INNER JOIN {q(article)} ON {q(article)}.{q('page_ptr_id')} = {q(page)}.{q('id')} "
        f"WHERE {q(page)}.{q('id')} = %s AND {q(page)}.{q('live')} "
        f"AND NOT EXISTS (SELECT 1 FROM {restriction} "
        f"INNER JOIN {q(page)} {restricted} ON {restricted}.{q('id')} = {restriction}.{q('page_id')} "
        f"WHERE SUBSTR({path}, 1, LENGTH({restricted}.{q('path')})) = {restricted}.{q('path')})"
    )


def article_cards(
    *, renditions: list[str] | None = None, restricted: list[str] | None = None
) -> QuerySet[ArticlePage]:
    """Live, public articles with what a listing shows: section, byline, lead image, newest first."""
    return _with_card_parts(
        public(ArticlePage.objects.live(), restricted=restricted), renditions=renditions
    )


def live_coverage_models() -> list[type[ArticlePage]]:
    """The live coverage page types (``DATELINE_LIVE_PAGE_MODELS``) that say which of their
    pages are running (a ``running()`` method of their manager), read by name through Django's
    app registry so that news imports no app above it."""
    found = []
    for label in settings.DATELINE_LIVE_PAGE_MODELS:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if issubclass(model, ArticlePage) and hasattr(model.objects, "running"):
            found.append(model)
    return found


def with_live_now(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """``queryset`` with ``live_now`` on each article: whether it is live coverage that is still
    running (the "Live" label on cards), read in the same statement, not a query per card."""
    running = Q()
    for model in live_coverage_models():
        running |= Q(Exists(model.objects.running().filter(pk=OuterRef("pk"))))
    if not running:
        return queryset
    return queryset.annotate(live_now=ExpressionWrapper(running, output_field=BooleanField()))


def _with_card_parts(
    queryset: QuerySet[ArticlePage], *, renditions: list[str] | None = None
) -> QuerySet[ArticlePage]:
    return (
        with_live_now(queryset)
        .select_related("section")
        .prefetch_related(
            Prefetch("lead_image", queryset=_images(renditions or CARD_RENDITIONS)),
            Prefetch(
                "byline",
                queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
            ),
        )
        .order_by("-first_published_at", "-pk")
    )


def paginate(
    queryset: QuerySet[Any], *, page_number: str | int | None, per_page: int | None = None
) -> PaginatorPage:
    """One page of ``queryset``; a missing or malformed page number gives the first page,
    one past the end gives the last."""
    paginator = Paginator(queryset, per_page or settings.DATELINE_SECTION_PAGE_SIZE)
    try:
        return paginator.page(page_number or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def section_menu(*, home: HomePage | None = None) -> list[SectionPage]:
    """The live sections in the editors' order (the page tree's order), for navigation; kept
    per version of the content (``core.fragments``)."""
    name = f"sections:{home.pk if home is not None else 'all'}"
    return fragment(name, ["content"], lambda: _section_menu(home))


def _section_menu(home: HomePage | None) -> list[SectionPage]:
    qs = SectionPage.objects.live()
    if home is not None:
        qs = qs.child_of(home)
    return list(public(qs, restricted=list(restricted_tree_paths())).order_by("path"))


@dataclass(frozen=True)
class SectionLink:
    """A section as the header and footer of every page link it (``section_links``)."""

    pk: int
    title: str
    url: str | None


def section_links() -> tuple[SectionLink, ...]:
    """``section_menu()``'s sections (built from the kept menu, which the article's detail reads
    too: no query of their own) with their addresses worked out when they are kept, per version
    of the content (which a change of the page tree or of a site bumps): every page's header and
    footer link them, and Wagtail works a page's address out again on each ``.url``."""
    return fragment("section-links", ["content"], _section_links)


def _section_links() -> tuple[SectionLink, ...]:
    return tuple(SectionLink(pk=s.pk, title=s.title, url=s.url) for s in section_menu())


def section_articles(*, section: SectionPage, page_number: str | int | None) -> PaginatorPage:
    return paginate(article_cards().filter(section=section), page_number=page_number)


@dataclass
class ArticleDetail:
    byline: list[Author]
    tags: list[Tag]
    corrections: list[ArticleCorrection]
    # Related coverage, newest first (computed on publish: related.py).
    related: list[ArticlePage] = field(default_factory=list)
    # Every live, public language version of the story, this one included, original first;
    # empty when the article has no translations.
    translations: list[ArticlePage] = field(default_factory=list)
    # The lead image with the renditions the page asks for, and the section.
    lead_image: Any = None
    section: SectionPage | None = None


def article_related_and_translations(
    *, article: ArticlePage
) -> tuple[list[ArticlePage], list[ArticlePage]]:
    """In one query: the stored related coverage that is still live and public, newest first,
    and the live, public language versions of ``article``'s story, the original first (empty
    unless there are at least two and ``article`` is one of them)."""
    original_id = article.translation_of_id or article.pk
    chosen = RelatedArticle.objects.filter(article_id=article.pk)
    rows = list(
        with_live_now(
            public(ArticlePage.objects.live(), restricted=list(restricted_tree_paths())).filter(
                Q(pk__in=chosen.values("related_id"))
                | Q(pk=original_id)
                | Q(translation_of_id=original_id)
            )
        )
        .annotate(is_related=Exists(chosen.filter(related_id=OuterRef("pk"))))
        .select_related("section")
        .defer("body", "body_text")
    )
    related = sorted(
        (r for r in rows if r.is_related),
        key=lambda r: (r.first_published_at is not None, r.first_published_at, r.pk),
        reverse=True,
    )
    versions = [r for r in rows if r.pk == original_id or r.translation_of_id == original_id]
    return related, _language_versions(article, versions)


def _language_versions(article: ArticlePage, versions: list[ArticlePage]) -> list[ArticlePage]:
    versions = sorted(versions, key=lambda v: (v.translation_of_id is not None, v.language, v.pk))
    # One version per language: the original, then the oldest translation.
    by_language: dict[str, ArticlePage] = {}
    for version in versions:
        by_language.setdefault(version.language, version)
    versions = list(by_language.values())
    if len(versions) < 2 or article.pk not in {v.pk for v in versions}:
        return []
    return versions


def article_detail(*, article: ArticlePage) -> ArticleDetail:
    """What the article page shows beside its own fields. Works on a preview (unsaved) page too.

    For a stored article read from the database (not a preview: that one carries its byline,
    tags and corrections in memory) it is kept per version of the content and of the article
    (``core.fragments``; related coverage is refreshed under the article's version) and read
    only when something asks for it (``kept_detail``): the page's template uses it inside its
    kept HTML only. The detail's ``lead_image`` and ``section`` are the article's, in every
    case."""
    if not article.pk:
        return ArticleDetail(
            byline=[entry.author for entry in article.byline.all()],
            tags=list(article.tags.all()),
            corrections=sorted(article.corrections.all(), key=lambda c: c.noted_at),
            lead_image=article.lead_image,
            section=article.section,
        )
    if getattr(article, "_cluster_related_objects", None):
        return _article_detail(article)
    return kept_detail(article, "article-detail", lambda: _article_detail(article))


def kept_detail(
    article: ArticlePage, kind: str, build: Callable[[], ArticleDetail]
) -> ArticleDetail:
    """``build()``'s detail of ``article``, kept per version of the content and of the page
    (``core.fragments``) under ``kind``, read the first time something asks for it (Django's
    ``SimpleLazyObject``). A page whose template uses it only inside its kept HTML
    (``{% article_fragment %}``, ``{% live_fragment %}``) never reads it while that HTML is
    kept: unpickling it was a tenth of a warm article's CPU (docs/decisions/0091, "The
    detail"). Once read, the lead image and section it holds are set on ``article`` too, so
    the structured data reads them from nowhere; a template asks for ``detail.section`` and
    ``detail.lead_image``, not the page's: those would be a query while the detail is unread."""

    def read() -> ArticleDetail:
        detail = fragment(
            f"{kind}:{article.pk}:{article.lead_image_id}:{article.section_id}",
            ["content", f"article:{article.pk}"],
            build,
        )
        if detail.lead_image is not None and detail.lead_image.pk == article.lead_image_id:
            article.lead_image = detail.lead_image
        if detail.section is not None and detail.section.pk == article.section_id:
            article.section = detail.section
        return detail

    return cast(ArticleDetail, SimpleLazyObject(read))


def _article_detail(article: ArticlePage) -> ArticleDetail:
    related, translations = article_related_and_translations(article=article)
    lead_image = (
        get_image_model().objects.filter(pk=article.lead_image_id).first()
        if article.lead_image_id
        else None
    )
    return ArticleDetail(
        byline=[entry.author for entry in article.byline.select_related("author")],
        tags=list(article.tags.all()),
        corrections=sorted(article.corrections.all(), key=lambda c: c.noted_at),
        related=related,
        translations=translations,
        lead_image=lead_image,
        section=_section(article.section_id),
    )


def _section(section_id: int | None) -> SectionPage | None:
    """The section from the kept sections menu (no query), or read when it is not in it."""
    if section_id is None:
        return None
    for section in section_menu():
        if section.pk == section_id:
            return section
    return SectionPage.objects.filter(pk=section_id).first()


@dataclass
class Listing:
    title: str
    page: PaginatorPage
    author: Author | None = None
    tag: Tag | None = None


def author_page(*, slug: str, page_number: str | int | None) -> Listing | None:
    author = (
        Author.objects.select_related("photo").prefetch_related("links").filter(slug=slug).first()
    )
    if author is None:
        return None
    articles = article_cards().filter(byline__author=author)
    return Listing(
        title=author.name, author=author, page=paginate(articles, page_number=page_number)
    )


def tag_page(*, slug: str, page_number: str | int | None) -> Listing | None:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        return None
    articles = article_cards().filter(tagged_items__tag=tag)
    return Listing(title=tag.name, tag=tag, page=paginate(articles, page_number=page_number))


# --- Site search -----------------------------------------------------------------------------


@dataclass
class SearchHit:
    article: ArticlePage
    snippet: SafeString


@dataclass
class SearchResults:
    """One page of search results. ``count`` stops at SEARCH_COUNT_CAP (``count_capped``)."""

    terms: list[Term]
    hits: list[SearchHit]
    number: int
    per_page: int
    count: int
    count_capped: bool
    suggestion: str | None = None

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.hits else 0


def search_suggestion(*, terms: list[Term]) -> str | None:
    """ "Did you mean": the query with unknown words replaced by close vocabulary words."""
    if not terms:
        return None
    lengths = {len(term.forms[-1]) for term in terms}
    initials = {term.forms[-1][:1] for term in terms}
    rows = SearchTerm.objects.filter(
        initial__in=initials, length__gte=min(lengths) - 2, length__lte=max(lengths) + 2
    ).values_list("initial", "word")
    vocabulary: dict[str, list[str]] = {}
    for initial, word in rows:
        vocabulary.setdefault(initial, []).append(word)
    return suggest(terms, vocabulary)


def article_search(
    *,
    query: str,
    filters: SearchFilters | None = None,
    page_number: str | int | None = None,
    per_page: int | None = None,
) -> SearchResults:
    """Live, public articles matching every word of ``query`` (headline, standfirst, body,
    tags, authors; Arabic normalised), best match or newest first, with highlighted snippets.

    A fixed number of queries per page whatever the archive's size: the count (capped), the
    page of ids, the cards with their byline and images; a suggestion lookup when nothing
    matched. Any text is accepted: nothing of it reaches the database as syntax.
    """
    filters = filters or SearchFilters()
    per_page = per_page or settings.DATELINE_SECTION_PAGE_SIZE
    terms = parse_query(query)
    if not terms:
        return SearchResults(
            terms=[], hits=[], number=1, per_page=per_page, count=0, count_capped=False
        )
    ids, number, count, capped = search_ids(
        terms=terms, filters=filters, page_number=page_number, per_page=per_page
    )
    # The ids are of live articles outside any view restriction already (search_ids).
    cards = (
        {
            card.pk: card
            for card in _with_card_parts(ArticlePage.objects.filter(pk__in=ids)).defer("body")
        }
        if ids
        else {}
    )
    hits = []
    for pk in ids:
        card = cards.get(pk)
        if card is None:
            continue
        text = card.body_text if highlight_matches(card.body_text, terms) else card.standfirst
        hits.append(SearchHit(article=card, snippet=highlight(text or card.body_text, terms)))
    return SearchResults(
        terms=terms,
        hits=hits,
        number=number,
        per_page=per_page,
        count=count,
        count_capped=capped,
        suggestion=search_suggestion(terms=terms) if count == 0 else None,
    )


def author_profile_of(*, user: Any) -> Author | None:
    """The writer's own author profile (``Author.user``), if they have one."""
    return Author.objects.filter(user=user).first()


def page_scheduled_go_live(*, page_id: int) -> datetime | None:
    """When the page's newest revision is approved to go live later (scheduled by "Publish" or
    "Approve and Publish" with a go-live time to come), that time; otherwise None. One query."""
    newest = Page.objects.filter(pk=page_id).values("latest_revision_id")
    return (
        Revision.objects.filter(pk=Subquery(newest), approved_go_live_at__gt=timezone.now())
        .values_list("approved_go_live_at", flat=True)
        .first()
    )


# --- The newsroom's dashboard ------------------------------------------------------------------

# Each dashboard list shows the newest few; the rest are a click away in the page explorer.
DESK_LIMIT = 10


@dataclass(frozen=True)
class ReviewItem:
    page: Page
    state: WorkflowState


@dataclass(frozen=True)
class NewsroomDesk:
    """A writer's corner of the dashboard: their drafts, where they may write, what is in review."""

    drafts: list[Page]
    sections: list[SectionPage]
    in_review: list[ReviewItem]

    def __bool__(self) -> bool:
        return bool(self.drafts or self.sections or self.in_review)


def _page_workflow_states() -> QuerySet[WorkflowState]:
    # Pages' workflow states name the base Page content type (a join, not a cached lookup, so
    # the query count does not depend on Django's content-type cache).
    return WorkflowState.objects.active().filter(
        base_content_type__app_label="wagtailcore", base_content_type__model="page"
    )


def newsroom_desk(*, user: Any) -> NewsroomDesk:
    """What ``user`` writes: pages they own or last edited that are not live and not in review
    (newest first), the live sections they may add an article to, and their pages in the review
    workflow (requested by them or owned by them) with the workflow's state. Five queries at most,
    whatever the numbers of drafts, sections and reviews."""
    in_workflow = _page_workflow_states().filter(object_id=Cast(OuterRef("pk"), CharField()))
    drafts = list(
        Page.objects.filter(Q(owner=user) | Q(latest_revision__user=user), live=False)
        .exclude(Exists(in_workflow))
        .order_by("-latest_revision_created_at", "-pk")[:DESK_LIMIT]
    )
    addable = page_permission_policy.instances_user_has_permission_for(user, "add")
    sections = list(SectionPage.objects.live().filter(pk__in=addable.values("pk")).order_by("path"))
    owned = Page.objects.filter(owner=user, pk=Cast(OuterRef("object_id"), IntegerField()))
    states = list(
        _page_workflow_states()
        .filter(Q(requested_by=user) | Exists(owned))
        .select_related("current_task_state__task")
        .order_by("-current_task_state__started_at", "-pk")[:DESK_LIMIT]
    )
    pages = Page.objects.in_bulk([int(state.object_id) for state in states])
    in_review = [
        ReviewItem(page=pages[int(state.object_id)], state=state)
        for state in states
        if int(state.object_id) in pages
    ]
    return NewsroomDesk(drafts=drafts, sections=sections, in_review=in_review)
