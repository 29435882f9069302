"""The same comment sent twice, with JavaScript: the reader reads the server's answer ("already
been posted"), not a network failure, and the thread still holds one copy."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.comments.models import Comment
from dateline.demo import content

ARTICLE = content.ARTICLES[0]
ARTICLE_PATH = f"/{ARTICLE['section']}/{ARTICLE['slug']}/"
AWAITING = "Your comment is awaiting moderation."
ALREADY = "This comment has already been posted."
TEXT = "Did the communiqué say anything about the grain corridor through the Bosphorus?"


def field(page: Page, label: str) -> Locator:
    return page.locator("#commentform").get_by_label(re.compile(rf"^{label}\b"))


def post(page: Page, *, comment: str) -> None:
    field(page, "Comment").fill(comment)
    field(page, "Name").fill("Selin Aksoy")
    field(page, "Email").fill("selin.aksoy@example.org")
    with page.expect_response("**/comments/post/") as answered:
        page.get_by_role("button", name="Post Comment").click()
    assert answered.value.ok


def test_posting_the_same_comment_twice_shows_the_servers_answer(
    demo_lead_site: LiveServer, page: Page
) -> None:
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    status = page.locator("#commentform").get_by_role("status")
    post(page, comment=TEXT)
    expect(status).to_have_text(AWAITING)
    mine = page.locator("li.comment").filter(has_text=TEXT)
    expect(mine).to_have_count(1)

    post(page, comment=TEXT)

    expect(status).to_have_text(ALREADY)
    expect(mine).to_have_count(1)
    expect(page.get_by_role("button", name="Post Comment")).to_be_enabled()
    assert Comment.objects.filter(body=TEXT).count() == 1
    # Nothing but the first comment's token is kept for "your comments" on a later visit.
    tokens = page.evaluate("JSON.parse(localStorage.getItem('dateline.own') || '[]')")
    assert len(tokens) == 1 and all(isinstance(t, str) and t for t in tokens)
