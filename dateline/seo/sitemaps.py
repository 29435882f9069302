"""Sitemaps: an index at /sitemap.xml, one sitemap per section (paged at 50,000 URLs), one for
the front page, sections, authors and topics, and a Google News sitemap of the last 48 hours.

Every ``<loc>`` is percent-encoded, as the sitemap protocol asks: an Arabic topic or headline
makes an address of Arabic letters ("/tags/مياه/"), which a crawler may drop as it stands."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from dateline.news.models import ArticlePage, Author, SectionPage, Tag

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class SectionArticles(Sitemap[Any]):
    limit = 50_000
    protocol = None  # follow the request

    def __init__(self, section: SectionPage) -> None:
        self.section = section

    def items(self) -> Any:
        return (
            ArticlePage.objects.live()
            .public()
            .filter(section=self.section)
            .only(
                "url_path", "last_published_at", "latest_revision_created_at", "first_published_at"
            )
            .order_by("-first_published_at", "pk")
        )

    def location(self, item: ArticlePage) -> str:
        return iri_to_uri(item.get_url() or "/")

    def lastmod(self, item: ArticlePage) -> datetime | None:
        return item.last_published_at or item.first_published_at


class Pages(Sitemap[Any]):
    """The front page, sections, authors and topics."""

    protocol = None

    def items(self) -> list[tuple[str, datetime | None]]:
        live = ArticlePage.objects.live().public()
        newest = live.aggregate(m=Max("last_published_at"))["m"]
        entries: list[tuple[str, datetime | None]] = [("/", newest)]
        per_section = dict(live.values_list("section_id").annotate(m=Max("last_published_at")))
        entries += [
            (s.url or "/", per_section.get(s.pk))
            for s in SectionPage.objects.live().public().order_by("path")
        ]
        per_author = dict(
            live.values_list("byline__author_id").annotate(m=Max("last_published_at"))
        )
        entries += [
            (a.get_url(), per_author.get(a.pk))
            for a in Author.objects.filter(pk__in=[k for k in per_author if k])
        ]
        per_tag = dict(
            live.values_list("tagged_items__tag_id").annotate(m=Max("last_published_at"))
        )
        entries += [
            (f"/tags/{t.slug}/", per_tag.get(t.pk))
            for t in Tag.objects.filter(pk__in=[k for k in per_tag if k])
        ]
        return entries

    def location(self, item: tuple[str, datetime | None]) -> str:
        return iri_to_uri(item[0])

    def lastmod(self, item: tuple[str, datetime | None]) -> datetime | None:
        return item[1]


class GoogleNews(Sitemap[Any]):
    limit = NEWS_LIMIT
    protocol = None

    def items(self) -> Any:
        since = timezone.now() - NEWS_WINDOW
        return (
            ArticlePage.objects.live()
            .public()
            .filter(first_published_at__gte=since)
            .only("title", "url_path", "language", "first_published_at", "last_published_at")
            .order_by("-first_published_at")
        )

    def location(self, item: ArticlePage) -> str:
        return iri_to_uri(item.get_url() or "/")

    def lastmod(self, item: ArticlePage) -> datetime | None:
        return item.last_published_at


def sitemaps() -> dict[str, type[Sitemap[Any]] | Sitemap[Any]]:
    found: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {"pages": Pages()}
    for section in SectionPage.objects.live().public().order_by("path"):
        found[f"section-{section.slug}"] = SectionArticles(section)
    found["news"] = GoogleNews()
    return found
