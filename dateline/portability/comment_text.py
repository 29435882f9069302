"""WordPress's and Disqus's comment HTML into our stored comment text, and back for the export.

Our text is plain text with the small Markdown the comment renderer reads (paragraphs,
emphasis, links, quotes, code); the HTML shown is rendered from it when it is stored, as for a
posted comment (``comments.bodies``).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from lxml import etree
from markdown_it import MarkdownIt

from .html import DROPPED_TAGS, HEADING_TAGS, is_element, parse_fragment, safe_href
from .htmltext import preformatted_text

_MANY_NEWLINES = re.compile(r"\n{3,}")
_BACKTICKS = re.compile(r"`+")
_FENCE = re.compile(r"^`{3,}(?=[^`]*$)")


def _comment_walk(element: Any, out: list[str]) -> None:
    if element.text:
        out.append(element.text)
    for child in element:
        if is_element(child):
            _comment_element(child, out)
        if child.tail:
            out.append(child.tail)


def _comment_inner(element: Any) -> str:
    out: list[str] = []
    _comment_walk(element, out)
    return "".join(out)


def _comment_element(element: Any, out: list[str]) -> None:
    tag = element.tag.lower()
    if tag in DROPPED_TAGS:
        return
    if tag == "br":
        out.append("\n")
    elif tag == "pre":
        out.append(_fenced(element))
    elif tag in ("p", "div", "ul", "ol", "table", "tr") or tag in HEADING_TAGS:
        out.append("\n\n" + _comment_inner(element).strip("\n") + "\n\n")
    elif tag == "li":
        out.append("\n- " + _comment_inner(element).strip())
    elif tag == "blockquote":
        inner = _MANY_NEWLINES.sub("\n\n", _comment_inner(element).strip())
        quoted = "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))
        out.append(f"\n\n{quoted}\n\n")
    elif tag in ("b", "strong"):
        inner = _comment_inner(element)
        out.append(f"**{inner}**" if inner.strip() else inner)
    elif tag in ("i", "em"):
        inner = _comment_inner(element)
        out.append(f"*{inner}*" if inner.strip() else inner)
    elif tag == "code":
        inner = _comment_inner(element)
        out.append(f"`{inner}`" if inner.strip() else inner)
    elif tag == "a":
        inner = _comment_inner(element).strip()
        href = safe_href(element.get("href"))
        if href and inner and inner != href:
            out.append(f"[{inner}]({href})")
        else:
            out.append(href or inner)
    elif tag == "img":
        out.append(element.get("alt") or "")
    else:
        _comment_walk(element, out)


def _fenced(element: Any) -> str:
    """Preformatted text as a fenced code block: kept as typed, indents and all."""
    code = preformatted_text(element)
    if not code.strip():
        return "\n\n"
    fence = "`" * max(3, 1 + max((len(run) for run in _BACKTICKS.findall(code)), default=0))
    return f"\n\n{fence}\n{code}\n{fence}\n\n"


def _unindented(text: str) -> str:
    """Every line outside a fenced block without its indent (HTML shows none, and in Markdown
    an indented line after a blank one would start a code block), and no more than one blank
    line in a row there; a fenced block's lines as they are, blank ones included."""
    lines: list[str] = []
    fence = ""
    for line in text.split("\n"):
        if fence:
            lines.append(line.rstrip())
            if line.strip() == fence:
                fence = ""
            continue
        line = line.strip()
        if (opening := _FENCE.match(line)) is not None:
            fence = opening.group(0)
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines)


def comment_text_from_html(html: str) -> str:
    """Our stored comment text from a comment written in WordPress's or Disqus's HTML.

    Paragraphs and line breaks stay, links become ``[text](address)`` (or the bare address),
    emphasis becomes ``*…*`` and ``**…**``; every other tag is dropped, keeping its text.
    """
    if not (html or "").strip():
        return ""
    try:
        root = parse_fragment(html.replace("\r\n", "\n"))
    except (etree.ParserError, ValueError):
        return html.strip()
    return _unindented(_comment_inner(root)).strip()


# The block rules of the comment renderer (comments.text): where its code blocks are.
_blocks = MarkdownIt("zero").enable(["blockquote", "fence", "code"])


def comment_html_for_export(body: str) -> str:
    """Our comment text as WordPress stores a comment: escaped text (WordPress adds paragraphs
    and line breaks), with each code block, fenced or indented, as ``<pre><code>``: WordPress
    shows it as code, and the import reads it back as a fenced block, blank lines and indents
    kept (an indent outside ``<pre>`` is only HTML's white space)."""
    lines = body.split("\n")
    parts: list[str] = []
    done = 0
    for token in _blocks.parse(body):
        if token.level != 0 or token.type not in ("fence", "code_block") or not token.map:
            continue
        start, end = token.map
        parts.extend(escape(line, quote=False) for line in lines[done:start])
        parts.append(
            f"<pre><code>{escape(token.content.rstrip(chr(10)), quote=False)}</code></pre>"
        )
        done = end
    parts.extend(escape(line, quote=False) for line in lines[done:])
    return "\n".join(parts)
