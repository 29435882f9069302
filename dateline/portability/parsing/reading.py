"""What both readers share: a parser safe for files from elsewhere, names and texts of
elements whatever their namespace's version, dropping what was read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree


class ExportFileError(Exception):
    """The file cannot be read; the message names the file, the line and the problem."""


def open_parser(path: Path, tags: tuple[str, ...] | None = None) -> Any:
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


def syntax_error(path: Path, exc: etree.XMLSyntaxError) -> ExportFileError:
    line = exc.lineno or (exc.position[0] if exc.position else "?")
    message = (exc.msg or str(exc)).split(", line ")[0]
    return ExportFileError(f"{path.name}, line {line}: not well-formed XML ({message}).")


def local_name(tag: Any) -> str:
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


def child_text(element: Any, name: str) -> str:
    for child in element:
        if local_name(child.tag) == name:
            return (child.text or "").strip()
    return ""


def child_raw_text(element: Any, name: str) -> str:
    """Like child_text, without trimming: bodies keep their own spacing."""
    for child in element:
        if local_name(child.tag) == name:
            return child.text or ""
    return ""


def release(element: Any) -> None:
    """Drop a handled element and the finished siblings before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
