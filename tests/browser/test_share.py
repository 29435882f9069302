"""Share links under an article: "Copy link" with JavaScript, the address field without."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.demo import content

LEAD = content.ARTICLES[0]
ARABIC = next(spec for spec in content.ARTICLES if spec.get("language") == "ar")


def article_url(site: LiveServer, spec: dict) -> str:
    return f"{site.url}/{spec['section']}/{spec['slug']}/"


def test_copy_link_button_copies_the_article_address(
    demo_site: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    url = article_url(demo_site, LEAD)
    page.goto(url)
    button = page.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".share__status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    context.close()


def test_without_javascript_the_address_is_there_to_copy(
    demo_site: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    url = article_url(demo_site, LEAD)
    page.goto(url)
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(page.get_by_label("Link")).to_have_value(url)
    context.close()


def test_screens_of_the_front_page_and_articles(demo_site: LiveServer, page: Page) -> None:
    out = Path(settings.VAR_DIR) / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in [
            ("home", demo_site.url + "/"),
            ("article", article_url(demo_site, LEAD)),
            ("article-ar", article_url(demo_site, ARABIC)),
        ]:
            page.goto(url)
            page.screenshot(path=out / f"item8-{name}-{width}.png", full_page=True)
