"""No page asks another host for anything: every request the browser makes, on admin and public
pages, signed in or not, goes to the site itself (no Gravatar, fonts, scripts or beacons)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dateline.demo import content
from dateline.news.models import ArticlePage

ARTICLE = content.ARTICLES[0]
ARTICLE_PATH = f"/{ARTICLE['section']}/{ARTICLE['slug']}/"


@contextmanager
def recorded(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A fresh browser profile and every URL it requests from then on."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    try:
        yield context.new_page(), urls
    finally:
        context.close()


def visit(page: Page, url: str) -> None:
    """Open ``url`` and let it load everything it would, below the fold too."""
    page.goto(url, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")


def elsewhere(urls: list[str], site: str) -> list[str]:
    """The URLs that go to another host than ``site``; data: and blob: URLs go nowhere."""
    own = urlsplit(site).netloc
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own
    ]


def test_admin_and_public_pages_request_nothing_from_another_host(
    demo_lead_site: LiveServer, browser: Browser
) -> None:
    base = demo_lead_site.url
    article = ArticlePage.objects.get(slug=ARTICLE["slug"])
    password = (Path(settings.VAR_DIR) / "demo-password.txt").read_text().strip()

    with recorded(browser) as (page, urls):
        visit(page, base + "/admin/login/")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/admin/$"))
        page.wait_for_load_state("networkidle")
        # The staff avatar is the site's own drawing, not Gravatar's.
        avatar = page.locator("img.avatar, .avatar img").first
        expect(avatar).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
        visit(page, f"{base}/admin/pages/{article.pk}/edit/")
        expect(page.get_by_role("textbox", name="Headline")).to_have_value(article.title)
        # Signed in, the public pages carry Wagtail's user bar.
        visit(page, base + "/")
        visit(page, base + ARTICLE_PATH)
        staff_urls = list(urls)

    with recorded(browser) as (page, urls):
        visit(page, base + "/")
        visit(page, base + ARTICLE_PATH)
        expect(page.locator("#comments li.comment").first).to_be_visible()
        reader_urls = list(urls)

    assert any("/admin/pages/" in url for url in staff_urls)  # the recording works
    assert elsewhere(staff_urls, base) == []
    assert elsewhere(reader_urls, base) == []
