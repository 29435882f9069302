"""In Chromium: a reader signs up by emailed link, comments as a signed-in reader on an article
served from the shared cache, finds the comment on their own page and subscribes to the
section's newsletter there; an editor prepares an issue in the admin, looks at it and sends it,
and it reaches the reader with its unsubscribe headers and both parts. Screenshots in
docs/screenshots/ (reader-*.png, newsletter-issue-admin.png)."""

from __future__ import annotations

import re
from datetime import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
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


@pytest.fixture
def world_daily(story: Any) -> Any:
    from dateline.newsletters.models import Newsletter

    newsletter = Newsletter.objects.create(
        name="World daily",
        slug="world-daily",
        description="The day's world news at seven.",
        schedule=Newsletter.Schedule.DAILY,
        send_time=time(7, 0),
        time_zone="Europe/London",
    )
    newsletter.sections.add(story.section)
    return newsletter


def editor_signs_in(browser: Any, base: str) -> Any:
    from django.contrib.auth.models import Group
    from playwright.sync_api import expect

    user = get_user_model().objects.create_user(
        username="nl-editor",
        email="desk@newsroom.example",
        password="a-password-for-the-test",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Editor"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("nl-editor")
    page.get_by_label("Password").fill("a-password-for-the-test")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return context, page


def test_a_reader_signs_up_by_link_comments_and_sees_it_on_their_page(
    live_site: Any, story: Any, world_daily: Any, page: Any, browser: Any
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
    # The note on the name goes under its box, not squeezed beside it.
    name_box = page.locator("#id_display_name").bounding_box()
    note_box = page.locator("#display-name-help").bounding_box()
    assert name_box and note_box
    assert note_box["y"] >= name_box["y"] + name_box["height"]
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

    # From their page, the reader subscribes to the section's newsletter: the account's
    # address is already proven, so it starts at once.
    page.click("#newsletter-preferences")
    page.check(f"#nl-{world_daily.pk}")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".notice")).to_contain_text("Started: World daily")

    # An editor prepares an issue, looks at it and sends it.
    context, desk = editor_signs_in(browser, live_site.url)
    try:
        desk.goto(live_site.url + "/admin/newsletter-issues/")
        desk.get_by_role("button", name="Prepare an issue now").click()
        send = desk.get_by_role("button", name="Send now to 1 subscriber")
        expect(send).to_be_visible()
        preview = desk.frame_locator("iframe[title='The issue as subscribers see it']")
        expect(preview.locator("body")).to_contain_text(story.title)
        desk.screenshot(path=str(SCREENSHOTS / "newsletter-issue-admin.png"), full_page=False)
        send.click()
        expect(desk.locator(".messages")).to_contain_text("Sending started")
    finally:
        context.close()

    sent = [
        m for m in mail.outbox if m.to == ["nour.reader@example.org"] and "World daily" in m.subject
    ]
    assert len(sent) == 1
    message = sent[0].message()
    assert message["List-Unsubscribe"].startswith("<" + live_site.url + "/newsletters/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert story.title in sent[0].body  # the plain-text part
    assert [kind for _, kind in sent[0].alternatives] == ["text/html"]


def test_the_buttons_of_the_readers_page_stand_apart_on_a_phone(
    live_site: Any, browser: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.DATELINE_BASE_URL = live_site.url

    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_site.url + "/readers/sign-in/")
    phone.fill("#id_email", "thumb@example.org")
    phone.click("#sign-in-form button[type=submit]")
    expect(phone.locator("#sign-in-sent")).to_be_visible()
    phone.goto(LINK.findall(mail.outbox[-1].body)[0])
    phone.click("#link-submit")
    expect(phone.locator("#reader-account")).to_be_visible()

    boxes = [
        phone.locator(f"#{name}").bounding_box()
        for name in ("export-account", "sign-out", "sign-out-everywhere")
    ]
    context.close()

    for upper, lower in pairwise(boxes):
        assert upper and lower
        assert lower["y"] - (upper["y"] + upper["height"]) >= 8  # px between two buttons
