"""How a comment looks: the Markdown subset, the sanitizer, links, avatars, badges."""

from __future__ import annotations

import pytest

from dateline.comments.models import Comment

from .conftest import soup


@pytest.fixture
def no_page_cache(settings):
    settings.DATELINE_PAGE_CACHE = False


def shown(client, article, comment: Comment):
    """The rendered comment (its <li>) on the article page."""
    item = soup(client.get(article.url)).find(id=f"comment-{comment.pk}")
    assert item is not None, f"comment {comment.pk} is not on the page"
    return item


def content(client, article, comment: Comment):
    return shown(client, article, comment).select_one(".comment-content")


def test_markdown_subset_is_rendered(client, article, comment_factory):
    comment = comment_factory(
        article=article,
        body=(
            "*Really* a **big** change.\n\n"
            "> The wall will be 2 m higher.\n\n"
            "See [the plan](https://harbour.example.org/plan) and run `make wall`."
        ),
    )

    html = content(client, article, comment)

    assert html.find("em").get_text() == "Really"
    assert html.find("strong").get_text() == "big"
    assert "The wall will be 2 m higher." in html.find("blockquote").get_text()
    assert html.find("a", href="https://harbour.example.org/plan").get_text() == "the plan"
    assert html.find("code").get_text() == "make wall"


def test_raw_html_and_script_links_are_neutralised(client, article, comment_factory):
    comment = comment_factory(
        article=article,
        body=(
            '<script>alert("x")</script> <img src=x onerror=alert(1)> '
            '[click](javascript:alert(1)) <a href="javascript:alert(2)">two</a> '
            "# Not a heading"
        ),
    )

    html = content(client, article, comment)

    assert html.find("script") is None
    assert html.find("img") is None
    assert html.find("h1") is None
    assert not [a for a in html.find_all("a") if "javascript" in a.get("href", "")]
    assert not [name for tag in html.find_all(True) for name in tag.attrs if name.startswith("on")]
    assert '<script>alert("x")</script>' in html.get_text()  # shown as the text it was


def test_links_in_comments_are_nofollow_ugc_noopener(client, article, comment_factory):
    comment = comment_factory(
        article=article,
        body="[the plan](https://harbour.example.org/plan) and www.tides.example.com",
    )

    links = content(client, article, comment).find_all("a")

    assert [a["href"] for a in links] == [
        "https://harbour.example.org/plan",
        "http://www.tides.example.com",
    ]
    for link in links:
        assert set(link["rel"]) == {"nofollow", "ugc", "noopener"}


def test_author_name_links_to_the_website_with_nofollow_ugc_noopener(
    client, article, comment_factory
):
    with_site = comment_factory(article=article, author_url="https://ada.example.org")
    without = comment_factory(article=article, author_url="")

    link = shown(client, article, with_site).select_one(".comment-author a")
    plain = shown(client, article, without).select_one(".comment-author")

    assert link["href"] == "https://ada.example.org"
    assert set(link["rel"]) == {"nofollow", "ugc", "noopener"}
    assert plain.find("a") is None


def test_author_name_is_escaped(client, article, comment_factory):
    comment = comment_factory(article=article, author_name="<b>Bold</b> & co")

    author = shown(client, article, comment).select_one(".comment-author")

    assert author.find("b") is None
    assert author.get_text(strip=True) == "<b>Bold</b> & co"


def avatar(client, article, comment: Comment) -> str:
    svg = shown(client, article, comment).select_one(".comment-meta svg.avatar")
    assert svg is not None
    assert svg.find("image") is None and "href" not in str(svg)  # drawn inline, nothing fetched
    return str(svg)


def test_avatar_is_an_inline_svg_that_follows_the_email(
    client, article, comment_factory, no_page_cache
):
    ada = comment_factory(article=article, author_email="ada@example.org")
    ada_again = comment_factory(article=article, author_email="Ada@Example.org ")
    bea = comment_factory(article=article, author_email="bea@example.org")

    assert avatar(client, article, ada) == avatar(client, article, ada_again)
    assert avatar(client, article, ada) != avatar(client, article, bea)


def test_avatar_changes_with_the_server_secret(
    client, article, comment_factory, settings, no_page_cache
):
    comment = comment_factory(article=article, author_email="ada@example.org")
    before = avatar(client, article, comment)

    settings.SECRET_KEY = "another-test-only-key-9876543210zyxwvutsrqponmlkjihgfedcba"
    after = avatar(client, article, comment)

    assert before != after


def test_staff_comment_carries_a_badge_and_others_do_not(client, article, comment_factory):
    staff = comment_factory(article=article, is_staff=True)
    reader = comment_factory(article=article)

    assert shown(client, article, staff).select_one(".comment-author .badge").get_text() == "Staff"
    assert shown(client, article, reader).select_one(".comment-author .badge") is None


def test_edited_comment_says_so(client, article, comment_factory, no_page_cache):
    edited = comment_factory(article=article)
    Comment.objects.filter(pk=edited.pk).update(edited_at=edited.created_at)
    untouched = comment_factory(article=article)

    assert "Edited" in shown(client, article, edited).select_one(".comment-meta").get_text()
    assert "Edited" not in shown(client, article, untouched).select_one(".comment-meta").get_text()


def test_comment_count_shows_in_the_header_and_the_listings(client, article, comment_factory):
    comment_factory(article=article)
    comment_factory(article=article)
    comment_factory(article=article, status=Comment.Status.PENDING)

    page = soup(client.get(article.url))
    section = soup(client.get(article.get_parent().url))

    assert page.select_one(".story__comment-count").get_text(strip=True) == "2 comments"
    assert page.select_one("#comments-title").get_text(strip=True) == "2 comments"
    assert section.select_one(".card__comments").get_text(strip=True) == "2 comments"


LINK_PREFILTER_CASES = [
    "Plain words only, with a full stop. And another sentence!",
    "Numbers 3.5 and 10.25 per cent, e.g. in the budget.",
    "see example.org for more",
    "Visit www.example.org or EXAMPLE.COM today",
    "https://example.org/a?b=c and http://x.y",
    "mail me: someone@example.org",
    "ftp://files.example.org/x",
    "//example.org/protocol-relative",
    "http://localhost:8000/admin and localhost",
    "an IP 192.168.1.20 here",
    "*emphasis* and **strong** and `code`, > quote",
    "[a link](https://example.org) and <https://example.org/auto>",
    "Arabic: مرحبا بالعالم. Greek: γειά.σου",
    "a.b",
    "trailing dot.",
    "dot.\nnew line",
]


@pytest.mark.parametrize("text", LINK_PREFILTER_CASES)
def test_text_that_skips_linkify_renders_exactly_as_with_it(text):
    """render_comment_body skips linkify for text that cannot hold a bare link; the result must
    be what linkify would have given."""
    import nh3

    from dateline.comments import text as rendering

    expected = nh3.clean(
        rendering._md.render(text),
        tags=rendering._ALLOWED_TAGS,
        attributes=rendering._ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    assert str(rendering.render_comment_body(text)) == expected


def test_the_link_prefilter_lets_every_bare_link_through(shared_data):
    """On real comments (the YouTube Spam Collection: 1,956 comments, many with links and
    addresses): whenever linkify finds a link, the prefilter said there might be one."""
    import csv

    from linkify_it import LinkifyIt

    from dateline.comments.text import _MAYBE_LINK

    linkify = LinkifyIt()
    checked = found = 0
    for path in sorted((shared_data / "youtube-spam-collection").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                checked += 1
                if linkify.test(row["CONTENT"]):
                    found += 1
                    assert _MAYBE_LINK.search(row["CONTENT"]), row["CONTENT"]
    assert checked > 1900
    assert found > 250  # 263 comments with a bare link


def _markdown_then_nh3(text: str) -> str:
    """render_comment_body's full path: Markdown (with linkify when a link may be there), nh3."""
    import nh3

    from dateline.comments import text as rendering

    markdown = rendering._md if rendering._MAYBE_LINK.search(text) else rendering._md_plain
    return nh3.clean(
        markdown.render(text),
        tags=rendering._ALLOWED_TAGS,
        attributes=rendering._ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )


PLAIN_CASES = [
    "",
    "One line.",
    "Two lines\nin one paragraph",
    "Two paragraphs.\n\nThe second one",
    "Three blank lines\n\n\n\nthen more\nand a last line",
    "Quotes \"like this\" and 'this', it's fine!",
    "# not a heading\n1. not a list\n- nor this\n+ nor this\n---\n===\n(brackets) {braces} | $5 % ^ =",
    "Umlaut ä, ß, ﬁ ligature, e\u0301 combining, İstanbul, 中文, مرحبا, 😀",
    "zero\u200bwidth, \u202eoverride, \ufeffmark",
    "a trailing space \nbefore the break",
    "  indented\n    code?",
    "tab\tinside",
    "no\u00a0break and em\u2003space and ideographic\u3000space",
    "line\u2028separator",
    "5 > 3 & 2 < 4",
    "*stars* and _underscores_ and `code` and ~tilde~ and \\escape",
    "[not a link]",
    "> not plain\n\nquote",
]


@pytest.mark.parametrize("text", PLAIN_CASES)
def test_a_plain_text_renders_as_markdown_and_nh3_render_it(text):
    """render_comment_body writes text without markup straight into paragraphs (decision
    0088): the HTML is the same as the full path's, and text with markup still takes it."""
    from dateline.comments.text import render_comment_body

    assert str(render_comment_body(text)) == _markdown_then_nh3(text)


def test_any_space_but_the_space_and_the_newline_takes_the_full_path():
    """Markdown trims a paragraph of any Unicode space and a tab indents: such text is never
    written directly."""
    import sys

    from dateline.comments.text import _plain

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert len(spaces) > 20
    for space in spaces:
        assert _plain(f"a{space}b") is (space in " \n"), hex(ord(space))


def test_real_texts_render_the_same_with_and_without_the_plain_path(shared_data):
    """On the shared datasets' texts (YouTube comments, BBC paragraphs, HuffPost summaries,
    as a comment is stored): the same HTML, and about half of them take the plain path."""
    import csv
    import json

    from dateline.comments.text import _plain, normalise_text, render_comment_body

    texts = []
    for path in sorted((shared_data / "youtube-spam-collection").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["CONTENT"] for row in csv.DictReader(handle)]
    csv.field_size_limit(10**8)
    with (shared_data / "bbc-news" / "bbc-news.csv").open(encoding="utf-8", newline="") as handle:
        bodies = [row["body"] for row in csv.DictReader(handle)][:300]
    texts += bodies + [p for body in bodies for p in body.split("\n\n")]
    with (shared_data / "huffpost-news-category-head" / "News_Category_Dataset_v3.json").open(
        encoding="utf-8"
    ) as handle:
        texts += [
            json.loads(line)["short_description"]
            for line, _ in zip(handle, range(3000), strict=False)
        ]
    plain = 0
    for text in map(normalise_text, texts):
        plain += _plain(text)
        assert str(render_comment_body(text)) == _markdown_then_nh3(text), text
    assert len(texts) > 6000
    assert plain > len(texts) // 4


@pytest.mark.parametrize(
    "fmt",
    ["j F Y \\a\\t H:i", "D, j M y, P", "H:i:s", "DATE_FORMAT", "j F Y \\a\\t H:i e", "\\s i"],
)
def test_the_thread_shows_dates_as_djangos_date_filter_does(fmt):
    """The comment thread's date filter (kept per minute and language for formats that show
    no second or time zone) gives Django's ``date`` of the local time, for every moment of a
    minute, in every time zone and language."""
    import random
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.template import engines
    from django.template.defaultfilters import date
    from django.utils import timezone, translation

    shown = engines["jinja2"].env.filters["date"]
    rng = random.Random(88)
    start = datetime(2026, 3, 29, 0, 58, tzinfo=UTC)  # a change to summer time in Europe
    moments = [start + timedelta(seconds=rng.randint(0, 4 * 3600)) for _ in range(300)]
    moments += [m + timedelta(microseconds=1) for m in moments[:20]]
    for zone in ("UTC", "Europe/Berlin", "America/New_York"):
        for language in ("en", "de", "fr"):
            with timezone.override(ZoneInfo(zone)), translation.override(language):
                for moment in moments:
                    expected = str(date(timezone.localtime(moment), fmt))
                    assert shown(moment, fmt) == expected, (zone, language, moment)
                    assert shown(moment.replace(tzinfo=None), fmt) == str(
                        date(moment.replace(tzinfo=None), fmt)
                    )


# --- The thread template (Jinja2, comments/nodes.html) -------------------------------------------


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_a_name_with_quotes_cannot_leave_its_attributes(client, article, comment_factory):
    comment = comment_factory(article=article, author_name='Ann" onmouseover="alert(1)')

    item = shown(client, article, comment)
    reply = item.select_one(".comment-reply-link")

    assert reply["data-replyto"] == 'Ann" onmouseover="alert(1)'
    assert not reply.has_attr("onmouseover")
    assert item.find(attrs={"onmouseover": True}) is None


def test_the_date_is_shown_in_the_site_time_zone(
    client, article, comment_factory, settings, no_page_cache
):
    from datetime import UTC, datetime

    settings.TIME_ZONE = "Asia/Tokyo"
    comment = comment_factory(article=article)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    )

    time = shown(client, article, comment).select_one(".comment-date time")

    assert time.get_text() == "2 March 2026 at 07:30"  # the next morning in Tokyo
    assert time["datetime"] == "2026-03-01T22:30:00Z"


def test_replies_nest_under_their_comment_and_closed_threads_offer_no_reply(
    article, comment_factory
):
    from dateline.comments.rendering import render_comment_nodes
    from dateline.comments.selectors import CommentNode

    top = comment_factory(article=article)
    reply = comment_factory(article=article, parent=top)
    node = CommentNode(top)
    node.children.append(CommentNode(reply))

    open_thread = soup_of(render_comment_nodes([node]))
    closed = soup_of(render_comment_nodes([node], comments_open=False))

    nested = open_thread.select_one(f"#comment-{top.pk} > ol.children > li")
    assert nested is not None and nested["id"] == f"comment-{reply.pk}"
    assert "depth-2" in nested["class"]
    assert len(open_thread.select(".comment-reply-link")) == 2
    assert closed.select(".comment-reply-link") == []
    assert len(closed.select(".comment-like")) == 2  # the thread still reads as before


def test_the_edit_link_carries_the_token_quoted_as_django_quotes_it(article, comment_factory):
    from urllib.parse import quote

    from dateline.comments.rendering import render_comment_nodes
    from dateline.comments.selectors import CommentNode

    comment = comment_factory(article=article)
    token = "12:abc/def+g="

    html = soup_of(render_comment_nodes([CommentNode(comment)], own_tokens={comment.pk: token}))
    others = soup_of(render_comment_nodes([CommentNode(comment)], own_tokens={comment.pk + 1: "x"}))

    edit = html.select_one(".comment-edit-link")
    assert edit["href"] == f"/comments/{comment.pk}/edit/?own={quote(token, safe='/')}"
    assert html.select_one(".comment-delete input[name=own]")["value"] == token
    assert others.select_one(".comment-edit-link") is None


def test_a_right_to_left_name_is_isolated_from_the_english_around_it(
    client, article, comment_factory
):
    """ "ريم ع." showed its full stop on the wrong side of the name, as the byline's names do
    not (they are in <bdi>): in the thread, the editors' picks and a reply's form title."""
    from django.utils import timezone

    name = "ريم ع."
    comment = comment_factory(article=article, author_name=name, featured_at=timezone.now())

    page = soup(client.get(article.url))
    assert page.select_one(f"#comment-{comment.pk} .comment-author bdi").get_text() == name
    assert page.select_one(".pick__author bdi").get_text() == name
    reply = soup(client.get(f"{article.url}?replytocom={comment.pk}"))
    assert reply.select_one("#reply-title bdi").get_text() == name
