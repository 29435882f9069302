"""Counting reads without surveillance (issue 17 §4): aggregate counters only, robots left out,
a flood capped per network, the cached page still counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from dateline.readership.models import PageViews
from dateline.readership.services import Read, page_read_count

from .conftest import BROWSER, GOOGLEBOT, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(section, article_factory):
    return article_factory(parent=section, title="A story readers read")


def reads(page_id: int) -> int:
    return sum(PageViews.objects.filter(page_id=page_id).values_list("views", flat=True))


def test_a_reader_s_beacon_adds_one_read_to_the_page_s_hour(client, article):
    assert read(client, article.pk) == 204

    row = PageViews.objects.get()
    assert (row.page_id, row.views) == (article.pk, 1)
    assert row.hour == timezone.now().replace(minute=0, second=0, microsecond=0)


@pytest.mark.parametrize(
    "agent",
    [
        GOOGLEBOT,
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
        "python-requests/2.32.3",
        "curl/8.5.0",
        "",
        "Mozilla/5.0 " + "x" * 600,
    ],
    ids=["googlebot", "headless", "requests", "curl", "none", "overlong"],
)
def test_robots_are_not_counted(client, article, agent):
    assert read(client, article.pk, agent=agent) == 204

    assert reads(article.pk) == 0


def test_a_beacon_from_another_site_is_not_counted(client, article):
    response = client.post(
        f"/readership/read/{article.pk}/",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_USER_AGENT=BROWSER,
    )

    assert response.status_code == 204
    assert reads(article.pk) == 0


def test_readers_without_javascript_are_counted_by_the_page_s_image(client, article):
    response = client.get(f"/readership/read/{article.pk}.gif", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert reads(article.pk) == 1


@pytest.mark.parametrize("path", ["0/", "99999999999999999999/", "abc/", "-1/", "١٢/"])
def test_a_beacon_for_no_page_is_a_404(client, article, path):
    response = client.post(f"/readership/read/{path}", HTTP_ORIGIN="http://testserver")

    assert response.status_code == 404


def test_pages_that_do_not_exist_or_are_not_live_count_nothing(client, article):
    article.unpublish()

    assert read(client, article.pk) == 204
    assert read(client, 987_654) == 204
    assert PageViews.objects.count() == 0


def test_a_flood_from_one_network_adds_no_more_than_the_documented_limit(
    client, settings, article, article_factory
):
    settings.DATELINE_READERSHIP_PAGE_LIMIT = 5
    settings.DATELINE_READERSHIP_NETWORK_LIMIT = 8
    other = article_factory(parent=article.get_parent(), title="Another story")
    start = timezone.now().replace(minute=1, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        # Every address of one /24 network draws from the same allowance.
        for n in range(50):
            read(client, article.pk, ip=f"198.51.100.{n % 250}")
        assert reads(article.pk) == 5
        for n in range(50):
            read(client, other.pk, ip=f"198.51.100.{n % 250}")
        # Eight in all for the network, five of them spent on the first story.
        assert reads(other.pk) == 3
        # Another network has its own allowance.
        read(client, other.pk, ip="192.0.2.10")
        assert reads(other.pk) == 4
    # The next window allows the network again.
    with time_machine.travel(start + timedelta(seconds=settings.DATELINE_READERSHIP_WINDOW + 1)):
        read(client, article.pk, ip="198.51.100.3")
    assert reads(article.pk) == 6


def test_an_ipv6_network_is_capped_by_its_48(client, settings, article):
    settings.DATELINE_READERSHIP_PAGE_LIMIT = 3
    for n in range(10):
        read(client, article.pk, ip=f"2001:db8:1:{n:x}::1")

    assert reads(article.pk) == 3


def test_nothing_about_the_reader_is_stored_or_sent_back(client, article):
    address, agent = "203.0.113.99", BROWSER + " UniqueReaderMarker"
    response = client.post(
        f"/readership/read/{article.pk}/",
        HTTP_ORIGIN="http://testserver",
        HTTP_USER_AGENT=agent,
        REMOTE_ADDR=address,
    )

    assert response.status_code == 204
    assert not response.cookies
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    # The database holds the page, the hour and a number: no address, network or agent.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM readership_pageviews")
        rows = cursor.fetchall()
    assert len(rows) == 1
    stored = repr(rows)
    for secret in (address, "203.0.113", "UniqueReaderMarker"):
        assert secret not in stored
    assert {f.name for f in PageViews._meta.get_fields()} == {"id", "page", "hour", "views"}
    # The limiter's keys name a keyed hash of the network and the window, never the address.
    store = caches["default"]
    keys = list(getattr(store, "_cache", {}).keys()) or [
        k.decode() if isinstance(k, bytes) else k for k in store.client.get_client().keys("*")
    ]
    assert keys
    assert not [k for k in keys if "203.0.113" in str(k)]


def test_a_page_served_from_the_page_cache_still_counts_its_reads(client, article):
    first = client.get(article.url)
    second = client.get(article.url)

    assert second["X-Page-Cache"] == "hit"
    assert "public" in second["Cache-Control"]
    beacon = f"/readership/read/{article.pk}/"
    assert f'data-read="{beacon}"'.encode() in second.content
    assert f"/readership/read/{article.pk}.gif".encode() in second.content
    assert first.content == second.content

    assert read(client, article.pk) == 204
    assert read(client, article.pk, ip="192.0.2.1") == 204
    assert reads(article.pk) == 2


def test_counting_is_one_statement(article, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert page_read_count(read=Read(article.pk, "192.0.2.0/24", BROWSER))
    with django_assert_num_queries(1):
        assert page_read_count(read=Read(article.pk, "192.0.2.0/24", BROWSER))
    assert reads(article.pk) == 2


def test_the_limiter_unavailable_counts_nothing(article, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["default"], "incr", broken)

    assert not page_read_count(read=Read(article.pk, "192.0.2.0/24", BROWSER))
    assert reads(article.pk) == 0
