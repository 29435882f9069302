"""The richer blocks through a WordPress export (WXR) and back, and WordPress's own galleries,
tables and pull quotes coming in as ours."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from dateline.core.links import page_absolute_url
from dateline.news.models import ArticlePage, Author, HomePage, SectionPage
from dateline.portability.html import html_to_blocks
from dateline.portability.services import wxr_export, wxr_import

pytestmark = pytest.mark.django_db


def describe(block: Any) -> Any:
    """A block as a reader sees it, by what survives a move (image titles, addresses)."""
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        return (kind, value.source)
    if kind == "gallery":
        return (
            kind,
            value["caption"],
            [(i["image"].title, i["alt"], i["caption"], i["credit"]) for i in value["images"]],
        )
    if kind == "table":
        table = value["table"]
        return (
            kind,
            table.caption,
            [(c["block"].name, c["heading"]) for c in table.columns],
            [[getattr(cell, "source", cell) for cell in row["values"]] for row in table.row_data],
            value["row_headers"],
            value["source"],
        )
    if kind == "fact_box":
        return (kind, value["title"], value["body"].source)
    if kind == "timeline":
        return (kind, value["title"], [dict(e) for e in value["events"]])
    if kind == "related_link":
        page = value["page"]
        url = page_absolute_url(page) if page is not None else value["url"]
        title = value["title"] or (page.title if page is not None else "")
        return (kind, value["label"], url, title, value["summary"])
    return (kind, dict(value))


def test_every_block_survives_an_export_and_an_import_into_an_empty_site(
    rich_article: ArticlePage, home: HomePage, tmp_path: Path
) -> None:
    before = [describe(b) for b in rich_article.body]
    export = tmp_path / "dateline.xml"
    wxr_export(path=export)
    text = export.read_text(encoding="utf-8")
    # WordPress's own blocks where it has them, marked HTML where it has none.
    for marker in (
        'class="wp-block-gallery',
        'class="wp-block-table"',
        'class="wp-block-pullquote"',
        "&lt;!-- dateline:fact-box --&gt;"
        if "<![CDATA[" not in text
        else "<!-- dateline:fact-box -->",
        "<!-- dateline:timeline -->",
        "<!-- dateline:related-link -->",
    ):
        assert marker in text
    media_copy = tmp_path / "media-copy"
    shutil.copytree(settings.MEDIA_ROOT, media_copy)
    for section in SectionPage.objects.all():
        section.delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()
    get_image_model().objects.all().delete()
    Redirect.objects.all().delete()

    wxr_import(path=export, home=home, media_dir=media_copy)

    after = ArticlePage.objects.get(slug=rich_article.slug)
    assert [describe(b) for b in after.body] == before


def test_wordpress_gallery_table_and_pull_quote_come_in_as_blocks() -> None:
    """As the block editor of WordPress 6 writes them, delimiters and all."""
    html = """
<!-- wp:gallery {"linkTo":"none"} -->
<figure class="wp-block-gallery has-nested-images columns-default is-cropped"><!-- wp:image {"id":7} -->
<figure class="wp-block-image size-large"><img src="https://old.example/a.jpg" alt="Nets drying" class="wp-image-7"/><figcaption class="wp-element-caption">Nets on the quay</figcaption></figure>
<!-- /wp:image -->
<!-- wp:image {"id":8} -->
<figure class="wp-block-image size-large"><img src="https://old.example/b-300x200.jpg" alt="" class="wp-image-8"/></figure>
<!-- /wp:image -->
<figcaption class="blocks-gallery-caption wp-element-caption">The harbour in <em>May</em></figcaption></figure>
<!-- /wp:gallery -->

<!-- wp:table -->
<figure class="wp-block-table"><table><thead><tr><th>Boat</th><th class="has-text-align-right" data-align="right">Catch</th></tr></thead><tbody><tr><td><a href="https://old.example/boats/ida">Ida</a></td><td class="has-text-align-right" data-align="right">1,204</td></tr><tr><td>Mira</td><td class="has-text-align-right" data-align="right">655</td></tr></tbody></table><figcaption class="wp-element-caption">Landings in March</figcaption></figure>
<!-- /wp:table -->

<!-- wp:pullquote -->
<figure class="wp-block-pullquote"><blockquote><p>The sea decides.</p><cite>An old skipper</cite></blockquote></figure>
<!-- /wp:pullquote -->

<table><tr><td>Loose</td><td>table</td></tr></table>
"""
    pictures = {"https://old.example/a.jpg": "A", "https://old.example/b-300x200.jpg": "B"}

    result = html_to_blocks(html, image_for=lambda src, alt: pictures.get(src))

    assert [kind for kind, _ in result.blocks] == ["gallery", "table", "pull_quote", "table"]
    gallery = result.blocks[0][1]
    assert gallery["caption"] == "The harbour in May"
    assert [(i["image"], i["caption"]) for i in gallery["images"]] == [
        ("A", "Nets on the quay"),
        ("B", ""),
    ]
    table = result.blocks[1][1]
    assert table["table"]["caption"] == "Landings in March"
    assert table["table"]["columns"] == [
        {"type": "rich_text", "heading": "Boat"},
        {"type": "figures", "heading": "Catch"},
    ]
    assert table["table"]["rows"][0]["values"] == [
        '<p><a href="https://old.example/boats/ida">Ida</a></p>',
        "1,204",
    ]
    assert result.blocks[2][1] == {"text": "The sea decides.", "attribution": "An old skipper"}
    loose = result.blocks[3][1]["table"]
    assert [c["heading"] for c in loose["columns"]] == ["", ""]
    assert loose["rows"] == [{"values": ["Loose", "table"]}]


def test_a_gallery_whose_files_are_missing_keeps_what_it_can() -> None:
    html = (
        '<figure class="wp-block-gallery"><figure class="wp-block-image"><img src="https://x.example/1.jpg" alt=""/></figure>'
        '<figure class="wp-block-image"><img src="https://x.example/gone.jpg" alt=""/>'
        '<figcaption>Gone</figcaption></figure><figcaption class="blocks-gallery-caption">Two</figcaption></figure>'
    )

    result = html_to_blocks(html, image_for=lambda src, alt: "1" if "1.jpg" in src else None)

    assert result.blocks == [("image", {"image": "1", "caption": "Two", "credit": ""})]
    assert result.images_missing == 1


def test_imported_markup_never_reaches_a_page_as_written() -> None:
    html = (
        '<!-- dateline:fact-box -->\n<aside class="dateline-fact-box"><h3>Facts<script>x()</script></h3>'
        '<p onclick="x()">One <img src=x onerror=alert(1)> <a href="javascript:alert(1)">two</a></p></aside>'
        '<figure class="wp-block-table"><table><tr><th>A</th></tr><tr><td><b onmouseover="x()">b</b>'
        "<script>bad()</script></td></tr></table></figure>"
    )

    result = html_to_blocks(html, image_for=lambda src, alt: None)

    assert [kind for kind, _ in result.blocks] == ["fact_box", "table"]
    assert result.blocks[0][1]["title"] == "Facts"
    assert result.blocks[0][1]["body"] == "<p>One  two</p>"
    assert result.blocks[1][1]["table"]["rows"] == [{"values": ["<p><b>b</b></p>"]}]
