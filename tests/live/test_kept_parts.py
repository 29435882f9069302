"""The live page rendered with its kept parts (no full-page cache: a signed-in reader,
``?nocache=1``): its page of updates is read only when its kept HTML is built again, that HTML
goes into the page's bytes spliced (core.splice), and every change shows at once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from dateline.core import splice
from dateline.live import selectors
from dateline.live.models import LivePage
from dateline.live.selectors import PAGE_SIZE
from dateline.live.services import live_update_delete, live_update_edit
from tests.speed.test_kept_detail import reads_of_the_detail, rendered_html

from .conftest import body

pytestmark = pytest.mark.django_db

STAMP = re.compile(rb'(name="comment_stamp" value=")[^"]+')


@pytest.fixture
def rendered(settings: Any) -> None:
    """Pages rendered every time (no full-page cache), with the fragments kept."""
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True


@pytest.fixture
def at_once(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """A block whose invalidations (after commit) run before it ends, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def page_bytes(client: Client, url: str) -> bytes:
    """The page's bytes, but for the comment form's signed timestamp (fresh on each request)."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return STAMP.sub(rb"\1-", bytes(response.content))


@contextmanager
def reads_of_updates() -> Iterator[mock.MagicMock]:
    with mock.patch.object(
        selectors, "live_page_updates", wraps=selectors.live_page_updates
    ) as read:
        yield read


@pytest.mark.parametrize("page_number", [None, "2"])
def test_the_page_of_updates_is_the_same_bytes_spliced_or_not(
    client: Client,
    settings: Any,
    rendered: None,
    live_page: LivePage,
    file_update: Any,
    at_once: Callable[[], Any],
    page_number: str | None,
) -> None:
    with at_once():
        live_page.title = "Leaders meet → Moscow: the talks’ first day"  # past Latin-1
        live_page.save_revision().publish()
        # Enough on the second page of updates for its story to be spliced (splice.MIN_CHARS).
        for n in range(PAGE_SIZE + 9):
            file_update(
                f"Update {n}: the motorcade, the hall and the flags. " + "The talks go on. " * 20,
                key_event=n % 4 == 0,
                pinned=n == 2,
                headline=f"Event {n}" if n % 4 == 0 else "",
            )
    url = live_page.url + (f"?page={page_number}" if page_number else "")

    settings.DATELINE_SPLICE = False
    plain = page_bytes(client, url)
    settings.DATELINE_SPLICE = True
    with mock.patch.object(splice, "_put_back", wraps=splice._put_back) as put_back:
        first, again = page_bytes(client, url), page_bytes(client, url)

    # The story (the page of updates) went in as bytes each time, not through the templates.
    assert put_back.call_count == 2
    assert all(any(b"Update 1" in part for part in c.args[1]) for c in put_back.call_args_list)
    assert b"the motorcade, the hall" in plain and b"dateline-splice" not in plain
    assert first == plain
    assert again == plain  # the second time from the HTML encoded once


def test_a_kept_first_page_of_updates_is_read_only_when_it_changes(
    client: Client,
    rendered: None,
    live_page: LivePage,
    file_update: Any,
    at_once: Callable[[], Any],
) -> None:
    with at_once():
        file_update("The motorcade has arrived.")
    client.get(live_page.url)

    with reads_of_updates() as read:
        html, warm = rendered_html(client, live_page)
        assert "The motorcade has arrived." in html
        assert read.call_count == 0  # its kept HTML shows the updates: none is read
        with at_once():
            file_update("The doors are closed.")
        html, filed = rendered_html(client, live_page)
        assert "The doors are closed." in html and "The motorcade has arrived." in html
        assert read.call_count == 1
        _html, warm_again = rendered_html(client, live_page)
        assert read.call_count == 1

    # The route; after an update is filed, the updates (one statement) and the background.
    assert warm == warm_again == 1
    assert filed == 3


def test_every_change_to_an_update_shows_at_once_on_a_rendered_page(
    client: Client,
    rendered: None,
    live_page: LivePage,
    file_update: Any,
    at_once: Callable[[], Any],
) -> None:
    with at_once():
        update = file_update("Twelve cars.")
        file_update("Another update.")
    warm_queries = []

    def after(change: Callable[[], Any]) -> str:
        rendered_html(client, live_page)  # kept as it was
        with at_once():
            change()
        html, _queries = rendered_html(client, live_page)
        warm_queries.append(rendered_html(client, live_page)[1])
        return html

    html = after(lambda: live_update_edit(update=update, changes={"body": body("Fourteen cars.")}))
    assert "Fourteen cars." in html and "Twelve cars." not in html

    html = after(lambda: live_update_edit(update=update, changes={"pinned": True}))
    assert re.search(rf'class="live-update live-update--pinned" id="{update.anchor}"', html)

    html = after(
        lambda: live_update_edit(update=update, changes={"key_event": True, "headline": "Cars"})
    )
    events = html.split('class="live__key-events"')[1].split("</nav>")[0]
    assert f'href="#{update.anchor}"' in events and "Cars</a>" in events

    html = after(lambda: live_update_delete(update=update))
    assert "Fourteen cars." not in html and update.anchor not in html
    assert "Another update." in html

    def end() -> None:
        live_page.coverage = LivePage.Coverage.ENDED
        live_page.save_revision().publish()

    html = after(end)
    assert "Coverage ended" in html and "live/live.js" not in html

    assert warm_queries == [1] * 5  # the route only, whatever changed


def test_a_kept_live_page_reads_its_detail_only_to_build_its_html_again(
    client: Client, rendered: None, live_page: LivePage, at_once: Callable[[], Any]
) -> None:
    client.get(live_page.url)

    with reads_of_the_detail() as read:
        warm = rendered_html(client, live_page)[1]
        assert read == []  # its byline, topics, section and picture are in the kept HTML
        with at_once():
            live_page.tags.add("Summits")
            live_page.save_revision().publish()
        assert 'rel="tag">Summits<' in rendered_html(client, live_page)[0]
        warm_again = rendered_html(client, live_page)[1]

    assert len(read) == 1  # once, to build the kept HTML again
    assert warm == warm_again == 1
