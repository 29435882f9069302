"""The WordPress (WXR) import: the second pass writes, in one transaction."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

from django.db import transaction
from django.urls import reverse
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

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

from ..comment_text import comment_text_from_html
from ..html import html_to_blocks, html_to_text
from ..media import Images, mapped_ids, remember
from ..models import ImportedObject
from ..parsing import WxrItem, WxrReader
from ..summary import Summary
from ..threads import IncomingComment, comments_import
from .common import DryRun, Progress, no_progress, slug_of
from .wxr_index import DEFAULT_CATEGORY, WxrIndex, wxr_index, wxr_source

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
# Our own article fields, carried in post meta by our export.
META_PLACE, META_LANGUAGE = "_dateline_place", "_dateline_language"
META_CAPTION, META_CREDIT = "_dateline_lead_image_caption", "_dateline_lead_image_credit"


class _WxrWriter:
    """The second pass: one instance per import, inside its transaction."""

    def __init__(
        self, *, path: Path, home: HomePage, index: WxrIndex, images: Images, summary: Summary
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
        self.category_tags: dict[str, Tag] = {}  # category slug → its tag (not a first category)
        self.section_slugs: dict[int, set[str]] = {}
        self.touched: set[int] = set()
        self.sticky: list[tuple[datetime, int]] = []  # (published at, pk) of live sticky posts

    # Authors, sections, tags ---------------------------------------------------------------------
    def authors_import(self) -> None:
        known = mapped_ids(self.source, Kind.AUTHOR)
        for record in self.index.authors:
            author = Author.objects.filter(pk=known.get(record.login)).first()
            if author is not None:
                self.summary.existing["authors"] += 1
            else:
                slug = slug_of(record.login, fallback="author", max_length=120)
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
        # WordPress's archive of a category lists its child categories' posts too.
        used = {
            part for n in self.index.sections_used for part in self._category_path(n).split("/")
        }
        for nicename, (name, description) in self.index.categories.items():
            section = SectionPage.objects.filter(pk=known.get(nicename)).first()
            if section is not None:
                self.summary.existing["sections"] += 1
            else:
                slug = slug_of(nicename, fallback="section")
                if slug in RESERVED_SECTION_SLUGS:
                    self.summary.note(
                        f"The category “{name}” would make a section at /{slug}/, an address the site uses itself; its section is /{slug}-section/."
                    )
                    slug = f"{slug}-section"
                section = children.get(slug)
                if section is None:
                    # A category no post lives in would be an empty section in every page's
                    # navigation: it waits, unpublished, until the editors publish it.
                    section = SectionPage(
                        title=(name or nicename)[:255],
                        slug=slug,
                        description=html_to_text(description)[:300],
                        live=nicename in used,
                    )
                    self.home.add_child(instance=section)
                    revision = section.save_revision()
                    if nicename in used:
                        revision.publish(skip_permission_checks=True)
                    else:
                        self.summary.counts["sections left unpublished (no post in them)"] += 1
                    children[slug] = section
                    self.summary.created["sections"] += 1
                else:
                    self.summary.existing["sections"] += 1
                remember(self.source, Kind.CATEGORY, nicename, section)
            if not section.live and nicename in used:
                self.summary.note(
                    f"The section “{section.title}” (/{section.slug}/) gets posts but is not published: publish it in the newsroom."
                )
            self.sections[nicename] = section

    def tags_import(self) -> None:
        known = mapped_ids(self.source, Kind.TAG)
        created: set[int] = set()
        for slug, name in self.index.tags.items():
            tag = Tag.objects.filter(pk=known.get(slug)).first()
            if tag is not None:
                self.summary.existing["tags"] += 1
            else:
                tag_slug = slug_of(slug, fallback="tag", max_length=100)
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

    def category_tags_import(self) -> None:
        """A post lives in one section, its first category's: every other category it names
        becomes one of its tags, named and slugged as that category's section, so its stories
        are still listed together (the export writes these tags back as categories)."""
        for nicename in sorted(self.index.categories_as_tags):
            section = self.sections[nicename]
            slug, name = section.slug[:100], section.title[:100]
            tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name, slug=slug)
                self.summary.created["tags"] += 1
                self.summary.counts["tags made from categories (a post's second or later)"] += 1
            self.category_tags[nicename] = tag

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
            published = record.status == "publish" and not record.password
            if record.sticky and published and record.published_at is not None:
                self.sticky.append((record.published_at, article.pk))

    def sticky_lead(self) -> None:
        """WordPress kept its sticky posts above the others on its front page: the newest one
        leads ours (the front page's "Lead article"), unless the editors chose a lead already
        or have unpublished changes to the front page waiting."""
        home = HomePage.objects.get(pk=self.home.pk)
        if not self.sticky or home.lead_article_id is not None:
            return
        _, pk = max(self.sticky)
        article = ArticlePage.objects.get(pk=pk)
        if home.has_unpublished_changes:
            self.summary.note(
                f"The sticky post “{article.title}” could lead the front page; the front page has unpublished changes, so it was left as it was: choose its “Lead article” there."
            )
            return
        home.lead_article = article
        home.save_revision().publish(skip_permission_checks=True)
        self.summary.note(
            f"The sticky post “{article.title}” leads the front page (its “Lead article”)."
        )

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
        if len(set(categories)) > 1:
            self.summary.counts[
                "posts in several categories (the first is the section, the others tags)"
            ] += 1
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
            slug_of(item.post_name, fallback="")[:200]
            or slug_of(title, fallback=f"post-{item.post_id}")[:200],
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
        tags = [self.tags[s] for s in dict.fromkeys(tag_slugs)]
        tags += [self.category_tags[c] for c in dict.fromkeys(categories[1:]) if c != categories[0]]
        if tags:
            article.tags.add(*dict.fromkeys(tags))
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
        slug = slug_of(login, fallback="author", max_length=120)
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
            if old_path != own:
                self._redirect(old_path, page=article, where=f"line {item.line}")

    def _redirect(
        self,
        old_path: str,
        *,
        page: Page | None = None,
        route: str = "",
        link: str = "",
        where: str,
    ) -> None:
        """A permanent redirect from ``old_path`` to ``page`` (and its ``route``, a path the
        page answers itself: ``/tags/harbour/`` on the front page) or to ``link``, unless the
        old path already redirects elsewhere."""
        old_path = Redirect.normalise_path(old_path)
        if len(old_path) > 255:
            self.summary.counts["old addresses too long for a redirect"] += 1
            return
        existing = Redirect.objects.filter(old_path=old_path, site=self.site).first()
        if existing is None:
            Redirect.objects.create(
                old_path=old_path,
                site=self.site,
                redirect_page=page,
                redirect_page_route_path=route,
                redirect_link=link,
                is_permanent=True,
            )
            self.summary.created["redirects"] += 1
        elif (
            existing.redirect_page_id,
            existing.redirect_page_route_path,
            existing.redirect_link,
        ) == (
            page.pk if page is not None else None,
            route,
            link,
        ):
            self.summary.existing["redirects"] += 1
        else:
            self.summary.note(
                f"{self.path.name}, {where}: {old_path} already redirects elsewhere; left as it was."
            )
            self.summary.skipped["redirects already taken"] += 1

    def archive_redirects_create(self) -> None:
        """WordPress's archive addresses (its default permalinks) to the section, tag or author
        page readers now find there: ``/category/parent/child/`` (and ``/category/child/``),
        ``/tag/…``, ``/author/…``; their feeds, and the site's ``/feed/``, to our RSS feeds, so
        feed readers and syndication partners keep receiving the news."""
        root = self.blog.path.rstrip("/")
        for feed, ours in (("feed", "rss"), ("feed/rss2", "rss"), ("feed/atom", "atom")):
            self._redirect(f"{root}/{feed}", link=reverse(f"feeds:{ours}"), where="feeds")
        for nicename, section in self.sections.items():
            page, route = section, ""
            feed = reverse("feeds:rss_scoped", args=["section", section.slug])
            tag = self.category_tags.get(nicename)
            if tag is not None and not section.live:
                # No post lives in its section: its posts are listed under its tag.
                page, route = self.home, f"/tags/{tag.slug}/"
                feed = reverse("feeds:rss_scoped", args=["tag", tag.slug])
            for path in dict.fromkeys((self._category_path(nicename), nicename)):
                self._redirect(
                    f"{root}/category/{path}", page=page, route=route, where="categories"
                )
                self._redirect(f"{root}/category/{path}/feed", link=feed, where="categories")
        for slug, tag in self.tags.items():
            feed = reverse("feeds:rss_scoped", args=["tag", tag.slug])
            route = f"/tags/{tag.slug}/"
            self._redirect(f"{root}/tag/{slug}", page=self.home, route=route, where="tags")
            self._redirect(f"{root}/tag/{slug}/feed", link=feed, where="tags")
        # WordPress's author addresses use the login made into a slug ("nicename", roughly).
        nicenames = {
            slug_of(login, fallback="author", max_length=120): author
            for login, author in self.authors.items()
        }
        for nicename, author in nicenames.items():
            feed = reverse("feeds:rss_scoped", args=["author", author.slug])
            route = f"/authors/{author.slug}/"
            self._redirect(
                f"{root}/author/{nicename}", page=self.home, route=route, where="authors"
            )
            self._redirect(f"{root}/author/{nicename}/feed", link=feed, where="authors")

    def _category_path(self, nicename: str) -> str:
        path = [nicename]
        parent = self.index.category_parents.get(nicename)
        while parent and parent not in path and parent in self.index.categories:
            path.insert(0, parent)
            parent = self.index.category_parents.get(parent)
        return "/".join(path)

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
    progress: Progress = no_progress,
) -> Summary:
    """Import a WordPress export (WXR 1.x): posts, categories, tags, authors, comments.

    Raises ExportFileError (nothing written) when the file is malformed. With ``dry_run`` the
    whole import runs and is rolled back: the summary says what would happen.
    """
    started = time.monotonic()
    summary = Summary(dry_run=dry_run)
    index = wxr_index(path, progress)
    source = wxr_source(index.channel, path)
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
            writer.category_tags_import()
            writer.items_import(progress)
            writer.archive_redirects_create()
            writer.sticky_lead()
            for article_id in writer.touched:
                comment_counts_refresh(article_id=article_id)
            if dry_run:
                raise DryRun
            transaction.on_commit(lambda: invalidate(["content", "listings"]))
    except DryRun:
        pass
    except Exception:
        images.discard_files()
        raise
    _other_items_note(summary)
    summary.seconds = time.monotonic() - started
    return summary
