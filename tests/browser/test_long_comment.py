"""A very long comment on a phone: its first lines and "Show the whole comment", folded by the
stylesheet from the first paint, unfolded from the keyboard; shown whole without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.news.models import HomePage

from ..comments.conftest import CommentFactory
from ..factories import ArticlePageFactory, SectionPageFactory
from .test_comments import axe_report

PHONE = {"width": 390, "height": 844}
THOUGHTS = (
    "The ferry timetable has changed four times this year and nobody on the island was asked.",
    "When the morning boat is cancelled the clinic loses its visiting doctor for the whole day.",
    "Fishermen here remember when the harbour master answered letters within the week.",
    "A new pier was promised before the last election and the survey stakes are still there.",
    "Teenagers who study on the mainland now rent rooms there instead of travelling home.",
)
LAST_WORDS = "That is all I wanted to say, and thank you for reading this far."


def long_body(length: int = 10_000) -> str:
    paragraphs = []
    n = 0
    while sum(len(p) + 2 for p in paragraphs) < length - len(LAST_WORDS) - 200:
        paragraphs.append(" ".join(THOUGHTS[(n + k) % len(THOUGHTS)] for k in range(4)))
        n += 1
    return "\n\n".join([*paragraphs, LAST_WORDS])


@pytest.fixture
def long_comment_url(live_site: LiveServer) -> Iterator[str]:
    section = SectionPageFactory(parent=HomePage.objects.get(), title="Islands", slug="islands")
    article = ArticlePageFactory(parent=section, title="The island ferry", slug="island-ferry")
    CommentFactory(article=article, author_name="Maren Holt", body=long_body())
    CommentFactory(article=article, author_name="Tove Lind", body="Short and to the point.")
    yield live_site.url + article.url


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="en-GB")  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def comment(page: Page, author: str) -> Locator:
    return page.locator("li.comment").filter(has=page.get_by_text(author, exact=True))


def clipped(text: Locator) -> bool:
    return bool(text.evaluate("e => e.scrollHeight > e.clientHeight + 1"))


def test_a_very_long_comment_shows_its_first_lines_on_a_phone_and_unfolds_from_the_keyboard(
    long_comment_url: str, phone: Page
) -> None:
    """A 10,000-character comment was a dozen screens of one reader's text on a phone."""
    assert len(long_body()) > 9_500
    # Folded from the first paint: the same height before the page's script has run (here it
    # never does) as after, so nothing moves when it arrives.
    phone.route("**/comments.js*", lambda route: route.abort())
    phone.goto(long_comment_url)
    before_script = comment(phone, "Maren Holt").bounding_box()
    phone.unroute("**/comments.js*")
    phone.goto(long_comment_url)
    long = comment(phone, "Maren Holt")
    box = long.bounding_box()
    assert before_script is not None and box is not None
    assert before_script["height"] == box["height"]
    assert box["height"] < PHONE["height"] / 2

    text = long.locator(".comment-content")
    button = long.locator("button.comment-unfold")
    expect(button).to_be_visible()
    expect(button).to_have_accessible_name("Show the whole comment by Maren Holt")
    expect(button).to_have_attribute("aria-expanded", "false")
    assert clipped(text)
    expect(
        comment(phone, "Tove Lind").get_by_role("button", name="Show the whole comment")
    ).to_have_count(0)
    long.scroll_into_view_if_needed()
    phone.screenshot(path=str(Path(settings.VAR_DIR) / "long-comment-phone.png"))
    report = axe_report(phone)
    assert not report, report

    long.locator(".comment-date").focus()
    phone.keyboard.press("Tab")
    expect(button).to_be_focused()
    phone.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(button).to_have_accessible_name("Show less by Maren Holt")
    assert not clipped(text)
    expect(long.get_by_text(LAST_WORDS)).to_be_visible()

    phone.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "false")
    assert clipped(text)
    expect(button).to_be_in_viewport()


def test_without_javascript_a_long_comment_is_shown_whole(
    long_comment_url: str, browser: Browser
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(long_comment_url)
    long = comment(page, "Maren Holt")
    expect(long.get_by_role("button", name="Show the whole comment")).to_have_count(0)
    assert not clipped(long.locator(".comment-content"))
    context.close()
