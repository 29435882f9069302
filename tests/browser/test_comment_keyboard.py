"""Where the keyboard focus lands after each step of the conversation's script, and what the
form's status line says, for readers who use the keyboard or a screen reader."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from .test_comments import ARTICLE_PATH, QUESTION, field, fill_form, hold

RATE_LIMITED = (
    "You are commenting faster than this site allows (1 comment per 15 seconds). Your text is "
    "still here: please send it again in 11 seconds."
)


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


def _refuse(route: Route, *, status: int, body: str, content_type: str) -> None:
    route.fulfill(
        status=status, body=body, content_type=content_type, headers={"Retry-After": "11"}
    )


def test_a_refusal_that_says_when_to_try_again_is_not_followed_by_a_second_wait(
    demo_lead_site: LiveServer, page: Page
) -> None:
    """The site's message already says when ("send it again in 11 seconds"); the script added
    "Try again in 11 seconds." after it, and after the database's "in a minute" a different
    number of seconds."""
    answer = json.dumps({"ok": False, "message": RATE_LIMITED, "errors": {}})
    page.route(
        "**/comments/post/",
        lambda route: _refuse(route, status=429, body=answer, content_type="application/json"),
    )
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    fill_form(page, comment=QUESTION, name="Ines Marlow", email="ines.marlow@example.org")
    page.get_by_role("button", name="Post Comment").click()

    expect(page.get_by_role("status")).to_have_text(RATE_LIMITED)
    expect(field(page, "Comment")).to_have_value(QUESTION)


def test_an_answer_that_is_not_the_sites_gets_the_wait_from_retry_after(
    demo_lead_site: LiveServer, page: Page
) -> None:
    page.route(
        "**/comments/post/",
        lambda route: _refuse(
            route, status=503, body="<h1>Service Unavailable</h1>", content_type="text/html"
        ),
    )
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    fill_form(page, comment=QUESTION, name="Ines Marlow", email="ines.marlow@example.org")
    page.get_by_role("button", name="Post Comment").click()

    expect(page.get_by_role("status")).to_have_text(
        "The server did not answer properly. Your text is still here; please try again. "
        "Try again in 11 seconds."
    )
    expect(field(page, "Comment")).to_have_value(QUESTION)


def test_a_refused_like_says_why_beside_the_button(demo_lead_site: LiveServer, page: Page) -> None:
    """Over the network's limit, Like did nothing at all: no count, no word, for the eye or
    for a screen reader."""
    message = "Too many likes and reports from your network; try again later."
    answer = json.dumps({"ok": False, "message": message})
    page.route(
        "**/comments/*/like/",
        lambda route: _refuse(route, status=429, body=answer, content_type="application/json"),
    )
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    first = page.locator("#comments li.comment").first
    button = first.locator("> article .comment-like button")
    count = button.locator(".like-count").inner_text()
    button.focus()
    page.keyboard.press("Enter")

    status = first.locator("> article .comment-actions [role=status]")
    expect(status).to_have_text(message)
    expect(button).to_be_focused()
    expect(button.locator(".like-count")).to_have_text(count)
    expect(button).to_have_attribute("aria-pressed", "false")


def test_the_second_tab_skips_to_the_comments_and_one_more_link_to_leave_a_reply(
    demo_lead_site: LiveServer, page: Page
) -> None:
    """From the top of an article, a keyboard or screen-reader reader had to pass the story,
    its share and related links and every comment's Reply, Like and Report to reach the form."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to comments")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("#comments")).to_be_focused()
    expect(page.locator("#comments-title")).to_be_in_viewport()
    page.keyboard.press("Tab")
    jump = page.locator("#comments").get_by_role("link", name="Leave a Reply")
    expect(jump).to_be_focused()

    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Leave a Reply")).to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(field(page, "Comment")).to_be_focused()
