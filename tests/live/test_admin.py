"""The newsroom files updates and switches the banner in the admin, through the services."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from dateline.live.blocks import EMPTY_BODY_MESSAGE
from dateline.live.models import BreakingNews, LivePage, LiveUpdate

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/live/liveupdate/add/"


def update_form(page: LivePage, text: str, **extra: Any) -> dict[str, Any]:
    data = nested_form_data(
        {
            "page": page.pk,
            "headline": extra.pop("headline", ""),
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))])
            if text
            else streamfield([]),
            "status": extra.pop("status", "published"),
        }
    )
    for name, value in extra.items():
        data[name] = value
    return data


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_reporter_files_an_update_under_their_own_name(
    live_page: LivePage, reporter: Any
) -> None:
    client = signed_in(reporter)
    form = client.get(f"{ADD}?live_page={live_page.pk}")
    assert form.status_code == 200
    response = client.post(ADD, update_form(live_page, "The delegations sit down."))
    assert response.status_code == 302
    update = LiveUpdate.objects.get()
    assert update.author == reporter.author_profile and update.created_by == reporter
    assert "The delegations sit down." in update.body_html and update.published_at


def test_a_reporter_with_no_author_profile_files_an_update_under_their_own_name(
    live_page: LivePage, reporter: Any
) -> None:
    reporter.author_profile.delete()
    reporter.first_name, reporter.last_name = "Ana", "Lima"
    reporter.save()
    client = signed_in(reporter)

    response = client.post(ADD, update_form(live_page, "Talks break for lunch."))

    assert response.status_code == 302
    author = LiveUpdate.objects.get().author
    assert author is not None and (author.name, author.user) == ("Ana Lima", reporter)
    assert "Ana Lima" in client.get(live_page.url).content.decode()


def test_file_an_update_from_a_live_page_opens_the_form_with_that_page_chosen(
    live_page: LivePage, reporter: Any
) -> None:
    """The live page's "File an update" button links to the form with ``?live_page=<id>``; the
    page is chosen already (it was not: the reporter had to pick it again in the chooser)."""
    form = signed_in(reporter).get(f"{ADD}?live_page={live_page.pk}")
    assert form.status_code == 200
    chosen = form.context["form"]["page"].value()
    assert chosen == live_page.pk
    assert f'name="page" value="{live_page.pk}"' in form.content.decode()


def test_a_made_up_live_page_leaves_the_form_with_no_page_chosen(
    live_page: LivePage, reporter: Any
) -> None:
    for value in ("999999", "abc", ""):
        form = signed_in(reporter).get(f"{ADD}?live_page={value}")
        assert form.status_code == 200
        assert form.context["form"]["page"].value() is None


def test_an_empty_update_comes_back_with_a_message_and_the_headline_kept(
    live_page: LivePage, reporter: Any
) -> None:
    response = signed_in(reporter).post(ADD, update_form(live_page, "", headline="Kept headline"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kept headline" in html
    assert "error" in html.lower()
    assert not LiveUpdate.objects.exists()


def test_an_update_with_an_empty_body_is_refused_with_a_message_that_says_what_to_add(
    live_page: LivePage, reporter: Any
) -> None:
    """The body has no minimum count of its own (Wagtail's script would show "The minimum
    number of items is 1" on a form nobody has typed in yet); a save without a block is still
    refused, with a message naming what to add, next to the body."""
    client = signed_in(reporter)
    fresh = client.get(ADD).content.decode()
    assert "minNum&quot;: 1" not in fresh and '"minNum": 1' not in fresh
    response = client.post(ADD, update_form(live_page, "", headline="Kept headline"))
    assert response.status_code == 400
    errors = response.context["form"].errors["body"].as_data()[0]
    assert [str(e.message) for e in errors.non_block_errors.as_data()] == [EMPTY_BODY_MESSAGE]
    assert EMPTY_BODY_MESSAGE in response.content.decode()
    assert not LiveUpdate.objects.exists()


def test_a_save_over_someone_elses_newer_change_is_refused_with_the_text_kept(
    live_page: LivePage, reporter: Any, second_reporter: Any, file_update: Any
) -> None:
    update = file_update("Ten minutes late.")
    edit = f"/admin/snippets/live/liveupdate/edit/{update.pk}/"
    ana, ben = signed_in(reporter), signed_in(second_reporter)
    opened = update.updated_at.isoformat()
    assert ana.get(edit).status_code == 200 and opened in ana.get(edit).content.decode()
    first = ana.post(edit, update_form(live_page, "Twenty minutes late.", opened_version=opened))
    assert first.status_code == 302
    second = ben.post(
        edit, update_form(live_page, "Half an hour late.", opened_version=opened, pinned="on")
    )
    assert second.status_code == 409
    assert "Someone else changed this update" in second.content.decode()
    assert "Half an hour late." in second.content.decode()
    update.refresh_from_db()
    assert "Twenty minutes late." in update.body_html and update.pinned is False


def test_after_a_refused_save_saving_again_puts_the_text_in_place_and_says_so_once(
    live_page: LivePage, reporter: Any, second_reporter: Any, file_update: Any
) -> None:
    """The form that comes back after "Someone else changed this update" builds on the version
    that won: saving it again goes through (it was refused again and again, the text typed
    stuck in the form), and the refusal is said once, not a second time as a form error."""
    update = file_update("Ten minutes late.")
    edit = f"/admin/snippets/live/liveupdate/edit/{update.pk}/"
    ana, ben = signed_in(reporter), signed_in(second_reporter)
    opened = update.updated_at.isoformat()
    assert ana.post(edit, update_form(live_page, "Twenty minutes late.", opened_version=opened))
    refused = ben.post(edit, update_form(live_page, "Half an hour late.", opened_version=opened))
    assert refused.status_code == 409
    html = refused.content.decode()
    assert html.count("Someone else changed this update") == 1
    carried = re.search(r'name="opened_version" value="([^"]*)"', html)
    assert carried is not None

    again = ben.post(
        edit, update_form(live_page, "Half an hour late.", opened_version=carried.group(1))
    )

    assert again.status_code == 302
    update.refresh_from_db()
    assert "Half an hour late." in update.body_html


def test_deleting_in_the_admin_takes_the_update_off_the_page(
    client: Client, live_page: LivePage, editor: Any, file_update: Any
) -> None:
    update = file_update("Withdrawn.")
    response = signed_in(editor).post(f"/admin/snippets/live/liveupdate/delete/{update.pk}/")
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == LiveUpdate.Status.DELETED
    assert "Withdrawn." not in client.get(live_page.url).content.decode()


def test_the_live_page_links_to_its_updates_in_the_admin(live_page: LivePage, editor: Any) -> None:
    html = signed_in(editor).get(f"/admin/pages/{live_page.pk}/edit/").content.decode()
    assert f"/admin/snippets/live/liveupdate/?page={live_page.pk}" in html
    assert f"/admin/snippets/live/liveupdate/add/?live_page={live_page.pk}" in html
    listing = signed_in(editor).get(f"/admin/snippets/live/liveupdate/?page={live_page.pk}")
    assert listing.status_code == 200


def breaking_form(page: Any, **fields: Any) -> dict[str, Any]:
    now = timezone.localtime()
    data = {
        "page": page.pk,
        "headline": "",
        "status": "active",
        "starts_at": now.strftime("%Y-%m-%d %H:%M"),
        "expires_at": (now + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
    }
    data.update(fields)
    return data


def test_an_editor_switches_the_banner_on_and_off(
    client: Client, live_page: LivePage, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    admin = signed_in(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/admin/snippets/live/breakingnews/add/", breaking_form(live_page))
    assert response.status_code == 302, response.content.decode()[:2000]
    flag = BreakingNews.objects.get()
    assert live_page.title in client.get("/live/breaking/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        off = admin.post(
            f"/admin/snippets/live/breakingnews/edit/{flag.pk}/",
            breaking_form(live_page, status="cleared"),
        )
    assert off.status_code == 302
    assert client.get("/live/breaking/").content.decode().strip() == ""


def test_switching_off_a_flag_while_another_is_on_says_which_banner_readers_still_see(
    client: Client, live_page: LivePage, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Two flags on (the same story flagged twice, or an earlier story): switching one off or
    deleting it left the banner up with only "updated" said, as if the switch did nothing."""
    admin = signed_in(editor)
    for words in ("Talks begin", "Talks end"):
        with django_capture_on_commit_callbacks(execute=True):
            admin.post(
                "/admin/snippets/live/breakingnews/add/",
                breaking_form(live_page, headline=words),
            )
    first, second = BreakingNews.objects.order_by("pk")

    with django_capture_on_commit_callbacks(execute=True):
        off = admin.post(
            f"/admin/snippets/live/breakingnews/edit/{second.pk}/",
            breaking_form(live_page, headline="Talks end", status="cleared"),
            follow=True,
        )

    said = " ".join(str(m) for m in off.context["messages"])
    assert "Readers still see a breaking-news banner" in said and "‘Talks begin’" in said
    assert "Talks begin" in client.get("/live/breaking/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        gone = admin.post(f"/admin/snippets/live/breakingnews/delete/{first.pk}/", follow=True)
    assert "Readers still see" not in " ".join(str(m) for m in gone.context["messages"])
    assert client.get("/live/breaking/").content.decode().strip() == ""


def test_a_banner_that_ends_before_it_starts_is_refused_by_the_field(
    live_page: LivePage, editor: Any
) -> None:
    now = timezone.localtime()
    response = signed_in(editor).post(
        "/admin/snippets/live/breakingnews/add/",
        breaking_form(
            live_page,
            headline="Typed by the editor",
            expires_at=(now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The banner must end after it starts." in html
    assert "Typed by the editor" in html
    assert not BreakingNews.objects.exists()


def test_reporters_may_file_updates_but_not_flag_breaking_news(
    live_page: LivePage, reporter: Any
) -> None:
    client = signed_in(reporter)
    assert client.get(ADD).status_code == 200
    assert client.get("/admin/snippets/live/breakingnews/add/").status_code in (302, 403)


def test_an_editor_starts_live_coverage_in_a_section(section: Any, editor: Any) -> None:
    client = signed_in(editor)
    response = client.get(f"/admin/pages/add/live/livepage/{section.pk}/")
    assert response.status_code == 200
    assert "Key points" in response.content.decode()


def test_the_forms_hidden_version_has_no_heading_of_its_own(
    live_page: LivePage, reporter: Any, file_update: Any
) -> None:
    """The version the form was opened on travels as a hidden input outside every panel: no
    empty "Opened version" heading above the form, and no such entry in the side panel's list
    of sections (which Wagtail builds from the panels' headings; seen in the browser)."""
    update = file_update("Ten minutes late.")
    edit = f"/admin/snippets/live/liveupdate/edit/{update.pk}/"
    for address, version in ((ADD, ""), (edit, update.updated_at.isoformat())):
        html = signed_in(reporter).get(address).content.decode()
        hidden = re.search(r'<input type="hidden" name="opened_version"[^>]*>', html)
        assert hidden, address
        assert f'value="{version}"' in hidden.group(0) or not version
        assert "Opened version" not in html and "panel-opened_version" not in html


def test_the_updates_list_says_yes_for_pinned_and_key_events_not_true_or_false(
    live_page: LivePage, editor: Any, file_update: Any
) -> None:
    file_update("Pinned and key.", pinned=True, key_event=True)
    file_update("Neither.")

    html = signed_in(editor).get("/admin/snippets/live/liveupdate/").content.decode()

    cells = re.findall(r"<td[^>]*>\s*(True|False|Yes)\s*</td>", html)
    assert sorted(cells) == ["Yes", "Yes"]


def test_the_flags_list_says_which_banner_readers_see_not_just_on_or_cleared(
    live_page: LivePage, editor: Any, django_assert_max_num_queries: Any
) -> None:
    """Five flags read "On" or "Cleared" in the list, and the editor could not tell which one
    put the banner up (or why a flag that is on showed nothing)."""
    now = timezone.now()
    hour = timedelta(hours=1)
    for words, status, starts, expires in (
        ("Earlier flag", "active", now - 2 * hour, now + hour),
        ("Newest flag", "active", now - hour, now + hour),
        ("Later flag", "active", now + hour, now + 2 * hour),
        ("Old flag", "active", now - 3 * hour, now - 2 * hour),
        ("Switched off", "cleared", now - hour, now + hour),
    ):
        BreakingNews.objects.create(
            page=live_page, headline=words, status=status, starts_at=starts, expires_at=expires
        )

    with django_assert_max_num_queries(30):
        html = signed_in(editor).get("/admin/snippets/live/breakingnews/").content.decode()

    assert "Readers see" in html
    rows = {
        words: unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)))
        for row in re.findall(r"<tr.*?</tr>", html, re.S)
        for words in re.findall(r"(\w+ flag|Switched off)", row)[:1]
    }
    assert "Showing now" in rows["Newest flag"]
    assert "a newer flag's banner is showing" in rows["Earlier flag"]
    assert "starts later" in rows["Later flag"]
    assert "expired" in rows["Old flag"]
    assert "cleared" in rows["Switched off"]
    assert sum("Showing now" in row for row in rows.values()) == 1


def test_a_flag_saved_for_later_says_readers_see_no_banner_yet(
    live_page: LivePage, editor: Any
) -> None:
    later = timezone.localtime() + timedelta(hours=1)
    response = signed_in(editor).post(
        "/admin/snippets/live/breakingnews/add/",
        breaking_form(
            live_page,
            starts_at=later.strftime("%Y-%m-%d %H:%M"),
            expires_at=(later + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        ),
        follow=True,
    )

    said = " ".join(str(m) for m in response.context["messages"])
    assert "readers see no banner from it" in said and "starts later" in said
    now_on = signed_in(editor).post(
        "/admin/snippets/live/breakingnews/add/", breaking_form(live_page), follow=True
    )
    assert "readers see no banner" not in " ".join(str(m) for m in now_on.context["messages"])
