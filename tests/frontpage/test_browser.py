"""In the browser (issue 17, "Done when"): an editor arranges the front page in the admin, and
"most read" fills as a reader reads articles. Screenshots in docs/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.news.models import ArticlePage, HomePage
from dateline.readership.models import PageViews
from tests.factories import ArticlePageFactory

from .conftest import BROWSER

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
STORIES = [
    ("Harbour crane strike ends after eleven days", "business"),
    ("Night trains return to the northern line", "politics"),
    ("Volunteers map every tree in the old town", "international"),
]


def sign_in(page: Page, base: str, username: str) -> None:
    password = (Path(settings.VAR_DIR) / "demo-password.txt").read_text().strip()
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


@pytest.fixture
def newsroom(demo_lead_site: LiveServer, settings) -> LiveServer:
    """The demo's lead story and three more, and a front page nobody has arranged yet."""
    from dateline.news.models import SectionPage

    # "Most read" is chosen anew every two seconds here, not every five minutes.
    settings.DATELINE_MOST_READ_REFRESH = 2
    for title, slug in STORIES:
        ArticlePageFactory(parent=SectionPage.objects.get(slug=slug), title=title)
    home = HomePage.objects.get()
    home.slots = []  # type: ignore[assignment]
    home.save_revision().publish()
    return demo_lead_site


def test_an_editor_arranges_the_front_page_and_most_read_fills_as_readers_read(
    newsroom: LiveServer,
    page: Page,
    browser: Browser,
) -> None:
    base = newsroom.url
    home = HomePage.objects.get()
    lead_title = STORIES[2][0]
    sign_in(page, base, "editor")
    page.goto(f"{base}/admin/pages/{home.pk}/edit/")

    # A lead story chosen with the page chooser.
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Lead story").click()
    slot = page.locator("[data-contentpath='slots']")
    slot.get_by_role("button", name="Choose a page").first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("textbox", name="Search term").fill("Volunteers")
    modal.get_by_role("link", name=lead_title).click()
    expect(slot.locator("[data-chooser-title]").first).to_have_text(lead_title)
    # Then "most read" under it.
    page.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Most read").click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    slot.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    page.wait_for_timeout(600)  # the block menu's closing fade
    page.screenshot(path=SHOTS / "front-page-slots-admin.png", full_page=True)
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")

    # A reader (a browser as readers have it, not a headless one) sees the arrangement.
    reader = browser.new_context(user_agent=BROWSER, viewport={"width": 1280, "height": 900})
    front = reader.new_page()
    front.goto(base + "/")
    expect(front.locator("section.lead")).to_contain_text(lead_title)
    expect(front.locator("aside.most-read")).to_have_count(0)

    # They read two stories; each page tells the server once, by its beacon.
    for title, _ in STORIES[:2]:
        article = ArticlePage.objects.get(title=title)
        with front.expect_response(re.compile(rf"/readership/read/{article.pk}/$")):
            front.goto(base + article.url)
    assert sum(PageViews.objects.values_list("views", flat=True)) == 2

    # Within the refresh period, the front page shows what readers read.
    for _ in range(20):
        front.goto(base + "/")
        if front.locator("aside.most-read").count():
            break
        front.wait_for_timeout(500)
    most_read = front.locator("aside.most-read")
    expect(most_read).to_contain_text(STORIES[0][0])
    expect(most_read).to_contain_text(STORIES[1][0])
    front.screenshot(path=SHOTS / "front-page-most-read.png", full_page=True)

    # The editors' report counts the same reads beside the comments.
    page.goto(base + "/admin/most-read/")
    expect(page.locator("table").first).to_contain_text(STORIES[0][0])
    page.screenshot(path=SHOTS / "most-read-report.png", full_page=True)
    reader.close()


def test_the_demo_front_page_is_arranged_by_an_editor(
    demo_site: LiveServer,
    page: Page,
) -> None:
    from dateline.demo import front

    page.goto(demo_site.url + "/")

    lead = ArticlePage.objects.get(slug=front.FRONT_LEAD)
    expect(page.locator("section.lead")).to_contain_text(lead.title)
    top = page.locator("section.front-section--stories")
    expect(top.locator("h2")).to_have_text("Top stories")
    for slug in front.TOP_STORIES:
        expect(top).to_contain_text(ArticlePage.objects.get(slug=slug).title)
    politics = page.locator("section.front-section", has=page.locator("#front-politics"))
    expect(politics).to_contain_text(
        ArticlePage.objects.get(slug=front.SECTION_PICKS["politics"][0]).title
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "front-page-arranged.png", full_page=True)
