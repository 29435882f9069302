"""A reader's way through the demo newsroom, in a real browser."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.demo import content

LEAD = content.ARTICLES[0]
ARABIC = next(spec for spec in content.ARTICLES if spec.get("language") == "ar")
MOBILE = {"width": 360, "height": 800}


@pytest.fixture
def screenshots() -> Path:
    path = Path(settings.VAR_DIR) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def author_name(slug: str) -> str:
    return next(spec["name"] for spec in content.AUTHORS if spec["slug"] == slug)


def screenshot(page: Page, path: Path) -> None:
    """A full-page screenshot once every image, lazy ones too, has loaded; none may be broken."""
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    # Awaited in one evaluation: wait_for_function evaluates a string, which the page's CSP
    # (no 'unsafe-eval') refuses.
    page.evaluate(
        "Promise.all([...document.images].filter(i => !i.complete)"
        ".map(i => new Promise(done => { i.addEventListener('load', done);"
        " i.addEventListener('error', done); })))"
    )
    broken = page.evaluate(
        "[...document.images].filter(i => !i.naturalWidth).map(i => i.currentSrc)"
    )
    assert not broken, f"{page.url} has broken images: {broken}"
    page.screenshot(path=path, full_page=True)


def assert_no_horizontal_scroll(page: Page) -> None:
    widths: dict[str, Any] = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], f"{page.url} scrolls sideways: {widths}"


def test_reader_follows_a_section_to_the_lead_story(
    demo_site: LiveServer, page: Page, screenshots: Path
) -> None:
    page.goto(demo_site.url + "/")
    expect(page.locator(".masthead__brand")).to_have_text("Dateline")
    expect(page.locator("section.lead").get_by_role("link", name=LEAD["headline"])).to_be_visible()
    screenshot(page, screenshots / "home.png")

    page.locator("nav[aria-label=Sections]").get_by_role("link", name="International").click()
    expect(page.locator("main h1")).to_have_text("International")
    screenshot(page, screenshots / "section.png")

    # The section's editors put it in the lead slot (it is also in "All stories" below).
    page.locator("main section.lead").get_by_role("link", name=LEAD["headline"], exact=True).click()
    page.wait_for_url(f"**/{LEAD['slug']}/")
    story = page.locator("article.story")
    expect(story.locator("h1")).to_have_text(LEAD["headline"])
    expect(story.locator(".byline")).to_contain_text(author_name(LEAD["authors"][0]))
    expect(story.locator(".dateline")).to_be_visible()
    expect(story.locator(".dateline")).to_contain_text(LEAD["dateline"])
    published = story.locator(".story__header time[datetime]").first
    expect(published).to_be_visible()
    assert published.inner_text().strip()
    datetime.fromisoformat(published.get_attribute("datetime") or "")
    expect(story.locator(".story__header .kicker")).to_have_text("International")
    expect(story.locator("section.corrections")).to_be_visible()
    screenshot(page, screenshots / "article.png")

    article_url = page.url
    page.set_viewport_size(MOBILE)
    page.goto(demo_site.url + "/")
    assert_no_horizontal_scroll(page)
    screenshot(page, screenshots / "home-mobile.png")
    page.goto(article_url)
    assert_no_horizontal_scroll(page)
    screenshot(page, screenshots / "article-mobile.png")


def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_main(
    live_site: LiveServer, page: Page
) -> None:
    page.goto(live_site.url + "/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("main")


def test_arabic_article_is_right_to_left(
    demo_site: LiveServer, page: Page, screenshots: Path
) -> None:
    page.goto(f"{demo_site.url}/{ARABIC['section']}/{ARABIC['slug']}/")
    story = page.locator("article.story")
    expect(story).to_have_attribute("dir", "rtl")
    expect(story).to_have_attribute("lang", "ar")
    expect(story.locator("h1")).to_have_text(ARABIC["headline"])
    screenshot(page, screenshots / "article-ar.png")


def test_no_page_scrolls_sideways_on_a_phone(demo_site: LiveServer, page: Page) -> None:
    """At 360 px nothing sticks out: not the right-to-left article's related list either."""
    page.set_viewport_size({"width": 360, "height": 800})
    for path in (
        "/",
        f"/{LEAD['section']}/",
        f"/{LEAD['section']}/{LEAD['slug']}/",
        f"/{ARABIC['section']}/{ARABIC['slug']}/",
    ):
        page.goto(demo_site.url + path)
        assert_no_horizontal_scroll(page)


def test_header_search_lists_the_matching_article(demo_site: LiveServer, page: Page) -> None:
    article = content.ARTICLES[1]
    word = "Valdria"
    assert word in article["headline"]
    page.goto(demo_site.url + "/")
    page.locator("header.masthead #site-search").fill(word)
    page.locator("header.masthead #site-search").press("Enter")
    page.wait_for_url(f"**/search/?q={word}")
    expect(page.locator("main").get_by_role("link", name=article["headline"])).to_be_visible()
