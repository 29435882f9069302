"""The WordPress export (WXR 1.x): authors, categories, tags and items with their comments."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from lxml import etree

from .reading import (
    ExportFileError,
    child_raw_text,
    child_text,
    local_name,
    open_parser,
    release,
    syntax_error,
)


def parse_wp_date(value: str) -> datetime | None:
    """A WordPress ``YYYY-MM-DD HH:MM:SS`` in UTC; None for WordPress's empty date (zeros)."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


@dataclass(frozen=True)
class WxrAuthor:
    line: int
    login: str
    display_name: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class WxrTerm:
    line: int
    taxonomy: str  # "category" or "post_tag"
    term_id: str
    slug: str
    name: str
    parent_slug: str
    description: str


@dataclass(frozen=True)
class WxrComment:
    line: int
    comment_id: str
    author: str
    email: str
    url: str
    created_at: datetime
    content: str
    approved: str
    comment_type: str
    parent_id: str


@dataclass
class WxrItem:
    line: int
    post_id: str
    post_type: str
    status: str
    title: str
    link: str
    guid: str
    creators: list[str]
    content: str
    excerpt: str
    post_name: str
    published_at: datetime | None
    modified_at: datetime | None
    comment_status: str
    password: str
    attachment_url: str
    terms: list[tuple[str, str, str]]  # (domain, nicename, name)
    meta: dict[str, str]
    comments: list[WxrComment] = field(default_factory=list)
    sticky: bool = False  # kept at the top of WordPress's front page


WxrRecord = WxrAuthor | WxrTerm | WxrItem


def _local_date(gmt: str, local: str, line: int, path: Path, what: str) -> datetime | None:
    """The GMT date when WordPress wrote one, else the site-local one read in our time zone."""
    parsed = parse_wp_date(gmt)
    if parsed is not None:
        return parsed
    if local.strip() and not local.startswith("0000-00-00"):
        try:
            naive = datetime.strptime(local.strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError as exc:
            raise ExportFileError(
                f"{path.name}, line {line}: “{local}” is not a WordPress {what} date."
            ) from exc
        return timezone.make_aware(naive, timezone.get_default_timezone())
    if gmt.strip() and not gmt.startswith("0000-00-00"):
        raise ExportFileError(f"{path.name}, line {line}: “{gmt}” is not a WordPress {what} date.")
    return None


class WxrReader:
    """Iterate over a WXR file's authors, terms and items in file order.

    ``channel`` fills with the channel's own fields (title, link, base_blog_url, …) as they
    are read; they come before the first item in every WordPress export.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.channel: dict[str, str] = {}

    def __iter__(self) -> Iterator[WxrRecord]:
        path = self.path
        seen_root = False
        try:
            for _event, element in open_parser(path):
                parent = element.getparent()
                if parent is None:
                    seen_root = True
                    if element.tag != "rss" or _local_tag_of_child(element) != "channel":
                        raise ExportFileError(
                            f"{path.name}, line {element.sourceline}: not a WordPress export (expected <rss> with a <channel>)."
                        )
                    continue
                if parent.tag != "channel" or parent.getparent() is None:
                    continue
                name = local_name(element.tag)
                if name == "item":
                    yield self._item(element)
                    release(element)
                elif name == "wp:author":
                    yield self._author(element)
                    release(element)
                elif name in ("wp:category", "wp:tag"):
                    yield self._term(element, name)
                    release(element)
                elif len(element) == 0:
                    self.channel[name] = (element.text or "").strip()
        except etree.XMLSyntaxError as exc:
            raise syntax_error(path, exc) from exc
        if not seen_root:
            raise ExportFileError(f"{path.name}: the file is empty.")
        if "wp:wxr_version" not in self.channel:
            raise ExportFileError(
                f"{path.name}: no <wp:wxr_version> in the channel; this is not a WordPress export."
            )

    def _required(self, element: Any, name: str, what: str) -> str:
        value = child_text(element, name)
        if not value:
            raise ExportFileError(
                f"{self.path.name}, line {element.sourceline}: the {what} has no <{name}>."
            )
        return value

    def _author(self, element: Any) -> WxrAuthor:
        login = self._required(element, "wp:author_login", "author")
        return WxrAuthor(
            line=element.sourceline,
            login=login,
            display_name=child_text(element, "wp:author_display_name") or login,
            first_name=child_text(element, "wp:author_first_name"),
            last_name=child_text(element, "wp:author_last_name"),
        )

    def _term(self, element: Any, name: str) -> WxrTerm:
        if name == "wp:category":
            slug = self._required(element, "wp:category_nicename", "category")
            return WxrTerm(
                line=element.sourceline,
                taxonomy="category",
                term_id=child_text(element, "wp:term_id"),
                slug=slug,
                name=child_text(element, "wp:cat_name") or slug,
                parent_slug=child_text(element, "wp:category_parent"),
                description=child_text(element, "wp:category_description"),
            )
        slug = self._required(element, "wp:tag_slug", "tag")
        return WxrTerm(
            line=element.sourceline,
            taxonomy="post_tag",
            term_id=child_text(element, "wp:term_id"),
            slug=slug,
            name=child_text(element, "wp:tag_name") or slug,
            parent_slug="",
            description=child_text(element, "wp:tag_description"),
        )

    def _item(self, element: Any) -> WxrItem:
        line = element.sourceline
        post_id = self._required(element, "wp:post_id", "item")
        if not post_id.isdigit():
            raise ExportFileError(
                f"{self.path.name}, line {line}: the post id “{post_id}” is not a number."
            )
        post_type = self._required(element, "wp:post_type", "item")
        status = self._required(element, "wp:status", "item")
        creators: list[str] = []
        terms: list[tuple[str, str, str]] = []
        meta: dict[str, str] = {}
        comments: list[WxrComment] = []
        for child in element:
            name = local_name(child.tag)
            if name == "dc:creator" and (child.text or "").strip():
                creators.append(child.text.strip())
            elif name == "category":
                terms.append(
                    (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
                )
            elif name == "wp:postmeta":
                key = child_text(child, "wp:meta_key")
                if key:
                    meta[key] = child_raw_text(child, "wp:meta_value")
            elif name == "wp:comment":
                comments.append(self._comment(child))
        return WxrItem(
            line=line,
            post_id=post_id,
            post_type=post_type,
            status=status,
            title=child_text(element, "title"),
            link=child_text(element, "link"),
            guid=child_text(element, "guid"),
            creators=creators,
            content=child_raw_text(element, "content:encoded"),
            excerpt=child_raw_text(element, "excerpt:encoded"),
            post_name=child_text(element, "wp:post_name"),
            published_at=_local_date(
                child_text(element, "wp:post_date_gmt"),
                child_text(element, "wp:post_date"),
                line,
                self.path,
                "post",
            ),
            modified_at=_local_date(
                child_text(element, "wp:post_modified_gmt"),
                child_text(element, "wp:post_modified"),
                line,
                self.path,
                "modification",
            ),
            comment_status=child_text(element, "wp:comment_status") or "open",
            password=child_text(element, "wp:post_password"),
            sticky=child_text(element, "wp:is_sticky").strip() == "1",
            attachment_url=child_text(element, "wp:attachment_url"),
            terms=terms,
            meta=meta,
            comments=comments,
        )

    def _comment(self, element: Any) -> WxrComment:
        line = element.sourceline
        comment_id = self._required(element, "wp:comment_id", "comment")
        created = _local_date(
            child_text(element, "wp:comment_date_gmt"),
            child_text(element, "wp:comment_date"),
            line,
            self.path,
            "comment",
        )
        if created is None:
            raise ExportFileError(f"{self.path.name}, line {line}: the comment has no date.")
        parent_id = child_text(element, "wp:comment_parent")
        return WxrComment(
            line=line,
            comment_id=comment_id,
            author=child_text(element, "wp:comment_author"),
            email=child_text(element, "wp:comment_author_email"),
            url=child_text(element, "wp:comment_author_url"),
            created_at=created,
            content=child_raw_text(element, "wp:comment_content"),
            approved=child_text(element, "wp:comment_approved") or "0",
            comment_type=child_text(element, "wp:comment_type") or "comment",
            parent_id="" if parent_id in ("", "0") else parent_id,
        )


def _local_tag_of_child(element: Any) -> str:
    return next((local_name(child.tag) for child in element), "")
