"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

The one Chromium of a run (the session fixture ``browser``) is in tests/conftest.py, so that the
other folders' browser tests share it: two session fixtures would each start Playwright, and the
second refuses to start inside the first one's event loop."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.fixtures import Settings as DjangoSettings
    from pytest_django.live_server_helper import LiveServer

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Called with every item in the session, so only the ones under tests/browser are marked.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def live_site(
    transactional_db: None,
    django_db_serialized_rollback: None,
    live_server: LiveServer,
) -> LiveServer:
    """The live server on the freshly migrated site (the front page, no articles).

    The live server only sees committed data (transactional_db), whose teardown empties every
    table; the serialized rollback puts back what the migrations made for the next test.
    """
    return live_server


@functools.cache
def _illustration(**kwargs: Any) -> bytes:
    from dateline.demo.images import illustration

    return illustration(**kwargs)


@functools.cache
def _portrait(**kwargs: Any) -> bytes:
    from dateline.demo.images import portrait

    return portrait(**kwargs)


@pytest.fixture
def demo_site(
    live_site: LiveServer,
    settings: DjangoSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> LiveServer:
    """The demo newsroom (sections, authors, articles, users) behind the live server."""
    from dateline.demo import services

    # The drawings are deterministic and the slowest part of a load: draw each once a session.
    monkeypatch.setattr(services, "illustration", _illustration)
    monkeypatch.setattr(services, "portrait", _portrait)
    settings.VAR_DIR = tmp_path / "var"
    services.demo_load(with_users=True)
    return live_site


@pytest.fixture
def demo_lead_site(
    live_site: LiveServer,
    settings: DjangoSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> LiveServer:
    """The demo newsroom with only its lead article (and that article's conversation): sections,
    authors and users as in ``demo_site``, in a fraction of the time, for tests about one page."""
    from dateline.demo import content, services

    monkeypatch.setattr(content, "ARTICLES", content.ARTICLES[:1])
    monkeypatch.setattr(services, "illustration", _illustration)
    monkeypatch.setattr(services, "portrait", _portrait)
    settings.VAR_DIR = tmp_path / "var"
    services.demo_load(with_users=True)
    return live_site
