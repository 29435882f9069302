"""Helpers for the front page's slots and the readership counters (issue 17 §3, §4)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from dateline.news.models import HomePage, SectionPage
from tests.browser.conftest import (  # noqa: F401 - the browser fixtures, for test_browser.py
    demo_lead_site,
    demo_site,
    live_site,
    page,
)

# A reader's browser, as Chromium sends it (not a headless one: that is a robot).
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def read(
    client: Client, page_id: int, *, ip: str = "203.0.113.7", agent: str = BROWSER, **headers: Any
) -> int:
    """Send the article page's beacon for ``page_id`` as a browser on this site would."""
    response = client.post(
        f"/readership/read/{page_id}/",
        HTTP_ORIGIN="http://testserver",
        HTTP_USER_AGENT=agent,
        REMOTE_ADDR=ip,
        **headers,
    )
    return response.status_code


def item(pk: int) -> dict[str, Any]:
    # A ListBlock item as Wagtail stores it: with an id, or Wagtail reads the dict as the value.
    return {"type": "item", "value": pk, "id": str(uuid.uuid4())}


def arrange(target: HomePage | SectionPage, slots: list[dict[str, Any]]) -> None:
    """Publish ``target`` with ``slots`` (stored form), as the editor's "Publish" does."""
    target.slots = slots  # type: ignore[assignment]
    target.save_revision().publish()


@pytest.fixture
def world(home: HomePage) -> SectionPage:
    from tests.factories import SectionPageFactory

    return SectionPageFactory(parent=home, title="World", slug="world")


@pytest.fixture
def sport(home: HomePage) -> SectionPage:
    from tests.factories import SectionPageFactory

    return SectionPageFactory(parent=home, title="Sport", slug="sport")
