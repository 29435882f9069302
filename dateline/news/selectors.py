"""Reads of the newsroom's content, each with its joins, so a page costs a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from wagtail.images import get_image_model

from .models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    Author,
    HomePage,
    SectionPage,
    Tag,
)

# Renditions listings and article pages ask for; prefetched so rendering does not query.
CARD_RENDITIONS = ["fill-400x225", "fill-800x450"]
LEAD_RENDITIONS = ["width-400", "width-800", "width-1200", "width-1600"]


def _images(specs: list[str]) -> QuerySet[Any]:
    return get_image_model().objects.prefetch_renditions(*specs)


def article_cards(*, renditions: list[str] | None = None) -> QuerySet[ArticlePage]:
    """Live, public articles with what a listing shows: section, byline, lead image, newest first."""
    return (
        ArticlePage.objects.live()
        .public()
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


@dataclass
class FrontPage:
    lead: ArticlePage | None
    sections: list[tuple[SectionPage, list[ArticlePage]]] = field(default_factory=list)
    latest: list[ArticlePage] = field(default_factory=list)


def front_page(*, home: HomePage) -> FrontPage:
    """The lead story (the editors' choice, or the newest), the newest few per section and the
    latest news. Four queries, whatever the size of the archive."""
    per_section = settings.DATELINE_HOME_PER_SECTION
    latest = list(
        article_cards(renditions=[*CARD_RENDITIONS, "fill-1200x675"])[
            : settings.DATELINE_HOME_LATEST + 1
        ]
    )
    lead = None
    if home.lead_article_id:
        lead = next((a for a in latest if a.pk == home.lead_article_id), None)
        if lead is None:
            lead = (
                article_cards(renditions=["fill-1200x675", "fill-800x450"])
                .filter(pk=home.lead_article_id)
                .first()
            )
    if lead is None and latest:
        lead = latest[0]
    ranked = (
        article_cards()
        .annotate(
            section_rank=Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("first_published_at").desc(), F("pk").desc()],
            )
        )
        .filter(section_rank__lte=per_section + 1)
    )
    by_section: dict[int, list[ArticlePage]] = {}
    for article in ranked:
        if lead is not None and article.pk == lead.pk:
            continue
        by_section.setdefault(article.section_id or 0, []).append(article)
    sections = [(s, by_section.get(s.pk, [])[:per_section]) for s in section_menu(home=home)]
    return FrontPage(
        lead=lead,
        sections=[(s, articles) for s, articles in sections if articles],
        latest=[a for a in latest if lead is None or a.pk != lead.pk][
            : settings.DATELINE_HOME_LATEST
        ],
    )


def section_menu(*, home: HomePage | None = None) -> list[SectionPage]:
    """The live sections in the editors' order (the page tree's order), for navigation."""
    qs = SectionPage.objects.live().public()
    if home is not None:
        qs = qs.child_of(home)
    return list(qs.order_by("path"))


def section_articles(*, section: SectionPage, page_number: str | int | None) -> PaginatorPage:
    return paginate(article_cards().filter(section=section), page_number=page_number)


@dataclass
class ArticleDetail:
    byline: list[Author]
    tags: list[Tag]
    corrections: list[ArticleCorrection]


def article_detail(*, article: ArticlePage) -> ArticleDetail:
    """What the article page shows beside its own fields. Works on a preview (unsaved) page too."""
    byline = (
        [entry.author for entry in article.byline.select_related("author")]
        if article.pk
        else [entry.author for entry in article.byline.all()]
    )
    return ArticleDetail(
        byline=byline,
        tags=list(article.tags.all()),
        corrections=sorted(article.corrections.all(), key=lambda c: c.noted_at),
    )


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


_SEARCH_NOISE = re.compile(r'["\x00-\x1f\x7f]')


def clean_search_query(query: str) -> str:
    """Words only: quotes and control characters would break the full-text syntax."""
    return " ".join(_SEARCH_NOISE.sub(" ", query).split())[:200]


def article_search(*, query: str, page_number: str | int | None) -> PaginatorPage:
    """Live articles matching ``query``, best match first, as cards (a fixed number of queries)."""
    results = ArticlePage.objects.live().public().search(clean_search_query(query))
    page = paginate(results, page_number=page_number)
    ids = [hit.pk for hit in page.object_list]
    cards = {card.pk: card for card in article_cards().filter(pk__in=ids)}
    page.object_list = [cards[pk] for pk in ids if pk in cards]
    return page
