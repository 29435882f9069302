"""WordPress HTML into our article blocks (comment bodies: ``comment_text``).

Article bodies become the blocks of ``dateline.news.blocks.ArticleBodyBlock``: paragraphs (the
rich text keeps bold, italic, links, super/subscript, strikethrough, line breaks and lists),
headings, quotes, images found locally, and embeds; galleries, tables, pull quotes and our own
fact boxes, timelines and related links are read by ``wp_blocks``. Everything is rebuilt from the parsed tree
with our own small set of tags and escaped text, so no markup from the file reaches a page as
it was written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlparse

import lxml.html
from lxml import etree
from wagtail.embeds.blocks import EmbedValue

from . import wp_blocks
from .htmltext import is_element, preformatted_text, safe_href, text_of
from .htmltext import squash as _squash

Block = tuple[str, Any]

_INLINE_TAGS = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "sup": "sup",
    "sub": "sub",
    "s": "s",
    "del": "s",
    "strike": "s",
}
# Dropped with their content: scripts, players, forms, and WordPress's own chrome.
DROPPED_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "audio",
    "video",
    "noscript",
    "svg",
    "canvas",
    "map",
    "template",
    "head",
    "title",
    "meta",
    "link",
}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Containers whose children are read as if they stood at the top level.
_CONTAINERS = {
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "center",
    "details",
    "summary",
    "nav",
    "dl",
    "dt",
    "dd",
    "address",
    "figcaption",
    "body",
    "html",
    "hgroup",
}
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_SHORTCODE_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
_CAPTION_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL)
_SHORTCODES = re.compile(
    r"\[/?(?:gallery|audio|video|embed|playlist|caption|wp_caption|code|sourcecode)\b[^\]]*\]",
    re.IGNORECASE,
)
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")

HEADING_MAX, CAPTION_MAX, ATTRIBUTION_MAX, CREDIT_MAX = 160, 300, 200, 120
# Our export wraps a paragraph block holding several paragraphs or lists in this.
RICHTEXT_CLASS = "dateline-richtext"


def strip_size_suffix(url: str) -> str:
    """``photo-300x200.jpg`` → ``photo.jpg``: WordPress links to resized copies of an upload."""
    return _SIZE_SUFFIX.sub("", url)


def parse_fragment(html: str) -> Any:
    return lxml.html.fragment_fromstring(html, create_parent="div")


# --- Article bodies ---------------------------------------------------------------------------------


@dataclass
class BodyResult:
    blocks: list[Block] = field(default_factory=list)
    images_missing: int = 0
    dropped: Counter[str] = field(default_factory=Counter)


class _BodyBuilder:
    def __init__(self, image_for: Callable[[str, str], Any]) -> None:
        self.image_for = image_for
        self.result = BodyResult()
        self.inline: list[str] = []
        self.pending_images: list[Any] = []

    # Inline content --------------------------------------------------------------------------
    def inline_children(self, element: Any, out: list[str], *, squash: bool = True) -> None:
        if element.text:
            out.append(escape(_squash(element.text) if squash else element.text, quote=False))
        for child in element:
            if is_element(child):
                self.inline_element(child, out)
            if child.tail:
                out.append(escape(_squash(child.tail) if squash else child.tail, quote=False))

    def inline_element(self, element: Any, out: list[str]) -> None:
        tag = element.tag.lower()
        if tag in DROPPED_TAGS:
            self.result.dropped[tag] += 1
            return
        if tag == "img":
            self.pending_images.append((element, ""))
            return
        if tag == "br":
            out.append("<br/>")
            return
        if tag in ("ul", "ol"):
            out.append(self.list_html(element))
            return
        if tag == "a":
            href = safe_href(element.get("href"))
            if href:
                out.append(f'<a href="{escape(href)}">')
                self.inline_children(element, out)
                out.append("</a>")
                return
        wrap = _INLINE_TAGS.get(tag)
        if wrap:
            out.append(f"<{wrap}>")
            self.inline_children(element, out)
            out.append(f"</{wrap}>")
        else:
            self.inline_children(element, out)

    def list_html(self, element: Any) -> str:
        tag = element.tag.lower()
        items: list[str] = []
        for child in element:
            if not is_element(child):
                continue
            out: list[str] = []
            if child.tag.lower() == "li":
                self.inline_children(child, out)
            else:
                self.inline_element(child, out)
            inner = "".join(out).strip()
            if inner:
                items.append(f"<li>{inner}</li>")
        return f"<{tag}>{''.join(items)}</{tag}>" if items else ""

    # Blocks ------------------------------------------------------------------------------------
    def flush(self) -> None:
        html = "".join(self.inline).strip()
        while html.startswith("<br/>"):
            html = html[5:].strip()
        while html.endswith("<br/>"):
            html = html[:-5].strip()
        self.inline = []
        if html:
            self.result.blocks.append(("paragraph", f"<p>{html}</p>"))
        self.flush_images()

    def flush_images(self) -> None:
        images, self.pending_images = self.pending_images, []
        for element, caption in images:
            self.image(element, caption)

    def missing_image(self) -> None:
        self.result.images_missing += 1

    def image(self, element: Any, caption: str, credit: str = "") -> None:
        src = (element.get("src") or "").strip()
        image = self.image_for(src, element.get("alt") or "") if src else None
        if image is None:
            self.missing_image()
            return
        self.result.blocks.append(
            (
                "image",
                {"image": image, "caption": caption[:CAPTION_MAX], "credit": credit[:CREDIT_MAX]},
            )
        )

    def top_text(self, text: str | None) -> None:
        """Text between blocks, WordPress style: a blank line ends a paragraph, a single newline
        is a line break."""
        if not text:
            return
        parts = _BLANK_LINE.split(text)
        for index, part in enumerate(parts):
            if index:
                self.flush()
            lines = [_squash(line) for line in part.split("\n")]
            kept = [line.strip() for line in lines if line.strip()]
            if not kept:
                if self.inline and part:
                    self.inline.append(" ")  # the space between two inline elements
                continue
            joined = "<br/>".join(escape(line, quote=False) for line in kept)
            if lines[0][:1] == " " or not lines[0]:
                joined = " " + joined
            if lines[-1][-1:] == " " or not lines[-1]:
                joined += " "
            self.inline.append(joined)

    def container(self, element: Any) -> None:
        self.top_text(element.text)
        for child in element:
            if is_element(child):
                self.block(child)
            self.top_text(child.tail)

    def block(self, element: Any) -> None:
        tag = element.tag.lower()
        classes = (element.get("class") or "").split()
        if tag in DROPPED_TAGS:
            self.result.dropped[tag] += 1
        elif (kind := wp_blocks.kind_of(tag, classes)) is not None:
            # Galleries, tables, pull quotes; our own fact boxes, timelines, related links.
            self.flush()
            for unwanted in [e for e in element.iter() if is_element(e) and e.tag in DROPPED_TAGS]:
                self.result.dropped[unwanted.tag] += 1
                unwanted.drop_tree()
            self.result.blocks.extend(wp_blocks.read_block(kind, element, self))
        elif tag == "div" and RICHTEXT_CLASS in classes:
            # One paragraph block of our own export, holding several paragraphs or lists.
            self.flush()
            parts: list[str] = []
            for child in element:
                if not is_element(child):
                    continue
                if child.tag.lower() in ("ul", "ol"):
                    parts.append(self.list_html(child))
                else:
                    inner: list[str] = []
                    self.inline_children(child, inner)
                    if "".join(inner).strip():
                        parts.append(f"<p>{''.join(inner).strip()}</p>")
            if parts:
                self.result.blocks.append(("paragraph", "".join(parts)))
            self.flush_images()
        elif tag == "p":
            self.flush()
            out: list[str] = []
            self.inline_children(element, out)
            self.inline = out
            self.flush()
        elif tag in HEADING_TAGS:
            self.flush()
            text = text_of(element)
            if text:
                self.result.blocks.append(("heading", text[:HEADING_MAX]))
            self.collect_images(element)
            self.flush_images()
        elif tag in ("ul", "ol"):
            self.flush()
            html = self.list_html(element)
            if html:
                self.result.blocks.append(("paragraph", html))
            self.flush_images()
        elif tag == "blockquote":
            self.flush()
            self.quote(element)
        elif tag == "figure":
            self.flush()
            self.figure(element, classes)
        elif tag == "img":
            self.flush()
            self.image(element, "")
        elif tag == "pre":
            self.flush()
            text = preformatted_text(element)
            if text.strip():
                lines = "<br/>".join(escape(line, quote=False) for line in text.split("\n"))
                self.result.blocks.append(("paragraph", f"<p>{lines}</p>"))
        elif tag == "hr":
            self.flush()
        elif tag in _CONTAINERS or tag == "figure":
            self.flush()
            self.container(element)
            self.flush()
        else:
            self.inline_element(element, self.inline)

    def collect_images(self, element: Any) -> None:
        for img in element.iter("img"):
            self.pending_images.append((img, ""))

    def quote(self, element: Any) -> None:
        cite = next(
            (c for c in element.iter() if is_element(c) and c.tag.lower() in ("cite", "footer")),
            None,
        )
        attribution = text_of(cite)
        if cite is not None:
            cite.drop_tree()
        paragraphs = [text_of(p) for p in element.iter("p")]
        text = "\n\n".join(p for p in paragraphs if p) or text_of(element)
        if text:
            self.result.blocks.append(
                ("quote", {"text": text, "attribution": attribution[:ATTRIBUTION_MAX]})
            )

    def figure(self, element: Any, classes: list[str]) -> None:
        caption_element = next(
            (c for c in element if is_element(c) and c.tag.lower() == "figcaption"), None
        )
        credit = ""
        if caption_element is not None:
            cite = caption_element.find(".//cite")
            if cite is not None:
                credit = text_of(cite)
                cite.drop_tree()
        caption = text_of(caption_element)
        if "wp-block-embed" in classes:
            wrapper = next(
                (
                    c
                    for c in element.iter()
                    if is_element(c) and "wp-block-embed__wrapper" in (c.get("class") or "")
                ),
                None,
            )
            url = text_of(wrapper) if wrapper is not None else ""
            if url and safe_href(url) and urlparse(url).scheme in ("http", "https"):
                self.result.blocks.append(
                    ("embed", {"embed": EmbedValue(url), "caption": caption[:CAPTION_MAX]})
                )
            else:
                self.result.dropped["embed"] += 1
            return
        images = list(element.iter("img"))
        if images and not element.findall(".//blockquote"):
            for img in images:
                if len(images) == 1:
                    self.image(img, caption, credit)
                else:
                    self.image(img, "")
            if len(images) > 1 and caption:
                self.result.blocks.append(("paragraph", f"<p>{escape(caption, quote=False)}</p>"))
            return
        if caption_element is not None:
            caption_element.drop_tree()
        self.container(element)
        self.flush()
        if caption:
            self.result.blocks.append(("paragraph", f"<p>{escape(caption, quote=False)}</p>"))


def _expand_caption_shortcodes(html: str) -> str:
    def figure(match: re.Match[str]) -> str:
        inner = match.group(1)
        found = _CAPTION_IMAGE.match(inner)
        if not found:
            return inner
        return f"<figure>{found.group(1)}<figcaption>{found.group(2).strip()}</figcaption></figure>"

    return _SHORTCODES.sub("", _SHORTCODE_CAPTION.sub(figure, html))


def html_to_blocks(html: str, *, image_for: Callable[[str, str], Any]) -> BodyResult:
    """Article blocks from a WordPress post body.

    ``image_for(src, alt)`` returns a Wagtail image for an image address, or None when the file
    is not available (the image is then left out and counted in ``images_missing``).
    """
    builder = _BodyBuilder(image_for)
    html = _expand_caption_shortcodes(html or "")
    if not html.strip():
        return builder.result
    try:
        root = parse_fragment(html)
    except (etree.ParserError, ValueError):
        return builder.result
    builder.container(root)
    builder.flush()
    return builder.result


def html_to_text(html: str) -> str:
    """Visible text of a little HTML (excerpts, captions)."""
    if not (html or "").strip():
        return ""
    try:
        return text_of(parse_fragment(html))
    except (etree.ParserError, ValueError):
        return _squash(html).strip()
