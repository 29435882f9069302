"""In Chromium: a signed-in reader's like follows the account to another browser. The article
comes from the shared cache in both; the pressed button is filled in from /readers/state/.
Screenshot: docs/screenshots/reader-likes.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from dateline.comments.models import Comment, CommentLike
from dateline.comments.text import account_key
from dateline.readers.models import Reader
from tests.factories import ArticlePageFactory, SectionPageFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
LINK = re.compile(r"http://[^\s\"<]+/readers/link/[^\s\"<]+/")
EMAIL = "mira.reader@example.org"


@pytest.fixture
def story(live_site: Any, settings: Any) -> Any:
    from dateline.news.models import HomePage

    settings.DATELINE_BASE_URL = live_site.url
    section = SectionPageFactory(parent=HomePage.objects.get(), title="World", slug="world")
    return ArticlePageFactory(
        parent=section,
        title="Night ferries return to the island route",
        slug="night-ferries",
    )


def _sign_in(page: Any, live_site: Any, story: Any, name: str = "") -> None:
    """The emailed-link flow from the article's "Sign in", back to the article."""
    from playwright.sync_api import expect

    page.click("#reader-link")
    page.fill("#id_email", EMAIL)
    if name:
        page.fill("#id_display_name", name)
    page.click("#sign-in-form button[type=submit]")
    expect(page.locator("#sign-in-sent")).to_be_visible()
    page.goto(LINK.findall(mail.outbox[-1].body)[0])
    page.click("#link-submit")
    page.wait_for_url(re.compile(re.escape(story.url)))
    expect(page.locator("#reader-link")).to_have_text("Mira K.")


def test_a_like_made_signed_in_shows_pressed_in_another_browser_signed_in_as_the_same_reader(
    live_site: Any, story: Any, page: Any, browser: Any, comment_factory: Any
) -> None:
    from playwright.sync_api import expect

    first = comment_factory(
        article=story, author_name="Jonas P.", body="The 2 a.m. sailing is back."
    )
    second = comment_factory(article=story, author_name="Lea W.", body="Cabins, please.")
    button_first = f"#comment-{first.pk} .comment-like button"
    button_second = f"#comment-{second.pk} .comment-like button"

    page.goto(live_site.url + story.url)
    _sign_in(page, live_site, story, name="Mira K.")
    page.click(button_first)
    expect(page.locator(button_first)).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"{button_first} .like-count")).to_have_text("1")
    reader = Reader.objects.get(display_name="Mira K.")
    assert CommentLike.objects.get(comment=first).voter == account_key("like", reader.user_id)

    # A second browser (another device): before signing in it likes the second comment as
    # itself; once signed in, that like is carried over to the account, and the first
    # comment's button is pressed, from the state request alone.
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    other.set_default_timeout(10_000)
    try:
        phone = other.new_page()
        phone.goto(live_site.url + story.url)
        expect(phone.locator(button_first)).to_have_attribute("aria-pressed", "false")
        phone.click(button_second)
        expect(phone.locator(button_second)).to_have_attribute("aria-pressed", "true")

        _sign_in(phone, live_site, story)
        expect(phone.locator(button_first)).to_have_attribute("aria-pressed", "true")
        expect(phone.locator(f"{button_first} .like-count")).to_have_text("1")
        expect(phone.locator(button_second)).to_have_attribute("aria-pressed", "true")
        phone.wait_for_function("() => localStorage.getItem('dateline.likes') === null")
        assert CommentLike.objects.get(comment=second).voter == account_key("like", reader.user_id)
        phone.evaluate("document.getElementById('comments').scrollIntoView()")
        phone.screenshot(path=str(SCREENSHOTS / "reader-likes.png"), full_page=False)

        # Pressed again on this device, the account's like is taken back: it counted once.
        phone.click(button_first)
        expect(phone.locator(button_first)).to_have_attribute("aria-pressed", "false")
        expect(phone.locator(f"{button_first} .like-count")).to_have_text("0")
    finally:
        other.close()

    assert Comment.objects.get(pk=first.pk).likes_count == 0
    assert Comment.objects.get(pk=second.pk).likes_count == 1
    page.reload()
    expect(page.locator(button_first)).to_have_attribute("aria-pressed", "false")
    expect(page.locator(button_second)).to_have_attribute("aria-pressed", "true")
    assert EMAIL not in page.content()
