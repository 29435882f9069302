from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings

from dateline.news.models import HomePage, SectionPage

from .caches import caches_empty
from .factories import ArticlePageFactory, AuthorFactory, SectionPageFactory

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Path, settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    yield


@pytest.fixture
def home(db: None) -> HomePage:
    return HomePage.objects.get()


@pytest.fixture
def section(home: HomePage) -> SectionPage:
    return SectionPageFactory(parent=home, title="International", slug="international")


@pytest.fixture
def embed_provider_unreachable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every embed provider is unreachable (as offline, or when one is down); returns the
    addresses anything asked for, so a test can check that nothing was asked."""
    from wagtail.embeds import embeds
    from wagtail.embeds.exceptions import EmbedNotFoundException

    asked: list[str] = []

    def unreachable(url: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(url)
        raise EmbedNotFoundException

    monkeypatch.setattr(embeds, "get_embed", unreachable)
    return asked


@pytest.fixture
def author_factory(db: None) -> type[AuthorFactory]:
    return AuthorFactory


@pytest.fixture
def article_factory(db: None) -> type[ArticlePageFactory]:
    return ArticlePageFactory


@pytest.fixture
def shared_data() -> Path:
    """The third-party datasets beside the repository (../shared/data), or a skip."""
    path = Path(settings.SHARED_DATA_DIR)
    if not path.is_dir():
        pytest.skip(f"the shared datasets are not at {path} (set DATELINE_SHARED_DATA)")
    return path


def chromium_path() -> str | None:
    return (
        shutil.which("chromium")
        or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium")
        or None
    )


@pytest.fixture(autouse=True, scope="session")
def _caches_emptied_at_the_end() -> Iterator[None]:
    """This run's Redis keys go with it (the page cache's versions never expire)."""
    yield
    caches_empty()


@pytest.fixture(autouse=True)
def _clear_every_cache() -> Iterator[None]:
    """Every configured cache starts empty (the full-page cache too), so no test is served a
    page another test rendered. On Redis only this run's keys go (tests/caches.py)."""
    from dateline.core.memo import forget

    caches_empty()
    forget()
    yield


def _fixture_abuse_config() -> Any:
    """The site's abuse configuration as eighty examples can bear it: thresholds at 3 % and
    10 % of the fixture's civil comments (the site's 0.5 % and 2 % leave none on so few), no
    pretrained feature (on this fixture it separates everything, so no text would fall between
    the nudge and the hold) and no move to a site base rate. The shipped configuration is
    tested on its own (tests/moderation/test_classifier.py)."""
    from dateline.moderation.classifier import CONFIGS

    return replace(CONFIGS["abuse"], high_fpr=0.03, low_fpr=0.10, pretrained=False, base_rate=None)


@pytest.fixture(scope="session")
def abuse_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model directory holding abuse.joblib trained on the moderation tests' small fixture
    (tests/moderation/fixtures/abuse_small.csv, comments we wrote ourselves)."""
    import csv

    from dateline.moderation.classifier import TextScorer

    fixture = Path(__file__).parent / "moderation" / "fixtures" / "abuse_small.csv"
    with fixture.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    scorer = TextScorer.train(
        [r["text"] for r in rows],
        [int(r["label"]) for r in rows],
        kind="abuse",
        config=_fixture_abuse_config(),
    )
    path = tmp_path_factory.mktemp("abuse-model")
    scorer.save(path / "abuse.joblib")
    return path


@pytest.fixture
def abuse_model(settings: pytest.FixtureRequest, abuse_model_dir: Path) -> Iterator[Path]:
    """The site uses the fixture-trained abuse model (a live server in this process too)."""
    from dateline.moderation.classifier import clear_scorer_cache

    settings.DATELINE_MODEL_DIR = abuse_model_dir  # type: ignore[attr-defined]
    clear_scorer_cache()
    yield abuse_model_dir
    clear_scorer_cache()


# Browser tests (tests/browser and the other folders' test_browser.py) share this one Chromium.
# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM
# calls from a thread with a running loop. Only the test process sees this, never the app.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
