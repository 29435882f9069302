"""A live page and its addresses as readers (and crawlers, and caches) see them."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import extruct
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dateline.core.pagecache import invalidate
from dateline.live.models import LivePage, LiveUpdate, live_dependency
from dateline.live.selectors import PAGE_SIZE
from dateline.live.services import live_update_delete, live_update_edit
from dateline.news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def test_the_live_page_is_routed_as_its_own_type(
    client: Client, live_page: LivePage, file_update: Any
) -> None:
    file_update("The motorcade has arrived.")
    response = client.get(live_page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="article live-page"' in html
    assert "The motorcade has arrived." in html
    assert "Key points" in html and "The talks began at noon." in html
    assert "<title>Live: Leaders meet in Moscow" in html


def test_queries_stay_the_same_for_three_and_for_forty_updates(
    client: Client, settings: Any, live_page: LivePage, file_update: Any
) -> None:
    # Nothing kept between requests (no page cache, no fragments): every read is counted.
    settings.DATELINE_PAGE_CACHE = False
    for n in range(3):
        file_update(f"Update {n}.", key_event=n == 0, pinned=n == 1, headline=f"Event {n}")
    urls = [live_page.url, f"/live/{live_page.pk}/updates/", f"/live/{live_page.pk}/rss/"]
    queries(client, live_page.url)  # content types and the like, read once per process
    few = [queries(client, url) for url in urls]
    for n in range(40):
        file_update(f"More {n}.", key_event=n % 5 == 0, pinned=n == 7, headline=f"More {n}")
    many = [queries(client, url) for url in urls]
    assert many == few
    assert few[0] <= 25


def test_kept_pages_cost_no_query(client: Client, live_page: LivePage, file_update: Any) -> None:
    file_update("Kept.")
    for url in (live_page.url, f"/live/{live_page.pk}/updates/", f"/live/{live_page.pk}/rss/"):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert len(captured) == 0


def test_every_address_is_public_for_shared_caches_and_tagged_with_the_live_page(
    client: Client, live_page: LivePage, file_update: Any
) -> None:
    file_update("Tagged.")
    key = f"live:{live_page.pk}"
    page = client.get(live_page.url)
    assert key in page["xkey"].split() and page["Cache-Control"].startswith("public")
    poll = client.get(f"/live/{live_page.pk}/updates/")
    assert key in poll["xkey"].split()
    ttl = int(poll["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < ttl <= 15
    feed = client.get(f"/live/{live_page.pk}/atom/")
    assert key in feed["xkey"].split() and feed["Content-Type"].startswith("application/atom+xml")


def test_a_signed_in_reader_gets_a_private_page(
    client: Client, live_page: LivePage, reporter: Any
) -> None:
    client.force_login(reporter)
    assert client.get(live_page.url)["Cache-Control"] == "private, no-store"


def test_a_published_then_deleted_update_leaves_page_fragment_feed_and_cache(
    client: Client, live_page: LivePage, file_update: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        update = file_update("A claim that turned out wrong.")
    urls = [live_page.url, f"/live/{live_page.pk}/updates/", f"/live/{live_page.pk}/rss/"]
    for url in urls:
        assert "turned out wrong" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        live_update_delete(update=update)
    for url in urls:
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit"
        assert "turned out wrong" not in response.content.decode()
        assert f"update-{update.pk}" not in response.content.decode()


def test_a_correction_shows_at_once(
    client: Client, live_page: LivePage, file_update: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        update = file_update("Twelve cars.")
    client.get(live_page.url)
    with django_capture_on_commit_callbacks(execute=True):
        live_update_edit(update=update, changes={"body": [("paragraph", "<p>Fourteen cars.</p>")]})
    html = client.get(live_page.url).content.decode()
    assert "Fourteen cars." in html and "Twelve cars." not in html


def test_the_updates_address_lists_the_newest_with_their_markup(
    client: Client, live_page: LivePage, file_update: Any
) -> None:
    older, newer = file_update("Older."), file_update("Newer.", pinned=True)
    file_update("Draft.", status=LiveUpdate.Status.DRAFT)
    data = client.get(f"/live/{live_page.pk}/updates/").json()
    assert data["coverage"] == "live"
    assert [u["id"] for u in data["updates"]] == [newer.pk, older.pk]
    assert data["updates"][0]["pinned"] is True
    assert f'id="update-{older.pk}"' in data["updates"][1]["html"]
    assert "Draft." not in str(data)


def test_updates_are_paged_with_permalinks_to_their_page(
    client: Client, live_page: LivePage, file_update: Any
) -> None:
    updates = [file_update(f"Number {n}.") for n in range(PAGE_SIZE + 2)]
    first, newest = updates[0], updates[-1]
    page_one = client.get(live_page.url).content.decode()
    assert f'id="update-{newest.pk}"' in page_one and f'id="update-{first.pk}"' not in page_one
    assert "?page=2" in page_one
    page_two = client.get(live_page.url + "?page=2").content.decode()
    assert f'id="update-{first.pk}"' in page_two
    link = client.get(f"/live/updates/{first.pk}/")
    assert link.status_code == 302
    assert link["Location"] == f"{live_page.url}?page=2#update-{first.pk}"
    assert client.get(f"/live/updates/{newest.pk}/")["Location"] == (
        f"{live_page.url}#update-{newest.pk}"
    )


@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=-1", "?page=0", "?page=99999999999999999999"]
)
def test_a_page_number_that_is_not_one_shows_the_first_page(
    client: Client, live_page: LivePage, file_update: Any, query: str
) -> None:
    file_update("Here.")
    response = client.get(live_page.url + query)
    assert response.status_code == 200 and "Here." in response.content.decode()


def test_addresses_of_what_readers_cannot_see_are_not_found(
    client: Client, live_page: LivePage, file_update: Any
) -> None:
    shown = file_update("Shown.")
    draft = file_update("Draft.", status=LiveUpdate.Status.DRAFT)
    deleted = file_update("Deleted.")
    live_update_delete(update=deleted)
    assert client.get(live_page.url + "?page=5").status_code == 404
    for update in (draft, deleted):
        assert client.get(f"/live/updates/{update.pk}/").status_code == 404
    assert client.get("/live/999999/updates/").status_code == 404
    assert client.get("/live/updates/abc/").status_code == 404
    assert client.post(f"/live/{live_page.pk}/updates/").status_code == 405
    live_page.unpublish()
    for url in (
        f"/live/{live_page.pk}/updates/",
        f"/live/{live_page.pk}/rss/",
        f"/live/updates/{shown.pk}/",
    ):
        assert client.get(url).status_code == 404


def test_live_blog_posting_with_its_updates_for_crawlers(
    client: Client, live_page: LivePage, file_update: Any
) -> None:
    one = file_update("Doors open.", headline="Doors open")
    two = file_update("Handshake in the hall.")
    html = client.get(live_page.url).content.decode()
    data = extruct.extract(
        html,
        base_url="http://testserver" + live_page.url,
        syntaxes=["json-ld", "opengraph"],
        uniform=True,
    )
    (live,) = [d for d in data["json-ld"] if d.get("@type") == "LiveBlogPosting"]
    assert not [d for d in data["json-ld"] if d.get("@type") == "NewsArticle"]
    assert live["headline"] == "Leaders meet in Moscow"
    assert live["coverageStartTime"] and "coverageEndTime" not in live
    page_url = "http://testserver" + live_page.url
    assert [u["url"] for u in live["liveBlogUpdate"]] == [
        f"{page_url}#update-{two.pk}",
        f"{page_url}#update-{one.pk}",
    ]
    assert live["liveBlogUpdate"][1]["headline"] == "Doors open"
    assert live["liveBlogUpdate"][0]["articleBody"] == "Handshake in the hall."
    assert live["liveBlogUpdate"][0]["author"]["name"] == "Ana Writer"
    (og,) = data["opengraph"]
    assert og["og:url"] == page_url


def test_ended_coverage_says_so_and_stops_polling(
    client: Client, live_page: LivePage, file_update: Any
) -> None:
    file_update("Last word.")
    live_page.coverage = LivePage.Coverage.ENDED
    live_page.save_revision().publish()
    html = client.get(live_page.url).content.decode()
    assert "Coverage ended" in html and "live/live.js" not in html
    data = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert next(d for d in data if d["@type"] == "LiveBlogPosting")["coverageEndTime"]
    assert client.get(f"/live/{live_page.pk}/updates/").json()["coverage"] == "ended"


def test_the_live_page_is_an_article_in_listings_feeds_and_sitemaps(
    client: Client, live_page: LivePage, section: SectionPage
) -> None:
    assert live_page.title in client.get(section.url).content.decode()
    assert live_page.title in client.get("/feeds/rss/").content.decode()
    assert live_page.url in client.get(f"/sitemap-section-{section.slug}.xml").content.decode()
    assert live_page.url in client.get("/sitemap-news.xml").content.decode()


def test_the_conversation_is_the_articles_and_moderators_see_it_is_live(
    client: Client, live_page: LivePage
) -> None:
    html = client.get(live_page.url).content.decode()
    assert 'id="comments"' in html
    as_article = ArticlePage.objects.get(pk=live_page.pk)
    assert as_article.page_kind == "live coverage"
    assert ArticlePage.objects.exclude(pk=live_page.pk).first() is None or (
        ArticlePage.objects.exclude(pk=live_page.pk).first().page_kind == ""
    )


def test_the_article_pages_query_budget_holds_for_the_live_page(
    client: Client, settings: Any, live_page: LivePage, file_update: Any, article_factory: Any
) -> None:
    # As tests/speed measures pages: no full-page cache, the fragments kept. An article costs
    # its row (docs/decisions/0071), and at most ten queries after a change; so does a live
    # page, its row read as its own type in the same statement, whatever its updates.
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True
    article = article_factory(parent=live_page.get_parent())

    def counts(page: ArticlePage) -> tuple[int, int, int]:
        queries(client, page.url)
        warm = queries(client, page.url)
        invalidate([f"article:{page.pk}", live_dependency(page.pk)])  # a comment, an edit
        changed = queries(client, page.url)
        invalidate([live_dependency(page.pk)])  # an update filed
        filed = queries(client, page.url)
        return warm, changed, filed

    for n in range(3):
        file_update(f"Update {n}.", key_event=n == 0, pinned=n == 1, headline=f"Event {n}")
    few = counts(live_page)
    for n in range(40):
        file_update(f"More {n}.", key_event=n % 5 == 0, pinned=n == 7, headline=f"More {n}")
    many = counts(live_page)
    as_article = counts(article)

    assert many == few
    assert few[0] == as_article[0] == 1
    assert few[1] <= as_article[1] <= 10
    # The route, the updates (one statement: the page of them, pinned, key events, authors)
    # and the background's body for the story's kept HTML.
    assert few[2] == 3


VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_the_live_page_and_its_older_updates_are_valid_html(
    client: Client, live_page: LivePage, file_update: Any, tmp_path: Path
) -> None:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.skip("the Nu HTML Checker needs Java and node_modules/vnu-jar (`make test`)")
    for n in range(PAGE_SIZE + 3):
        file_update(f"Update {n}.", key_event=n % 4 == 0, pinned=n == 2, headline=f"Event {n}")
    files = []
    for name, url in (("live-1", live_page.url), ("live-2", live_page.url + "?page=2")):
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    out = subprocess.run(
        [java, "-Xss1m", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(out.stderr or out.stdout)["messages"]
    errors = [f"{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"]
    assert errors == [], "\n".join(errors)


def test_an_editors_preview_shows_the_unsaved_page_with_its_byline(
    live_page: LivePage, file_update: Any
) -> None:
    file_update("Filed before the preview.")
    draft = live_page.get_latest_revision_as_object()
    draft.title = "Leaders meet in Moscow: talks extended"
    draft.key_points = "<ul><li>The talks run into a second day.</li></ul>"

    response = draft.make_preview_request()
    html = response.content.decode()

    assert response.status_code == 200
    assert "Leaders meet in Moscow: talks extended" in html
    assert "The talks run into a second day." in html
    assert "Filed before the preview." in html
    assert live_page.byline.first().author.name in html


def test_the_feed_says_live_once_and_cuts_a_headless_update_between_words(
    client: Client, live_page: LivePage, file_update: Any
) -> None:
    """A headline ending in "live" is not "…: live: live updates"; an update without a
    headline is titled by its text's start, cut between two words with an ellipsis."""
    live_page.title = "Leaders meet in Moscow: live"
    live_page.save_revision().publish()
    file_update("Short and whole.")
    file_update("Officials said the talks would go on late into the night " * 3)

    feed = client.get(f"/live/{live_page.pk}/rss/").content.decode()
    page = client.get(live_page.url).content.decode()

    assert "<title>Leaders meet in Moscow: live updates</title>" in feed
    assert "live: live" not in feed and "live: live" not in page
    assert 'title="Leaders meet in Moscow: live updates (RSS)"' in page
    assert "<title>Short and whole.</title>" in feed
    cut = (
        "Officials said the talks would go on late into the night "
        "Officials said the talks would go on late…"
    )
    assert f"<title>{cut}</title>" in feed


def test_the_live_page_lists_its_conversations_feeds(client: Client, live_page: LivePage) -> None:
    """A live page has a conversation under it, as an article does, but only the article page
    told a feed reader where its comments' feeds were."""
    from lxml import html

    page = html.fromstring(client.get(live_page.url).content)
    feeds = {
        link.get("href"): link.get("type") for link in page.xpath("//head/link[@rel='alternate']")
    }

    for kind, mime in (("rss", "application/rss+xml"), ("atom", "application/atom+xml")):
        href = f"/feeds/{kind}/comments/{live_page.pk}/"
        assert feeds.get(href) == mime
        assert client.get(href).status_code == 200


def test_an_update_from_another_day_shows_its_day_not_only_its_time(
    client: Client, live_page: LivePage, file_update: Any
) -> None:
    """Coverage that runs past midnight listed "23:50" under "00:10" with the day only for
    screen readers: a sighted reader could not tell yesterday's updates from today's."""
    with time_machine.travel(datetime(2026, 3, 4, 23, 50, tzinfo=UTC), tick=False):
        file_update("Late at night.", headline="Talks adjourn", key_event=True)
    with time_machine.travel(datetime(2026, 3, 5, 0, 10, tzinfo=UTC), tick=False):
        file_update("Just after midnight.")

    page = BeautifulSoup(client.get(live_page.url).content, "html.parser")
    shown = []
    for link in page.select(".live-update__time"):
        for hidden in link.select(".visually-hidden"):
            hidden.decompose()
        shown.append(link.get_text(" ", strip=True))
    assert len(shown) == 2
    assert "00:10" in shown[0] and "5 Mar" in shown[0]
    assert "23:50" in shown[1] and "4 Mar" in shown[1]
    key_event = page.select_one(".live__key-events li").get_text(" ", strip=True)
    assert "4 Mar" in key_event
    json_html = client.get(f"/live/{live_page.pk}/updates/").json()["updates"][0]["html"]
    assert "5 Mar" in json_html
