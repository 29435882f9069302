"""Small readings of parsed HTML shared by the importers: an element's text, a safe link."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

_SPACES = re.compile(r"\s+")


def safe_href(href: str | None) -> str | None:
    """A link target readers may follow: http(s), mailto or a path; None for anything else."""
    if not href:
        return None
    href = href.strip()
    if href.startswith("//"):
        href = "https:" + href
    scheme = urlparse(href).scheme.lower()
    if scheme in ("http", "https", "mailto") or (
        not scheme and not href.lower().startswith("javascript")
    ):
        return href
    return None


def is_element(node: Any) -> bool:
    return isinstance(node.tag, str)


def squash(text: str) -> str:
    return _SPACES.sub(" ", text)


def text_of(element: Any) -> str:
    """An element's visible text, whitespace squashed."""
    if element is None:
        return ""
    parts = [t for t in element.itertext() if t]
    return squash("".join(parts)).strip()


def preformatted_text(element: Any) -> str:
    """The text of a ``<pre>`` as typed, line by line, a blank first line included (code often
    starts with one). WordPress's block editor ends its lines with ``<br>``, not a newline: each
    one becomes a newline (the element is changed). A newline right after ``<pre>``'s start tag
    is not text (HTML ignores it; lxml keeps it); a newline anywhere else is, and only the
    trailing ones are dropped."""
    leading = element.tag == "pre" and (element.text or "").startswith("\n")
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    text = "".join(element.itertext())
    return (text[1:] if leading else text).rstrip("\n")


def classes_of(element: Any) -> list[str]:
    return (element.get("class") or "").split()
