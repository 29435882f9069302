"""The editors' side: arranging the front page in the admin, and the "Most read" report."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.news.models import HomePage
from dateline.news.services import EDITOR
from dateline.readership.models import PageViews

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user(username="desk", password="not-a-real-password")
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def test_an_editor_may_arrange_and_publish_the_front_page(home, editor):
    permissions = home.permissions_for_user(editor)

    assert permissions.can_edit()
    assert permissions.can_publish()


def test_the_front_page_editor_offers_every_kind_of_slot(client, home, editor):
    client.force_login(editor)

    response = client.get(f"/admin/pages/{home.pk}/edit/")

    assert response.status_code == 200
    text = response.content.decode()
    for label in [
        "Lead story",
        "Stories",
        "Live strip",
        "Section block",
        "Latest news",
        "Most read",
    ]:
        assert label in text


def test_a_slot_with_a_bad_count_is_refused_by_the_field_and_keeps_what_was_typed(
    client, home, editor
):
    """Bad input in the admin: a message by the field, the form refilled, not a 500."""
    client.force_login(editor)
    form = {
        "title": home.title,
        "slug": home.slug,
        "strapline": "Typed by the editor",
        "slots-count": "1",
        "slots-0-type": "stories",
        "slots-0-deleted": "",
        "slots-0-order": "0",
        "slots-0-id": "a1b2c3",
        "slots-0-value-heading": "Weekend reads",
        "slots-0-value-articles-count": "0",
        "slots-0-value-count": "500",
    }

    response = client.post(f"/admin/pages/{home.pk}/edit/", form)

    assert response.status_code == 200  # Wagtail's edit view answers an invalid form with 200
    text = response.content.decode()
    assert "Typed by the editor" in text
    assert "Weekend reads" in text
    assert "less than or equal to 12" in text
    assert not list(HomePage.objects.get(pk=home.pk).slots.raw_data)


def test_the_most_read_report_shows_reads_and_comments_side_by_side(
    client, section, article_factory, editor
):
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    popular = article_factory(parent=section, title="Read by many")
    popular.comment_count = 7
    popular.save(update_fields=["comment_count"])
    older = article_factory(parent=section, title="Read last week")
    PageViews.objects.create(page=popular, hour=hour, views=40)
    PageViews.objects.create(page=older, hour=hour - timedelta(days=3), views=90)
    PageViews.objects.create(page=older, hour=hour - timedelta(days=30), views=5000)
    client.force_login(editor)

    response = client.get("/admin/most-read/")

    assert response.status_code == 200
    today, week = response.context["reports"]
    assert [(r.article.title, r.reads, r.article.comment_count) for r in today.rows] == [
        ("Read by many", 40, 7)
    ]
    assert [(r.article.title, r.reads) for r in week.rows] == [
        ("Read last week", 90),
        ("Read by many", 40),
    ]
    assert b"Read by many" in response.content


def test_the_most_read_report_costs_the_same_for_few_and_many_articles(
    client, section, article_factory, editor
):
    client.force_login(editor)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    counts = []
    for batch in (2, 25):
        for n in range(batch):
            article = article_factory(parent=section)
            PageViews.objects.create(page=article, hour=hour, views=n + 1)
        client.get("/admin/most-read/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/most-read/").status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_readers_cannot_open_the_report(client):
    response = client.get("/admin/most-read/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_most_read_report_has_its_title_as_the_pages_heading(client, editor):
    """The title was passed to Wagtail's header as ``heading``, a name that header reads as
    "replace the heading with this": the report had no <h1>, only the words in small type."""
    client.force_login(editor)

    html = client.get("/admin/most-read/").content.decode()

    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert heading, "no <h1> on the report"
    assert "Most read" in heading.group(1)


def test_the_most_read_report_says_how_reads_are_counted_in_the_sites_own_limits(
    client, editor, settings
):
    """The report sent editors to "docs/frontpage.md", a file of the repository they never see,
    for what "a limited number of reads" meant."""
    settings.DATELINE_READERSHIP_PAGE_LIMIT = 7
    settings.DATELINE_READERSHIP_NETWORK_LIMIT = 70
    settings.DATELINE_READERSHIP_WINDOW = 900
    client.force_login(editor)

    html = client.get("/admin/most-read/").content.decode()

    assert "docs/" not in html
    assert "at most 7 reads of an article and 70 reads in all every 15 minutes" in html
