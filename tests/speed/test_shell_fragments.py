"""Every page's navigation and footer kept as HTML under the content's version
(``core.templatetags.shell_fragments``): the same bytes as rendering them, the right section
marked on each page, and a change to the sections seen at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup

from dateline.core.fragments import forget_in_process
from tests.factories import SectionPageFactory

STAMP = re.compile(rb'(name="comment_stamp" value=")[^"]+')


@pytest.fixture
def rendered(settings):
    """Pages rendered every time (no full-page cache)."""
    settings.DATELINE_PAGE_CACHE = False


def page(client: Any, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code in (200, 404)
    return STAMP.sub(rb"\1-", bytes(response.content))


def marked(html: bytes) -> list[tuple[str, str]]:
    nav = BeautifulSoup(html, "html.parser").select_one("nav.sections-nav")
    assert nav is not None
    return [(a.get_text(), a["aria-current"]) for a in nav.select("a[aria-current]")]


def test_pages_are_the_same_bytes_with_the_shell_kept_or_rendered(
    client, home, section, article_factory, rendered, settings
):
    other = SectionPageFactory(parent=home, title="Sport", slug="sport")
    article = article_factory(parent=section, title="A harbour story")
    urls = [article.url, section.url, other.url, "/", "/search/?q=harbour", "/no/such/page/"]

    settings.DATELINE_FRAGMENT_CACHE = False
    rendered_each_time = [page(client, url) for url in urls]
    settings.DATELINE_FRAGMENT_CACHE = True
    forget_in_process()
    first = [page(client, url) for url in urls]
    kept = [page(client, url) for url in urls]

    assert first == rendered_each_time
    assert kept == rendered_each_time
    assert b'<footer class="site-footer"' in kept[0]


def test_each_page_marks_its_own_section_from_the_kept_navigation(
    client, home, section, article_factory, rendered
):
    other = SectionPageFactory(parent=home, title="Sport", slug="sport")
    first = article_factory(parent=section, title="A harbour story")
    second = article_factory(parent=other, title="A match report")

    pages = {
        url: marked(page(client, url))
        for url in [first.url, second.url, section.url, other.url, "/", first.url, other.url]
    }

    assert pages[first.url] == [("International", "true")]
    assert pages[second.url] == [("Sport", "true")]
    assert pages[section.url] == [("International", "page")]
    assert pages[other.url] == [("Sport", "page")]
    assert pages["/"] == [("Home", "page")]  # the front page's own block, kept per template


def test_a_section_renamed_shows_in_every_kept_header_and_footer(
    client, home, section, article_factory, rendered
):
    article = article_factory(parent=section, title="A harbour story")
    assert b">International</a>" in page(client, article.url)

    section.title = "World"
    section.save_revision().publish()
    after = page(client, article.url)

    soup = BeautifulSoup(after, "html.parser")
    for where in ("nav.sections-nav", "footer.site-footer"):
        links = [a.get_text() for a in soup.select(f"{where} a")]
        assert "World" in links and "International" not in links, where
