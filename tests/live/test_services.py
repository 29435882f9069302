"""Filing, editing and deleting updates: each its own row, only the changed fields written,
and everything a change shows purged after commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from dateline.core.pagecache import _versions
from dateline.live.models import LivePage, LiveUpdate
from dateline.live.selectors import live_page_updates
from dateline.live.services import (
    LiveUpdateRefused,
    live_update_create,
    live_update_delete,
    live_update_edit,
)

from .conftest import body

pytestmark = pytest.mark.django_db


def test_an_update_carries_its_writers_byline_time_and_rendered_body(
    live_page: LivePage, reporter: Any
) -> None:
    update = live_update_create(
        page=live_page, body=body("The doors <b>opened</b>."), user=reporter
    )
    assert update.author == reporter.author_profile
    assert update.published_at is not None
    assert update.status == LiveUpdate.Status.PUBLISHED
    assert "<p>The doors <b>opened</b>.</p>" in update.body_html


def test_publishing_editing_and_deleting_purge_the_live_page(
    live_page: LivePage,
    file_update: Any,
    purges: list[list[str]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    key = f"live:{live_page.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        update = file_update("First.")
    assert purges == [[key]]
    before = _versions([key], fresh=True)
    with django_capture_on_commit_callbacks(execute=True):
        live_update_edit(update=update, changes={"headline": "Now with a headline"})
    assert purges[-1] == [key]
    assert _versions([key], fresh=True) != before
    with django_capture_on_commit_callbacks(execute=True):
        live_update_delete(update=update)
    assert len(purges) == 3 and purges[-1] == [key]


def test_a_draft_purges_nothing_until_it_is_published(
    file_update: Any, purges: list[list[str]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        draft = file_update("Not yet.", status=LiveUpdate.Status.DRAFT)
    assert purges == [] and draft.published_at is None
    with django_capture_on_commit_callbacks(execute=True):
        live_update_edit(update=draft, changes={"status": LiveUpdate.Status.PUBLISHED})
    draft.refresh_from_db()
    assert draft.published_at is not None and len(purges) == 1


def test_a_rollback_purges_nothing(
    live_page: LivePage,
    reporter: Any,
    purges: list[list[str]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                live_update_create(page=live_page, body=body("Gone."), user=reporter)
                raise RuntimeError
        except RuntimeError:
            pass
    assert purges == [] and not LiveUpdate.objects.exists()


def test_two_reporters_filing_and_correcting_at_once_lose_nothing(
    live_page: LivePage, reporter: Any, second_reporter: Any
) -> None:
    # Both open the same update's form (each holds their own copy of the row) ...
    first = live_update_create(page=live_page, body=body("Cars arrive."), user=reporter)
    mine = LiveUpdate.objects.get(pk=first.pk)
    theirs = LiveUpdate.objects.get(pk=first.pk)
    # ... and each files a new update in between.
    live_update_create(page=live_page, body=body("From the square."), user=second_reporter)
    live_update_create(page=live_page, body=body("From the hall."), user=reporter)
    # One corrects the text, the other pins it: neither change undoes the other.
    live_update_edit(update=mine, changes={"body": body("Twelve cars arrive.")}, user=reporter)
    live_update_edit(update=theirs, changes={"pinned": True}, user=second_reporter)
    first.refresh_from_db()
    assert first.pinned is True
    assert "Twelve cars arrive." in first.body_html
    assert LiveUpdate.objects.filter(page=live_page).count() == 3
    authors = set(LiveUpdate.objects.values_list("author__user__username", flat=True))
    assert authors == {"ana", "ben"}


def test_a_deleted_update_leaves_the_page_but_is_kept_for_the_record(
    live_page: LivePage, file_update: Any
) -> None:
    kept, gone = file_update("Stays."), file_update("Was wrong.")
    live_update_delete(update=gone)
    stream = live_page_updates(page=live_page, page_number=1)
    assert [u.pk for u in stream.updates] == [kept.pk]
    assert LiveUpdate.objects.get(pk=gone.pk).status == LiveUpdate.Status.DELETED


def test_pinned_and_key_events_are_listed_apart(live_page: LivePage, file_update: Any) -> None:
    plain = file_update("Plain.")
    key = file_update("Talks begin.", key_event=True, headline="Talks begin")
    pinned = file_update("What to watch.", pinned=True)
    stream = live_page_updates(page=live_page, page_number=1)
    assert [u.pk for u in stream.updates] == [key.pk, plain.pk]
    assert [u.pk for u in stream.pinned] == [pinned.pk]
    assert [u.pk for u in stream.key_events] == [key.pk]


def test_each_page_of_updates_shows_the_newest_of_each_kind_whatever_their_mix(
    live_page: LivePage, file_update: Any
) -> None:
    # 50 updates, some at the same second (ordered by id then), 5 pinned (3 shown), 16 key
    # events (12 listed, pinned ones among them), one draft and one deleted left out.
    same_time = timezone.now()
    made = []
    for n in range(50):
        update = file_update(
            f"Update {n}.", pinned=n % 11 == 4, key_event=n % 3 == 0, headline=f"Event {n}"
        )
        if n % 7 == 0:
            LiveUpdate.objects.filter(pk=update.pk).update(published_at=same_time)
        made.append(update.pk)
    live_update_delete(update=LiveUpdate.objects.get(pk=made[-1]))
    file_update("Not yet.", status=LiveUpdate.Status.DRAFT)
    shown = list(
        LiveUpdate.objects.filter(page=live_page, status=LiveUpdate.Status.PUBLISHED).order_by(
            "-published_at", "-pk"
        )
    )
    others = [u.pk for u in shown if not u.pinned]

    first = live_page_updates(page=live_page, page_number=1)
    second = live_page_updates(page=live_page, page_number="2")
    third = live_page_updates(page=live_page, page_number=3)

    assert [u.pk for u in first.pinned] == [u.pk for u in shown if u.pinned][:3]
    assert [u.pk for u in first.key_events] == [u.pk for u in shown if u.key_event][:12]
    assert [u.pk for u in first.updates] == others[:20] and first.has_older
    assert [u.pk for u in second.updates] == others[20:40] and second.has_older
    assert [u.pk for u in third.updates] == others[40:60] and not third.has_older
    assert second.pinned == second.key_events == third.pinned == []
    assert all(u.author is not None for u in [*first.updates, *first.pinned])


def test_a_new_update_cannot_start_deleted_and_unknown_fields_are_refused(
    live_page: LivePage, file_update: Any
) -> None:
    with pytest.raises(LiveUpdateRefused) as refused:
        file_update("x", status=LiveUpdate.Status.DELETED)
    assert refused.value.field == "status" and refused.value.status == 400
    update = file_update("y")
    with pytest.raises(LiveUpdateRefused):
        live_update_edit(update=update, changes={"created_by": None})


def test_an_embed_in_an_update_is_a_link_and_nothing_is_asked_of_its_provider(
    live_page: LivePage, reporter: Any, embed_provider_unreachable: list[str]
) -> None:
    """Wagtail's embed block fetched the provider's player when the update was saved, and kept
    it in the update (a third party's frame on the page), or kept nothing when the provider did
    not answer: the reader saw an empty update."""
    from django.test import Client

    asked = embed_provider_unreachable
    video = "https://video.example.org/watch/talks-resume"

    live_update_create(page=live_page, body=[("embed", video)], user=reporter)

    page = Client().get(live_page.url).content.decode()
    assert f'<a href="{video}" rel="noopener">{video}</a>' in page
    assert asked == []


def test_updates_kept_with_the_providers_player_are_rendered_again_as_links(
    live_page: LivePage, reporter: Any
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "dateline.live.migrations.0002_update_embeds_shown_as_links"
    )
    video = "https://video.example.org/watch/talks-resume"
    update = live_update_create(page=live_page, body=[("embed", video)], user=reporter)
    plain = live_update_create(page=live_page, body=body("Talks resume at noon."), user=reporter)
    LiveUpdate.objects.filter(pk=update.pk).update(body_html='<iframe src="https://x"></iframe>')

    migration.render_embeds_as_links(apps, None)

    assert f'<a href="{video}" rel="noopener">' in LiveUpdate.objects.get(pk=update.pk).body_html
    assert LiveUpdate.objects.get(pk=plain.pk).body_html == plain.body_html
