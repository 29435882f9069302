"""In Chromium: a reader on a live page sees "1 new update" appear without reloading and
clicks it; the breaking-news banner appears on a page already open and goes when cleared.
Screenshots in docs/screenshots/live-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dateline.live.models import LiveUpdate
from dateline.live.services import (
    breaking_news_clear,
    breaking_news_flag,
    live_update_create,
    live_update_delete,
)
from dateline.news.models import SectionPage
from tests.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory

from .conftest import LivePageFactory, body

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def coverage(live_site: Any, settings: Any) -> Any:
    settings.DATELINE_LIVE_POLL_EVERY = 1
    settings.DATELINE_BREAKING_POLL_EVERY = 1
    section: SectionPage = SectionPageFactory(title="International", slug="international")
    mara, yusuf = AuthorFactory(name="Mara Ellison"), AuthorFactory(name="Yusuf Haddad")
    live = LivePageFactory(parent=section, authors=[mara, yusuf])
    live_update_create(
        page=live,
        body=body("The motorcade is inside the Kremlin walls."),
        author=mara,
        headline="Arrival",
        key_event=True,
    )
    live_update_create(
        page=live, body=body("State television shows the two leaders shaking hands."), author=yusuf
    )
    return live


def test_a_reader_sees_a_new_update_arrive_and_opens_it(
    live_site: Any,
    coverage: Any,
    page: Page,
) -> None:
    page.goto(live_site.url + coverage.url)
    expect(page.get_by_text("State television shows")).to_be_visible()
    button = page.locator(".live__new-button")
    expect(button).to_be_hidden()
    live_update_create(
        page=coverage,
        body=body("The talks have started behind closed doors."),
        author=coverage.byline.first().author,
    )
    expect(button).to_have_text("1 new update", timeout=10_000)
    # Nothing moved under the reader: the new update waits behind the button.
    expect(page.get_by_text("The talks have started")).to_have_count(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "live-new-update-button.png")
    button.click()
    newest = page.locator(".live__updates .live-update").first
    expect(newest).to_contain_text("The talks have started behind closed doors.")
    expect(newest).to_be_focused()
    expect(button).to_be_hidden()
    page.screenshot(path=SHOTS / "live-page.png", full_page=True)
    # An update deleted in the newsroom leaves the open page by itself.
    live_update_delete(update=LiveUpdate.objects.get(body_html__contains="State television"))
    expect(page.get_by_text("State television shows")).to_have_count(0, timeout=10_000)


def test_without_javascript_the_live_page_is_complete(
    live_site: Any,
    coverage: Any,
    browser: Any,
) -> None:
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(live_site.url + coverage.url)
    expect(plain.get_by_text("The motorcade is inside the Kremlin walls.")).to_be_visible()
    expect(plain.get_by_role("heading", name="Key points")).to_be_visible()
    expect(plain.get_by_role("link", name="Arrival")).to_be_visible()
    context.close()


def test_the_breaking_banner_shows_on_an_open_page_and_goes(
    live_site: Any,
    coverage: Any,
    page: Page,
) -> None:
    page.goto(live_site.url + "/")
    banner = page.locator(".breaking")
    expect(banner).to_have_count(0)
    alert = breaking_news_flag(page=coverage, headline="Leaders meet in the Kremlin: follow live")
    expect(banner).to_be_visible(timeout=10_000)
    expect(banner.get_by_role("link")).to_have_text("Leaders meet in the Kremlin: follow live")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "live-breaking-banner.png")
    breaking_news_clear(alert=alert)
    expect(banner).to_have_count(0, timeout=10_000)


def test_cards_label_a_running_live_page_in_text(
    live_site: Any,
    coverage: Any,
    page: Page,
) -> None:
    article = ArticlePageFactory(
        parent=coverage.get_parent(), title="Kremlin guests arrive by train", slug="guests"
    )
    article.save_revision().publish()
    page.goto(live_site.url + coverage.get_parent().url)
    # Read with the headline, as a screen reader reads the link: "Live : Leaders meet in Moscow".
    named = re.compile(r"^Live\W+Leaders meet in Moscow$")
    card = page.locator(".card", has=page.get_by_role("link", name=named))
    expect(card.locator(".card__live")).to_have_text("Live:")
    expect(card.locator(".card__live")).to_be_visible()
    other = page.locator(".card", has_text="Kremlin guests arrive by train")
    expect(other.locator(".card__live")).to_have_count(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "live-card-label.png")
    page.goto(live_site.url + "/")
    expect(page.get_by_role("link", name=named).first).to_be_visible()
    page.screenshot(path=SHOTS / "live-card-label-front.png")
