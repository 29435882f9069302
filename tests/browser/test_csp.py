"""The Content-Security-Policy in a real browser (issue 15, item 6): a `securitypolicyviolation`
listener in every frame of every page type reports to the test, and there must be none; the
policy does block inline code (a control), and no other site can frame a page, a cached one
included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.comments.models import Comment
from dateline.demo import content
from dateline.news.models import ArticlePage

ARTICLE = content.ARTICLES[0]
ARTICLE_PATH = f"/{ARTICLE['section']}/{ARTICLE['slug']}/"
LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation({
    page: location.href, directive: e.effectiveDirective, blocked: e.blockedURI,
    sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}`,
  });
});
"""


class Watched:
    """A browser context whose pages and frames report every CSP violation to ``violations``."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.violations: list[dict[str, Any]] = []
        # The browser's own complaints about our headers (an unknown feature or directive).
        self.header_errors: list[str] = []
        context.expose_function("cspViolation", self.report)
        context.add_init_script(LISTENER)
        self.page = context.new_page()
        self.page.on("console", self.console)

    def report(self, violation: dict[str, Any]) -> None:
        self.violations.append(violation)

    def console(self, message: Any) -> None:
        if any(name in message.text for name in ("Permissions-Policy", "Content Security Policy")):
            self.header_errors.append(message.text)

    def visit(self, url: str) -> Page:
        response = self.page.goto(url)
        assert response is not None and response.status < 500, url
        assert "content-security-policy" in response.headers, url
        self.settle()
        return self.page

    def settle(self) -> None:
        self.page.wait_for_load_state("networkidle")
        # One round trip to the page, so reports sent before it have reached the test.
        self.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done(1)))")


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    yield Watched(context)
    context.close()


def sign_in(watched: Watched, base: str, username: str) -> None:
    password = (Path(settings.VAR_DIR) / "demo-password.txt").read_text().strip()
    page = watched.visit(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    watched.settle()


def test_no_reader_page_violates_the_policy(demo_lead_site: LiveServer, watched: Watched) -> None:
    base = demo_lead_site.url
    comment = Comment.objects.filter(status=Comment.Status.APPROVED).order_by("pk").first()
    assert comment is not None
    for path in (
        "/",
        f"/{ARTICLE['section']}/",
        f"{ARTICLE_PATH}?replytocom={comment.pk}",
        f"/comments/{comment.pk}/",
        "/search/?q=moscow",
        "/tags/diplomacy/",
        f"/authors/{ARTICLE['authors'][0]}/",
        "/privacy/",
        "/no-such-page/",
    ):
        watched.visit(base + path)

    # The article with its whole conversation: reply, like, post (the page's script at work).
    page = watched.visit(base + ARTICLE_PATH)
    honeypot = page.locator(".comment-form-fax").bounding_box()
    assert honeypot is not None and honeypot["x"] + honeypot["width"] < 0  # off-screen, by CSS
    page.locator("#comments .comment-reply-link").first.click()
    expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
    page.locator("#cancel-comment-reply-link").click()
    page.locator("#comments .comment-like button").first.click()
    page.locator("#comment").fill("The bases matter more to Moscow than the meeting does.")
    page.locator("#author").fill("Ada Reader")
    page.locator("#email").fill("ada@example.org")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".form-status")).not_to_be_empty()
    watched.settle()
    page.reload()  # now with the reader's own cookie: a fresh, private page
    watched.settle()

    assert watched.violations == []
    assert watched.header_errors == []


def test_no_newsroom_page_violates_its_policy(demo_lead_site: LiveServer, watched: Watched) -> None:
    base = demo_lead_site.url
    article = ArticlePage.objects.get(slug=ARTICLE["slug"])
    sign_in(watched, base, "admin")
    page = watched.visit(base + f"/admin/pages/{article.pk}/edit/")
    expect(page.locator(".Draftail-Editor").first).to_be_visible()
    page.get_by_role("button", name="Toggle preview").click()
    expect(page.frame_locator("#w-preview-iframe").locator("h1").first).to_be_visible()
    watched.settle()
    watched.visit(base + "/admin/comments/desk/pending/")
    watched.visit(base + "/admin/snippets/comments/comment/")
    page = watched.visit(base + "/api/v1/docs/")  # the API's Swagger page
    expect(page.locator(".swagger-ui .info").first).to_be_visible()
    # The reader site, seen by the signed-in editor (Wagtail's user bar on the page).
    page = watched.visit(base + ARTICLE_PATH)
    expect(page.locator("wagtail-userbar, [data-wagtail-userbar]").first).to_be_attached()

    assert watched.violations == []
    assert watched.header_errors == []


def test_the_policy_blocks_inline_code_and_the_listener_sees_it(
    demo_lead_site: LiveServer, watched: Watched
) -> None:
    page = watched.visit(demo_lead_site.url + ARTICLE_PATH)

    page.evaluate(
        """() => {
          document.body.insertAdjacentHTML("beforeend", '<img src="/x.png" onerror="window.ran = 1">');
          const s = document.createElement("script"); s.textContent = "window.ran = 2";
          document.body.append(s);
        }"""
    )
    watched.settle()

    assert page.evaluate("window.ran") is None
    assert {v["directive"] for v in watched.violations} >= {"script-src-attr", "script-src-elem"}


def test_no_other_site_can_frame_a_cached_article(
    demo_lead_site: LiveServer, watched: Watched, browser: Browser
) -> None:
    url = demo_lead_site.url + ARTICLE_PATH
    watched.visit(url)
    hit = watched.page.request.get(url)  # no cookie: from the page cache
    assert hit.headers["x-page-cache"] == "hit"
    assert "frame-ancestors 'none'" in hit.headers["content-security-policy"]
    assert hit.headers["x-frame-options"] == "DENY"
    assert "camera=()" in hit.headers["permissions-policy"]

    context = browser.new_context()
    try:
        other = context.new_page()
        # Another origin (the same server under another name) frames the cached article.
        other.goto(url.replace("localhost", "127.0.0.1").replace(ARTICLE_PATH, "/privacy/"))
        other.evaluate(
            """(src) => new Promise((loaded) => {
              const frame = document.createElement("iframe");
              frame.onload = () => loaded(1);
              frame.src = src;
              document.body.append(frame);
            })""",
            url,
        )
        (framed,) = [f for f in other.frames if f != other.main_frame]
        # Chromium shows its error page in place of the article.
        assert framed.url != url
        assert framed.locator("#commentform").count() == 0
    finally:
        context.close()
