"""The front page and section pages as editors arrange them in slots (issue 17 §3)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from dateline.core.pagecache import invalidate
from dateline.news.models import HomePage
from dateline.readership.services import Read, page_read_count

from .conftest import BROWSER, arrange, item

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(node) -> list[str]:
    return [a.get_text(strip=True) for a in node.select(".card__title a")] if node else []


def slot_titles(page, heading: str) -> list[str]:
    for block in page.select("section.front-section, aside"):
        h2 = block.find("h2")
        if h2 is not None and h2.get_text(strip=True).endswith(heading):
            return titles(block)
    raise AssertionError(f"no slot {heading!r}")


def ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


@pytest.fixture
def stories(world, sport, article_factory):
    """Six stories, newest first: w0 (world, newest), s0, w1, s1, w2, s2."""
    made = {}
    for n in range(3):
        made[f"w{n}"] = article_factory(
            parent=world, title=f"World {n}", first_published_at=ago(2 * n + 1)
        )
        made[f"s{n}"] = article_factory(
            parent=sport, title=f"Sport {n}", first_published_at=ago(2 * n + 2)
        )
    return made


def test_editors_choices_lead_and_fill_their_slots_in_their_order(client, home, world, stories):
    arrange(
        home,
        [
            {"type": "lead", "value": {"article": stories["s2"].pk}},
            {
                "type": "stories",
                "value": {
                    "heading": "Top stories",
                    "articles": [item(stories["w2"].pk)],
                    "count": 3,
                },
            },
            {
                "type": "section",
                "value": {"section": world.pk, "articles": [], "count": 2},
            },
            {"type": "latest", "value": {"heading": "Latest news", "count": 2}},
        ],
    )

    page = html(client.get("/"))

    assert titles(page.select_one("section.lead")) == ["Sport 2"]
    # The chosen story first, then the newest not shown elsewhere.
    assert slot_titles(page, "Top stories") == ["World 2", "World 0", "Sport 0"]
    # The section block takes the section's newest that no slot above shows.
    assert slot_titles(page, "World") == ["World 1"]
    # The latest news leave out only the lead story.
    assert slot_titles(page, "Latest news") == ["World 0", "Sport 0"]


def test_a_front_page_without_slots_is_arranged_automatically(client, home, stories):
    page = html(client.get("/"))

    assert titles(page.select_one("section.lead")) == ["World 0"]
    assert [h.get_text(strip=True) for h in page.select(".front-section__title")] == [
        "World",
        "Sport",
    ]
    # Nobody has read anything yet: no empty "Most read" box.
    assert page.select_one("aside.most-read") is None


@pytest.mark.parametrize(
    "slots",
    [
        # Empty slots of every kind.
        [
            {"type": "lead", "value": {"article": None}},
            {"type": "stories", "value": {"heading": "Top stories", "articles": [], "count": 4}},
            {"type": "live", "value": {"heading": "Live", "count": 3}},
            {"type": "most_read", "value": {"heading": "Most read", "count": 5}},
            {"type": "latest", "value": {"heading": "Latest news", "count": 5}},
        ],
        # Pages that are not there (deleted), and a section that is not a live section.
        [
            {"type": "lead", "value": {"article": 999_999}},
            {
                "type": "stories",
                "value": {"heading": "Top", "articles": [item(999_998)], "count": 2},
            },
            {"type": "section", "value": {"section": 999_997, "articles": [], "count": 3}},
        ],
        # Stored values an older editor or a hand edit could leave behind.
        [
            {"type": "stories", "value": {"heading": "Top", "articles": [123], "count": 0}},
            {"type": "section", "value": {}},
            {"type": "no-such-slot", "value": {"count": 3}},
        ],
    ],
    ids=["empty", "missing-pages", "odd-values"],
)
def test_empty_or_broken_slots_never_break_the_front_page(client, home, stories, slots):
    arrange(home, slots)

    page = html(client.get("/"))

    # The newest story takes the first place left empty, whatever the slot held.
    assert titles(page.select_one("main") or page)[0] == "World 0"
    assert page.select_one("p.empty") is None


@pytest.mark.parametrize("with_articles", [False, True])
def test_every_slot_kind_renders_on_an_empty_or_a_full_newsroom(
    client, home, world, article_factory, with_articles, settings
):
    settings.DATELINE_LIVE_PAGE_MODELS = ["news.ArticlePage"]
    if with_articles:
        article_factory(parent=world, title="Only story")
    arrange(
        home,
        [
            {"type": "lead", "value": {"article": None}},
            {"type": "stories", "value": {"heading": "Top stories", "articles": [], "count": 4}},
            {"type": "live", "value": {"heading": "Live", "count": 3}},
            {"type": "section", "value": {"section": world.pk, "articles": [], "count": 3}},
            {"type": "most_read", "value": {"heading": "Most read", "count": 5}},
            {"type": "latest", "value": {"heading": "Latest news", "count": 5}},
        ],
    )

    page = html(client.get("/"))

    assert titles(page.select_one("section.lead")) == (["Only story"] if with_articles else [])


def test_an_unpublished_chosen_story_gives_its_place_to_the_newest(client, home, stories):
    arrange(home, [{"type": "lead", "value": {"article": stories["s1"].pk}}])
    stories["s1"].unpublish()
    invalidate(["content"])  # publishing invalidates after commit; the test never commits

    page = html(client.get("/"))

    assert titles(page.select_one("section.lead")) == ["World 0"]


def test_the_live_strip_lists_the_newest_live_pages_and_hides_when_there_are_none(
    client, home, stories, settings
):
    arrange(home, [{"type": "live", "value": {"heading": "Live now", "count": 2}}])

    settings.DATELINE_LIVE_PAGE_MODELS = ["nosuchapp.LivePage"]
    assert "Live now" not in client.get("/").content.decode()

    # Every article is "live coverage" when the setting says so: the strip shows the newest.
    settings.DATELINE_LIVE_PAGE_MODELS = ["news.ArticlePage"]
    invalidate(["content"])
    assert slot_titles(html(client.get("/")), "Live now") == ["World 0", "Sport 0"]


def test_a_scheduled_arrangement_goes_live_at_its_time(client, home, stories):
    arrange(home, [{"type": "lead", "value": {"article": stories["w1"].pk}}])
    home = HomePage.objects.get(pk=home.pk)
    home.slots = [{"type": "lead", "value": {"article": stories["s2"].pk}}]  # type: ignore[assignment]
    go_live = timezone.now() + timedelta(hours=2)
    home.go_live_at = go_live
    home.save_revision(approved_go_live_at=go_live)

    assert titles(html(client.get("/")).select_one("section.lead")) == ["World 1"]

    with time_machine.travel(go_live + timedelta(minutes=1)):
        call_command("publish_scheduled")
        invalidate(["content"])
        assert titles(html(client.get("/")).select_one("section.lead")) == ["Sport 2"]


def test_a_preview_shows_the_unsaved_arrangement_and_readers_keep_the_published_one(
    client, home, stories
):
    arrange(home, [{"type": "lead", "value": {"article": stories["w1"].pk}}])
    client.get("/")  # the published front page is kept by the caches

    draft = HomePage.objects.get(pk=home.pk)
    draft.slots = [  # type: ignore[assignment]
        {"type": "lead", "value": {"article": stories["s2"].pk}},
        {"type": "stories", "value": {"heading": "Preview picks", "articles": [], "count": 1}},
    ]
    preview = draft.make_preview_request()

    assert preview.status_code == 200
    shown = BeautifulSoup(preview.content, "html.parser")
    assert titles(shown.select_one("section.lead")) == ["Sport 2"]
    assert slot_titles(shown, "Preview picks") == ["World 0"]
    assert titles(html(client.get("/")).select_one("section.lead")) == ["World 1"]


def test_a_section_page_shows_its_slots_within_the_section_on_its_first_page_only(
    client, settings, world, stories
):
    settings.DATELINE_SECTION_PAGE_SIZE = 2
    arrange(
        world,
        [
            {"type": "lead", "value": {"article": stories["w2"].pk}},
            {
                "type": "stories",
                "value": {"heading": "More from World", "articles": [], "count": 5},
            },
        ],
    )

    first = html(client.get("/world/"))
    assert titles(first.select_one("section.lead")) == ["World 2"]
    assert slot_titles(first, "More from World") == ["World 0", "World 1"]
    assert html(client.get("/world/?page=2")).select_one("section.lead") is None


def test_a_section_without_slots_shows_its_list_only(client, world, stories):
    page = html(client.get("/world/"))

    assert page.select_one("section.lead") is None
    assert titles(page.select_one(".cards--list")) == ["World 0", "World 1", "World 2"]


def s_maxage(response) -> int:
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))


def test_most_read_is_chosen_anew_each_period_and_the_caches_keep_the_page_until_then(
    client, home, stories, settings
):
    settings.DATELINE_MOST_READ_REFRESH = 300
    arrange(home, [{"type": "most_read", "value": {"heading": "Most read", "count": 2}}])
    start = timezone.now().replace(minute=0, second=10, microsecond=0) + timedelta(hours=1)
    with time_machine.travel(start, tick=False):
        for n in range(3):
            page_read_count(read=Read(stories["s1"].pk, f"192.0.{n}.0/24", BROWSER))
        page_read_count(read=Read(stories["w2"].pk, "192.0.9.0/24", BROWSER))
        response = client.get("/")
        assert slot_titles(html(response), "Most read") == ["Sport 1", "World 2"]
        # Kept by the page cache and the front cache until the next period, no longer.
        assert 0 < s_maxage(response) <= 290
        for n in range(5):
            page_read_count(read=Read(stories["w2"].pk, f"198.51.{n}.0/24", BROWSER))
        assert slot_titles(html(client.get("/")), "Most read") == ["Sport 1", "World 2"]
    with time_machine.travel(start + timedelta(seconds=300), tick=False):
        assert slot_titles(html(client.get("/")), "Most read") == ["World 2", "Sport 1"]


def test_a_front_page_without_most_read_is_kept_as_long_as_any_page(
    client, home, stories, settings
):
    arrange(home, [{"type": "lead", "value": {"article": None}}])

    assert s_maxage(client.get("/")) == settings.DATELINE_FRONT_CACHE_TTL


def test_a_section_s_most_read_counts_only_its_own_stories(client, world, stories):
    arrange(world, [{"type": "most_read", "value": {"heading": "Most read here", "count": 5}}])
    for key in ("s0", "w1"):
        page_read_count(read=Read(stories[key].pk, "192.0.2.0/24", BROWSER))

    assert slot_titles(html(client.get("/world/")), "Most read here") == ["World 1"]


def test_the_demos_arrangement_reads_back_through_wagtail(home, section, article_factory):
    """The stored slots are in Wagtail's own format: the editor's form, the reference index
    ("used by") and revisions read the chosen stories back as pages, not as raw dicts."""
    from wagtail.models import ReferenceIndex

    from dateline.demo.front import front_page_arrange

    lead = article_factory(parent=section, slug="sharaa-putin-meeting-moscow")
    top = article_factory(parent=section, slug="central-bank-holds-rates")

    assert front_page_arrange(home=home)

    home = HomePage.objects.get(pk=home.pk)
    chosen = {
        slot.block_type: slot.value for slot in home.slots if slot.block_type in ("lead", "stories")
    }
    assert chosen["lead"]["article"].specific == lead
    assert [p.pk for p in chosen["stories"]["articles"]] == [top.pk]
    ReferenceIndex.create_or_update_for_object(home)
    assert ReferenceIndex.get_references_to(lead).filter(object_id=str(home.pk)).exists()
