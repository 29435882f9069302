"""The site's utility pages (sign-in, search, newsletters, errors, the privacy page) on a phone
375 px wide: their heading is sized for the screen, as the article and section headings are."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

UTILITY_PAGES = ["/readers/sign-in/", "/search/", "/newsletters/", "/privacy/", "/no-such-page/"]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_utility_page_headings_fit_a_phone(live_site: LiveServer, page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in UTILITY_PAGES:
        page.goto(live_site.url + path)
        heading = page.locator("h1:visible").first
        size = heading.evaluate("h => parseFloat(getComputedStyle(h).fontSize)")
        lines = heading.evaluate(
            "h => Math.round(h.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(h).lineHeight))"
        )
        page.screenshot(path=str(SHOTS / f"phone-{path.strip('/').replace('/', '-')}.png"))
        # The article's own headline is 1.8rem (28.8 px) at this width at most.
        assert size <= 28.8, (path, size)
        assert lines <= 3, (path, lines)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
