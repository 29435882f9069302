"""The conversation under an article, in a real browser: posting with JavaScript off and on,
moderation in the admin, inline replies, likes, failed posts, keyboard-only posting and axe-core.

Every test runs against ``demo_lead_site``: the article page only shows its own content and
thread, so it renders exactly as in the full demo, which takes several times longer to load.
axe-core needs JavaScript (it waits on timers), so it only ever runs in JavaScript contexts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from dateline.comments.models import Comment
from dateline.comments.ownership import own_token
from dateline.comments.screening import Submission
from dateline.comments.services import comment_post, email_key_for
from dateline.demo import content
from dateline.moderation.models import CommentBan
from dateline.news.models import ArticlePage

ARTICLE = content.ARTICLES[0]  # the lead: the article with the threaded demo conversation
assert ARTICLE["slug"] == "sharaa-putin-meeting-moscow"
ARTICLE_PATH = f"/{ARTICLE['section']}/{ARTICLE['slug']}/"
AWAITING = "Your comment is awaiting moderation."
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MOBILE: ViewportSize = {"width": 360, "height": 800}
QUESTION = "Has anyone seen what the lease terms for the Tartus naval base actually were?"
FORGOT_EMAIL = "I would like to know what the Kurdish parties made of the Qamishli pull-out."


@pytest.fixture
def screenshots() -> Path:
    path = Path(settings.VAR_DIR) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def reader(browser: Browser, *, javascript: bool = True) -> Iterator[Page]:
    """A fresh browser profile: no cookies, no localStorage."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def field(page: Page, label: str) -> Locator:
    """A field of the comment form by its label. The label reads "Comment *" (the asterisk is
    hidden from assistive technology, not from Playwright's label matching), and other labels
    contain the same words ("... for the next time I comment", "... replies by email")."""
    return page.locator("#commentform").get_by_label(re.compile(rf"^{label}\b"))


def fill_form(page: Page, *, comment: str, name: str, email: str) -> None:
    field(page, "Comment").fill(comment)
    field(page, "Name").fill(name)
    field(page, "Email").fill(email)


def comment_item(page: Page, text: str) -> Locator:
    """The comment (its own <li>, not an ancestor's) whose text is ``text``."""
    return page.locator("li.comment").filter(
        has=page.locator(":scope > article .comment-content", has_text=text)
    )


def watch_navigations(page: Page) -> list[str]:
    """Navigations from now on; a marker on window also tells whether the document is the same."""
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.evaluate("window.__sameDocument = true")
    return navigations


def assert_same_document(page: Page, url: str, navigations: list[str]) -> None:
    assert page.url == url
    assert navigations == []
    assert page.evaluate("window.__sameDocument") is True


def described_by(locator: Locator) -> str:
    """The text of the elements the field's aria-describedby points at."""
    ids = (locator.get_attribute("aria-describedby") or "").split()
    page = locator.page
    return " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids)


def hold(text: str, *, name: str = "Ines Marlow") -> Comment:
    """A first-time reader's comment, held for moderation."""
    comment = comment_post(
        submission=Submission(
            article=ArticlePage.objects.get(slug=ARTICLE["slug"]),
            name=name,
            email="ines.marlow@example.org",
            body=text,
            ip="127.0.0.1",
        )
    ).comment
    assert comment.status == Comment.Status.PENDING
    return comment


def axe_report(page: Page) -> str:
    result = Axe().run(page)
    if result.violations_count == 0:
        return ""
    return f"{page.url} at {page.viewport_size}:\n{result.generate_report()}"


def test_reader_posts_without_javascript_and_sees_the_awaiting_moderation_notice(
    demo_lead_site: LiveServer, browser: Browser
) -> None:
    article_url = demo_lead_site.url + ARTICLE_PATH
    with reader(browser, javascript=False) as page:
        page.goto(article_url)
        fill_form(page, comment=QUESTION, name="Ines Marlow", email="ines.marlow@example.org")
        page.get_by_role("button", name="Post Comment").click()
        page.wait_for_url(re.compile(r"[?&]own=[^#]+#comment-\d+$"))
        posted = comment_item(page, QUESTION)
        expect(posted).to_have_count(1)
        assert page.url.endswith("#" + (posted.get_attribute("id") or "?"))
        expect(posted).to_be_in_viewport()
        expect(posted.locator(".comment-author")).to_have_text("Ines Marlow")
        expect(posted.locator(".comment-awaiting-moderation")).to_have_text(AWAITING)

    with reader(browser) as stranger:
        stranger.goto(article_url)
        expect(stranger.locator("#comments li.comment").first).to_be_visible()
        expect(comment_item(stranger, QUESTION)).to_have_count(0)
        expect(stranger.get_by_text("Ines Marlow")).to_have_count(0)


def test_reader_whose_comment_is_marked_as_spam_sees_it_awaiting_moderation_without_javascript(
    demo_lead_site: LiveServer, browser: Browser
) -> None:
    """A civil comment that goes to spam (here: its address was banned at the desk) reads to its
    author as awaiting moderation, as the page's script says it: after the redirect the reader
    sees their text with the notice, not a page that says nothing. Nobody else sees it."""
    email = "ines.marlow@example.org"
    CommentBan.objects.create(email_key=email_key_for(email=email, user_id=None), reason="Test")
    article_url = demo_lead_site.url + ARTICLE_PATH
    with reader(browser, javascript=False) as page:
        page.goto(article_url)
        fill_form(page, comment=QUESTION, name="Ines Marlow", email=email)
        page.get_by_role("button", name="Post Comment").click()
        page.wait_for_url(re.compile(r"[?&]own=[^#]+#comment-\d+$"))
        assert Comment.objects.get(body=QUESTION).status == Comment.Status.SPAM
        posted = comment_item(page, QUESTION)
        expect(posted).to_have_count(1)
        expect(posted).to_be_in_viewport()
        expect(posted.locator(".comment-awaiting-moderation")).to_have_text(AWAITING)
        expect(page.locator("body")).not_to_contain_text("spam", ignore_case=True)
        page.screenshot(path=str(SHOTS / "comment-awaiting-without-javascript.png"))

    with reader(browser, javascript=False) as stranger:
        stranger.goto(article_url)
        expect(stranger.locator("#comments li.comment").first).to_be_visible()
        expect(comment_item(stranger, QUESTION)).to_have_count(0)


def test_moderator_approves_a_held_comment_in_the_admin_and_readers_then_see_it(
    demo_lead_site: LiveServer, browser: Browser
) -> None:
    held = hold(QUESTION)
    article_url = demo_lead_site.url + ARTICLE_PATH
    with reader(browser) as stranger:  # the page is now in the page cache, without the comment
        stranger.goto(article_url)
        expect(stranger.locator("#comments li.comment").first).to_be_visible()
        expect(comment_item(stranger, QUESTION)).to_have_count(0)

    password = (Path(settings.VAR_DIR) / "demo-password.txt").read_text().strip()
    listing = "/admin/snippets/comments/comment/"
    with reader(browser) as moderator:
        moderator.goto(demo_lead_site.url + "/admin/login/")
        moderator.get_by_label("Username").fill("moderator")
        moderator.get_by_label("Password").fill(password)
        moderator.get_by_role("button", name="Sign in").click()
        moderator.wait_for_url(re.compile(r"/admin/$"))
        moderator.goto(demo_lead_site.url + listing + "?status=pending")
        expect(moderator).to_have_url(demo_lead_site.url + listing + "?status=pending")
        row = moderator.locator("tbody tr").filter(has_text="Ines Marlow")
        expect(row).to_have_count(1)
        row.get_by_role("button", name=re.compile("More options")).click()
        row.get_by_role("link", name="Approve", exact=True).click()
        moderator.wait_for_url(re.compile(rf"/admin/comments/{held.pk}/approve/"))
        expect(moderator.locator("main")).to_contain_text(QUESTION)
        moderator.get_by_role("button", name="Approve", exact=True).click()
        moderator.wait_for_url(re.compile(re.escape(listing)))
        expect(moderator.get_by_text("Approve: comment by Ines Marlow.")).to_be_visible()

    with reader(browser) as stranger:
        stranger.goto(article_url)
        approved = comment_item(stranger, QUESTION)
        expect(approved).to_have_count(1)
        expect(approved.locator(".comment-author")).to_have_text("Ines Marlow")
        expect(approved.locator(".comment-awaiting-moderation")).to_have_count(0)


def test_reader_replies_inline_with_javascript(
    demo_lead_site: LiveServer, browser: Browser, page: Page, screenshots: Path
) -> None:
    text = (
        "The wheat point matters more than the bases. Bread prices decide how patient people are."
    )
    article_url = demo_lead_site.url + ARTICLE_PATH
    page.goto(article_url)
    reply_link = page.locator("a.comment-reply-link").first
    parent_id = reply_link.get_attribute("data-commentid")
    parent_name = reply_link.get_attribute("data-replyto")
    parent = page.locator(f"#comment-{parent_id}")
    replies = parent.locator(":scope > ol.children > li.comment")

    reply_link.click()
    expect(parent.locator(":scope > #respond")).to_be_visible()
    expect(page.locator("#reply-title")).to_contain_text(f"Leave a Reply to {parent_name}")
    expect(page.get_by_role("link", name="Cancel reply")).to_be_visible()
    expect(field(page, "Comment")).to_be_focused()

    navigations = watch_navigations(page)
    fill_form(page, comment=text, name="Tomas Reyes", email="tomas.reyes@example.net")
    page.get_by_role("button", name="Post Comment").click()

    reply = replies.filter(has_text=text)
    expect(reply).to_have_count(1)
    expect(reply.locator(".comment-awaiting-moderation")).to_have_text(AWAITING)
    expect(page.get_by_role("status")).to_have_text(AWAITING)
    expect(field(page, "Comment")).to_have_value("")
    expect(page.get_by_role("link", name="Cancel reply")).to_be_hidden()
    assert_same_document(page, article_url, navigations)
    page.screenshot(path=screenshots / "comments-js.png", full_page=True)

    page.reload()  # the script asks /comments/mine/ for it, with the token kept in localStorage
    expect(replies.filter(has_text=text)).to_have_count(1)
    expect(replies.filter(has_text=text).locator(".comment-awaiting-moderation")).to_have_text(
        AWAITING
    )

    with reader(browser) as stranger:
        stranger.goto(article_url)
        expect(stranger.locator(f"#comment-{parent_id}")).to_be_visible()
        expect(comment_item(stranger, text)).to_have_count(0)


def test_own_pending_comment_shown_on_a_later_visit_leaves_focus_and_scroll_alone(
    demo_lead_site: LiveServer, page: Page
) -> None:
    held = hold(QUESTION)
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    page.evaluate(
        "t => localStorage.setItem('dateline.own', JSON.stringify([t]))", own_token(held.pk)
    )
    page.reload()
    mine = comment_item(page, QUESTION)
    expect(mine.locator(".comment-awaiting-moderation")).to_have_text(AWAITING)
    expect(mine).not_to_be_focused(timeout=1_000)
    assert page.evaluate("window.scrollY") == 0


def test_reader_likes_a_comment_sees_it_after_a_reload_and_takes_it_back(
    demo_lead_site: LiveServer, browser: Browser, page: Page
) -> None:
    article_url = demo_lead_site.url + ARTICLE_PATH
    page.goto(article_url)
    first = page.locator("#comments li.comment").first
    comment_id = first.get_attribute("data-comment")
    button = page.locator(f"#comment-{comment_id} > article .comment-like button")
    count = button.locator(".like-count")
    before = int(count.inner_text())
    expect(button).to_have_attribute("aria-pressed", "false")

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text(str(before + 1))
    page.reload()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text(str(before + 1))

    # The page is cached for every reader: another browser sees the count, not this one's like.
    with reader(browser) as other:
        other.goto(article_url)
        theirs = other.locator(f"#comment-{comment_id} > article .comment-like button")
        expect(theirs).to_have_attribute("aria-pressed", "false")
        expect(theirs.locator(".like-count")).to_have_text(str(before + 1))

    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    page.reload()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(count).to_have_text(str(before))
    assert Comment.objects.get(pk=comment_id).likes_count == before


def test_failed_post_without_javascript_keeps_the_text(
    demo_lead_site: LiveServer, browser: Browser, screenshots: Path
) -> None:
    with reader(browser, javascript=False) as page:
        page.goto(demo_lead_site.url + ARTICLE_PATH)
        fill_form(page, comment=FORGOT_EMAIL, name="Nadia Farouk", email="")
        with page.expect_response("**/comments/post/") as posted:
            page.get_by_role("button", name="Post Comment").click()
        assert posted.value.status == 400
        expect(field(page, "Comment")).to_have_value(FORGOT_EMAIL)
        expect(field(page, "Name")).to_have_value("Nadia Farouk")
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("Your comment was not posted.")
        expect(summary.get_by_role("link", name=re.compile("email address"))).to_have_attribute(
            "href", "#email"
        )
        email = field(page, "Email")
        expect(email).to_have_attribute("aria-invalid", "true")
        assert "Please give your email address" in described_by(email)
        expect(email.locator("xpath=following-sibling::*[1]")).to_have_id("email-error")
        page.screenshot(path=screenshots / "comment-failed.png", full_page=True)


def test_failed_post_with_javascript_keeps_the_text(demo_lead_site: LiveServer, page: Page) -> None:
    article_url = demo_lead_site.url + ARTICLE_PATH
    page.goto(article_url)
    navigations = watch_navigations(page)
    fill_form(page, comment=FORGOT_EMAIL, name="Nadia Farouk", email="")
    page.get_by_role("button", name="Post Comment").click()

    email = field(page, "Email")
    expect(email).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email.locator("xpath=following-sibling::*[1]")).to_have_id("email-error")
    expect(page.locator("#email-error")).not_to_be_empty()
    expect(email).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
    expect(field(page, "Comment")).to_have_value(FORGOT_EMAIL)
    expect(page.get_by_role("status")).to_have_text("Please correct the marked fields.")

    # An address the browser accepts and the server refuses: the server's message, in place.
    email.fill("nadia@example")
    with page.expect_response("**/comments/post/") as posted:
        page.get_by_role("button", name="Post Comment").click()
    assert posted.value.status == 400
    expect(page.locator("#email-error")).to_have_text(
        "Enter a valid email address, like name@example.com."
    )
    expect(email).to_be_focused()
    assert "Enter a valid email address" in described_by(email)
    expect(field(page, "Comment")).to_have_value(FORGOT_EMAIL)
    assert_same_document(page, article_url, navigations)


def test_a_comment_over_the_limit_is_refused_whole_not_cut_by_the_browser(
    demo_lead_site: LiveServer, page: Page
) -> None:
    """Pasted over the limit: the browser kept all of it (no maxlength cutting the end off
    unseen), the server says how long it is, and the text is still there to shorten."""
    text = ("The lease terms matter more than the headline. " * 1400)[:65_600]
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    fill_form(page, comment=text, name="Nadia Farouk", email="nadia@example.org")
    assert len(field(page, "Comment").input_value()) == 65_600

    with page.expect_response("**/comments/post/") as posted:
        page.get_by_role("button", name="Post Comment").click()

    assert posted.value.status == 400
    expect(page.locator("#comment-error")).to_contain_text("65600 characters long")
    assert field(page, "Comment").input_value() == text
    assert not Comment.objects.filter(author_email="nadia@example.org").exists()


def test_a_screen_reader_hears_whose_comment_a_like_button_is_for_and_its_count(
    demo_lead_site: LiveServer, page: Page
) -> None:
    """The like button's name was only "Like the comment by …" (an aria-label over the button's
    text), so the count was never read out, before or after a like."""
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    first = page.locator("#comments li.comment").first
    name = first.locator("> article .comment-author").inner_text().strip()
    button = first.locator("> article .comment-like button")
    before = int(button.locator(".like-count").inner_text())

    expect(button).to_have_accessible_name(f"Like the comment by {name} {before}")
    button.click()
    expect(button).to_have_accessible_name(f"Like the comment by {name} {before + 1}")


def test_reader_posts_with_the_keyboard_only(demo_lead_site: LiveServer, page: Page) -> None:
    text = "Good piece. A map of where the remaining Russian bases sit would help a lot."
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "comment":
            break
    expect(field(page, "Comment")).to_be_focused()
    page.keyboard.type(text)
    for field_id, value in (
        ("author", "Aylin Demir"),
        ("email", "aylin.demir@example.org"),
        ("url", ""),
        ("wp-comment-cookies-consent", ""),
        ("subscribe", ""),
        ("submit", ""),
    ):
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_id(field_id)
        if value:
            page.keyboard.type(value)
    expect(page.locator("#commentform input[type=checkbox]:checked")).to_have_count(0)
    page.keyboard.press("Enter")

    posted = comment_item(page, text)
    expect(posted.locator(".comment-awaiting-moderation")).to_have_text(AWAITING)
    expect(posted.locator(".comment-author")).to_have_text("Aylin Demir")
    expect(posted).to_be_focused()


def test_article_with_comments_has_no_axe_violations(
    demo_lead_site: LiveServer, page: Page
) -> None:
    reports = []
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        page.goto(demo_lead_site.url + ARTICLE_PATH)
        expect(page.locator("#comments li.comment").first).to_be_visible()
        reports.append(axe_report(page))
    assert not any(reports), "\n".join(reports)


def test_failed_post_page_has_no_axe_violations(demo_lead_site: LiveServer, page: Page) -> None:
    page.goto(demo_lead_site.url + ARTICLE_PATH)
    fill_form(page, comment=FORGOT_EMAIL, name="Nadia Farouk", email="")
    with page.expect_navigation():  # the form's own submit(), as without JavaScript
        page.evaluate("HTMLFormElement.prototype.submit.call(document.forms.commentform)")
    expect(page).to_have_title(re.compile("Your comment was not posted"))
    report = axe_report(page)
    assert not report, report
