"""In Chromium: a reader presses "Sign in with …" on the sign-in page, passes through the
provider (tests/readers/oidc_provider.py, which signs them in at once) and lands on their new
page, signed in by the reader cookie. Screenshots in docs/screenshots/ (reader-oidc-*.png)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from dateline.readers.models import Reader, ReaderIdentity

from .oidc_provider import OIDCProvider

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


@pytest.fixture
def provider(settings: Any) -> Iterator[OIDCProvider]:
    found = OIDCProvider().start()
    settings.DATELINE_READER_OIDC_PROVIDERS = {
        "example-id": found.settings(display_name="Example ID")
    }
    yield found
    found.stop()


def test_a_reader_signs_up_through_a_provider(
    live_site: Any, provider: OIDCProvider, page: Any
) -> None:
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_site.url + "/readers/sign-in/")
    button = page.locator("#sign-in-with-example-id")
    expect(button).to_have_text("Sign in with Example ID")
    page.screenshot(path=str(SCREENSHOTS / "reader-oidc-sign-in.png"), full_page=True)

    button.click()

    page.wait_for_url(re.compile(r"/readers/me/\?welcome=1$"))
    expect(page.locator("#reader-welcome")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "reader-oidc-welcome.png"), full_page=False)
    reader = Reader.objects.get()
    assert ReaderIdentity.objects.get().reader == reader
    cookies = {c["name"] for c in page.context.cookies()}
    assert {"dl_reader", "dl_signed_in"} <= cookies
    assert "sessionid" not in cookies

    page.fill("#id_display_name", "Ada from Example")
    page.click("#profile-form button[type=submit]")
    expect(page.locator("#profile-saved")).to_be_visible()
    assert Reader.objects.get().display_name == "Ada from Example"
    assert "ada.idp@example.org" not in page.content()
