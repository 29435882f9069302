"""A headline or a paragraph holding one very long word (a place name, a web address, a
hashtag) wraps on a phone instead of pushing the page sideways. The WordPress theme unit test
has such a headline: "Title should not overflow the content area"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from dateline.news.models import HomePage, SectionPage

from ..factories import ArticlePageFactory, SectionPageFactory

WORD = "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu"


@pytest.fixture
def long_words(live_site: LiveServer) -> tuple[SectionPage, str]:
    section = SectionPageFactory(parent=HomePage.objects.get(), title="Places", slug="places")
    article = ArticlePageFactory(
        parent=section,
        title=WORD,
        slug="long-name",
        standfirst=f"The hill called {WORD} in one word.",
        body=[("paragraph", f"<p>Its name, {WORD}, is the longest of any place.</p>")],
    )
    ArticlePageFactory(parent=section, title="A neighbouring story", slug="neighbour")
    return section, article.url


@pytest.mark.parametrize("where", ["article", "section", "front page"])
def test_a_long_word_wraps_on_a_phone(
    browser: Browser, live_site: LiveServer, long_words: tuple[SectionPage, str], where: str
) -> None:
    section, article_url = long_words
    path = {"article": article_url, "section": section.url, "front page": "/"}[where]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_site.url + path)
    assert page.get_by_text(WORD).first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
