"""RSS 2.0 and Atom feeds: the whole site, each section, tag and author, and each article's
approved comments. Full content, the lead image, categories, authors, dates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Enclosure, SyndicationFeed

from dateline.comments.bodies import comment_body_html
from dateline.comments.models import Comment
from dateline.core.media import rendition_or_none
from dateline.news.models import ArticleCorrection, ArticlePage, Author, SectionPage, Tag
from dateline.news.rendering import absolute, body_html
from dateline.news.selectors import article_cards

from .generators import FullAtomFeed, FullRssFeed

ITEMS = 20
ENCLOSURE_SPEC = "fill-1200x675"


class Scope:
    """What a feed covers (title, page, articles), and the request's base URL and path.

    The feed classes are shared by every request, so anything taken from a request travels on
    this object (and on each item), never on the feed instance.
    """

    def __init__(
        self, *, title: str, link: str, description: str, articles: QuerySet[ArticlePage]
    ) -> None:
        self.title, self.link, self.description, self.articles = title, link, description, articles
        self.base, self.path = "", ""


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}" if request.get_host() else settings.SITE_URL


def _item_base(item: ArticlePage) -> str:
    return str(getattr(item, "_feed_base", settings.SITE_URL))


class ArticleFeed(Feed):
    feed_type: type[SyndicationFeed] = FullRssFeed
    kind = "rss"

    # --- the scope -----------------------------------------------------------------------
    def get_object(self, request: HttpRequest, scope: str = "site", slug: str = "") -> Scope:
        found = self._scope(scope, slug)
        found.base, found.path = _base(request), request.get_full_path()
        return found

    def _scope(self, scope: str, slug: str) -> Scope:
        articles = article_cards(renditions=[ENCLOSURE_SPEC]).prefetch_related(
            "tags", Prefetch("corrections", queryset=ArticleCorrection.objects.order_by("noted_at"))
        )
        name = settings.SITE_NAME
        if scope == "site":
            return Scope(
                title=name, link="/", description=f"The latest news from {name}.", articles=articles
            )
        if scope == "section":
            section = SectionPage.objects.live().public().filter(slug=slug).first()
            if section is None:
                raise Http404
            return Scope(
                title=f"{section.title} · {name}",
                link=section.url or "/",
                description=section.description or f"{section.title} from {name}.",
                articles=articles.filter(section=section),
            )
        if scope == "tag":
            tag = Tag.objects.filter(slug=slug).first()
            if tag is None:
                raise Http404
            return Scope(
                title=f"{tag.name} · {name}",
                link=f"/tags/{tag.slug}/",
                description=f"Articles on {tag.name} from {name}.",
                articles=articles.filter(tagged_items__tag=tag),
            )
        if scope == "author":
            author = Author.objects.filter(slug=slug).first()
            if author is None:
                raise Http404
            return Scope(
                title=f"{author.name} · {name}",
                link=author.get_url(),
                description=f"Articles by {author.name}.",
                articles=articles.filter(byline__author=author),
            )
        raise Http404

    def title(self, obj: Scope) -> str:
        return obj.title

    def link(self, obj: Scope) -> str:
        return obj.link

    def description(self, obj: Scope) -> str:
        return obj.description

    subtitle = description

    def feed_url(self, obj: Scope) -> str:
        return obj.path

    def feed_copyright(self, obj: Scope) -> str:
        return f"© {settings.SITE_NAME}"

    def items(self, obj: Scope) -> list[ArticlePage]:
        articles = list(obj.articles[:ITEMS])
        for article in articles:
            article._feed_base = obj.base
        return articles

    # --- each article ----------------------------------------------------------------------
    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.standfirst or item.title

    def item_link(self, item: ArticlePage) -> str:
        return item.get_url() or "/"

    def item_guid(self, item: ArticlePage) -> str:
        return absolute(_item_base(item), item.get_url() or "/")

    item_guid_is_permalink = True

    def item_pubdate(self, item: ArticlePage) -> Any:
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage) -> Any:
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item: ArticlePage) -> str | None:
        names = [entry.author.name for entry in item.byline.all()]
        return ", ".join(names) or None

    def item_author_link(self, item: ArticlePage) -> str | None:
        entries = list(item.byline.all())
        return absolute(_item_base(item), entries[0].author.get_url()) if entries else None

    def item_categories(self, item: ArticlePage) -> list[str]:
        return ([item.section.title] if item.section else []) + [
            tag.name for tag in item.tags.all()
        ]

    def item_enclosures(self, item: ArticlePage) -> list[Enclosure]:
        if item.lead_image is None:
            return []
        rendition = rendition_or_none(item.lead_image, ENCLOSURE_SPEC)
        if rendition is None:
            return []
        try:
            length = rendition.file.size
        except (OSError, ValueError):
            length = 0
        mime = (
            "image/webp"
            if rendition.file.name.endswith(".webp")
            else "image/png"
            if rendition.file.name.endswith(".png")
            else "image/jpeg"
        )
        return [Enclosure(absolute(_item_base(item), rendition.url), str(length), mime)]

    def item_extra_kwargs(self, item: ArticlePage) -> dict[str, Any]:
        extra: dict[str, Any] = {
            "content_html": body_html(
                item, base=_item_base(item), corrections=list(item.corrections.all())
            ),
            "creators": [entry.author.name for entry in item.byline.all()],
        }
        enclosures = self.item_enclosures(item)
        if enclosures:
            extra["image_url"] = enclosures[0].url
            extra["image_type"] = enclosures[0].mime_type
        return extra


class AtomArticleFeed(ArticleFeed):
    feed_type = FullAtomFeed
    kind = "atom"


class CommentFeed(Feed):
    """An article's approved comments, newest first. Names only: never an email address."""

    feed_type: type[SyndicationFeed] = FullRssFeed

    def get_object(self, request: HttpRequest, article_id: int) -> ArticlePage:
        article = ArticlePage.objects.live().public().filter(pk=article_id).first()
        if article is None:
            raise Http404
        article._feed_path = request.get_full_path()
        return article

    def title(self, obj: ArticlePage) -> str:
        return f"Comments on “{obj.title}”"

    def link(self, obj: ArticlePage) -> str:
        return f"{obj.get_url()}#comments"

    def description(self, obj: ArticlePage) -> str:
        return f"The conversation under “{obj.title}” on {settings.SITE_NAME}."

    subtitle = description

    def feed_url(self, obj: ArticlePage) -> str:
        return str(obj._feed_path)

    def items(self, obj: ArticlePage) -> list[Comment]:
        return list(
            Comment.objects.filter(article=obj, status=Comment.Status.APPROVED).order_by(
                "-created_at"
            )[:50]
        )

    def item_title(self, item: Comment) -> str:
        return f"Comment by {item.author_name}"

    def item_description(self, item: Comment) -> str:
        return str(comment_body_html(item))

    def item_link(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Comment) -> Any:
        return item.created_at

    def item_updateddate(self, item: Comment) -> Any:
        return item.edited_at or item.created_at

    def item_author_name(self, item: Comment) -> str:
        return item.author_name

    def item_extra_kwargs(self, item: Comment) -> dict[str, Any]:
        return {"content_html": str(comment_body_html(item))}


class AtomCommentFeed(CommentFeed):
    feed_type = FullAtomFeed
