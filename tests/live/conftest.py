"""Live coverage's fixtures: a live page in the International section, two reporters who write
as their own authors, and a way to file updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from dateline.live.models import LivePage, LiveUpdate
from dateline.live.services import live_update_create
from dateline.news.models import ArticleAuthor, SectionPage
from dateline.news.services import EDITOR, REPORTER
from tests.browser import conftest as chromium
from tests.factories import AuthorFactory

# Chromium's fixtures (tests/browser/conftest.py) for tests/live/test_browser.py.
page, live_site = chromium.page, chromium.live_site


class LivePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LivePage

    title = "Leaders meet in Moscow"
    slug = "leaders-meet-live"
    standfirst = "Follow the talks as they happen."
    key_points = "<ul><li>The talks began at noon.</li></ul>"
    live = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> LivePage:
        authors = kwargs.pop("authors", None) or [AuthorFactory()]
        page = super()._create(model_class, *args, **kwargs)
        for order, author in enumerate(authors):
            ArticleAuthor.objects.create(article=page, author=author, sort_order=order)
        page.save_revision().publish()
        return LivePage.objects.get(pk=page.pk)


def body(text: str) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{text}</p>")]


@pytest.fixture
def live_page(section: SectionPage) -> LivePage:
    return LivePageFactory(parent=section)


def _reporter(username: str, group: str) -> Any:
    user = get_user_model().objects.create_user(
        username=username, password="a-long-pass-phrase", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    AuthorFactory(name=f"{username.title()} Writer", user=user)
    return user


@pytest.fixture
def reporter(db: None) -> Any:
    return _reporter("ana", REPORTER)


@pytest.fixture
def second_reporter(db: None) -> Any:
    return _reporter("ben", REPORTER)


@pytest.fixture
def editor(db: None) -> Any:
    return _reporter("edna", EDITOR)


@pytest.fixture
def file_update(live_page: LivePage, reporter: Any) -> Callable[..., LiveUpdate]:
    def file(
        text: str = "Something new.", *, page: LivePage | None = None, **kwargs: Any
    ) -> LiveUpdate:
        return live_update_create(
            page=page or live_page, body=body(text), user=kwargs.pop("user", reporter), **kwargs
        )

    return file


@pytest.fixture
def purges(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """What the front cache is asked to drop (a Varnish that records the keys)."""
    sent: list[list[str]] = []
    settings.DATELINE_VARNISH_URLS = ["http://varnish.test"]

    def varnish_purge(*, url: str, keys: list[str]) -> int:
        sent.append(sorted(keys))
        return 1

    monkeypatch.setattr("dateline.core.tasks.varnish_purge", varnish_purge)
    return sent
