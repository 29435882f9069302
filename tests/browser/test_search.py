"""Site search in a real browser: type a query, see highlighted results, narrow them."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer


def test_reader_searches_sees_highlights_and_narrows_by_section(
    demo_site: LiveServer, page: Page
) -> None:
    page.goto(demo_site.url + "/search/")
    form = page.locator("form.search-form")
    query = form.get_by_label("Search articles")
    submit = form.get_by_role("button", name="Search")
    query.fill("water")
    submit.click()

    results = page.locator("li.search-result")
    expect(page.locator(".results-count")).to_contain_text("for “water”")
    assert results.count() >= 2
    expect(results.first.locator("mark").first).to_have_text("water", ignore_case=True)
    everything = results.count()

    form.get_by_label("Section").select_option(label="Culture")
    submit.click()

    expect(page).to_have_url(re.compile(r"section=culture"))
    assert page.locator("li.search-result").count() < everything
    for kicker in page.locator("li.search-result .kicker").all_text_contents():
        assert kicker == "Culture"

    form.get_by_label("Section").select_option(value="")
    query.fill("والمياه")
    submit.click()
    arabic = page.locator("li.search-result[lang=ar]")
    expect(arabic.first).to_be_visible()
    expect(arabic.first.locator("mark").first).to_be_visible()

    query.fill("water")
    submit.click()
    expect(page.locator("li.search-result mark").first).to_be_visible()
    shots = Path(settings.BASE_DIR) / "docs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "search.png", full_page=True)


def test_article_shows_related_coverage_and_its_other_language(
    demo_site: LiveServer, page: Page
) -> None:
    page.goto(demo_site.url + "/international/nouran-water-conference-english/")

    other = page.locator(".story__translations a[hreflang=ar]")
    expect(other).to_have_text("Arabic")
    related = page.locator("aside.related li")
    assert 4 <= related.count() <= 6
    related_box = page.locator("aside.related")
    related_box.scroll_into_view_if_needed()
    shots = Path(settings.BASE_DIR) / "docs" / "screenshots"
    related_box.screenshot(path=shots / "related.png")

    other.click()
    expect(page.locator("html link[hreflang=en]")).to_have_count(1)
    expect(page.locator("article.story")).to_have_attribute("dir", "rtl")
