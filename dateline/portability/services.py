"""Moving in and moving out: WordPress (WXR) and Disqus imports, a WXR export.

Imports read the file twice, streaming: the first pass checks it and gathers the small things
(authors, categories, tags, attachments); the second writes, in one transaction. A malformed
file raises :class:`~dateline.portability.parsing.ExportFileError` before anything is written.
Every imported thing is recorded in :class:`~dateline.portability.models.ImportedObject`, so a
second run of the same file finds it and changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from dateline.comments.models import Comment
from dateline.comments.services import comment_counts_refresh
from dateline.core.pagecache import invalidate
from dateline.news.models import (
    RESERVED_SECTION_SLUGS,
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    SectionPage,
)

from .exporting import wxr_export
from .html import comment_text_from_html, html_to_blocks, html_to_text
from .media import Attachment, Images, mapped_ids, remember
from .models import ImportedObject
from .parsing import (
    DisqusPost,
    DisqusReader,
    DisqusThread,
    ExportFileError,
    WxrAuthor,
    WxrItem,
    WxrReader,
    WxrTerm,
)
from .summary import Summary
from .threads import IncomingComment, comments_import

Progress = Callable[[str, int, int | None], None]
Kind = ImportedObject.Kind

# WordPress's comment_approved → our status.
WP_COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
DEFAULT_CATEGORY = ("uncategorized", "Uncategorized")
# Our own article fields, carried in post meta by our export.
META_PLACE, META_LANGUAGE = "_dateline_place", "_dateline_language"
META_CAPTION, META_CREDIT = "_dateline_lead_image_caption", "_dateline_lead_image_credit"


class _DryRun(Exception):
    pass


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def _slug(value: str, *, fallback: str, max_length: int = 255) -> str:
    return slugify(unquote(value), allow_unicode=True)[:max_length].strip("-") or fallback


# --- WordPress import ----------------------------------------------------------------------------


@dataclass
class _WxrIndex:
    """What the first pass gathers: everything but the items' content."""

    channel: dict[str, str] = field(default_factory=dict)
    authors: list[WxrAuthor] = field(default_factory=list)
    categories: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # slug → (name, description)
    tags: dict[str, str] = field(default_factory=dict)  # slug → name
    attachments: dict[str, Attachment] = field(default_factory=dict)
    items: int = 0
    posts: int = 0


def _wxr_index(path: Path, progress: Progress) -> _WxrIndex:
    reader = WxrReader(path)
    index = _WxrIndex()
    post_ids: dict[str, int] = {}
    for record in reader:
        if isinstance(record, WxrAuthor):
            index.authors.append(record)
        elif isinstance(record, WxrTerm):
            if record.taxonomy == "category":
                index.categories.setdefault(record.slug, (record.name, record.description))
            else:
                index.tags.setdefault(record.slug, record.name)
        elif isinstance(record, WxrItem):
            index.items += 1
            progress("Checking", index.items, None)
            if record.post_type == "attachment" and record.attachment_url:
                index.attachments[record.post_id] = Attachment(
                    line=record.line,
                    attachment_id=record.post_id,
                    url=record.attachment_url,
                    title=record.title,
                    alt=record.meta.get("_wp_attachment_image_alt", "").strip(),
                )
            if record.post_type != "post":
                continue
            index.posts += 1
            if record.post_id in post_ids:
                raise ExportFileError(
                    f"{path.name}, line {record.line}: post {record.post_id} appears twice (first at line {post_ids[record.post_id]})."
                )
            post_ids[record.post_id] = record.line
            if record.status in ("publish", "future") and record.published_at is None:
                raise ExportFileError(
                    f"{path.name}, line {record.line}: the post “{record.title}” is {record.status} but has no date."
                )
            categories = [t for t in record.terms if t[0] == "category" and t[1]]
            for _domain, slug, name in categories:
                index.categories.setdefault(slug, (name or slug, ""))
            if not categories:
                index.categories.setdefault(DEFAULT_CATEGORY[0], (DEFAULT_CATEGORY[1], ""))
            for domain, slug, name in record.terms:
                if domain == "post_tag" and slug:
                    index.tags.setdefault(slug, name or slug)
    index.channel = reader.channel
    return index


def _source_for(channel: dict[str, str], path: Path) -> str:
    site = channel.get("wp:base_blog_url") or channel.get("link") or path.stem
    return ("wxr:" + site.rstrip("/"))[:200]


class _WxrWriter:
    """The second pass: one instance per import, inside its transaction."""

    def __init__(
        self, *, path: Path, home: HomePage, index: _WxrIndex, images: Images, summary: Summary
    ) -> None:
        self.path = path
        self.home = home
        self.index = index
        self.images = images
        self.summary = summary
        self.source = images.source
        self.site = Site.objects.filter(root_page=home).first()
        blog = index.channel.get("wp:base_blog_url") or index.channel.get("link") or ""
        self.blog = urlparse(blog)
        self.authors: dict[str, Author] = {}
        self.sections: dict[str, SectionPage] = {}
        self.tags: dict[str, Tag] = {}
        self.section_slugs: dict[int, set[str]] = {}
        self.touched: set[int] = set()

    # Authors, sections, tags ---------------------------------------------------------------------
    def authors_import(self) -> None:
        known = mapped_ids(self.source, Kind.AUTHOR)
        for record in self.index.authors:
            author = Author.objects.filter(pk=known.get(record.login)).first()
            if author is not None:
                self.summary.existing["authors"] += 1
            else:
                slug = _slug(record.login, fallback="author", max_length=120)
                author = Author.objects.filter(slug=slug).first()
                if author is None:
                    name = record.display_name or " ".join(
                        p for p in (record.first_name, record.last_name) if p
                    )
                    author = Author.objects.create(name=(name or record.login)[:120], slug=slug)
                    self.summary.created["authors"] += 1
                else:
                    self.summary.existing["authors"] += 1
                remember(self.source, Kind.AUTHOR, record.login, author)
            self.authors[record.login] = author

    def sections_import(self) -> None:
        known = mapped_ids(self.source, Kind.CATEGORY)
        children = {s.slug: s for s in SectionPage.objects.child_of(self.home).specific()}
        for nicename, (name, description) in self.index.categories.items():
            section = SectionPage.objects.filter(pk=known.get(nicename)).first()
            if section is not None:
                self.summary.existing["sections"] += 1
            else:
                slug = _slug(nicename, fallback="section")
                if slug in RESERVED_SECTION_SLUGS:
                    self.summary.note(
                        f"The category “{name}” would make a section at /{slug}/, an address the site uses itself; its section is /{slug}-section/."
                    )
                    slug = f"{slug}-section"
                section = children.get(slug)
                if section is None:
                    section = SectionPage(
                        title=(name or nicename)[:255],
                        slug=slug,
                        description=html_to_text(description)[:300],
                    )
                    self.home.add_child(instance=section)
                    section.save_revision().publish(skip_permission_checks=True)
                    children[slug] = section
                    self.summary.created["sections"] += 1
                else:
                    self.summary.existing["sections"] += 1
                remember(self.source, Kind.CATEGORY, nicename, section)
            self.sections[nicename] = section

    def tags_import(self) -> None:
        known = mapped_ids(self.source, Kind.TAG)
        created: set[int] = set()
        for slug, name in self.index.tags.items():
            tag = Tag.objects.filter(pk=known.get(slug)).first()
            if tag is not None:
                self.summary.existing["tags"] += 1
            else:
                tag_slug = _slug(slug, fallback="tag", max_length=100)
                name = (name or slug)[:100]
                tag = (
                    Tag.objects.filter(slug=tag_slug).first()
                    or Tag.objects.filter(name=name).first()
                )
                if tag is None:
                    tag = Tag.objects.create(name=name, slug=tag_slug)
                    self.summary.created["tags"] += 1
                    created.add(tag.pk)
                elif tag.pk in created:
                    self.summary.counts["tag slugs sharing a name with another (one tag)"] += 1
                else:
                    self.summary.existing["tags"] += 1
                remember(self.source, Kind.TAG, slug, tag)
            self.tags[slug] = tag

    # Items --------------------------------------------------------------------------------------
    def items_import(self, progress: Progress) -> None:
        known = mapped_ids(self.source, Kind.POST)
        done = 0
        for record in WxrReader(self.path):
            if not isinstance(record, WxrItem):
                continue
            done += 1
            progress("Importing", done, self.index.items)
            if record.post_type == "attachment":
                continue  # feed the articles' images; imported when an article uses them
            if record.post_type != "post":
                self.summary.skipped[f"{record.post_type} items"] += 1
                continue
            article = ArticlePage.objects.filter(pk=known.get(record.post_id)).first()
            if article is not None:
                self.summary.existing["articles"] += 1
            else:
                article = self.article_create(record)
                remember(self.source, Kind.POST, record.post_id, article)
            self.redirects_create(record, article)
            self.comments_import(record, article)

    def _unique_slug(self, section: SectionPage, wanted: str) -> str:
        taken = self.section_slugs.get(section.pk)
        if taken is None:
            taken = set(section.get_children().values_list("slug", flat=True))
            self.section_slugs[section.pk] = taken
        slug, n = wanted, 1
        while slug in taken:
            n += 1
            slug = f"{wanted[:240]}-{n}"
        taken.add(slug)
        return slug

    def article_create(self, item: WxrItem) -> ArticlePage:
        categories = [slug for domain, slug, _ in item.terms if domain == "category" and slug]
        section = self.sections[categories[0] if categories else DEFAULT_CATEGORY[0]]
        if len(categories) > 1:
            self.summary.counts["posts in several categories (the first is the section)"] += 1
        title = item.title.strip()
        if not title:
            title = "Untitled"
            self.summary.note(
                f"{self.path.name}, line {item.line}: post {item.post_id} has no title; it is called “Untitled”."
            )
        if len(title) > 255:
            title = title[:254] + "…"
        slug = self._unique_slug(
            section,
            _slug(item.post_name, fallback="")[:200]
            or _slug(title, fallback=f"post-{item.post_id}")[:200],
        )
        body = html_to_blocks(item.content, image_for=self.images.for_src)
        if body.images_missing:
            self.summary.counts["images in bodies left out (file not available)"] += (
                body.images_missing
            )
        for tag, n in body.dropped.items():
            self.summary.counts[f"<{tag}> elements left out of bodies"] += n
        lead_image = None
        if item.meta.get("_thumbnail_id", "").strip():
            lead_image = self.images.for_attachment(item.meta["_thumbnail_id"].strip())
        language = item.meta.get(META_LANGUAGE, "").strip() or "en"
        if language not in dict(ArticlePage._meta.get_field("language").choices or []):
            language = "en"
        article = ArticlePage(
            title=title,
            slug=slug,
            standfirst=html_to_text(item.excerpt)[:400],
            dateline_place=item.meta.get(META_PLACE, "").strip()[:80],
            language=language,
            body=body.blocks,
            lead_image=lead_image,
            lead_image_caption=item.meta.get(META_CAPTION, "").strip()[:300] if lead_image else "",
            lead_image_credit=item.meta.get(META_CREDIT, "").strip()[:120] if lead_image else "",
            comment_status=ArticlePage.CommentStatus.CLOSED
            if item.comment_status == "closed"
            else ArticlePage.CommentStatus.OPEN,
            section=section,
            live=False,
        )
        tag_slugs = [slug for domain, slug, _ in item.terms if domain == "post_tag" and slug]
        if tag_slugs:
            article.tags.add(*[self.tags[s] for s in dict.fromkeys(tag_slugs)])
        publish = item.status == "publish" and not item.password
        if item.status == "future":
            article.go_live_at = item.published_at
        section.add_child(instance=article)
        for order, login in enumerate(dict.fromkeys(item.creators)):
            author = self.authors.get(login) or self._author_for_login(login)
            ArticleAuthor.objects.create(article=article, author=author, sort_order=order)
        revision = article.save_revision()
        if item.password:
            self.summary.counts["password-protected posts kept as drafts"] += 1
        if publish or item.status == "future":
            revision.publish(skip_permission_checks=True)
        if (publish or item.status == "future") and item.published_at is not None:
            # Live now (a "future" date may have passed): the original dates, not today's.
            modified = item.modified_at or item.published_at
            ArticlePage.objects.filter(pk=article.pk, live=True).update(
                first_published_at=item.published_at,
                last_published_at=max(modified, item.published_at),
            )
        self.summary.created["articles"] += 1
        self.summary.counts[f"articles {self._state(item)}"] += 1
        return article

    @staticmethod
    def _state(item: WxrItem) -> str:
        if item.status == "publish" and not item.password:
            return "published"
        if item.status == "future":
            return "scheduled"
        return "not published (draft)"

    def _author_for_login(self, login: str) -> Author:
        """A byline naming a login the file does not list among its authors."""
        slug = _slug(login, fallback="author", max_length=120)
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            author = Author.objects.create(name=login[:120], slug=slug)
            self.summary.created["authors"] += 1
        remember(self.source, Kind.AUTHOR, login, author)
        self.authors[login] = author
        return author

    def _old_paths(self, item: WxrItem) -> list[str]:
        urls = []
        if item.link:
            urls.append(item.link)
        root = self.blog.path.rstrip("/")
        urls.append(f"{root}/?p={item.post_id}")
        guid = urlparse(item.guid)
        guid_ids = {v for k, v in parse_qsl(guid.query) if k in ("p", "page_id")}
        # A guid naming another post's id was minted on another site; that id is not ours.
        if (
            guid.scheme in ("http", "https")
            and guid.netloc == self.blog.netloc
            and guid_ids <= {item.post_id}
        ):
            urls.append(item.guid)
        paths = []
        for url in urls:
            old = Redirect.normalise_path(url)
            if old not in ("", "/") and old not in paths:
                paths.append(old)
        return paths

    def redirects_create(self, item: WxrItem, article: ArticlePage) -> None:
        own = Redirect.normalise_path("/" + article.url_path[len(self.home.url_path) :])
        for old_path in self._old_paths(item):
            if old_path == own:
                continue
            if len(old_path) > 255:
                self.summary.counts["old addresses too long for a redirect"] += 1
                continue
            existing = Redirect.objects.filter(old_path=old_path, site=self.site).first()
            if existing is None:
                Redirect.objects.create(
                    old_path=old_path, site=self.site, redirect_page=article, is_permanent=True
                )
                self.summary.created["redirects"] += 1
            elif existing.redirect_page_id == article.pk:
                self.summary.existing["redirects"] += 1
            else:
                self.summary.note(
                    f"{self.path.name}, line {item.line}: {old_path} already redirects elsewhere; left as it was."
                )
                self.summary.skipped["redirects already taken"] += 1

    def comments_import(self, item: WxrItem, article: ArticlePage) -> None:
        incoming = []
        for c in item.comments:
            if c.comment_type not in ("comment", ""):
                self.summary.skipped[f"{c.comment_type}s"] += 1
                continue
            status = WP_COMMENT_STATUS.get(c.approved.lower(), Comment.Status.PENDING)
            incoming.append(
                IncomingComment(
                    line=c.line,
                    source_id=c.comment_id,
                    parent_source_id=c.parent_id,
                    author=c.author,
                    email=c.email,
                    url=c.url,
                    created_at=c.created_at,
                    body=comment_text_from_html(c.content),
                    status=status,
                )
            )
        if comments_import(
            article=article,
            incoming=incoming,
            source=self.source,
            summary=self.summary,
            file_name=self.path.name,
        ):
            self.touched.add(article.pk)


def _other_items_note(summary: Summary) -> None:
    if summary.skipped:
        summary.note(
            "Pages, menus and other WordPress item types have no place in the paper and were "
            "not imported; pingbacks and trackbacks are not reader comments."
        )


def wxr_import(
    *,
    path: Path,
    home: HomePage,
    media_dir: Path | None = None,
    dry_run: bool = False,
    progress: Progress = _no_progress,
) -> Summary:
    """Import a WordPress export (WXR 1.x): posts, categories, tags, authors, comments.

    Raises ExportFileError (nothing written) when the file is malformed. With ``dry_run`` the
    whole import runs and is rolled back: the summary says what would happen.
    """
    started = time.monotonic()
    summary = Summary(dry_run=dry_run)
    index = _wxr_index(path, progress)
    source = _source_for(index.channel, path)
    images = Images(
        media_dir=media_dir,
        attachments=index.attachments,
        source=source,
        summary=summary,
        dry_run=dry_run,
    )
    writer = _WxrWriter(path=path, home=home, index=index, images=images, summary=summary)
    try:
        with transaction.atomic():
            writer.authors_import()
            writer.sections_import()
            writer.tags_import()
            writer.items_import(progress)
            for article_id in writer.touched:
                comment_counts_refresh(article_id=article_id)
            if dry_run:
                raise _DryRun
            transaction.on_commit(lambda: invalidate(["content", "listings"]))
    except _DryRun:
        pass
    except Exception:
        images.discard_files()
        raise
    _other_items_note(summary)
    summary.seconds = time.monotonic() - started
    return summary


# --- Disqus import --------------------------------------------------------------------------------


def article_for_url(*, url: str, home: HomePage) -> ArticlePage | None:
    """Our article at an address: by its path on our site, else through a redirect."""
    parsed = urlparse(url.strip())
    if not parsed.path and not parsed.query:
        return None
    segments = [s for s in unquote(parsed.path).split("/") if s]
    if segments:
        url_path = home.url_path + "/".join(segments) + "/"
        found = ArticlePage.objects.filter(url_path=url_path).first()
        if found is not None:
            return found
    for candidate in (url, parsed.path or "/"):
        redirect = (
            Redirect.objects.filter(old_path=Redirect.normalise_path(candidate))
            .select_related("redirect_page")
            .first()
        )
        if redirect is not None and redirect.redirect_page is not None:
            page = redirect.redirect_page.specific
            if isinstance(page, ArticlePage):
                return page
    return None


def _disqus_status(post: DisqusPost) -> str:
    if post.is_spam:
        return Comment.Status.SPAM
    if post.is_deleted:
        return Comment.Status.TRASH
    return Comment.Status.APPROVED if post.is_approved else Comment.Status.PENDING


def disqus_import(
    *, path: Path, home: HomePage, dry_run: bool = False, progress: Progress = _no_progress
) -> Summary:
    """Import comments from a Disqus XML export, each thread onto our article at its address.

    Threads whose address is not one of our articles (directly or through a redirect) are
    counted and named in the summary. Raises ExportFileError (nothing written) for a malformed
    file. The posts are held in memory between reading and writing.
    """
    started = time.monotonic()
    summary = Summary(dry_run=dry_run)
    reader = DisqusReader(path)
    threads: dict[str, DisqusThread] = {}
    posts: dict[str, list[DisqusPost]] = {}
    for read, record in enumerate(reader, start=1):
        progress("Checking", read, None)
        if isinstance(record, DisqusThread):
            threads.setdefault(record.thread_id, record)
        else:
            posts.setdefault(record.thread_id, []).append(record)
    source = ("disqus:" + (reader.forum or "")).rstrip(":")
    touched: list[int] = []
    try:
        with transaction.atomic():
            done = 0
            for thread_id, thread_posts in posts.items():
                done += 1
                progress("Importing", done, len(posts))
                thread = threads.get(thread_id)
                article = article_for_url(url=thread.link, home=home) if thread else None
                if article is None:
                    summary.skipped["comments on threads with no matching article"] += len(
                        thread_posts
                    )
                    summary.counts["threads with no matching article"] += 1
                    summary.note(
                        f"No article for the thread {thread.link if thread else thread_id!r} ({len(thread_posts)} comments)."
                    )
                    continue
                incoming = [
                    IncomingComment(
                        line=p.line,
                        source_id=p.post_id,
                        parent_source_id=p.parent_id,
                        author=p.author,
                        email=p.email,
                        url="",
                        created_at=p.created_at,
                        body=comment_text_from_html(p.message),
                        status=_disqus_status(p),
                    )
                    for p in thread_posts
                ]
                if comments_import(
                    article=article,
                    incoming=incoming,
                    source=source,
                    summary=summary,
                    file_name=path.name,
                ):
                    comment_counts_refresh(article_id=article.pk)
                    touched.append(article.pk)
            if dry_run:
                raise _DryRun
            deps = [f"article:{pk}" for pk in touched] + ["listings"]
            transaction.on_commit(lambda: invalidate(deps))
    except _DryRun:
        pass
    summary.seconds = time.monotonic() - started
    return summary


__all__ = [
    "ExportFileError",
    "Summary",
    "article_for_url",
    "disqus_import",
    "wxr_export",
    "wxr_import",
]
