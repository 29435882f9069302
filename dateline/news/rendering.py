"""An article's body as self-contained HTML for feed readers and the API: absolute links and images."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html


def absolute(base: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else base.rstrip("/") + url


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
            rendition = value["image"].get_rendition("width-1200")
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


def as_safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - built from our own rendered blocks and escaped values
