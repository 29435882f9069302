"""The nudge in a real browser (docs/moderation.md, "Nudge"): a comment the abusive-language model
flags comes back unposted with a note next to the comment box; pressing Post Comment again posts
it, with JavaScript and without."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.comments.forms import NUDGE_MESSAGE
from dateline.comments.models import Comment
from dateline.demo import content

from .test_comments import (
    AWAITING,
    axe_report,
    comment_item,
    described_by,
    field,
    fill_form,
    reader,
)

ARTICLE = content.ARTICLES[0]
ARTICLE_PATH = f"/{ARTICLE['section']}/{ARTICLE['slug']}/"
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
# Between the fixture model's low and high thresholds: nudged, and not held for its language.
RUDE = "You clueless idiot, the sea wall was never going to hold."


def test_reader_is_nudged_and_posts_the_comment_as_it_is_with_javascript(
    demo_lead_site: LiveServer, abuse_model: Path, page: Page
) -> None:
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    fill_form(page, comment=RUDE, name="Rob Rudd", email="rob.rudd@example.org")
    with page.expect_response("**/comments/post/") as first:
        page.get_by_role("button", name="Post Comment").click()
    assert first.value.status == 400

    comment_box = field(page, "Comment")
    note = page.locator("#comment-nudge")
    expect(note).to_have_text(NUDGE_MESSAGE)
    expect(comment_box.locator("xpath=following-sibling::*[1]")).to_have_id("comment-nudge")
    assert NUDGE_MESSAGE in described_by(comment_box)
    expect(comment_box).not_to_have_attribute("aria-invalid", "true")
    expect(comment_box).to_have_value(RUDE)
    expect(comment_box).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("Your comment has not been posted yet.")
    expect(comment_item(page, RUDE)).to_have_count(0)
    assert not Comment.objects.filter(body=RUDE).exists()
    page.locator("#respond").screenshot(path=str(SCREENSHOTS / "comment-nudge.png"))
    assert axe_report(page) == ""

    with page.expect_response("**/comments/post/") as second:
        page.get_by_role("button", name="Post Comment").click()
    assert second.value.status == 201

    posted = comment_item(page, RUDE)
    expect(posted.locator(".comment-awaiting-moderation")).to_have_text(AWAITING)
    expect(note).to_have_count(0)
    expect(comment_box).to_have_value("")
    assert Comment.objects.filter(body=RUDE).count() == 1


def test_reader_is_nudged_and_posts_the_comment_as_it_is_without_javascript(
    demo_lead_site: LiveServer, abuse_model: Path, browser: Browser
) -> None:
    with reader(browser, javascript=False) as page:
        page.goto(demo_lead_site.url + ARTICLE_PATH)
        fill_form(page, comment=RUDE, name="Rob Rudd", email="rob.rudd@example.org")
        with page.expect_response("**/comments/post/") as first:
            page.get_by_role("button", name="Post Comment").click()
        assert first.value.status == 400

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Your comment has not been posted yet"
        )
        comment_box = field(page, "Comment")
        expect(comment_box).to_have_value(RUDE)
        expect(field(page, "Name")).to_have_value("Rob Rudd")
        expect(page.locator("#comment-nudge")).to_have_text(NUDGE_MESSAGE)
        assert NUDGE_MESSAGE in described_by(comment_box)
        expect(page.get_by_role("alert").get_by_role("link")).to_have_attribute("href", "#comment")
        assert not Comment.objects.filter(body=RUDE).exists()
        shots = Path(settings.VAR_DIR) / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "comment-nudge-nojs.png"), full_page=True)

        page.get_by_role("button", name="Post Comment").click()
        page.wait_for_url(re.compile(r"[?&]own=[^#]+#comment-\d+$"))
        posted = comment_item(page, RUDE)
        expect(posted.locator(".comment-awaiting-moderation")).to_have_text(AWAITING)
        assert Comment.objects.filter(body=RUDE).count() == 1
