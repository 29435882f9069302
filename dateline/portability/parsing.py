"""Streaming readers for WordPress (WXR) and Disqus export files.

Both read with lxml's ``iterparse`` set up for files from elsewhere: no DTD loaded, no entity
expanded, nothing fetched over the network, libxml2's size limits left on. Each record is handed
over as soon as its element ends and the element is then dropped, so memory stays flat however
large the file is. A malformed file raises :class:`ExportFileError` naming the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from lxml import etree


class ExportFileError(Exception):
    """The file cannot be read; the message names the file, the line and the problem."""


def _open_parser(path: Path, tags: tuple[str, ...] | None = None) -> Any:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ExportFileError(f"Cannot open {path}: {exc.strerror}.") from exc
    handle.close()
    return etree.iterparse(
        str(path),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )


def _syntax_error(path: Path, exc: etree.XMLSyntaxError) -> ExportFileError:
    line = exc.lineno or (exc.position[0] if exc.position else "?")
    message = (exc.msg or str(exc)).split(", line ")[0]
    return ExportFileError(f"{path.name}, line {line}: not well-formed XML ({message}).")


def _local(tag: Any) -> str:
    """``{namespace}name`` → a short ``prefix:name`` whatever the namespace's version."""
    if not isinstance(tag, str):
        return ""
    if not tag.startswith("{"):
        return tag
    namespace, name = tag[1:].split("}", 1)
    if "wordpress.org/export/" in namespace:
        prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    elif namespace.startswith("http://purl.org/rss/1.0/modules/content"):
        prefix = "content"
    elif namespace.startswith("http://purl.org/dc/elements/1.1"):
        prefix = "dc"
    elif namespace.startswith("http://disqus.com/disqus-internals"):
        prefix = "dsq"
    elif namespace.startswith("http://disqus.com"):
        return name
    else:
        prefix = "other"
    return f"{prefix}:{name}"


def _text(element: Any, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _raw_text(element: Any, name: str) -> str:
    """Like _text, without trimming: bodies keep their own spacing."""
    for child in element:
        if _local(child.tag) == name:
            return child.text or ""
    return ""


def _release(element: Any) -> None:
    """Drop a handled element and the finished siblings before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def parse_wp_date(value: str) -> datetime | None:
    """A WordPress ``YYYY-MM-DD HH:MM:SS`` in UTC; None for WordPress's empty date (zeros)."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


# --- WordPress (WXR) --------------------------------------------------------------------------


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
            for _event, element in _open_parser(path):
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
                name = _local(element.tag)
                if name == "item":
                    yield self._item(element)
                    _release(element)
                elif name == "wp:author":
                    yield self._author(element)
                    _release(element)
                elif name in ("wp:category", "wp:tag"):
                    yield self._term(element, name)
                    _release(element)
                elif len(element) == 0:
                    self.channel[name] = (element.text or "").strip()
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(path, exc) from exc
        if not seen_root:
            raise ExportFileError(f"{path.name}: the file is empty.")
        if "wp:wxr_version" not in self.channel:
            raise ExportFileError(
                f"{path.name}: no <wp:wxr_version> in the channel; this is not a WordPress export."
            )

    def _required(self, element: Any, name: str, what: str) -> str:
        value = _text(element, name)
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
            display_name=_text(element, "wp:author_display_name") or login,
            first_name=_text(element, "wp:author_first_name"),
            last_name=_text(element, "wp:author_last_name"),
        )

    def _term(self, element: Any, name: str) -> WxrTerm:
        if name == "wp:category":
            slug = self._required(element, "wp:category_nicename", "category")
            return WxrTerm(
                line=element.sourceline,
                taxonomy="category",
                term_id=_text(element, "wp:term_id"),
                slug=slug,
                name=_text(element, "wp:cat_name") or slug,
                parent_slug=_text(element, "wp:category_parent"),
                description=_text(element, "wp:category_description"),
            )
        slug = self._required(element, "wp:tag_slug", "tag")
        return WxrTerm(
            line=element.sourceline,
            taxonomy="post_tag",
            term_id=_text(element, "wp:term_id"),
            slug=slug,
            name=_text(element, "wp:tag_name") or slug,
            parent_slug="",
            description=_text(element, "wp:tag_description"),
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
            name = _local(child.tag)
            if name == "dc:creator" and (child.text or "").strip():
                creators.append(child.text.strip())
            elif name == "category":
                terms.append(
                    (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
                )
            elif name == "wp:postmeta":
                key = _text(child, "wp:meta_key")
                if key:
                    meta[key] = _raw_text(child, "wp:meta_value")
            elif name == "wp:comment":
                comments.append(self._comment(child))
        return WxrItem(
            line=line,
            post_id=post_id,
            post_type=post_type,
            status=status,
            title=_text(element, "title"),
            link=_text(element, "link"),
            guid=_text(element, "guid"),
            creators=creators,
            content=_raw_text(element, "content:encoded"),
            excerpt=_raw_text(element, "excerpt:encoded"),
            post_name=_text(element, "wp:post_name"),
            published_at=_local_date(
                _text(element, "wp:post_date_gmt"),
                _text(element, "wp:post_date"),
                line,
                self.path,
                "post",
            ),
            modified_at=_local_date(
                _text(element, "wp:post_modified_gmt"),
                _text(element, "wp:post_modified"),
                line,
                self.path,
                "modification",
            ),
            comment_status=_text(element, "wp:comment_status") or "open",
            password=_text(element, "wp:post_password"),
            attachment_url=_text(element, "wp:attachment_url"),
            terms=terms,
            meta=meta,
            comments=comments,
        )

    def _comment(self, element: Any) -> WxrComment:
        line = element.sourceline
        comment_id = self._required(element, "wp:comment_id", "comment")
        created = _local_date(
            _text(element, "wp:comment_date_gmt"),
            _text(element, "wp:comment_date"),
            line,
            self.path,
            "comment",
        )
        if created is None:
            raise ExportFileError(f"{self.path.name}, line {line}: the comment has no date.")
        parent_id = _text(element, "wp:comment_parent")
        return WxrComment(
            line=line,
            comment_id=comment_id,
            author=_text(element, "wp:comment_author"),
            email=_text(element, "wp:comment_author_email"),
            url=_text(element, "wp:comment_author_url"),
            created_at=created,
            content=_raw_text(element, "wp:comment_content"),
            approved=_text(element, "wp:comment_approved") or "0",
            comment_type=_text(element, "wp:comment_type") or "comment",
            parent_id="" if parent_id in ("", "0") else parent_id,
        )


def _local_tag_of_child(element: Any) -> str:
    return next((_local(child.tag) for child in element), "")


# --- Disqus -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisqusThread:
    line: int
    thread_id: str
    link: str
    title: str


@dataclass(frozen=True)
class DisqusPost:
    line: int
    post_id: str
    thread_id: str
    parent_id: str
    author: str
    email: str
    message: str
    created_at: datetime
    is_deleted: bool
    is_spam: bool
    is_approved: bool


DisqusRecord = DisqusThread | DisqusPost


def _dsq_id(element: Any) -> str:
    for key, value in element.attrib.items():
        if _local(key) in ("dsq:id", "id"):
            return str(value).strip()
    return ""


def _child(element: Any, name: str) -> Any:
    return next((child for child in element if _local(child.tag) == name), None)


def _flag(element: Any, name: str, default: bool = False) -> bool:
    value = _text(element, name).lower()
    return default if not value else value in ("true", "1")


def parse_iso(value: str) -> datetime | None:
    from django.utils.dateparse import parse_datetime

    try:
        parsed = parse_datetime(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


class DisqusReader:
    """Iterate over a Disqus export's threads and posts in file order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.forum = ""

    def __iter__(self) -> Iterator[DisqusRecord]:
        path = self.path
        seen_root = False
        try:
            for _event, element in _open_parser(path):
                parent = element.getparent()
                if parent is None:
                    seen_root = True
                    if _local(element.tag) != "disqus":
                        raise ExportFileError(
                            f"{path.name}, line {element.sourceline}: not a Disqus export (expected <disqus>)."
                        )
                    continue
                if parent.getparent() is not None:
                    continue
                name = _local(element.tag)
                if name == "thread":
                    yield self._thread(element)
                elif name == "post":
                    yield self._post(element)
                elif name == "category" and not self.forum:
                    self.forum = _text(element, "forum")
                _release(element)
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(path, exc) from exc
        if not seen_root:
            raise ExportFileError(f"{path.name}: the file is empty.")

    def _fail(self, element: Any, problem: str) -> ExportFileError:
        return ExportFileError(f"{self.path.name}, line {element.sourceline}: {problem}")

    def _thread(self, element: Any) -> DisqusThread:
        thread_id = _dsq_id(element)
        if not thread_id:
            raise self._fail(element, "the thread has no dsq:id.")
        return DisqusThread(
            line=element.sourceline,
            thread_id=thread_id,
            link=_text(element, "link"),
            title=_text(element, "title"),
        )

    def _post(self, element: Any) -> DisqusPost:
        post_id = _dsq_id(element)
        if not post_id:
            raise self._fail(element, "the post has no dsq:id.")
        thread = _child(element, "thread")
        thread_id = _dsq_id(thread) if thread is not None else ""
        if not thread_id:
            raise self._fail(element, "the post names no <thread dsq:id>.")
        parent = _child(element, "parent")
        created = parse_iso(_text(element, "createdAt"))
        if created is None:
            raise self._fail(element, "the post has no readable <createdAt>.")
        author = _child(element, "author")
        return DisqusPost(
            line=element.sourceline,
            post_id=post_id,
            thread_id=thread_id,
            parent_id=_dsq_id(parent) if parent is not None else "",
            author=_text(author, "name") if author is not None else "",
            email=_text(author, "email") if author is not None else "",
            message=_raw_text(element, "message"),
            created_at=created,
            is_deleted=_flag(element, "isDeleted"),
            is_spam=_flag(element, "isSpam"),
            is_approved=_flag(element, "isApproved", default=True),
        )
