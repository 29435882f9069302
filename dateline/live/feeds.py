"""A live page's own feed of updates (RSS 2.0 and Atom): its newest published updates, each
linking to its anchor on the page. Kept by the page cache and the front cache until an update
or the content changes."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import strip_tags

from dateline.core.pagecache import page_cache_depends
from dateline.news.rendering import absolute

from .models import LivePage, LiveUpdate, live_dependency
from .selectors import live_updates_latest, public_live_page
from .structured import update_url

TITLE_MAX = 100


class LiveUpdatesFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request: HttpRequest, page_id: int) -> LivePage:
        page = public_live_page(page_id=page_id)
        if page is None:
            raise Http404
        page_cache_depends(request, ["content", live_dependency(page.pk)])
        page._feed_base = f"{request.scheme}://{request.get_host()}"
        page._feed_url = absolute(page._feed_base, page.get_url(request) or "/")
        return page

    def title(self, obj: LivePage) -> str:
        return obj.feed_title

    def link(self, obj: LivePage) -> str:
        return str(obj._feed_url)

    def description(self, obj: LivePage) -> str:
        return obj.standfirst or obj.title

    def items(self, obj: LivePage) -> list[LiveUpdate]:
        updates = live_updates_latest(page=obj)
        for u in updates:
            u._feed_url = update_url(obj._feed_url, u)  # type: ignore[attr-defined]
        return updates

    def item_title(self, item: LiveUpdate) -> str:
        if item.headline:
            return item.headline
        # No headline: the text's start, cut between words and marked as cut.
        text = " ".join(strip_tags(item.body_html).split())
        if len(text) <= TITLE_MAX:
            return text
        return text[: TITLE_MAX + 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"

    def item_description(self, item: LiveUpdate) -> str:
        return item.body_html

    def item_link(self, item: LiveUpdate) -> str:
        return str(item._feed_url)  # type: ignore[attr-defined]

    def item_guid(self, item: LiveUpdate) -> str:
        return str(item._feed_url)  # type: ignore[attr-defined]

    def item_pubdate(self, item: LiveUpdate) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: LiveUpdate) -> datetime:
        return item.updated_at

    def item_author_name(self, item: LiveUpdate) -> str | None:
        return item.author.name if item.author_id and item.author else None


class AtomLiveUpdatesFeed(LiveUpdatesFeed):
    feed_type = Atom1Feed
    subtitle = LiveUpdatesFeed.description
