"""RSS 2.0 and Atom with the whole article: ``content:encoded`` and ``media:content`` in RSS,
``<content type="html">`` in Atom."""

from __future__ import annotations

from typing import Any

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date


class FullRssFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"

    def rss_attributes(self) -> dict[str, str]:
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        attrs["xmlns:media"] = "http://search.yahoo.com/mrss/"
        attrs["xmlns:dc"] = "http://purl.org/dc/elements/1.1/"
        return attrs

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        if item.get("updateddate") is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        # The byline is Django's one dc:creator (item_author_name): one more per author made
        # readers list each name twice, and feedparser's "author" is the last dc:creator, so a
        # shared byline showed its second writer alone.
        if item.get("image_url"):
            handler.addQuickElement(
                "media:content",
                "",
                {
                    "url": item["image_url"],
                    "medium": "image",
                    "type": item.get("image_type", "image/jpeg"),
                },
            )


class FullAtomFeed(Atom1Feed):
    content_type = "application/atom+xml; charset=utf-8"

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        for name in (item.get("creators") or [])[1:]:
            handler.startElement("contributor", {})
            handler.addQuickElement("name", name)
            handler.endElement("contributor")
