"""The WordPress import's second pass: the posts as articles, with their comments, and the
front page's lead from the sticky posts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from dateline.comments.models import Comment
from dateline.core.slugs import first_free_slug
from dateline.news.models import ArticleAuthor, ArticlePage, HomePage, SectionPage

from ...comment_text import comment_text_from_html
from ...html import html_to_blocks, html_to_text
from ...media import Images, mapped_ids, remember
from ...models import ImportedObject
from ...parsing import WxrItem, WxrReader
from ...summary import Summary
from ...threads import IncomingComment, comments_import
from ..common import Progress, slug_of
from .index import DEFAULT_CATEGORY, WxrIndex
from .redirects import OldAddresses
from .terms import Terms

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


class ItemWriter:
    """The posts, one at a time, inside the import's transaction."""

    def __init__(
        self,
        *,
        path: Path,
        home: HomePage,
        index: WxrIndex,
        images: Images,
        terms: Terms,
        addresses: OldAddresses,
        summary: Summary,
    ) -> None:
        self.path = path
        self.home = home
        self.index = index
        self.images = images
        self.terms = terms
        self.addresses = addresses
        self.summary = summary
        self.source = images.source
        self.section_slugs: dict[int, set[str]] = {}
        self.touched: set[int] = set()
        self.sticky: list[tuple[datetime, int]] = []  # (published at, pk) of live sticky posts

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
            self.addresses.for_article(record, article)
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
        slug = first_free_slug(wanted, taken.__contains__)
        taken.add(slug)
        return slug

    def article_create(self, item: WxrItem) -> ArticlePage:
        categories = [slug for domain, slug, _ in item.terms if domain == "category" and slug]
        section = self.terms.sections[categories[0] if categories else DEFAULT_CATEGORY[0]]
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
        tags = [self.terms.tags[s] for s in dict.fromkeys(tag_slugs)]
        tags += [
            self.terms.category_tags[c] for c in dict.fromkeys(categories[1:]) if c != categories[0]
        ]
        if tags:
            article.tags.add(*dict.fromkeys(tags))
        publish = item.status == "publish" and not item.password
        if item.status == "future":
            article.go_live_at = item.published_at
        section.add_child(instance=article)
        for order, login in enumerate(dict.fromkeys(item.creators)):
            author = self.terms.authors.get(login) or self.terms.author_for_login(login)
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
