"""A reader in Chromium reads an article and posts a comment on the production server (the shipped
granian configuration) while slow clients hold connections to it (issue 15, item 4). Here, not
in tests/hardening, so that it drives the session's one Playwright browser."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playwright.sync_api import expect

from dateline.comments.models import Comment
from tests.hardening.test_slow_clients import (  # noqa: F401 - fixtures
    COMMENT,
    HEALTH_CHECK_PATIENCE,
    connect,
    hold_slow_clients,
    site,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_a_reader_reads_and_comments_while_slow_clients_hold_connections(
    site: tuple[str, Any],  # noqa: F811
    connect: Callable[..., socket.socket],  # noqa: F811
    browser: Browser,
) -> None:
    url, article = site
    hold_slow_clients(connect, url)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(HEALTH_CHECK_PATIENCE * 1000)
        page.goto(f"{url}{article.url}")
        expect(page.get_by_role("heading", name="Harbour council votes")).to_be_visible()
        page.locator("#comment").fill(COMMENT)
        page.locator("#author").fill("Ines Marlow")
        page.locator("#email").fill("ines.marlow@example.org")
        page.get_by_role("button", name="Post Comment").click()
        expect(page.get_by_text("Your comment is awaiting moderation.").first).to_be_visible()
    finally:
        context.close()
    assert Comment.objects.filter(article=article, body=COMMENT).count() == 1
