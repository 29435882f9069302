"""The demo's heatwave article, which uses every richer block, in a real browser: each block
shows, the gallery's pictures load as the reader scrolls, axe-core finds nothing at desktop and
phone widths, and nothing scrolls sideways on a 360 px phone (a wide table scrolls in its own
frame). Screenshots: docs/screenshots/article-blocks.png and article-blocks-phone.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings as DjangoSettings
from pytest_django.live_server_helper import LiveServer

from dateline.demo import content
from dateline.news.models import ArticlePage
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    _illustration,
    _portrait,
    live_site,
)
from tests.browser.test_comments import axe_report
from tests.browser.test_newsroom import footer_action, sign_in
from tests.browser.test_reader_journey import assert_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser

HEATWAVE = next(spec for spec in content.ARTICLES if spec["slug"] == "calvera-heatwave-record")
WATER = next(spec for spec in content.ARTICLES if spec["slug"] == "lake-orvan-water-pact")
PATH = f"/{HEATWAVE['section']}/{HEATWAVE['slug']}/"
HEATWAVE_TABLE_CAPTION = next(v for k, v in HEATWAVE["body"] if k == "table")["caption"]
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


@pytest.fixture
def blocks_site(
    live_site: LiveServer,  # noqa: F811
    settings: DjangoSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> LiveServer:
    """The demo newsroom with the heatwave article and the one its related link names."""
    from dateline.demo import services

    monkeypatch.setattr(content, "ARTICLES", [WATER, HEATWAVE])
    monkeypatch.setattr(services, "illustration", _illustration)
    monkeypatch.setattr(services, "portrait", _portrait)
    settings.VAR_DIR = tmp_path / "var"
    services.demo_load(with_users=True)
    return live_site


@pytest.fixture
def reader(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_every_block_shows_and_passes_axe_at_desktop_and_phone_widths(
    blocks_site: LiveServer, reader: Page
) -> None:
    page = reader
    page.goto(blocks_site.url + PATH)
    body = page.locator(".story__body")

    gallery = body.locator("figure.block-gallery")
    pictures = gallery.locator("li img")
    expect(pictures).to_have_count(4)
    # Lazily loaded: the pictures below the fold wait until the reader gets near them.
    assert pictures.first.get_attribute("loading") == "lazy"
    gallery.scroll_into_view_if_needed()
    expect(pictures.first).to_have_js_property("complete", True)
    assert pictures.first.evaluate("img => img.naturalWidth") > 0
    expect(gallery.locator("li figcaption").first).to_contain_text("cooling centre")
    table = body.get_by_role("table", name="Thursday's highest readings")
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader", name="Santorre")).to_be_visible()
    expect(body.get_by_role("complementary", name="Staying safe in the heat")).to_be_visible()
    expect(body.get_by_role("region", name="Five days of red alert").locator("li")).to_have_count(5)
    expect(body.locator(".block-pullquote blockquote")).to_contain_text("washing machine")
    related = body.get_by_role("complementary", name="Also on the climate desk")
    expect(related.get_by_role("link", name=WATER["headline"])).to_have_attribute(
        "href", f"/{WATER['section']}/{WATER['slug']}/"
    )
    assert axe_report(page) == ""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, SCREENSHOTS / "article-blocks.png")

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(blocks_site.url + PATH)
    assert_no_horizontal_scroll(page)
    # The table keeps its columns and scrolls inside its frame, which a keyboard can reach.
    frame = body.locator(".block-table__scroll")
    frame.focus()
    expect(frame).to_be_focused()
    frame.evaluate("frame => frame.blur()")
    assert axe_report(page) == ""
    screenshot(page, SCREENSHOTS / "article-blocks-phone.png")

    related.get_by_role("link", name=WATER["headline"]).click()
    expect(page.locator("h1")).to_have_text(WATER["headline"])


def test_editor_who_publishes_a_table_without_caption_sees_why_by_the_field(
    blocks_site: LiveServer, reader: Page
) -> None:
    page = reader
    article = ArticlePage.objects.get(slug=HEATWAVE["slug"])
    sign_in(page, blocks_site.url, "editor")
    page.goto(f"{blocks_site.url}/admin/pages/{article.pk}/edit/")
    caption = page.locator("input[name$='-value-table-caption']")
    expect(caption).to_have_value(HEATWAVE_TABLE_CAPTION)
    caption.fill("")
    footer_action(page, "Publish")

    expect(page.get_by_text("The page could not be saved due to validation errors")).to_be_visible()
    message = page.get_by_text("Write a caption: it says what the table shows to every reader.")
    expect(message).to_be_visible()
    # Everything else the editor had is still there, the emptied caption too.
    expect(page.locator("input[name$='-value-table-caption']")).to_have_value("")
    expect(page.locator("input[name$='-value-table-column-0-heading']")).to_have_value(
        "Weather station"
    )
    message.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "article-blocks-table-error.png")
    live = ArticlePage.objects.get(pk=article.pk)
    table = next(block for block in live.body if block.block_type == "table")
    assert table.value["table"].caption == HEATWAVE_TABLE_CAPTION


def test_a_new_gallery_and_timeline_open_with_empty_slots_and_no_error(
    blocks_site: LiveServer, reader: Page
) -> None:
    """A gallery needs two pictures and a timeline two events: added to a new article, each
    opens with two empty places to fill and nothing in red (Wagtail's script showed "The
    minimum number of items is 2" under a single empty picture as the block appeared)."""
    page = reader
    section = ArticlePage.objects.get(slug=HEATWAVE["slug"]).get_parent()
    sign_in(page, blocks_site.url, "reporter")
    page.goto(f"{blocks_site.url}/admin/pages/add/news/articlepage/{section.pk}/")
    for name in ("Gallery", "Timeline"):
        page.get_by_role("button", name="Insert a block").last.click()
        page.get_by_role("option", name=name, exact=True).click()

    pictures = page.locator("[data-contentpath='images'] [data-contentpath='image']")
    expect(pictures).to_have_count(2)
    expect(page.locator("input[name*='-value-events-'][name$='-value-when']")).to_have_count(2)
    expect(page.get_by_text("The minimum number of items")).to_have_count(0)
    typed = page.locator(
        "input[type=text][name*='-value-images-'], input[type=text][name*='-value-events-']"
    )
    expect(typed).to_have_count(2 * 3 + 2 * 2)  # alt, caption, credit; when, title
    assert {field.input_value() for field in typed.all()} == {""}
