"""An article's body as self-contained HTML for feed readers and the API: absolute links and images."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

from dateline.core.media import rendition_or_none


def absolute(base: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else base.rstrip("/") + url


def publisher(base: str) -> dict[str, Any]:
    """The site as the publisher of its pages, in schema.org's terms (JSON-LD)."""
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute(base, "/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(base, static("dateline/logo.png")),
            "width": 600,
            "height": 60,
        },
    }


def body_html(article: Any, *, base: str, corrections: list[Any] | None = None) -> str:
    parts: list[str] = []
    if article.standfirst:
        parts.append(format_html("<p><strong>{}</strong></p>", article.standfirst))
    for block in article.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            html = expand_db_html(value.source)
            parts.append(html.replace('href="/', f'href="{base.rstrip("/")}/'))
        elif kind == "heading":
            parts.append(format_html("<h2>{}</h2>", value))
        elif kind == "quote":
            parts.append(
                format_html(
                    "<blockquote><p>{}</p>{}</blockquote>",
                    value["text"],
                    format_html("<footer>{}</footer>", value["attribution"])
                    if value.get("attribution")
                    else "",
                )
            )
        elif kind == "image" and value.get("image") is not None:
            rendition = rendition_or_none(value["image"], "width-1200")
            if rendition is None:
                continue
            parts.append(
                format_html(
                    '<figure><img src="{}" width="{}" height="{}" alt="{}"><figcaption>{}</figcaption></figure>',
                    absolute(base, rendition.url),
                    rendition.width,
                    rendition.height,
                    value["image"].default_alt_text or "",
                    value.get("caption", ""),
                )
            )
        elif kind == "embed":
            url = getattr(value.get("embed"), "url", "")
            if url:
                parts.append(
                    format_html('<p><a href="{}">{}</a></p>', url, value.get("caption") or url)
                )
        elif kind in RICHER:
            html = RICHER[kind](value, base)
            if html:
                parts.append(html)
    if corrections:
        parts.append(
            "<h2>Corrections and updates</h2><ul>"
            + "".join(
                f"<li>{escape(c.get_kind_display())}, {c.noted_at:%d %B %Y}: {escape(c.text)}</li>"
                for c in corrections
            )
            + "</ul>"
        )
    return "\n".join(parts)


def _gallery(value: Any, base: str) -> str:
    pictures = []
    for item in value["images"]:
        image = item["image"]
        if image is None:
            continue
        rendition = rendition_or_none(image, "width-800")
        if rendition is None:
            continue
        caption = " ".join(p for p in (item["caption"], item["credit"]) if p)
        pictures.append(
            format_html(
                '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
                absolute(base, rendition.url),
                rendition.width,
                rendition.height,
                item["alt"] or image.default_alt_text or "",
                format_html("<figcaption>{}</figcaption>", caption) if caption else "",
            )
        )
    if not pictures:
        return ""
    caption = format_html("<p>{}</p>", value["caption"]) if value["caption"] else ""
    return "".join(pictures) + caption


def _table(value: Any, base: str) -> str:
    table = value["table"]
    if not table.row_data:
        return ""
    head = "".join(format_html("<th>{}</th>", c["heading"]) for c in table.columns)
    rows = []
    for row in table.rows:
        cells = [
            format_html("<td>{}</td>", mark_safe(expand_db_html(cell.value.source)))  # noqa: S308
            if cell.block.name == "rich_text"
            else format_html("<td>{}</td>", cell.value)
            for cell in row
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = format_html("<caption>{}</caption>", table.caption) if table.caption else ""
    source = format_html("<p>Source: {}</p>", value["source"]) if value["source"] else ""
    html = f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return html.replace('href="/', f'href="{base.rstrip("/")}/') + source


def _fact_box(value: Any, base: str) -> str:
    body = expand_db_html(value["body"].source).replace('href="/', f'href="{base.rstrip("/")}/')
    return format_html("<aside><h3>{}</h3>{}</aside>", value["title"], mark_safe(body))  # noqa: S308


def _timeline(value: Any, base: str) -> str:
    events = "".join(
        format_html(
            "<li><strong>{}</strong>: {}{}</li>",
            e["when"],
            e["title"],
            format_html(". {}", e["text"]) if e["text"] else "",
        )
        for e in value["events"]
    )
    title = format_html("<h3>{}</h3>", value["title"]) if value["title"] else ""
    return f"{title}<ol>{events}</ol>" if events else ""


def _pull_quote(value: Any, base: str) -> str:
    return format_html(
        "<blockquote><p>{}</p>{}</blockquote>",
        value["text"],
        format_html("<footer>{}</footer>", value["attribution"]) if value["attribution"] else "",
    )


def _related_link(value: Any, base: str) -> str:
    page = value["page"]
    if value["url"]:
        href, title = value["url"], value["title"]
    elif page is not None and page.live:
        href, title = absolute(base, page.url), value["title"] or page.title
    else:
        return ""
    return format_html('<p>{}: <a href="{}">{}</a></p>', value["label"] or "Read more", href, title)


# The richer blocks (news/blocks.py) as plain HTML a feed reader shows without our stylesheet.
RICHER = {
    "gallery": _gallery,
    "table": _table,
    "fact_box": _fact_box,
    "timeline": _timeline,
    "pull_quote": _pull_quote,
    "related_link": _related_link,
}


def as_safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - built from our own rendered blocks and escaped values
