"""Breaking news: the flag, the signal the newsletters listen to, and the banner through the
caches, which goes when the flag is cleared or expires without anyone clicking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.utils import timezone

from dateline.live.models import BreakingNews, LivePage
from dateline.live.selectors import breaking_flag_state
from dateline.live.services import (
    BreakingNewsRefused,
    breaking_news_clear,
    breaking_news_edit,
    breaking_news_flag,
)
from dateline.live.signals import breaking_news
from dateline.news.models import ArticlePage

pytestmark = pytest.mark.django_db

BANNER = "/live/breaking/"


@pytest.fixture
def heard() -> Any:
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append({"sender": sender, **kwargs})

    breaking_news.connect(receiver, dispatch_uid="test-breaking")
    yield calls
    breaking_news.disconnect(dispatch_uid="test-breaking")


def test_setting_a_flag_sends_the_signal_once_after_commit(
    live_page: LivePage, heard: list[dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        alert = breaking_news_flag(page=live_page, headline="Talks collapse")
        assert heard == []  # not before the commit
    assert callbacks
    (call,) = heard
    assert call["sender"] is BreakingNews and call["alert"] == alert
    assert isinstance(call["page"], LivePage) and call["page"].pk == live_page.pk


def test_a_plain_article_can_be_breaking_news_too(
    article_factory: Any,
    section: Any,
    heard: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = article_factory(parent=section)
    with django_capture_on_commit_callbacks(execute=True):
        breaking_news_flag(page=article)
    assert type(heard[0]["page"]) is ArticlePage


def test_no_signal_for_a_rollback_a_cleared_flag_or_an_edit_of_the_words(
    live_page: LivePage, heard: list[dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                breaking_news_flag(page=live_page)
                raise RuntimeError
        except RuntimeError:
            pass
        cleared = breaking_news_flag(page=live_page, status=BreakingNews.Status.CLEARED)
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        breaking_news_edit(alert=cleared, changes={"status": BreakingNews.Status.ACTIVE})
    assert len(heard) == 1
    with django_capture_on_commit_callbacks(execute=True):
        breaking_news_edit(alert=cleared, changes={"headline": "Better words"})
    assert len(heard) == 1


def test_the_banner_shows_and_goes_when_cleared(
    client: Client,
    live_page: LivePage,
    purges: list[list[str]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert client.get(BANNER).content.decode().strip() == ""
    with django_capture_on_commit_callbacks(execute=True):
        alert = breaking_news_flag(page=live_page, headline="Talks collapse")
    assert ["breaking"] in purges
    response = client.get(BANNER)
    html = response.content.decode()
    assert "Talks collapse" in html and f'href="{live_page.url}"' in html
    assert "breaking" in response["xkey"].split()
    assert client.get(BANNER)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        breaking_news_clear(alert=alert)
    assert client.get(BANNER).content.decode().strip() == ""


def test_the_banner_goes_by_itself_when_the_flag_expires(
    client: Client, live_page: LivePage, settings: Any
) -> None:
    settings.DATELINE_BREAKING_TTL = 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        breaking_news_flag(page=live_page, expires_at=start + timedelta(minutes=10))
        response = client.get(BANNER)
        assert live_page.title in response.content.decode()
        ttl = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
        assert 0 < ttl <= 600  # a front cache does not keep it past the expiry
    with time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False):
        response = client.get(BANNER)
        assert response.get("X-Page-Cache") != "hit"
        assert response.content.decode().strip() == ""


def test_a_flag_set_for_later_shows_at_its_start(client: Client, live_page: LivePage) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        breaking_news_flag(
            page=live_page,
            headline="Statement due",
            starts_at=start + timedelta(minutes=5),
            expires_at=start + timedelta(hours=1),
        )
        response = client.get(BANNER)
        assert response.content.decode().strip() == ""
        ttl = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
        assert ttl <= 300
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert "Statement due" in client.get(BANNER).content.decode()


def test_the_banner_never_points_at_a_story_readers_cannot_see(
    client: Client, live_page: LivePage, django_capture_on_commit_callbacks: Any
) -> None:
    breaking_news_flag(page=live_page, headline="Gone soon")
    with django_capture_on_commit_callbacks(execute=True):
        live_page.unpublish()
    assert client.get(BANNER).content.decode().strip() == ""
    with pytest.raises(BreakingNewsRefused) as refused:
        breaking_news_flag(page=LivePage.objects.get(pk=live_page.pk))
    assert refused.value.field == "page"


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (0, -60, "The banner must end after it starts."),
        (-120, -60, "This time has passed: choose a later one."),
    ],
)
def test_times_that_make_no_banner_are_refused_by_their_field(
    live_page: LivePage, starts: int, ends: int, message: str
) -> None:
    now = timezone.now()
    with pytest.raises(BreakingNewsRefused) as refused:
        breaking_news_flag(
            page=live_page,
            starts_at=now + timedelta(minutes=starts),
            expires_at=now + timedelta(minutes=ends),
        )
    assert (refused.value.field, refused.value.message, refused.value.status) == (
        "expires_at",
        message,
        400,
    )
    assert not BreakingNews.objects.exists()


def test_every_page_has_the_banners_slot_and_no_banner_in_its_own_html(
    client: Client, live_page: LivePage, section: Any
) -> None:
    breaking_news_flag(page=live_page, headline="Not in the page itself")
    for url in ("/", section.url, live_page.url, "/search/?q=moscow"):
        html = client.get(url).content.decode()
        assert 'data-breaking-src="/live/breaking/"' in html
        assert "Not in the page itself" not in html


@pytest.mark.parametrize("closed", ["story", "section"])
def test_a_private_story_puts_no_headline_in_front_of_everyone(
    client: Client,
    live_page: LivePage,
    closed: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A story behind a password (or under a section that is) kept its banner: its headline
    in front of every reader, and its alert to every subscriber. It is refused as breaking
    news, and a flag set before the story was closed stops showing."""
    from wagtail.models import PageViewRestriction

    alert = breaking_news_flag(page=live_page, headline="Embargoed until noon")
    assert "Embargoed until noon" in client.get(BANNER).content.decode()

    page = live_page if closed == "story" else live_page.get_parent()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="noon"
        )

    assert "Embargoed until noon" not in client.get(BANNER).content.decode()
    assert "private" in str(breaking_flag_state(alert))
    with pytest.raises(BreakingNewsRefused) as refused:
        breaking_news_flag(page=LivePage.objects.get(pk=live_page.pk), headline="Again")
    assert refused.value.field == "page"
    assert "private" in str(refused.value)
