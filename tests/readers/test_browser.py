"""In Chromium: a reader signs up by emailed link, comments as a signed-in reader on an article
served from the shared cache, and finds the comment on their own page. Screenshots in
docs/screenshots/ (reader-*.png)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from dateline.comments.models import Comment
from tests.factories import ArticlePageFactory, SectionPageFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
LINK = re.compile(r"http://[^\s\"<]+/readers/link/[^\s\"<]+/")


@pytest.fixture
def story(live_site: Any, settings: Any) -> Any:
    from dateline.news.models import HomePage

    settings.DATELINE_BASE_URL = live_site.url
    section = SectionPageFactory(parent=HomePage.objects.get(), title="World", slug="world")
    return ArticlePageFactory(
        parent=section,
        title="Lighthouse keepers return to the northern cape",
        slug="lighthouse-keepers",
    )


def test_a_reader_signs_up_by_link_comments_and_sees_it_on_their_page(
    live_site: Any, story: Any, page: Any
) -> None:
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_site.url + story.url)
    expect(page.locator("#author")).to_be_visible()  # the anonymous form
    page.click("#reader-link")

    page.fill("#id_email", "nour.reader@example.org")
    page.fill("#id_display_name", "Nour H.")
    page.screenshot(path=str(SCREENSHOTS / "reader-sign-in.png"), full_page=False)
    page.click("#sign-in-form button[type=submit]")
    expect(page.locator("#sign-in-sent")).to_be_visible()

    link = LINK.findall(mail.outbox[-1].body)[0]
    page.goto(link)
    expect(page.locator("#link-submit")).to_have_text("Create my account")
    page.click("#link-submit")

    # Back on the article, from the shared cache, with the signed-in state filled in.
    page.wait_for_url(re.compile(re.escape(story.url)))
    expect(page.locator("#commentform .logged-in-as")).to_contain_text("Commenting as Nour H.")
    expect(page.locator("#author")).to_be_hidden()
    expect(page.locator("#reader-link")).to_have_text("Nour H.")
    page.fill("#comment", "The keepers' logbooks deserve a museum of their own.")
    page.screenshot(path=str(SCREENSHOTS / "reader-comment.png"), full_page=False)
    page.click("#submit")
    expect(page.locator(".form-status")).to_contain_text(
        re.compile("awaiting moderation|published"), timeout=10_000
    )

    comment = Comment.objects.get()
    assert comment.author_name == "Nour H." and comment.user_id is not None

    page.click("#reader-link")
    expect(page.locator("#own-comments")).to_contain_text("logbooks deserve a museum")
    expect(page.locator(".status-badge").first).to_be_visible()
    assert "nour.reader@example.org" not in page.content()
    page.screenshot(path=str(SCREENSHOTS / "reader-page.png"), full_page=True)
