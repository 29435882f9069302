"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import chromium_path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.fixtures import Settings as DjangoSettings
    from pytest_django.live_server_helper import LiveServer

# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM
# calls from a thread with a running loop. Only the test process sees this, never the app.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Called with every item in the session, so only the ones under tests/browser are marked.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed; `make test` installs it as root")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # With Playwright's loop running, Django hands this thread a second, async-local set of
    # connections (its connection handler is "thread critical"). Those know nothing of the
    # snapshot the test database setup took, which serialized rollback restores from.
    snapshots = {
        alias: connections[alias].__dict__["_test_serialized_contents"]
        for alias in connections
        if "_test_serialized_contents" in connections[alias].__dict__
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


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
