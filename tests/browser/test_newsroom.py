"""The newsroom in a real browser: a reporter's first article, from "Add child page" to
"submitted for review" without ever typing a slug or choosing themselves as the author; the
reporter's dashboard; an editor's review of an article, to a
publication at a go-live time the editor confirmed with "Save schedule"."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.live.blocks import EMPTY_BODY_MESSAGE
from dateline.live.models import LivePage, LiveUpdate
from dateline.news.models import ArticleAuthor, ArticlePage, Author, SectionPage

HEADLINE = "Ferry crossings resume after nine-day strike"
STANDFIRST = "The union accepted a pay offer overnight; the first boats leave at six."
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
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
    # A section takes articles and live pages: Wagtail asks which.
    page.wait_for_url(re.compile(r"/admin/pages/\d+/add_subpage/$"))
    page.locator("a[href*='/add/news/articlepage/']").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/news/articlepage/\d+/$"))
    # Typed as a reporter types it; the slug on the Promote tab is never touched.
    page.get_by_role("textbox", name="Headline").press_sequentially(HEADLINE)
    page.get_by_role("textbox", name="Standfirst").fill(STANDFIRST)
    # The demo reporter writes as Priya Raman: the byline starts with her.
    expect(page.locator("#id_byline-0-author-title")).to_have_text("Priya Raman")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type(PARAGRAPH)
    # Draftail writes the text into the form a moment after the last key.
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("Monday morning"))

    footer_action(page, "Submit to Newsroom review")

    # Wagtail's autosave may have stored the draft while the reporter typed (a slow machine
    # types slowly); the submission then comes from the edit view, and says so its own way.
    expect(page.locator(".messages")).to_contain_text(
        re.compile(
            f"Page '{re.escape(HEADLINE)}' (created and submitted|has been submitted) "
            "for moderation."
        )
    )
    article = ArticlePage.objects.get(title=HEADLINE)
    assert article.slug == "ferry-crossings-resume-after-nine-day-strike"
    assert article.get_parent().pk == section.pk
    assert article.workflow_in_progress
    assert not article.live
    assert article.byline.get().author.name == "Priya Raman"
    body = article.get_latest_revision_as_object().body
    assert PARAGRAPH in str(body[0].value)


def submitted_by_the_reporter(section: SectionPage) -> ArticlePage:
    """The demo reporter's new article, submitted to the newsroom's review workflow."""
    reporter = get_user_model().objects.get(username="reporter")
    article = ArticlePage(
        title=HEADLINE,
        slug="ferry-crossings-resume",
        standfirst=STANDFIRST,
        body=[("paragraph", f"<p>{PARAGRAPH}</p>")],
        owner=reporter,
        live=False,
    )
    section.add_child(instance=article)
    ArticleAuthor.objects.create(article=article, author=Author.objects.get(slug="mara-ellison"))
    article.save_revision(user=reporter)
    article.get_workflow().start(article, reporter)
    return article


def test_editor_approves_an_article_to_go_live_at_a_confirmed_time(
    demo_lead_site: LiveServer, page: Page
) -> None:
    base = demo_lead_site.url
    article = submitted_by_the_reporter(SectionPage.objects.get(slug="international"))
    newsroom = ZoneInfo(settings.TIME_ZONE)
    go_live = (timezone.now().astimezone(newsroom) + timedelta(days=30)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    sign_in(page, base, "editor")

    page.get_by_role("link", name=HEADLINE).click()
    page.wait_for_url(re.compile(rf"/admin/pages/{article.pk}/edit/$"))
    page.get_by_role("button", name="Toggle status").click()
    page.get_by_role("button", name="Set schedule").click()
    dialog = page.get_by_role("dialog", name="Set publishing schedule")
    dialog.get_by_label("Go live date/time").fill(f"{go_live:%Y-%m-%d} 09:00")
    # The date picker covers the button; the keyboard reaches it.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Save schedule")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("has been updated")
    assert ArticlePage.objects.get(pk=article.pk).scheduled_revision is None  # not approved yet

    footer_action(page, "Approve and Publish")

    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    expect(page.locator(".messages")).to_have_text(
        f"‘{HEADLINE}’ is scheduled to go live on {go_live.day} {go_live:%B %Y}, "
        f"09:00 {go_live.tzname()}; until then readers cannot see it."
    )
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live
    assert not article.workflow_in_progress
    assert article.scheduled_revision.approved_go_live_at == go_live
    assert page.request.get(f"{base}/international/ferry-crossings-resume/").status == 404


SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def test_reporters_dashboard_offers_their_drafts_sections_and_reviews(
    demo_lead_site: LiveServer, page: Page
) -> None:
    base = demo_lead_site.url
    section = SectionPage.objects.get(slug="international")
    reporter = get_user_model().objects.get(username="reporter")
    draft = ArticlePage(
        title="Harbour tolls to rise in spring", slug="harbour-tolls", owner=reporter, live=False
    )
    section.add_child(instance=draft)
    draft.save_revision(user=reporter)
    submitted_by_the_reporter(section)
    sign_in(page, base, "reporter")

    new_article = page.locator("#desk-new-article-section")
    expect(new_article).to_contain_text("Write a new article")
    expect(new_article.get_by_role("link", name="New article in International")).to_have_attribute(
        "href", f"/admin/pages/add/news/articlepage/{section.pk}/"
    )
    drafts = page.locator("#desk-drafts-section")
    expect(drafts.get_by_role("link", name="Harbour tolls to rise in spring")).to_have_attribute(
        "href", f"/admin/pages/{draft.pk}/edit/"
    )
    review = page.locator("#desk-in-review-section")
    expect(review).to_contain_text(HEADLINE)
    expect(review).to_contain_text("In progress: Editor review")
    page.screenshot(path=str(SCREENSHOTS / "reporter-dashboard.png"), full_page=True)


def test_editor_approves_from_the_dashboard_and_is_told_it_is_published(
    demo_lead_site: LiveServer, page: Page
) -> None:
    base = demo_lead_site.url
    article = submitted_by_the_reporter(SectionPage.objects.get(slug="international"))
    sign_in(page, base, "editor")

    review = page.locator("#awaiting-review-section")
    row = review.locator("tr", has=page.get_by_role("link", name=HEADLINE))
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve with comment").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Comment").fill("Good to go.")
    dialog.get_by_role("button", name="Approve with comment").click()

    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.locator(".messages")).to_have_text(f"‘{HEADLINE}’ has been approved and published.")
    assert ArticlePage.objects.get(pk=article.pk).live
    page.screenshot(path=str(SCREENSHOTS / "editor-approved-from-dashboard.png"))


def test_a_reporters_live_update_form_shows_no_empty_heading(
    demo_site: LiveServer, page: Page
) -> None:
    """The live-update form opens with the fields a reporter fills: the version it was opened
    on travels hidden, with no "Opened version" heading of its own above the live page."""
    base = demo_site.url
    sign_in(page, base, "reporter")
    page.goto(base + "/admin/snippets/live/liveupdate/add/")
    expect(page.get_by_text("Opened version")).to_be_hidden()
    expect(page.locator("input[name=opened_version]")).to_have_count(1)
    expect(page.get_by_text("Live page", exact=False).first).to_be_visible()
    expect(page.get_by_text("The minimum number of items")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "live-update-form.png"), full_page=False)


def test_a_fresh_live_update_form_shows_no_error_until_a_save_without_a_body(
    demo_lead_site: LiveServer, page: Page
) -> None:
    """Nothing in red before the reporter has done anything (Wagtail's script showed "The
    minimum number of items is 1" under Body as the form opened); a save with no block in the
    body is refused with a message that says what to add, and the headline typed is kept."""
    base = demo_lead_site.url
    live = LivePage.objects.first()
    assert live is not None
    sign_in(page, base, "reporter")
    page.goto(f"{base}/admin/snippets/live/liveupdate/add/?live_page={live.pk}")
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    expect(page.get_by_text("The minimum number of items")).to_have_count(0)
    expect(page.get_by_text(EMPTY_BODY_MESSAGE)).to_have_count(0)
    expect(page.locator(".help-critical, .error-message")).to_have_count(0)

    page.locator("input[name=headline]").fill("Talks adjourned")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text(EMPTY_BODY_MESSAGE)).to_be_visible()
    expect(page.locator("input[name=headline]")).to_have_value("Talks adjourned")
    expect(page.get_by_text("The minimum number of items")).to_have_count(0)
    assert not LiveUpdate.objects.filter(headline="Talks adjourned").exists()
    page.get_by_text(EMPTY_BODY_MESSAGE).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "live-update-empty-body.png"), full_page=False)


def test_the_previews_accessibility_checks_find_nothing_in_the_site_itself(
    demo_lead_site: LiveServer, page: Page
) -> None:
    """Wagtail's checks beside the preview count what the editor should fix. The footer's
    site name, a paragraph set large and bold, counted as "Misusing paragraphs as headings"
    on every page's preview: one issue no editor could fix."""
    base = demo_lead_site.url
    article = ArticlePage.objects.live().first()
    assert article is not None
    sign_in(page, base, "editor")
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    page.get_by_role("button", name="Toggle preview").click()
    expect(page.frame_locator("iframe").first.locator(".site-footer")).to_be_attached()
    page.get_by_role("button", name="Toggle checks").click()

    checks = page.locator("[data-side-panel='checks']")
    expect(checks).to_contain_text("Readability")
    expect(checks).to_contain_text(re.compile(r"Issues found\s*0"))
    expect(checks).not_to_contain_text("Misusing paragraphs as headings")
