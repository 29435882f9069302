from __future__ import annotations

from pathlib import Path

import pytest

THEME_FILE = Path("wp-theme-unit-test") / "themeunittestdata.wordpress.xml"


@pytest.fixture
def theme_file(shared_data: Path) -> Path:
    """The WordPress Theme Unit Test export, or a skip naming where it was looked for."""
    path = shared_data / THEME_FILE
    if not path.is_file():
        pytest.skip(f"the WordPress theme unit test export is not at {path}")
    return path


WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>The Harbour Gazette</title>
<link>https://gazette.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://gazette.example</wp:base_site_url>
<wp:base_blog_url>https://gazette.example</wp:base_blog_url>
<wp:author><wp:author_login>mara</wp:author_login><wp:author_email>mara@gazette.example</wp:author_email><wp:author_display_name><![CDATA[Mara Quill]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>harbour</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Harbour]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>media</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Media]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug>ferries</wp:tag_slug><wp:tag_name><![CDATA[Ferries]]></wp:tag_name></wp:tag>
"""
WXR_TAIL = "</channel>\n</rss>\n"


def wxr_item(
    *,
    post_id: int,
    title: str = "A ferry runs late",
    slug: str = "a-ferry-runs-late",
    status: str = "publish",
    post_type: str = "post",
    date: str = "2021-03-04 09:15:00",
    content: str = "<p>The morning ferry left forty minutes late.</p>",
    extra: str = "",
    comments: str = "",
    category: str = "harbour",
) -> str:
    return f"""<item>
<title><![CDATA[{title}]]></title>
<link>https://gazette.example/2021/03/04/{slug}/</link>
<dc:creator><![CDATA[mara]]></dc:creator>
<guid isPermaLink="false">https://gazette.example/?p={post_id}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date><![CDATA[{date}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
<wp:post_modified_gmt><![CDATA[{date}]]></wp:post_modified_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status>
<wp:post_type><![CDATA[{post_type}]]></wp:post_type>
<wp:post_password></wp:post_password>
<category domain="category" nicename="{category}"><![CDATA[{category.title()}]]></category>
<category domain="post_tag" nicename="ferries"><![CDATA[Ferries]]></category>
{extra}{comments}</item>
"""


def wxr_comment(
    *,
    comment_id: int,
    parent: int = 0,
    body: str = "Same thing happened to me.",
    approved: str = "1",
    date: str = "2021-03-04 10:00:00",
    email: str = "reader@mail.example",
    author: str = "Ines",
    kind: str = "comment",
) -> str:
    return f"""<wp:comment>
<wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
<wp:comment_author_url>https://ines.example/</wp:comment_author_url>
<wp:comment_date><![CDATA[{date}]]></wp:comment_date>
<wp:comment_date_gmt><![CDATA[{date}]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[{body}]]></wp:comment_content>
<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
<wp:comment_type><![CDATA[{kind}]]></wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent>
<wp:comment_user_id>0</wp:comment_user_id>
</wp:comment>
"""


def write_wxr(path: Path, *items: str) -> Path:
    path.write_text(WXR_HEAD + "".join(items) + WXR_TAIL, encoding="utf-8")
    return path
