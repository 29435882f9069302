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


def test_the_search_filters_are_big_enough_to_use_on_a_phone(
    live_site: LiveServer, page: Page
) -> None:
    """The section, author, date and order controls kept the browser's 13 px text, 19 px high:
    under the 24 px a finger needs (WCAG 2.5.8), and a phone zooms the page into text that small."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_site.url + "/search/?q=harbour")
    controls = page.locator("form.search-form").locator("select, input:not([type=hidden])")
    assert controls.count() >= 5
    for control in controls.all():
        box = control.bounding_box()
        assert box is not None and box["height"] >= 24, control.get_attribute("name")
        size = control.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16, control.get_attribute("name")
