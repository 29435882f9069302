"""The WordPress import's first pass: it checks the file and gathers everything but the items'
content (authors, categories, tags, attachments)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...media import Attachment
from ...parsing import ExportFileError, WxrAuthor, WxrItem, WxrReader, WxrTerm
from ..common import Progress

DEFAULT_CATEGORY = ("uncategorized", "Uncategorized")


@dataclass
class WxrIndex:
    """What the first pass gathers: everything but the items' content."""

    channel: dict[str, str] = field(default_factory=dict)
    authors: list[WxrAuthor] = field(default_factory=list)
    categories: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # slug → (name, description)
    category_parents: dict[str, str] = field(default_factory=dict)  # slug → parent's slug
    # The categories some post's first category names: the sections articles will live in.
    sections_used: set[str] = field(default_factory=set)
    # The categories some post names after its first: each becomes a tag too (one section each).
    categories_as_tags: set[str] = field(default_factory=set)
    tags: dict[str, str] = field(default_factory=dict)  # slug → name
    attachments: dict[str, Attachment] = field(default_factory=dict)
    items: int = 0
    posts: int = 0


def wxr_index(path: Path, progress: Progress) -> WxrIndex:
    reader = WxrReader(path)
    index = WxrIndex()
    post_ids: dict[str, int] = {}
    for record in reader:
        if isinstance(record, WxrAuthor):
            index.authors.append(record)
        elif isinstance(record, WxrTerm):
            if record.taxonomy == "category":
                index.categories.setdefault(record.slug, (record.name, record.description))
                if record.parent_slug:
                    index.category_parents.setdefault(record.slug, record.parent_slug)
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
            index.sections_used.add(categories[0][1] if categories else DEFAULT_CATEGORY[0])
            index.categories_as_tags.update(
                slug for _domain, slug, _name in categories[1:] if slug != categories[0][1]
            )
            for domain, slug, name in record.terms:
                if domain == "post_tag" and slug:
                    index.tags.setdefault(slug, name or slug)
    index.channel = reader.channel
    return index


def wxr_source(channel: dict[str, str], path: Path) -> str:
    site = channel.get("wp:base_blog_url") or channel.get("link") or path.stem
    return ("wxr:" + site.rstrip("/"))[:200]
