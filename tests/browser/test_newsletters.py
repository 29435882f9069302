"""A reader subscribes to the International daily from an article and confirms; an editor
previews the issue, sends a test copy to herself and sends it. Screenshots:
docs/screenshots/newsletter-*.png."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.demo import content
from dateline.news.models import ArticlePage

from .test_comments import axe_report
from .test_newsroom import sign_in

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
LEAD = content.ARTICLES[0]
READER = "amal.reader@mail.example"


def path_of(url_in_mail: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url_in_mail)


def test_reader_subscribes_confirms_and_editor_previews_and_sends(
    demo_lead_site: LiveServer, page: Page
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = demo_lead_site.url
    article = ArticlePage.objects.get(slug=LEAD["slug"])
    mail.outbox.clear()

    # The reader, on the article: the box offers the section's newsletter.
    page.goto(base + article.url)
    box = page.locator(".newsletter-signup")
    expect(box).to_contain_text("International daily")
    # The section's own newsletter comes ticked; the site-wide alerts are there, unticked.
    expect(box.get_by_label("International daily")).to_be_checked()
    expect(box.get_by_label("Breaking news alerts")).not_to_be_checked()
    box.get_by_label("Your email address").fill(READER)
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(SCREENSHOTS / "newsletter-signup.png"))
    box.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert not axe_report(page)

    (confirmation,) = [m for m in mail.outbox if m.to == [READER]]
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"(https?://\S+/newsletters/confirm/\S+/)", confirmation.body)
    assert link
    page.goto(base + path_of(link.group(1)))
    expect(page.get_by_role("heading", name="Confirm your subscription")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "newsletter-confirm.png"))
    assert not axe_report(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("International daily")
    page.get_by_role("link", name="Choose your newsletters").click()
    expect(page.get_by_label("International daily")).to_be_checked()
    assert not axe_report(page)

    # The editor prepares the issue, looks at it, sends a test copy, then sends.
    mail.outbox.clear()
    sign_in(page, base, "editor")
    page.goto(base + "/admin/newsletter-issues/")
    row = page.locator("tr", has_text="International daily").first
    expect(row).to_contain_text("1")  # list size
    row.get_by_role("button", name="Prepare an issue now").click()
    page.wait_for_url(re.compile(r"/admin/newsletter-issues/\d+/$"))
    expect(page.locator("main")).to_contain_text("1 confirmed subscriber")
    preview = page.frame_locator("iframe[title='The issue as subscribers see it']")
    expect(preview.get_by_role("link", name=LEAD["headline"]).first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "newsletter-issue-preview.png"), full_page=True)

    page.get_by_role("button", name=re.compile("Send a test to me")).click()
    expect(page.get_by_text("A test copy is on its way")).to_be_visible()
    assert [m.to for m in mail.outbox] == [["editor@dateline.example"]]
    assert mail.outbox[0].subject.startswith("[Test] ")

    page.get_by_role("button", name=re.compile("Send now to 1 subscriber")).click()
    expect(page.get_by_text("Sending started. The counts")).to_be_visible()
    page.reload()
    expect(page.locator("dl")).to_contain_text("Sent")
    page.screenshot(path=str(SCREENSHOTS / "newsletter-issue-sent.png"), full_page=False)

    issue_mail = mail.outbox[-1]
    assert issue_mail.to == [READER]
    assert LEAD["headline"] in issue_mail.body
    assert issue_mail.extra_headers["List-Unsubscribe"].startswith("<http")
    assert issue_mail.alternatives[0][1] == "text/html"
