from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page

from dateline.comments.bodies import comment_bodies_refresh
from dateline.comments.models import BODY_MAX, Comment
from dateline.comments.text import render_comment_body
from dateline.news.models import ArticlePage, HomePage, SectionPage
from dateline.portability.comment_text import comment_text_from_html
from dateline.portability.html import html_to_blocks
from dateline.portability.models import ImportedObject
from dateline.portability.parsing import ExportFileError
from dateline.portability.services import wxr_export, wxr_import

from .conftest import WXR_HEAD, WXR_TAIL, write_wxr, wxr_comment, wxr_item

pytestmark = pytest.mark.django_db


def _state() -> tuple[int, int, int, int]:
    return (
        Page.objects.count(),
        Comment.objects.count(),
        ImportedObject.objects.count(),
        get_image_model().objects.count(),
    )


FIRST_ITEM = WXR_HEAD.count("\n") + 1  # the line the first item starts on
ITEM_LINES = wxr_item(post_id=1).count("\n")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # Cut off in the middle of the second item's <guid>.
        (
            WXR_HEAD + wxr_item(post_id=1) + wxr_item(post_id=2)[:200],
            FIRST_ITEM + ITEM_LINES + 4,
            "Premature end of data",
        ),
        (
            WXR_HEAD + wxr_item(post_id=1).replace("<wp:post_id>1</wp:post_id>", "") + WXR_TAIL,
            FIRST_ITEM,
            "no <wp:post_id>",
        ),
        (
            WXR_HEAD
            + wxr_item(post_id=1, comments=wxr_comment(comment_id=5, date="yesterday"))
            + WXR_TAIL,
            FIRST_ITEM + ITEM_LINES - 1,
            "is not a WordPress comment date",
        ),
        (
            WXR_HEAD + wxr_item(post_id=1) + wxr_item(post_id=1) + WXR_TAIL,
            FIRST_ITEM + ITEM_LINES,
            "appears twice",
        ),
        (WXR_HEAD + "<item><title>x</item>" + WXR_TAIL, FIRST_ITEM, "tag mismatch"),
    ],
)
def test_a_malformed_file_names_the_line_and_writes_nothing(
    tmp_path: Path, home: HomePage, text: str, line: int, words: str
) -> None:
    # A good post first, so a failure after it would show if anything were written early.
    path = tmp_path / "broken.xml"
    path.write_text(text, encoding="utf-8")
    before = _state()
    with pytest.raises(ExportFileError) as failure:
        wxr_import(path=path, home=home)
    assert f"broken.xml, line {line}" in str(failure.value)
    assert words in str(failure.value)
    assert _state() == before


def test_the_command_reports_the_line_and_imports_nothing(tmp_path: Path, home: HomePage) -> None:
    path = tmp_path / "cut.xml"
    path.write_text(WXR_HEAD + wxr_item(post_id=1)[:300], encoding="utf-8")
    with pytest.raises(CommandError, match=r"(?s)cut\.xml, line \d+: .*Nothing was imported"):
        call_command("import_wxr", str(path), "--no-progress")
    assert not ArticlePage.objects.exists()


def test_entities_are_not_expanded(tmp_path: Path, home: HomePage) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        + WXR_HEAD.split("\n", 1)[1]
        + wxr_item(post_id=1, title="&b;&secret;")
        + WXR_TAIL,
        encoding="utf-8",
    )
    try:
        wxr_import(path=path, home=home)
    except ExportFileError:
        return  # refusing the file is fine too
    article = ArticlePage.objects.get()
    assert "aaaa" not in article.title and "root:" not in article.title


def test_statuses_dates_and_comments_of_a_small_export(
    tmp_path: Path, home: HomePage, client: Any
) -> None:
    comments = (
        wxr_comment(
            comment_id=10,
            date="2021-03-04 10:00:00",
            body='First!\n\nSecond paragraph with <a href="https://port.example/">a link</a>.',
        )
        + wxr_comment(
            comment_id=11, parent=10, date="2021-03-04 11:00:00", approved="0", body="A reply"
        )
        + wxr_comment(
            comment_id=12, parent=99, date="2021-03-04 12:00:00", approved="spam", body="Orphan"
        )
        + wxr_comment(
            comment_id=13, date="2021-03-04 09:00:00", approved="trash", body="x" * (BODY_MAX + 50)
        )
        + wxr_comment(comment_id=14, kind="pingback", body="[…] a pingback […]")
    )
    path = write_wxr(
        tmp_path / "gazette.xml",
        wxr_item(post_id=1, comments=comments),
        wxr_item(
            post_id=2,
            title="Plans for a new pier",
            slug="new-pier",
            status="draft",
            date="0000-00-00 00:00:00",
        ),
        wxr_item(
            post_id=3,
            title="The regatta",
            slug="regatta",
            status="future",
            date="2999-06-01 12:00:00",
        ),
        wxr_item(post_id=4, title="About us", slug="about", post_type="page"),
        wxr_item(post_id=5, title="Media column", slug="media-column", category="media"),
    )
    summary = wxr_import(path=path, home=home)

    published = ArticlePage.objects.get(slug="a-ferry-runs-late")
    assert (
        published.live and published.first_published_at.isoformat() == "2021-03-04T09:15:00+00:00"
    )
    assert [b.block_type for b in published.body] == ["paragraph"]
    assert published.byline.get().author.name == "Mara Quill"
    assert list(published.tags.names()) == ["Ferries"]
    draft = ArticlePage.objects.get(slug="new-pier")
    assert not draft.live and draft.first_published_at is None
    scheduled = ArticlePage.objects.get(slug="regatta")
    assert not scheduled.live and scheduled.go_live_at.year == 2999
    assert not ArticlePage.objects.filter(slug="about").exists()
    # "media" is an address the site uses itself.
    assert SectionPage.objects.filter(slug="media-section").exists()
    assert not SectionPage.objects.filter(slug="media").exists()
    assert any("/media/" in note for note in summary.notes)

    by_source = {
        sid: Comment.objects.get(pk=pk)
        for sid, pk in ImportedObject.objects.filter(kind="comment").values_list(
            "source_id", "object_id"
        )
    }
    assert set(by_source) == {"10", "11", "12", "13"}
    first, reply, orphan, long = (by_source[k] for k in ("10", "11", "12", "13"))
    assert first.body == "First!\n\nSecond paragraph with [a link](https://port.example/)."
    # Stored with its HTML, as a posted comment is: the first reader renders nothing.
    assert '<a href="https://port.example/"' in first.body_html
    assert comment_bodies_refresh(comments=Comment.objects.all()) == 0
    assert (reply.parent_id, reply.status, reply.depth) == (first.pk, "pending", 1)
    assert reply.path.startswith(first.path + "/")
    assert (orphan.parent_id, orphan.depth, orphan.status) == (None, 0, "spam")
    assert len(long.body) == BODY_MAX and long.status == "trash"
    # Threads sort by date: the earlier trashed comment comes first.
    assert long.path < first.path
    assert summary.counts["orphan comments made top-level"] == 1
    assert summary.counts["comment bodies shortened to fit"] == 1
    assert summary.skipped["pingbacks"] == 1
    published.refresh_from_db()
    assert published.comment_count == 1
    assert first.author_email == "reader@mail.example"

    # The address is stored, never shown: not on the page, not in the summary.
    response = client.get(published.url)
    assert response.status_code == 200
    assert b"First!" in response.content
    assert b"reader@mail.example" not in response.content
    assert not any("@" in line for line in summary.lines())
    # Old addresses.
    assert client.get("/2021/03/04/a-ferry-runs-late/")["Location"].endswith(published.url)
    assert client.get("/?p=1")["Location"].endswith(published.url)
    # A draft's or a scheduled story's old address does not give away where (and under which
    # words) it will appear: an embargoed story's slug is news.
    for old in ("/2021/03/04/new-pier/", "/?p=2", "/2021/03/04/regatta/", "/?p=3"):
        response = client.get(old)
        assert response.status_code in (200, 404), old
        assert b"/harbour/new-pier/" not in response.content
        assert b"/harbour/regatta/" not in response.content


def test_dry_run_writes_nothing(tmp_path: Path, home: HomePage) -> None:
    path = write_wxr(tmp_path / "g.xml", wxr_item(post_id=1, comments=wxr_comment(comment_id=1)))
    before = _state()
    summary = wxr_import(path=path, home=home, dry_run=True)
    assert summary.created["articles"] == 1 and summary.created["comments"] == 1
    assert _state() == before
    call_command("import_wxr", str(path), "--dry-run", "--no-progress", stdout=io.StringIO())
    assert _state() == before


def _png(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (40, 30), "teal").save(path)
    return path


def test_featured_and_body_images_come_from_the_media_directory_only(
    tmp_path: Path, home: HomePage
) -> None:
    media = tmp_path / "uploads"
    _png(media / "2021" / "03" / "harbour.png")
    _png(tmp_path / "outside.png")
    attachment = wxr_item(
        post_id=50, title="Harbour at dawn", slug="harbour", post_type="attachment"
    ).replace(
        "</item>",
        "<wp:attachment_url>https://gazette.example/wp-content/uploads/2021/03/harbour.png</wp:attachment_url></item>",
    )
    body = (
        '<p>Before.</p><figure><img src="https://gazette.example/wp-content/uploads/2021/03/harbour-300x200.png" alt="x"/>'
        "<figcaption>The harbour at dawn</figcaption></figure>"
        '<p><img src="https://elsewhere.example/hotlinked.png"/></p>'
        '<img src="https://gazette.example/../../outside.png"/>'
    )
    item = wxr_item(
        post_id=1,
        content=body,
        extra="<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>50</wp:meta_value></wp:postmeta>",
    )
    path = write_wxr(tmp_path / "g.xml", item, attachment)

    summary = wxr_import(path=path, home=home, media_dir=media)

    article = ArticlePage.objects.get()
    assert article.lead_image is not None and article.lead_image.title == "Harbour at dawn"
    images = [b.value for b in article.body if b.block_type == "image"]
    assert len(images) == 1
    assert images[0]["image"].pk == article.lead_image.pk  # one image for one attachment
    assert images[0]["caption"] == "The harbour at dawn"
    assert get_image_model().objects.count() == 1
    assert summary.counts["images in bodies left out (file not available)"] == 2

    # Without a media directory nothing is fetched and the article still imports.
    ArticlePage.objects.all().delete()
    ImportedObject.objects.all().delete()
    get_image_model().objects.all().delete()
    wxr_import(path=path, home=home)
    assert ArticlePage.objects.get().lead_image is None


def test_body_blocks_keep_paragraphs_headings_quotes_lists() -> None:
    html = (
        "Classic text first line\nsecond line\n\nNext paragraph with <strong>bold</strong> and "
        '<a href="javascript:alert(1)">bad</a> <a href="https://ok.example/">good</a>.'
        '<!-- wp:heading --><h2 class="x">A heading</h2><!-- /wp:heading -->'
        "<blockquote><p>To be quoted.</p><cite>Someone</cite></blockquote>"
        "<ul><li>One</li><li>Two<ol><li>Two a</li></ol></li></ul>"
        '<script>alert(1)</script><p onclick="x()">Last <span style="color:red">word</span></p>'
    )
    result = html_to_blocks(html, image_for=lambda src, alt: None)
    assert result.blocks == [
        ("paragraph", "<p>Classic text first line<br/>second line</p>"),
        (
            "paragraph",
            '<p>Next paragraph with <b>bold</b> and bad <a href="https://ok.example/">good</a>.</p>',
        ),
        ("heading", "A heading"),
        ("quote", {"text": "To be quoted.", "attribution": "Someone"}),
        ("paragraph", "<ul><li>One</li><li>Two<ol><li>Two a</li></ol></li></ul>"),
        ("paragraph", "<p>Last word</p>"),
    ]
    assert result.dropped["script"] == 1


def test_comment_html_becomes_our_text() -> None:
    assert comment_text_from_html(
        "<p>Hi <em>there</em></p><p>Line<br>two</p><script>x</script>"
    ) == ("Hi *there*\n\nLine\ntwo")
    assert comment_text_from_html('<a href="javascript:x">click</a>') == "click"
    assert comment_text_from_html("<blockquote>quoted</blockquote>reply") == "> quoted\n\nreply"


def test_preformatted_block_keeps_its_line_breaks_written_as_br() -> None:
    # The block editor writes a preformatted block's lines with <br>, not newlines.
    html = (
        '<!-- wp:preformatted --><pre class="wp-block-preformatted">The Road Not Taken<br><br>'
        "Two roads diverged in a yellow wood,<br>And sorry I could not travel both<br></pre>"
        "<!-- /wp:preformatted --><pre>Classic\nlines</pre>"
    )
    result = html_to_blocks(html, image_for=lambda src, alt: None)
    assert result.blocks == [
        (
            "paragraph",
            "<p>The Road Not Taken<br/><br/>Two roads diverged in a yellow wood,<br/>"
            "And sorry I could not travel both</p>",
        ),
        ("paragraph", "<p>Classic<br/>lines</p>"),
    ]


def test_a_code_blocks_blank_first_line_is_kept() -> None:
    # HTML ignores one newline right after <pre>; the next one, or one inside <code>, is a line.
    assert comment_text_from_html("<pre><code>\nafter a blank line</code></pre>") == (
        "```\n\nafter a blank line\n```"
    )
    assert comment_text_from_html("<pre>\n\nafter a blank line</pre>") == (
        "```\n\nafter a blank line\n```"
    )
    assert comment_text_from_html("<pre>\nno blank line</pre>") == "```\nno blank line\n```"
    result = html_to_blocks(
        "<pre>\n\nferries.sort()\nprint(ferries)</pre>", image_for=lambda s, a: None
    )
    assert result.blocks == [("paragraph", "<p><br/>ferries.sort()<br/>print(ferries)</p>")]


def test_indented_comment_lines_read_as_text_and_preformatted_stays_code() -> None:
    # WordPress shows a comment's indented lines as ordinary text (HTML ignores the indent);
    # in our Markdown a line indented by a tab after a blank line would be a code block.
    text = comment_text_from_html(
        "Trying to be anonymous.\n\n\n\tNo <a href='https://a.example/'>avatar</a> for me.\n"
        "\tNo website either.\n<pre>\tkept   as typed\n  <b>x</b><br>y</pre>"
    )
    assert text == (
        "Trying to be anonymous.\n\n"
        "No [avatar](https://a.example/) for me.\nNo website either.\n\n"
        "```\n\tkept   as typed\n  x\ny\n```"
    )
    html = render_comment_body(text)
    assert html.count("<pre>") == 1
    assert "<p>No <a" in html
    assert "<code>\tkept   as typed\n  x\ny\n</code>" in html


def test_wordpress_archive_and_feed_addresses_lead_to_sections_tags_authors_and_feeds(
    tmp_path: Path, home: HomePage, client: Any
) -> None:
    # What readers, search engines and feed readers kept from the old site: its category, tag
    # and author archives and the feeds of each, at WordPress's default permalinks.
    child = (
        "<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename>ferry-desk"
        "</wp:category_nicename><wp:category_parent>harbour</wp:category_parent>"
        "<wp:cat_name><![CDATA[Ferry desk]]></wp:cat_name></wp:category>\n"
    )
    path = tmp_path / "export.xml"
    path.write_text(
        WXR_HEAD
        + child
        + wxr_item(post_id=10, category="ferry-desk")
        + wxr_item(post_id=11, slug="media-column", category="media")
        + WXR_TAIL,
        encoding="utf-8",
    )
    summary = wxr_import(path=path, home=home)
    expected = {
        "/feed/": "/feeds/rss/",
        "/feed/atom/": "/feeds/atom/",
        "/category/harbour/": "/harbour/",
        "/category/harbour/feed/": "/feeds/rss/section/harbour/",
        "/category/harbour/ferry-desk/": "/ferry-desk/",
        "/category/ferry-desk/": "/ferry-desk/",
        "/category/harbour/ferry-desk/feed/": "/feeds/rss/section/ferry-desk/",
        "/category/media/": "/media-section/",
        "/tag/ferries/": "/tags/ferries/",
        "/tag/ferries/feed/": "/feeds/rss/tag/ferries/",
        "/author/mara/": "/authors/mara/",
        "/author/mara/feed/": "/feeds/rss/author/mara/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (old, response.status_code, response.get("Location")) == (old, 301, new)
        assert client.get(new).status_code == 200, new
    assert summary.skipped["redirects already taken"] == 0

    again = wxr_import(path=path, home=home)
    assert not again.created.get("redirects")
    assert again.existing["redirects"] == summary.created["redirects"]


def test_the_newest_sticky_post_leads_the_front_page(tmp_path: Path, home: HomePage) -> None:
    sticky = "<wp:is_sticky>1</wp:is_sticky>\n"
    path = write_wxr(
        tmp_path / "export.xml",
        wxr_item(post_id=1, slug="older-pinned", date="2021-03-01 09:00:00", extra=sticky),
        wxr_item(post_id=2, slug="pinned", date="2021-03-02 09:00:00", extra=sticky),
        wxr_item(post_id=3, slug="newest", date="2021-03-03 09:00:00"),
        wxr_item(post_id=4, slug="draft-pinned", status="draft", extra=sticky),
    )
    summary = wxr_import(path=path, home=home)

    home = HomePage.objects.get(pk=home.pk)
    assert home.lead_article_id == ArticlePage.objects.get(slug="pinned").pk
    assert not home.has_unpublished_changes
    assert any("leads the front page" in line for line in summary.lines())

    # The editors' choice stays, on a later run too.
    home.lead_article = ArticlePage.objects.get(slug="newest")
    home.save_revision().publish()
    wxr_import(path=path, home=home)
    assert HomePage.objects.get(pk=home.pk).lead_article.slug == "newest"


def test_a_category_no_post_lives_in_waits_unpublished(
    tmp_path: Path, home: HomePage, client: Any
) -> None:
    unused = (
        "<wp:category><wp:term_id>6</wp:term_id><wp:category_nicename>lighthouses"
        "</wp:category_nicename><wp:category_parent></wp:category_parent>"
        "<wp:cat_name><![CDATA[Lighthouses]]></wp:cat_name></wp:category>\n"
    )
    path = tmp_path / "export.xml"
    path.write_text(WXR_HEAD + unused + wxr_item(post_id=1) + WXR_TAIL, encoding="utf-8")
    summary = wxr_import(path=path, home=home)

    sections = {s.slug: s.live for s in SectionPage.objects.all()}
    assert sections == {"harbour": True, "media-section": False, "lighthouses": False}
    assert summary.counts["sections left unpublished (no post in them)"] == 2
    nav = client.get("/").content.decode()
    assert "/harbour/" in nav and "/lighthouses/" not in nav and "/media-section/" not in nav
    assert client.get("/lighthouses/").status_code == 404


def test_a_post_in_several_categories_keeps_them_all_and_exports_them_back(
    tmp_path: Path, home: HomePage, client: Any
) -> None:
    # WordPress files a post under several categories; an article lives in one section. The
    # first category is its section, every other one a tag named as that category's section.
    politics = (
        "<wp:category><wp:term_id>7</wp:term_id><wp:category_nicename>politics"
        "</wp:category_nicename><wp:category_parent></wp:category_parent>"
        "<wp:cat_name><![CDATA[Politics]]></wp:cat_name></wp:category>\n"
    )
    also = (
        '<category domain="category" nicename="politics"><![CDATA[Politics]]></category>\n'
        '<category domain="category" nicename="weather"><![CDATA[Weather]]></category>\n'
        '<category domain="category" nicename="harbour"><![CDATA[Harbour]]></category>\n'
    )
    path = tmp_path / "export.xml"
    path.write_text(
        WXR_HEAD
        + politics
        + wxr_item(post_id=1, extra=also)
        + wxr_item(post_id=2, slug="council-vote", category="politics")
        + WXR_TAIL,
        encoding="utf-8",
    )
    summary = wxr_import(path=path, home=home)

    article = ArticlePage.objects.get(slug="a-ferry-runs-late")
    assert article.get_parent().slug == "harbour"
    assert sorted(article.tags.values_list("slug", "name")) == [
        ("ferries", "Ferries"),
        ("politics", "Politics"),
        ("weather", "Weather"),
    ]
    assert (
        summary.counts["posts in several categories (the first is the section, the others tags)"]
        == 1
    )
    # The stories of a category that is no article's section are found under its tag.
    assert not SectionPage.objects.get(slug="weather").live
    response = client.get("/category/weather/")
    assert (response.status_code, response["Location"]) == (301, "/tags/weather/")
    assert "A ferry runs late" in client.get("/tags/weather/").content.decode()

    # The export files the story under those categories again, and a Dateline that imports
    # the file gets the same section and tags back.
    export = tmp_path / "dateline.xml"
    wxr_export(path=export)
    root = ET.parse(export).getroot()  # noqa: S314 - our own file
    item = next(i for i in root.iter("item") if i.findtext("title") == article.title)
    assert [(c.get("domain"), c.get("nicename")) for c in item.findall("category")] == [
        ("category", "harbour"),
        ("post_tag", "ferries"),
        ("category", "politics"),
        ("category", "weather"),
    ]
    ArticlePage.objects.all().delete()
    SectionPage.objects.all().delete()
    Tag.objects.all().delete()
    wxr_import(path=export, home=home)
    again = ArticlePage.objects.get(slug="a-ferry-runs-late")
    assert again.get_parent().slug == "harbour"
    assert sorted(again.tags.values_list("slug", "name")) == [
        ("ferries", "Ferries"),
        ("politics", "Politics"),
        ("weather", "Weather"),
    ]
    assert list(ArticlePage.objects.get(slug="council-vote").tags.names()) == ["Ferries"]
