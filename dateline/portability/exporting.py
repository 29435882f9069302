"""The paper as a WordPress export (WXR 1.2), written as it is read from the database.

The file holds what a newsroom needs to move elsewhere: sections as categories, tags, authors,
articles (what readers see; a draft's latest revision), the images they use as attachments, and
every comment with its status, date, thread and the commenter's email address. It is the
operator's own file for a migration; it is never published.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import lxml.html
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from lxml import etree
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from dateline.comments.models import Comment
from dateline.core.links import base_url, page_absolute_url
from dateline.live.models import LivePage, LiveUpdate
from dateline.news.models import ArticlePage, Author, HomePage, SectionPage

from . import wp_blocks
from .comment_text import comment_html_for_export
from .html import RICHTEXT_CLASS
from .summary import Summary

WP = "http://wordpress.org/export/1.2/"
NSMAP = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": WP,
}
WP_STATUS: dict[str, str] = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}
ZERO_DATE = "0000-00-00 00:00:00"


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def _add(parent: Any, name: str, text: str | int | None = "", *, cdata: bool = False) -> Any:
    element = etree.SubElement(parent, _q(name) if ":" in name else name)
    value = "" if text is None else str(text)
    element.text = etree.CDATA(value) if cdata and value else value
    return element


def _gmt(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else ZERO_DATE


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ZERO_DATE


def _rfc822(moment: datetime | None) -> str:
    from email.utils import format_datetime

    return format_datetime(moment.astimezone(UTC)) if moment else ""


class _Body:
    """Article blocks as WordPress HTML, noting the images they use."""

    def __init__(self, site_url: str, image_ids: set[int], attachment_id: Callable[[int], int]):
        self.site_url = site_url
        self.image_ids = image_ids
        self.attachment_id = attachment_id

    def image_url(self, image: Any) -> str:
        return self.site_url + image.file.url

    def html(self, body: Any) -> str:
        parts = []
        for block in body:
            kind, value = block.block_type, block.value
            if kind == "paragraph":
                parts.append(self.rich_text(expand_db_html(value.source)))
            elif kind == "heading":
                parts.append(f"<h2>{escape(str(value), quote=False)}</h2>")
            elif kind == "quote":
                paragraphs = "".join(
                    f"<p>{escape(p, quote=False)}</p>"
                    for p in str(value["text"]).split("\n\n")
                    if p.strip()
                )
                cite = (
                    f"<cite>{escape(value['attribution'], quote=False)}</cite>"
                    if value["attribution"]
                    else ""
                )
                parts.append(f"<blockquote>{paragraphs}{cite}</blockquote>")
            elif kind == "image" and value["image"] is not None:
                image = value["image"]
                self.image_ids.add(image.pk)
                caption = escape(value["caption"] or "", quote=False)
                if value["credit"]:
                    caption += f"<cite>{escape(value['credit'], quote=False)}</cite>"
                figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
                parts.append(
                    f'<figure class="wp-block-image"><img class="wp-image-{self.attachment_id(image.pk)}" '
                    f'src="{escape(self.image_url(image))}" alt="{escape(image.title)}"/>{figcaption}</figure>'
                )
            elif kind == "embed" and value["embed"] is not None:
                caption = escape(value["caption"] or "", quote=False)
                figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
                parts.append(
                    f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
                    f"{escape(value['embed'].url, quote=False)}</div>{figcaption}</figure>"
                )
            elif kind in RICHER_BLOCKS:
                html = RICHER_BLOCKS[kind](value, self)
                if html:
                    parts.append(html)
        return "\n\n".join(parts)

    @staticmethod
    def rich_text(html: str) -> str:
        """One paragraph block. Several top-level elements are wrapped, so the block comes back
        as one block."""
        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except (etree.ParserError, ValueError):
            return html
        if len(root) == 1 and not (root.text or "").strip() and not (root[0].tail or "").strip():
            return html
        return f'<div class="{RICHTEXT_CLASS}">{html}</div>'


def _expanded(value: Any) -> str:
    return expand_db_html(value.source)


# The blocks with a WordPress equivalent, and the others as marked HTML (wp_blocks).
RICHER_BLOCKS: dict[str, Callable[[Any, _Body], str]] = {
    "gallery": wp_blocks.gallery_html,
    "table": lambda value, _: wp_blocks.table_html(value, _expanded),
    "pull_quote": lambda value, _: wp_blocks.pull_quote_html(value),
    "fact_box": lambda value, _: wp_blocks.fact_box_html(value, _expanded),
    "timeline": lambda value, _: wp_blocks.timeline_html(value),
    "related_link": lambda value, _: wp_blocks.related_link_html(value, page_absolute_url),
}


class _Writer:
    def __init__(self, xf: Any, summary: Summary) -> None:
        self.xf = xf
        self.summary = summary
        self.site_url = base_url()
        self.image_ids: set[int] = set()
        self.offset = (Page.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.body = _Body(self.site_url, self.image_ids, self.attachment_id)
        # A tag named as a section files the story under that section too: WordPress's
        # second category (the import makes it a tag again).
        self.section_names = dict(SectionPage.objects.values_list("slug", "title"))
        # The front page's lead travels as WordPress's sticky flag (the import reads it back).
        self.leads = set(
            HomePage.objects.filter(lead_article__isnull=False).values_list(
                "lead_article_id", flat=True
            )
        )
        # WordPress has no live coverage: a live page goes as a post whose content carries its
        # key points and its published updates, newest first, as its readers last saw them.
        self.live_ids = set(LivePage.objects.values_list("pk", flat=True))

    def attachment_id(self, image_pk: int) -> int:
        # Post ids are shared by posts and attachments: images count on from the last page.
        return self.offset + image_pk

    def write(self, element: Any) -> None:
        self.xf.write(element)
        self.xf.write("\n")

    def channel_head(self) -> None:
        head = etree.Element("channel", nsmap=NSMAP)
        _add(head, "title", settings.SITE_NAME)
        _add(head, "link", self.site_url)
        _add(head, "description", "")
        _add(head, "pubDate", _rfc822(timezone.now()))
        _add(head, "language", settings.LANGUAGE_CODE)
        _add(head, "wp:wxr_version", "1.2")
        _add(head, "wp:base_site_url", self.site_url)
        _add(head, "wp:base_blog_url", self.site_url)
        for child in head:
            self.write(child)

    def authors(self) -> None:
        for author in Author.objects.order_by("pk").iterator():
            element = etree.Element(_q("wp:author"), nsmap=NSMAP)
            _add(element, "wp:author_id", author.pk)
            _add(element, "wp:author_login", author.slug, cdata=True)
            _add(element, "wp:author_email", "")
            _add(element, "wp:author_display_name", author.name, cdata=True)
            _add(element, "wp:author_first_name", "")
            _add(element, "wp:author_last_name", "")
            self.write(element)
            self.summary.created["authors"] += 1

    def terms(self) -> None:
        for section in SectionPage.objects.order_by("path").iterator():
            element = etree.Element(_q("wp:category"), nsmap=NSMAP)
            _add(element, "wp:term_id", section.pk)
            _add(element, "wp:category_nicename", section.slug, cdata=True)
            _add(element, "wp:category_parent", "")
            _add(element, "wp:cat_name", section.title, cdata=True)
            if section.description:
                _add(element, "wp:category_description", section.description, cdata=True)
            self.write(element)
            self.summary.created["categories"] += 1
        tags = Tag.objects.filter(news_articletag_items__isnull=False).distinct().order_by("pk")
        for tag in tags.iterator():
            element = etree.Element(_q("wp:tag"), nsmap=NSMAP)
            _add(element, "wp:term_id", tag.pk)
            _add(element, "wp:tag_slug", tag.slug, cdata=True)
            _add(element, "wp:tag_name", tag.name, cdata=True)
            self.write(element)
            self.summary.created["tags"] += 1

    def _state(self, article: ArticlePage) -> tuple[str, ArticlePage, datetime | None]:
        if article.live:
            return "publish", article, article.first_published_at
        scheduled = article.scheduled_revision
        if scheduled is not None:
            return "future", scheduled.as_object(), scheduled.approved_go_live_at
        if article.latest_revision_id:
            return "draft", article.get_latest_revision_as_object(), None
        return "draft", article, None

    def article(self, article: ArticlePage) -> None:
        status, content, date = self._state(article)
        link = page_absolute_url(article)
        item = etree.Element("item", nsmap=NSMAP)
        _add(item, "title", content.title, cdata=True)
        _add(item, "link", link)
        _add(item, "pubDate", _rfc822(date))
        for entry in content.byline.all():
            _add(item, "dc:creator", entry.author.slug, cdata=True)
        guid = _add(item, "guid", link)
        guid.set("isPermaLink", "false")
        _add(item, "description", "")
        html = self.body.html(content.body)
        if article.pk in self.live_ids:
            html += self.live_coverage(article.pk)
        _add(item, "content:encoded", html, cdata=True)
        _add(item, "excerpt:encoded", content.standfirst, cdata=True)
        _add(item, "wp:post_id", article.pk)
        draft_date = article.latest_revision_created_at if status == "draft" else date
        _add(item, "wp:post_date", _local(draft_date))
        _add(item, "wp:post_date_gmt", _gmt(date))
        modified = article.last_published_at if status == "publish" else date
        _add(item, "wp:post_modified", _local(modified))
        _add(item, "wp:post_modified_gmt", _gmt(modified))
        _add(item, "wp:comment_status", content.comment_status)
        _add(item, "wp:ping_status", "closed")
        _add(item, "wp:post_name", content.slug, cdata=True)
        _add(item, "wp:status", status)
        _add(item, "wp:post_parent", 0)
        _add(item, "wp:menu_order", 0)
        _add(item, "wp:post_type", "post")
        _add(item, "wp:post_password", "")
        _add(item, "wp:is_sticky", 1 if article.pk in self.leads else 0)
        parent = article.get_parent()
        section = parent.specific if parent is not None else None
        if isinstance(section, SectionPage):
            category = _add(item, "category", section.title, cdata=True)
            category.set("domain", "category")
            category.set("nicename", section.slug)
        for tag in content.tags.all():
            if tag.slug in self.section_names and not (section and tag.slug == section.slug):
                element = _add(item, "category", self.section_names[tag.slug], cdata=True)
                element.set("domain", "category")
            else:
                element = _add(item, "category", tag.name, cdata=True)
                element.set("domain", "post_tag")
            element.set("nicename", tag.slug)
        meta = {
            "_dateline_place": content.dateline_place,
            "_dateline_language": content.language,
        }
        if content.lead_image is not None:
            self.image_ids.add(content.lead_image.pk)
            meta["_thumbnail_id"] = str(self.attachment_id(content.lead_image.pk))
            meta["_dateline_lead_image_caption"] = content.lead_image_caption
            meta["_dateline_lead_image_credit"] = content.lead_image_credit
        for key, value in meta.items():
            if value:
                postmeta = _add(item, "wp:postmeta")
                _add(postmeta, "wp:meta_key", key, cdata=True)
                _add(postmeta, "wp:meta_value", value, cdata=True)
        for comment in Comment.objects.filter(article_id=article.pk).order_by("path").iterator():
            self.comment(item, comment)
        self.write(item)
        self.summary.created[f"articles ({status})"] += 1

    def live_coverage(self, page_id: int) -> str:
        """A live page's key points and published updates as HTML after its body: each update
        a heading with its time (and headline), its writer, and its body as the page shows it."""
        page = LivePage.objects.get(pk=page_id)
        parts = []
        if page.key_points:
            parts.append(
                f"<h2>Key points</h2>{self.body.rich_text(expand_db_html(page.key_points))}"
            )
        updates = (
            LiveUpdate.objects.published()
            .filter(page_id=page_id)
            .select_related("author")
            .order_by("-published_at", "-id")
        )
        for n, update in enumerate(updates.iterator()):
            if n == 0:
                parts.append("<h2>Updates</h2>")
            moment = timezone.localtime(update.published_at)
            heading = escape(moment.strftime("%-d %B %Y, %H:%M"), quote=False)
            if update.headline:
                heading += " – " + escape(update.headline, quote=False)
            parts.append(f"<h3>{heading}</h3>")
            if update.author is not None:
                parts.append(f"<p><em>{escape(update.author.name, quote=False)}</em></p>")
            parts.append(update.body_html)
            self.summary.counts["live updates written into their page's post"] += 1
        return "".join(parts)

    def comment(self, item: Any, comment: Comment) -> None:
        element = _add(item, "wp:comment")
        _add(element, "wp:comment_id", comment.pk)
        _add(element, "wp:comment_author", comment.author_name, cdata=True)
        _add(element, "wp:comment_author_email", comment.author_email, cdata=True)
        _add(element, "wp:comment_author_url", comment.author_url)
        # Only the network prefix is kept, and only for a while: no address to export.
        _add(element, "wp:comment_author_IP", "")
        _add(element, "wp:comment_date", _local(comment.created_at))
        _add(element, "wp:comment_date_gmt", _gmt(comment.created_at))
        _add(element, "wp:comment_content", comment_html_for_export(comment.body), cdata=True)
        _add(element, "wp:comment_approved", WP_STATUS.get(comment.status, "0"))
        _add(element, "wp:comment_type", "comment")
        _add(element, "wp:comment_parent", comment.in_reply_to_id or comment.parent_id or 0)
        _add(element, "wp:comment_user_id", 0)
        self.summary.created["comments"] += 1

    def attachments(self) -> None:
        Image = get_image_model()
        for image in Image.objects.filter(pk__in=sorted(self.image_ids)).order_by("pk"):
            url = self.body.image_url(image)
            item = etree.Element("item", nsmap=NSMAP)
            _add(item, "title", image.title, cdata=True)
            _add(item, "link", url)
            _add(item, "guid", url).set("isPermaLink", "false")
            _add(item, "wp:post_id", self.attachment_id(image.pk))
            _add(item, "wp:post_date", _local(image.created_at))
            _add(item, "wp:post_date_gmt", _gmt(image.created_at))
            _add(item, "wp:post_name", Path(image.file.name).stem, cdata=True)
            _add(item, "wp:status", "inherit")
            _add(item, "wp:post_parent", 0)
            _add(item, "wp:post_type", "attachment")
            _add(item, "wp:attachment_url", url)
            self.write(item)
            self.summary.created["attachments"] += 1


def wxr_export(*, path: Path, progress: Callable[[int, int], None] | None = None) -> Summary:
    """Write every article (with its comments), section, tag, author and used image to
    ``path`` as WXR 1.2, one article at a time. Comment emails are included: the file is for
    the operator's own migration. Raises OSError when the file cannot be written."""
    started = time.monotonic()
    summary = Summary()
    total = ArticlePage.objects.count()
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("rss", nsmap=NSMAP, version="2.0"):
            xf.write("\n")
            with xf.element("channel"):
                xf.write("\n")
                writer = _Writer(xf, summary)
                writer.channel_head()
                writer.authors()
                writer.terms()
                articles = (
                    ArticlePage.objects.order_by("path")
                    .select_related("lead_image")
                    .iterator(chunk_size=200)
                )
                for done, article in enumerate(articles, start=1):
                    writer.article(article)
                    xf.flush()
                    if progress is not None:
                        progress(done, total)
                writer.attachments()
    summary.seconds = time.monotonic() - started
    return summary
