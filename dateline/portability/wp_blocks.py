"""The richer article blocks in WordPress HTML, both ways (docs/blocks.md, "In WordPress").

A gallery, a table and a pull quote are written as WordPress's own blocks write them
(``wp-block-gallery``, ``wp-block-table``, ``wp-block-pullquote``), so a WordPress site shows
them as its galleries, tables and pull quotes, and a WordPress export's come in as ours. A fact
box, a timeline and a related link have no WordPress equivalent: they leave as plain HTML after
a comment marker (``<!-- dateline:fact-box -->``) with a class of ours, which a WordPress theme
shows as ordinary text and lists, and which our import reads back into the block.

Import never keeps markup from the file: text is read from the parsed tree and rebuilt with
the importer's own small set of inline tags (``inline``), as for every other block.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any, Protocol

from .htmltext import classes_of, is_element, safe_href, text_of

Block = tuple[str, Any]

FACT_BOX_CLASS = "dateline-fact-box"
TIMELINE_CLASS = "dateline-timeline"
RELATED_CLASS = "dateline-related-link"
COLUMN_CLASS = "dateline-column-"  # + the cell type, on a table's header cells
# The sizes the blocks allow (news/blocks.py); longer text from a file is cut.
CAPTION_MAX, CREDIT_MAX, ALT_MAX = 300, 120, 250
HEADING_MAX, CELL_MAX, FIGURES_MAX, RICH_CELL_MAX = 300, 300, 60, 600
TITLE_MAX, WHEN_MAX, EVENT_TITLE_MAX, EVENT_TEXT_MAX = 120, 60, 200, 600
LABEL_MAX, LINK_TITLE_MAX, SUMMARY_MAX, PULL_QUOTE_MAX = 40, 200, 240, 280
RIGHT_ALIGNED = "has-text-align-right"
INLINE_MARKUP = {"a", "b", "strong", "i", "em"}


def _e(text: Any) -> str:
    return escape(str(text or ""), quote=False)


def _attr(text: Any) -> str:
    return escape(str(text or ""), quote=True)


# --- Export --------------------------------------------------------------------------------------


class ExportBody(Protocol):
    image_ids: set[int]

    def image_url(self, image: Any) -> str: ...

    def attachment_id(self, image_pk: int) -> int: ...


def _figcaption(caption: str, credit: str, *, extra_class: str = "") -> str:
    inner = _e(caption) + (f"<cite>{_e(credit)}</cite>" if credit else "")
    if not inner:
        return ""
    classes = f"{extra_class} wp-element-caption".strip()
    return f'<figcaption class="{classes}">{inner}</figcaption>'


def gallery_html(value: Any, body: ExportBody) -> str:
    pictures = []
    for item in value["images"]:
        image = item["image"]
        if image is None:
            continue
        body.image_ids.add(image.pk)
        alt = item["alt"] or image.title
        pictures.append(
            f'<figure class="wp-block-image"><img class="wp-image-{body.attachment_id(image.pk)}" '
            f'src="{_attr(body.image_url(image))}" alt="{_attr(alt)}"/>'
            f"{_figcaption(item['caption'], item['credit'])}</figure>"
        )
    if not pictures:
        return ""
    caption = _figcaption(value["caption"], "", extra_class="blocks-gallery-caption")
    return (
        '<figure class="wp-block-gallery has-nested-images columns-default">'
        f"{''.join(pictures)}{caption}</figure>"
    )


def table_html(value: Any, rich_text: Callable[[Any], str]) -> str:
    table = value["table"]
    kinds = [column["block"].name for column in table.columns]

    def cell_attrs(kind: str, *, header: bool = False) -> str:
        classes = [f"{COLUMN_CLASS}{kind}"] if header else []
        if kind == "figures":
            classes.insert(0, RIGHT_ALIGNED)
        return (
            f' class="{" ".join(classes)}"' + (' data-align="right"' if kind == "figures" else "")
            if classes
            else ""
        )

    head = "".join(
        f"<th{cell_attrs(kind, header=True)}>{_e(column['heading'])}</th>"
        for kind, column in zip(kinds, table.columns, strict=True)
    )
    rows = []
    for row in table.row_data:
        cells = []
        for index, (kind, cell) in enumerate(zip(kinds, row["values"], strict=True)):
            html = rich_text(cell) if kind == "rich_text" else _e(cell)
            if index == 0 and value["row_headers"]:
                cells.append(f'<th scope="row"{cell_attrs(kind)}>{html}</th>')
            else:
                cells.append(f"<td{cell_attrs(kind)}>{html}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    source = f"Source: {value['source']}" if value["source"] else ""
    return (
        f'<figure class="wp-block-table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{_figcaption(table.caption, source)}</figure>"
    )


def pull_quote_html(value: Any) -> str:
    cite = f"<cite>{_e(value['attribution'])}</cite>" if value["attribution"] else ""
    return (
        f'<figure class="wp-block-pullquote"><blockquote><p>{_e(value["text"])}</p>{cite}'
        "</blockquote></figure>"
    )


def fact_box_html(value: Any, rich_text: Callable[[Any], str]) -> str:
    return (
        f'<!-- dateline:fact-box -->\n<aside class="{FACT_BOX_CLASS}"><h3>{_e(value["title"])}</h3>'
        f"{rich_text(value['body'])}</aside>"
    )


def timeline_html(value: Any) -> str:
    title = f"<h3>{_e(value['title'])}</h3>" if value["title"] else ""
    events = "".join(
        f'<li><p><strong class="{TIMELINE_CLASS}-when">{_e(event["when"])}</strong> '
        f'<span class="{TIMELINE_CLASS}-title">{_e(event["title"])}</span></p>'
        + (f"<p>{_e(event['text'])}</p>" if event["text"] else "")
        + "</li>"
        for event in value["events"]
    )
    return (
        f'<!-- dateline:timeline -->\n<div class="{TIMELINE_CLASS}">{title}<ol>{events}</ol></div>'
    )


def related_link_html(value: Any, page_url: Callable[[Any], str]) -> str:
    """Empty for a page no longer live: readers would not find it either."""
    page = value["page"]
    if value["url"]:
        href, title = value["url"], value["title"]
    elif page is not None and page.live:
        href, title = page_url(page), value["title"] or page.title
    else:
        return ""
    label = f'<p class="{RELATED_CLASS}-label">{_e(value["label"])}</p>' if value["label"] else ""
    summary = (
        f'<p class="{RELATED_CLASS}-summary">{_e(value["summary"])}</p>' if value["summary"] else ""
    )
    return (
        f'<!-- dateline:related-link -->\n<aside class="{RELATED_CLASS}">{label}'
        f'<p><a href="{_attr(href)}">{_e(title)}</a></p>{summary}</aside>'
    )


# --- Import --------------------------------------------------------------------------------------


class ImportBuilder(Protocol):
    """What the body importer (html._BodyBuilder) lends these readers."""

    image_for: Callable[[str, str], Any]

    def inline_children(self, element: Any, out: list[str], *, squash: bool = True) -> None: ...

    def list_html(self, element: Any) -> str: ...

    def missing_image(self) -> None: ...


def kind_of(tag: str, classes: list[str]) -> str | None:
    """Which of these blocks an element of a WordPress body is, if any."""
    if "wp-block-gallery" in classes or "blocks-gallery-grid" in classes:
        return "gallery"
    if "wp-block-pullquote" in classes:
        return "pull_quote"
    if tag == "table" or (tag == "figure" and "wp-block-table" in classes):
        return "table"
    if FACT_BOX_CLASS in classes:
        return "fact_box"
    if TIMELINE_CLASS in classes:
        return "timeline"
    if RELATED_CLASS in classes:
        return "related_link"
    return None


def _children(element: Any, *tags: str) -> list[Any]:
    return [c for c in element if is_element(c) and c.tag.lower() in tags]


def _caption_and_credit(figcaption: Any) -> tuple[str, str]:
    if figcaption is None:
        return "", ""
    credit = ""
    cite = figcaption.find(".//cite")
    if cite is not None:
        credit = text_of(cite)
        cite.drop_tree()
    return text_of(figcaption), credit


def _inline(builder: ImportBuilder, element: Any) -> str:
    out: list[str] = []
    builder.inline_children(element, out)
    return "".join(out).strip()


def gallery_blocks(element: Any, builder: ImportBuilder) -> list[Block]:
    """A gallery of the pictures found; one picture is an image block, none is nothing."""
    captions = _children(element, "figcaption")
    marked = [c for c in captions if "blocks-gallery-caption" in classes_of(c)]
    own_caption = (marked or captions or [None])[0]
    caption = text_of(own_caption) if own_caption is not None else ""
    if own_caption is not None:
        own_caption.drop_tree()
    pictures = []
    for img in list(element.iter("img")):
        holder = next((a for a in img.iterancestors() if a.tag in ("figure", "li")), None)
        figcaption = holder.find(".//figcaption") if holder is not None else None
        item_caption, credit = _caption_and_credit(figcaption)
        src = (img.get("src") or "").strip()
        alt = (img.get("alt") or "").strip()
        image = builder.image_for(src, alt) if src else None
        if image is None:
            builder.missing_image()
            continue
        pictures.append(
            {
                "image": image,
                "alt": ""
                if alt in (image.title, getattr(image, "description", ""))
                else alt[:ALT_MAX],
                "caption": item_caption[:CAPTION_MAX],
                "credit": credit[:CREDIT_MAX],
            }
        )
    if len(pictures) == 1:
        only = pictures[0]
        return [
            (
                "image",
                {
                    "image": only["image"],
                    "caption": only["caption"] or caption[:CAPTION_MAX],
                    "credit": only["credit"],
                },
            )
        ]
    if not pictures:
        return [("paragraph", f"<p>{_e(caption)}</p>")] if caption else []
    return [("gallery", {"images": pictures, "caption": caption[:CAPTION_MAX]})]


def _column_kind(header: Any, cells: list[Any]) -> str:
    marked = (
        [c[len(COLUMN_CLASS) :] for c in classes_of(header) if c.startswith(COLUMN_CLASS)]
        if header is not None
        else []
    )
    if marked and marked[0] in ("text", "figures", "rich_text"):
        return marked[0]
    everything = [c for c in [header, *cells] if c is not None]
    if everything and all(
        RIGHT_ALIGNED in classes_of(c) or c.get("data-align") == "right"
        for c in cells or everything
    ):
        return "figures"
    if any(d.tag in INLINE_MARKUP for c in cells for d in c.iter() if is_element(d)):
        return "rich_text"
    return "text"


def table_block(element: Any, builder: ImportBuilder) -> Block | None:
    """A table block; None for a table without a cell of text."""
    table = element if element.tag.lower() == "table" else element.find(".//table")
    if table is None:
        return None
    figcaption = next(iter(_children(element, "figcaption")), None)
    caption_element = table.find("caption")
    caption, source = _caption_and_credit(figcaption)
    if caption_element is not None:
        caption = caption or text_of(caption_element)
    source = source.removeprefix("Source:").strip()
    rows = [
        [c for c in row if is_element(c) and c.tag.lower() in ("td", "th")]
        for row in table.iter("tr")
    ]
    rows = [row for row in rows if row]
    if not rows or not any(text_of(c) for row in rows for c in row):
        return None
    head_rows = [
        r for r in table.iter("tr") if r.getparent() is not None and r.getparent().tag == "thead"
    ]
    if head_rows or all(c.tag.lower() == "th" for c in rows[0]):
        header, body = rows[0], rows[1:]
    else:
        header, body = [], rows
    width = max(len(row) for row in rows)
    header = header + [None] * (width - len(header))
    body = [row + [None] * (width - len(row)) for row in body]
    kinds = [
        _column_kind(header[i], [row[i] for row in body if row[i] is not None])
        for i in range(width)
    ]
    limits = {"text": CELL_MAX, "figures": FIGURES_MAX}

    def cell(kind: str, element: Any) -> str:
        if element is None:
            return "" if kind != "rich_text" else "<p></p>"
        if kind == "rich_text":
            html = _inline(builder, element)
            return (
                f"<p>{html}</p>"
                if len(html) <= RICH_CELL_MAX
                else f"<p>{_e(text_of(element)[:RICH_CELL_MAX])}</p>"
            )
        return text_of(element)[: limits[kind]]

    row_headers = bool(body) and all(
        row[0] is not None and row[0].tag.lower() == "th" for row in body
    )
    return (
        "table",
        {
            "table": {
                "caption": caption[:CAPTION_MAX],
                "columns": [
                    {"type": kind, "heading": text_of(h)[:HEADING_MAX] if h is not None else ""}
                    for kind, h in zip(kinds, header, strict=True)
                ],
                "rows": [
                    {"values": [cell(kind, c) for kind, c in zip(kinds, row, strict=True)]}
                    for row in body
                ],
            },
            "row_headers": row_headers,
            "source": source[:CAPTION_MAX],
        },
    )


def pull_quote_block(element: Any) -> Block | None:
    cite = element.find(".//cite")
    attribution = text_of(cite) if cite is not None else ""
    if cite is not None:
        cite.drop_tree()
    paragraphs = [text_of(p) for p in element.iter("p")]
    text = " ".join(p for p in paragraphs if p) or text_of(element)
    if not text:
        return None
    return ("pull_quote", {"text": text[:PULL_QUOTE_MAX], "attribution": attribution[:200]})


def fact_box_block(element: Any, builder: ImportBuilder) -> Block | None:
    heading = next(iter(_children(element, "h2", "h3", "h4", "h5", "h6")), None)
    title = text_of(heading)
    parts = []
    for child in element:
        if not is_element(child) or child is heading:
            continue
        if child.tag.lower() in ("ul", "ol"):
            parts.append(builder.list_html(child))
        else:
            inner = _inline(builder, child)
            if inner:
                parts.append(f"<p>{inner}</p>")
    body = "".join(p for p in parts if p)
    if not title and not body:
        return None
    return ("fact_box", {"title": (title or "In brief")[:TITLE_MAX], "body": body})


def timeline_block(element: Any) -> Block | None:
    heading = next(iter(_children(element, "h2", "h3", "h4", "h5", "h6")), None)
    events = []
    for item in element.iter("li"):
        when = item.find(f".//*[@class='{TIMELINE_CLASS}-when']")
        title = item.find(f".//*[@class='{TIMELINE_CLASS}-title']")
        paragraphs = _children(item, "p")
        text = text_of(paragraphs[1]) if len(paragraphs) > 1 else ""
        if when is None and title is None:
            continue
        events.append(
            {
                "when": text_of(when)[:WHEN_MAX],
                "title": text_of(title)[:EVENT_TITLE_MAX],
                "text": text[:EVENT_TEXT_MAX],
            }
        )
    if not events:
        return None
    return ("timeline", {"title": text_of(heading)[:TITLE_MAX], "events": events})


def related_link_block(element: Any) -> Block | None:
    """Always a link by address: the page it named on the old site is found by its address
    (the import's redirects lead there)."""
    link = next((a for a in element.iter("a") if safe_href(a.get("href"))), None)
    if link is None:
        return None
    label = element.find(f".//*[@class='{RELATED_CLASS}-label']")
    summary = element.find(f".//*[@class='{RELATED_CLASS}-summary']")
    return (
        "related_link",
        {
            "label": text_of(label)[:LABEL_MAX],
            "page": None,
            "url": safe_href(link.get("href")),
            "title": (text_of(link) or str(safe_href(link.get("href"))))[:LINK_TITLE_MAX],
            "summary": text_of(summary)[:SUMMARY_MAX],
        },
    )


def read_block(kind: str, element: Any, builder: ImportBuilder) -> list[Block]:
    """The blocks for an element ``kind_of`` named."""
    if kind == "gallery":
        return gallery_blocks(element, builder)
    readers: dict[str, Callable[[], Block | None]] = {
        "table": lambda: table_block(element, builder),
        "pull_quote": lambda: pull_quote_block(element),
        "fact_box": lambda: fact_box_block(element, builder),
        "timeline": lambda: timeline_block(element),
        "related_link": lambda: related_link_block(element),
    }
    block = readers[kind]()
    return [block] if block is not None else []
