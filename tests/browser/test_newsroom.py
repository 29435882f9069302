"""The newsroom in a real browser: a reporter's first article, from "Add child page" to
"submitted for review" without ever typing a slug."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.news.models import ArticlePage, SectionPage

HEADLINE = "Ferry crossings resume after nine-day strike"
STANDFIRST = "The union accepted a pay offer overnight; the first boats leave at six."
PARAGRAPH = "Crossings to the islands resume on Monday morning, the operator said."


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign in as one of the demo's users (``make demo`` prints them, one password)."""
    password = (Path(settings.VAR_DIR) / "demo-password.txt").read_text().strip()
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def footer_action(page: Page, name: str) -> None:
    """One of the editor's footer actions behind "More actions" (the arrow by "Save draft")."""
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name=name).click()


def test_reporter_submits_a_first_article_without_typing_a_slug(
    demo_lead_site: LiveServer, page: Page
) -> None:
    base = demo_lead_site.url
    section = SectionPage.objects.get(slug="international")
    sign_in(page, base, "reporter")

    page.goto(f"{base}/admin/pages/{section.pk}/")
    page.get_by_role("link", name="Add child page").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/news/articlepage/\d+/$"))
    # Typed as a reporter types it; the slug on the Promote tab is never touched.
    page.get_by_role("textbox", name="Headline").press_sequentially(HEADLINE)
    page.get_by_role("textbox", name="Standfirst").fill(STANDFIRST)
    page.get_by_role("button", name="Choose author").click()
    page.locator(".modal").get_by_role("link", name="Mara Ellison").click()
    expect(page.locator("#id_byline-0-author-title")).to_have_text("Mara Ellison")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type(PARAGRAPH)
    # Draftail writes the text into the form a moment after the last key.
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("Monday morning"))

    footer_action(page, "Submit to Newsroom review")

    expect(page.locator(".messages")).to_contain_text(
        f"Page '{HEADLINE}' created and submitted for moderation."
    )
    article = ArticlePage.objects.get(title=HEADLINE)
    assert article.slug == "ferry-crossings-resume-after-nine-day-strike"
    assert article.get_parent().pk == section.pk
    assert article.workflow_in_progress
    assert not article.live
    assert article.byline.get().author.name == "Mara Ellison"
    body = article.get_latest_revision_as_object().body
    assert PARAGRAPH in str(body[0].value)
