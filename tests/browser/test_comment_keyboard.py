"""Where the keyboard focus lands after each step of the conversation's script, and what the
form's status line says, for readers who use the keyboard or a screen reader."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from .test_comments import ARTICLE_PATH, QUESTION, field, fill_form, hold


def test_cancelling_a_reply_puts_the_focus_back_on_the_reply_link_that_opened_the_form(
    demo_lead_site: LiveServer, page: Page
) -> None:
    """It went to the first comment's Reply link, far up the thread from where the reader was."""
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    opener = page.locator("a.comment-reply-link").nth(3)
    opener_id = opener.get_attribute("data-commentid")
    assert opener_id != page.locator("a.comment-reply-link").first.get_attribute("data-commentid")
    opener.focus()
    page.keyboard.press("Enter")
    expect(field(page, "Comment")).to_be_focused()

    page.get_by_role("link", name="Cancel reply").focus()
    page.keyboard.press("Enter")

    expect(page.locator(f"#comment-{opener_id} > article .comment-reply-link")).to_be_focused()
    expect(page.get_by_role("link", name="Cancel reply")).to_be_hidden()


def test_posting_the_same_comment_again_leaves_the_focus_on_the_button(
    demo_lead_site: LiveServer, page: Page
) -> None:
    """The earlier comment is held, so not on this reader's page: the focus fell to the page's
    body while the button was disabled, and the next Tab started from the top of the page."""
    hold(QUESTION)
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    fill_form(page, comment=QUESTION, name="Ines Marlow", email="ines.marlow@example.org")
    field(page, "Comment").focus()
    page.keyboard.press("Tab")
    for _ in range(8):
        if page.evaluate("document.activeElement.id") == "submit":
            break
        page.keyboard.press("Tab")
    with page.expect_response("**/comments/post/"):
        page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("This comment has already been posted.")
    expect(page.get_by_role("button", name="Post Comment")).to_be_focused()
