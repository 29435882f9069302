"""The moderators' desk in a real browser: a moderator signs in, opens the Pending queue and
decides with the keyboard only; readers then see the approved comment and not the spam."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.comments.models import Comment
from dateline.comments.screening import Submission
from dateline.comments.services import comment_post
from dateline.demo import content
from dateline.news.models import ArticlePage

ARTICLE = content.ARTICLES[0]
ARTICLE_PATH = f"/{ARTICLE['section']}/{ARTICLE['slug']}/"
GOOD = "The port lease was renewed in 2017 for 49 years; the text is on the Duma's site."
SPAM = "Cheap watches at best-price-watches dot shop, order today, limited offer!!!"
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def held(name: str, email: str, body: str) -> Comment:
    comment = comment_post(
        submission=Submission(
            article=ArticlePage.objects.get(slug=ARTICLE["slug"]),
            name=name,
            email=email,
            body=body,
            ip="127.0.0.1",
        )
    ).comment
    assert comment.status == Comment.Status.PENDING
    return comment


def sign_in(page: Page, base: str) -> None:
    password = (Path(settings.VAR_DIR) / "demo-password.txt").read_text().strip()
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def thread_text(browser: Browser, url: str) -> str:
    context = browser.new_context(locale="en-GB")
    try:
        reader = context.new_page()
        reader.goto(url)
        expect(reader.locator("#comments")).to_be_visible()
        return reader.locator("#comments").inner_text()
    finally:
        context.close()


def test_moderator_approves_and_marks_spam_with_the_keyboard(
    demo_lead_site: LiveServer, browser: Browser
) -> None:
    good = held("Ines Deskcheck", "ines.deskcheck@example.org", GOOD)
    spam = held("Watch Deskcheck", "watches.deskcheck@example.org", SPAM)
    article_url = demo_lead_site.url + ARTICLE_PATH
    assert GOOD not in thread_text(browser, article_url)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, demo_lead_site.url)
        dashboard = page.locator("#comment-desk-section")
        expect(dashboard).to_contain_text("Pending")
        page.goto(demo_lead_site.url + "/admin/comments/desk/pending/?commenter=Deskcheck")
        cards = page.locator("li.desk-card")
        expect(cards).to_have_count(2)
        expect(cards.nth(0)).to_contain_text("Ines Deskcheck")
        expect(cards.nth(0)).to_contain_text("Held: first comment from this address.")

        page.keyboard.press("j")
        expect(cards.nth(0)).to_be_focused()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "desk.png"), full_page=False)
        page.keyboard.press("a")
        page.wait_for_url(re.compile(rf"#card-{spam.pk}$"))
        expect(page.get_by_text("Approve: comment by Ines Deskcheck.")).to_be_visible()
        remaining = page.locator("li.desk-card")
        expect(remaining).to_have_count(1)
        # After the action the next card has the focus: the keys go on working.
        expect(remaining.first).to_be_focused()
        page.keyboard.press("s")
        expect(page.get_by_text("Mark as spam: comment by Watch Deskcheck.")).to_be_visible()
        expect(page.locator("li.desk-card")).to_have_count(0)
        # A mistake: z takes it back, and the card is there again with the focus. (Once the
        # page has loaded: its message can show before the desk's script has bound the keys.)
        page.wait_for_load_state("load")
        page.keyboard.press("z")
        expect(
            page.get_by_text("Undone: comment by Watch Deskcheck. It is held again.")
        ).to_be_visible()
        expect(page.locator("li.desk-card")).to_have_count(1)
        expect(page.locator("li.desk-card").first).to_be_focused()
        page.keyboard.press("s")
        expect(page.get_by_text("Mark as spam: comment by Watch Deskcheck.")).to_be_visible()
        expect(page.locator("li.desk-card")).to_have_count(0)

        page.keyboard.press("?")
        dialog = page.locator("#keyboard-shortcuts-dialog")
        expect(dialog).to_contain_text("Comment desk")
        expect(dialog).to_contain_text("Mark as spam")
        page.goto(demo_lead_site.url + "/admin/comments/desk/spam/?commenter=Deskcheck")
        page.keyboard.press("j")
        page.keyboard.press("?")
        expect(dialog).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "desk-shortcuts.png"), full_page=False)
    finally:
        context.close()

    good.refresh_from_db()
    spam.refresh_from_db()
    assert (good.status, spam.status) == ("approved", "spam")
    text = thread_text(browser, article_url)
    assert GOOD in text
    assert SPAM not in text


def test_reply_as_staff_box_fits_its_card_on_a_wide_and_a_narrow_screen(
    demo_lead_site: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    """Issue 18: the Reply-as-staff box ran past the right edge of its card."""
    comment = held("Rhea Replycheck", "rhea.replycheck@example.org", GOOD)
    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            sign_in(page, demo_lead_site.url)
            page.goto(demo_lead_site.url + "/admin/comments/desk/pending/?commenter=Replycheck")
            card = page.locator(f"#card-{comment.pk}")
            card.get_by_text("Reply as staff").click()
            box = card.locator("textarea")
            expect(box).to_be_visible()
            card.scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / f"desk-reply-{width}.png"), full_page=False)
            outer, inner = card.bounding_box(), box.bounding_box()
            assert outer is not None and inner is not None
            assert inner["x"] >= outer["x"]
            assert inner["x"] + inner["width"] <= outer["x"] + outer["width"], width
            # Nothing else in the card runs past it either (a long address, a long reason).
            assert card.evaluate("e => e.scrollWidth <= e.clientWidth"), width
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        finally:
            context.close()
