"""Live coverage and the breaking-news banner through a real Varnish with the shipped
configuration (issue 17: "it must work through the front cache"; "appears through the front
cache within seconds and goes when the flag is cleared"; "an update published and then deleted
disappears from the page, the feed and the cache"). Every address is first held by Varnish, so
what a reader sees after each change comes from a purge, not from a miss."""

from __future__ import annotations

from typing import Any

from dateline.live.models import LivePage
from dateline.live.services import (
    breaking_news_clear,
    breaking_news_flag,
    live_update_create,
    live_update_delete,
)
from tests.live.conftest import LivePageFactory, body

from .conftest import VISIBLE_WITHIN, Stack, until
from .test_varnish import warm

BANNER = "/live/breaking/"


def _addresses(page: LivePage) -> list[str]:
    """What a reader of the live page asks for: the page, its script's endpoint, its feed."""
    return [page.url, f"/live/{page.pk}/updates/", f"/live/{page.pk}/rss/"]


def _live_page(section: Any) -> LivePage:
    return LivePageFactory(parent=section)


def test_a_new_update_shows_through_varnish_and_a_deleted_one_goes(
    front: Stack, section: Any, staff_user: Any
) -> None:
    page = _live_page(section)
    first = live_update_create(page=page, body=body("The delegations have arrived."))
    for url in _addresses(page):
        warm(front, url)
        assert "delegations have arrived" in front.get(url).body

    update = live_update_create(page=page, body=body("A joint statement is expected at six."))

    for url in _addresses(page):
        assert until(
            lambda url=url: "joint statement is expected" in front.get(url).body,
            within=VISIBLE_WITHIN,
        ), url
    for url in _addresses(page):
        warm(front, url)

    live_update_delete(update=update)

    for url in _addresses(page):
        assert until(
            lambda url=url: "joint statement is expected" not in front.get(url).body,
            within=VISIBLE_WITHIN,
        ), url
        answer = front.get(url)
        assert f"update-{update.pk}" not in answer.body
        assert "delegations have arrived" in answer.body  # the other update stays
    assert first.pk != update.pk


def test_the_banner_shows_through_varnish_and_goes_when_cleared(front: Stack, section: Any) -> None:
    page = _live_page(section)
    warm(front, BANNER)
    assert front.get(BANNER).body.strip() == ""

    alert = breaking_news_flag(page=page, headline="Talks end without an agreement")

    assert until(
        lambda: "Talks end without an agreement" in front.get(BANNER).body, within=VISIBLE_WITHIN
    )
    shown = front.get(BANNER)
    assert f'href="{page.url}"' in shown.body
    assert "set-cookie" not in shown.headers and "xkey" not in shown.headers
    warm(front, BANNER)

    breaking_news_clear(alert=alert)

    assert until(lambda: front.get(BANNER).body.strip() == "", within=VISIBLE_WITHIN)
