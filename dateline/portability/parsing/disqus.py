"""The Disqus export: threads (an address each) and posts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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
        if local_name(key) in ("dsq:id", "id"):
            return str(value).strip()
    return ""


def _child(element: Any, name: str) -> Any:
    return next((child for child in element if local_name(child.tag) == name), None)


def _flag(element: Any, name: str, default: bool = False) -> bool:
    value = child_text(element, name).lower()
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
            for _event, element in open_parser(path):
                parent = element.getparent()
                if parent is None:
                    seen_root = True
                    if local_name(element.tag) != "disqus":
                        raise ExportFileError(
                            f"{path.name}, line {element.sourceline}: not a Disqus export (expected <disqus>)."
                        )
                    continue
                if parent.getparent() is not None:
                    continue
                name = local_name(element.tag)
                if name == "thread":
                    yield self._thread(element)
                elif name == "post":
                    yield self._post(element)
                elif name == "category" and not self.forum:
                    self.forum = child_text(element, "forum")
                release(element)
        except etree.XMLSyntaxError as exc:
            raise syntax_error(path, exc) from exc
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
            link=child_text(element, "link"),
            title=child_text(element, "title"),
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
        created = parse_iso(child_text(element, "createdAt"))
        if created is None:
            raise self._fail(element, "the post has no readable <createdAt>.")
        author = _child(element, "author")
        return DisqusPost(
            line=element.sourceline,
            post_id=post_id,
            thread_id=thread_id,
            parent_id=_dsq_id(parent) if parent is not None else "",
            author=child_text(author, "name") if author is not None else "",
            email=child_text(author, "email") if author is not None else "",
            message=child_raw_text(element, "message"),
            created_at=created,
            is_deleted=_flag(element, "isDeleted"),
            is_spam=_flag(element, "isSpam"),
            is_approved=_flag(element, "isApproved", default=True),
        )
