"""What readers see: the front page, sections, articles, authors, tags, search and the plumbing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone

from dateline.news.models import ArticleCorrection, ArticlePage, SectionPage

from .factories import SectionPageFactory

PUBLISHED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def html(response) -> BeautifulSoup:
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


def titles(node) -> list[str]:
    """The headlines of the article cards inside ``node``, in page order."""
    return [h.get_text(strip=True) for h in node.select(".card__title")]


def hours_ago(hours: float) -> datetime:
    return timezone.now() - timedelta(hours=hours)


# --- Front page --------------------------------------------------------------------------------


@pytest.fixture
def two_sections(home):
    world = SectionPageFactory(parent=home, title="World", slug="world")
    sport = SectionPageFactory(parent=home, title="Sport", slug="sport")
    return world, sport


def test_front_page_leads_with_the_newest_article_when_editors_chose_none(
    client, home, two_sections, article_factory
):
    world, sport = two_sections
    article_factory(parent=world, title="Older world story", first_published_at=hours_ago(5))
    article_factory(parent=sport, title="Newest sport story", first_published_at=hours_ago(1))

    page = html(client.get("/"))

    assert titles(page.select_one("section.lead")) == ["Newest sport story"]


def test_front_page_leads_with_the_editors_choice_even_when_it_is_older(
    client, home, two_sections, article_factory
):
    world, sport = two_sections
    chosen = article_factory(
        parent=world, title="Older world story", first_published_at=hours_ago(5)
    )
    article_factory(parent=sport, title="Newest sport story", first_published_at=hours_ago(1))
    home.lead_article = chosen
    home.save()

    page = html(client.get("/"))

    assert titles(page.select_one("section.lead")) == ["Older world story"]
    # The lead is not repeated in the latest news.
    assert "Older world story" not in titles(page.select_one("aside.latest"))
    assert "Newest sport story" in titles(page.select_one("aside.latest"))


def test_front_page_shows_the_newest_articles_of_each_section_in_its_own_block(
    client, settings, home, two_sections, article_factory
):
    settings.DATELINE_HOME_PER_SECTION = 2
    world, sport = two_sections
    for n, hours in enumerate([30, 20, 10]):
        article_factory(parent=world, title=f"World {n}", first_published_at=hours_ago(hours))
        article_factory(parent=sport, title=f"Sport {n}", first_published_at=hours_ago(hours + 1))
    lead = article_factory(parent=world, title="Breaking", first_published_at=hours_ago(0.1))
    home.lead_article = lead
    home.save()

    page = html(client.get("/"))

    blocks = {
        block.select_one(".front-section__title").get_text(strip=True): titles(block)
        for block in page.select("section.front-section")
    }
    # Newest first, at most two per section, and the lead story is not repeated.
    assert blocks == {"World": ["World 2", "World 1"], "Sport": ["Sport 2", "Sport 1"]}
    assert page.select_one("#front-world a")["href"] == "/world/"


def test_front_page_latest_news_lists_live_articles_newest_first(
    client, settings, home, two_sections, article_factory
):
    settings.DATELINE_HOME_LATEST = 3
    world, sport = two_sections
    for n in range(5):
        article_factory(
            parent=world if n % 2 else sport,
            title=f"Story {n}",
            first_published_at=hours_ago(10 - n),
        )

    page = html(client.get("/"))

    assert page.select_one("#latest-title").get_text() == "Latest news"
    # Story 4 is the lead; the latest news are the next three.
    assert titles(page.select_one("aside.latest")) == ["Story 3", "Story 2", "Story 1"]


# --- Section page ------------------------------------------------------------------------------


@pytest.fixture
def five_in_section(settings, section, article_factory):
    settings.DATELINE_SECTION_PAGE_SIZE = 2
    for n in range(5):
        article_factory(parent=section, title=f"Report {n}", first_published_at=hours_ago(10 - n))
    return section


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Report 4", "Report 3"]),
        ("?page=1", ["Report 4", "Report 3"]),
        ("?page=2", ["Report 2", "Report 1"]),
        ("?page=3", ["Report 0"]),
        ("?page=abc", ["Report 4", "Report 3"]),
        ("?page=999", ["Report 0"]),
        ("?page=-1", ["Report 0"]),
        ("?page=%00", ["Report 4", "Report 3"]),
    ],
)
def test_section_page_lists_newest_first_a_page_at_a_time_and_never_fails_on_the_page_number(
    client, five_in_section, query, expected
):
    page = html(client.get(f"/international/{query}"))

    assert titles(page.select_one("main")) == expected


def test_section_page_links_to_the_next_page(client, five_in_section):
    page = html(client.get("/international/"))

    assert page.select_one("nav.pagination a[rel=next]")["href"] == "?page=2"
    assert "Page 1 of 3" in page.select_one("nav.pagination").get_text()


def test_section_page_leaves_out_other_sections(client, home, section, article_factory):
    other = SectionPageFactory(parent=home, title="Business", slug="business")
    article_factory(parent=section, title="Here")
    article_factory(parent=other, title="Elsewhere")

    assert titles(html(client.get("/international/")).select_one("main")) == ["Here"]
    assert titles(html(client.get("/business/")).select_one("main")) == ["Elsewhere"]


# --- Article page ------------------------------------------------------------------------------


@pytest.fixture
def article(section, author_factory, article_factory):
    article = article_factory(
        parent=section,
        slug="x",
        title="Talks resume in Moscow",
        standfirst="Both sides say they want a deal by spring.",
        dateline_place="MOSCOW",
        first_published_at=PUBLISHED,
        last_published_at=PUBLISHED,
        authors=[
            author_factory(name="Nadia Haddad", slug="nadia-haddad"),
            author_factory(name="Tom Brennan", slug="tom-brennan"),
        ],
        tags=["Diplomacy", "Russia"],
    )
    ArticleCorrection.objects.create(
        article=article,
        kind=ArticleCorrection.Kind.CORRECTION,
        noted_at=datetime(2025, 3, 2, 8, 0, tzinfo=UTC),
        text="An earlier version misspelt the minister's name.",
        sort_order=0,
    )
    ArticleCorrection.objects.create(
        article=article,
        kind=ArticleCorrection.Kind.UPDATE,
        noted_at=datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
        text="Adds the foreign ministry's statement.",
        sort_order=1,
    )
    return article


def test_article_url_is_its_section_slug_then_its_own_slug(article):
    assert article.url == "/international/x/"


def test_article_page_shows_headline_standfirst_and_dateline(client, article):
    page = html(client.get("/international/x/"))

    assert page.select_one("h1").get_text(strip=True) == "Talks resume in Moscow"
    assert (
        page.select_one(".story__standfirst").get_text()
        == "Both sides say they want a deal by spring."
    )
    assert page.select_one(".story__body .dateline").get_text(strip=True).startswith("MOSCOW")


def test_article_byline_links_each_author_to_their_page(client, article):
    page = html(client.get(article.url))

    links = [(a.get_text(), a["href"]) for a in page.select(".byline a")]
    assert links == [
        ("Nadia Haddad", "/authors/nadia-haddad/"),
        ("Tom Brennan", "/authors/tom-brennan/"),
    ]


def test_article_shows_the_published_time_in_machine_readable_form(client, article):
    page = html(client.get(article.url))

    assert page.select_one(".story__published time")["datetime"] == "2025-03-01T09:30:00Z"


@pytest.mark.parametrize(("minutes_later", "updated_shown"), [(0, False), (9, False), (11, True)])
def test_article_says_updated_only_when_republished_more_than_ten_minutes_later(
    client, article, minutes_later, updated_shown
):
    last = PUBLISHED + timedelta(minutes=minutes_later)
    ArticlePage.objects.filter(pk=article.pk).update(last_published_at=last)

    page = html(client.get(article.url))

    updated = page.select_one(".story__updated")
    assert (updated is not None) == updated_shown
    if updated_shown:
        assert "Updated" in updated.get_text()
        assert updated.select_one("time")["datetime"] == last.isoformat().replace("+00:00", "Z")


def test_article_kicker_links_to_its_section(client, article):
    page = html(client.get(article.url))

    kicker = page.select_one(".story__header .kicker a")
    assert (kicker.get_text(), kicker["href"]) == ("International", "/international/")


def test_article_links_its_tags_to_the_tag_pages(client, article):
    page = html(client.get(article.url))

    links = sorted((a.get_text(), a["href"]) for a in page.select(".story__tags a"))
    assert links == [("Diplomacy", "/tags/diplomacy/"), ("Russia", "/tags/russia/")]


def test_article_shows_its_corrections_log_at_the_foot_oldest_first_with_kind_and_date(
    client, article
):
    page = html(client.get(article.url))

    entries = page.select(".corrections li")
    assert [e.select_one("strong").get_text() for e in entries] == ["Update", "Correction"]
    assert [e.select_one("time")["datetime"] for e in entries] == [
        "2025-03-01T12:00:00Z",
        "2025-03-02T08:00:00Z",
    ]
    assert "misspelt the minister" in entries[1].get_text()
    # At the foot: after the body and the tags.
    story = page.select_one("article.story")
    assert story.find_all(recursive=False)[-1].get("class") == ["corrections"]


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")])
def test_article_is_marked_with_its_language_and_text_direction(
    client, section, article_factory, language, direction
):
    article = article_factory(
        parent=section, language=language, title="خبر عاجل", slug=f"story-{language}"
    )

    story = html(client.get(article.url)).select_one("article.story")

    assert (story["lang"], story["dir"]) == (language, direction)


def comments_state(client, url: str) -> str:
    """ "open" when the article offers the comment form, "closed" when it says comments are closed."""
    comments = html(client.get(url)).select_one("#comments")
    closed = "comments are closed" in comments.get_text().lower()
    has_form = comments.select_one("form") is not None
    assert closed != has_form, comments
    return "closed" if closed else "open"


@pytest.mark.parametrize(
    ("status", "close_in_hours", "open_"),
    [
        ("open", None, True),
        ("open", 1, True),
        ("open", -1, False),
        ("closed", None, False),
        ("closed", 1, False),
    ],
)
def test_article_says_whether_comments_are_open(
    client, section, article_factory, status, close_in_hours, open_
):
    close_at = None if close_in_hours is None else timezone.now() + timedelta(hours=close_in_hours)
    article = article_factory(parent=section, comment_status=status, comments_close_at=close_at)

    assert comments_state(client, article.url) == ("open" if open_ else "closed")


# The full-page cache keeps an article only until comments_close_at, so the form goes when
# the closing time passes, cached or rendered afresh.
@pytest.mark.parametrize(
    "page_cache",
    [
        False,
        True,
    ],
    ids=["rendered", "page-cache"],
)
def test_comments_close_by_themselves_when_the_closing_time_passes(
    client, settings, section, article_factory, time_machine, page_cache
):
    settings.DATELINE_PAGE_CACHE = page_cache
    time_machine.move_to(datetime(2025, 3, 1, 12, 0, tzinfo=UTC), tick=False)
    article = article_factory(
        parent=section, comments_close_at=datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    )
    assert comments_state(client, article.url) == "open"

    time_machine.move_to(datetime(2025, 3, 1, 12, 31, tzinfo=UTC), tick=False)

    assert comments_state(client, article.url) == "closed"


# --- Author and tag pages ----------------------------------------------------------------------


@pytest.fixture
def bylines(home, section, author_factory, article_factory):
    nadia = author_factory(name="Nadia Haddad", slug="nadia-haddad", role="Moscow correspondent")
    tom = author_factory(name="Tom Brennan", slug="tom-brennan")
    article_factory(parent=section, title="By Nadia", authors=[nadia], tags=["Energy"])
    article_factory(parent=section, title="By both", authors=[nadia, tom], tags=["Energy", "Oil"])
    article_factory(parent=section, title="By Tom", authors=[tom], tags=["Oil"])
    return nadia, tom


def test_author_page_lists_that_authors_articles_only(client, bylines):
    page = html(client.get("/authors/nadia-haddad/"))

    assert page.select_one("h1").get_text() == "Nadia Haddad"
    assert "Moscow correspondent" in page.get_text()
    assert titles(page.select_one("main")) == ["By both", "By Nadia"]


def test_tag_page_lists_the_articles_with_that_tag_only(client, bylines):
    page = html(client.get("/tags/oil/"))

    assert page.select_one("h1").get_text() == "Oil"
    assert titles(page.select_one("main")) == ["By Tom", "By both"]


def test_a_tag_in_arabic_has_its_page_and_feeds(client, section, article_factory):
    """The Arabic article's topics linked to /tags/مياه/, which was a 404: the route took
    ASCII slugs only."""
    article = article_factory(parent=section, title="مؤتمر نوران", language="ar", tags=["مياه"])
    link = html(client.get(article.url)).select_one(".story__tags a")["href"]

    response = client.get(link)

    assert response.status_code == 200
    page = html(response)
    assert page.select_one("h1").get_text() == "مياه"
    assert titles(page.select_one("main")) == ["مؤتمر نوران"]
    feeds = [a["href"] for a in page.select('link[rel="alternate"]')]
    assert any("/tag/" in href for href in feeds)
    for href in feeds:
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("url", ["/authors/nobody/", "/tags/nothing/", "/international/nope/"])
def test_unknown_author_tag_or_article_is_not_found(client, bylines, url):
    assert client.get(url).status_code == 404


# --- Drafts ------------------------------------------------------------------------------------


@pytest.fixture
def live_and_draft(home, section, author_factory, article_factory):
    author = author_factory(name="Nadia Haddad", slug="nadia-haddad")
    body = [("paragraph", "<p>The quarterly zeppelin census is out.</p>")]
    live = article_factory(
        parent=section, title="Live zeppelin story", authors=[author], tags=["Airships"], body=body
    )
    draft = article_factory(
        parent=section,
        title="Draft zeppelin story",
        authors=[author],
        tags=["Airships"],
        body=body,
        live=False,
    )
    return live, draft


@pytest.mark.parametrize(
    "url",
    ["/", "/international/", "/authors/nadia-haddad/", "/tags/airships/", "/search/?q=zeppelin"],
)
def test_unpublished_articles_are_listed_nowhere(client, live_and_draft, url):
    text = html(client.get(url)).get_text()

    assert "Live zeppelin story" in text
    assert "Draft zeppelin story" not in text


def test_unpublished_article_is_not_found_at_its_url(client, live_and_draft):
    live, draft = live_and_draft

    assert client.get(live.url).status_code == 200
    assert client.get(draft.url).status_code == 404


# --- Search ------------------------------------------------------------------------------------


def test_search_finds_an_article_by_a_word_in_its_body(client, section, article_factory):
    article_factory(
        parent=section,
        title="Harbour reopens",
        body=[("paragraph", "<p>Dockworkers cheered as the first trawler came in.</p>")],
    )
    article_factory(parent=section, title="Council meets")

    page = html(client.get("/search/", {"q": "trawler"}))

    assert titles(page.select_one("main")) == ["Harbour reopens"]
    assert page.select_one(".results-count").get_text().startswith("1 result ")


def test_search_without_a_query_shows_the_form_and_no_results(client, home):
    page = html(client.get("/search/"))

    assert page.select_one("main form[role=search] input[name=q]") is not None
    assert page.select_one(".results-count") is None


@pytest.mark.parametrize(
    "query_string",
    [
        "q=" + "long" * 2000,
        "q=harbour&page=-1",
        "q=harbour&page=abc",
        "q=harbour&page=999",
        "q=AND+OR+NOT",
        "q=*",
        "q=%F0%9F%93%B0",
    ],
)
def test_search_answers_odd_input_without_an_error(client, section, article_factory, query_string):
    article_factory(parent=section, body=[("paragraph", "<p>The harbour reopened.</p>")])

    response = client.get(f"/search/?{query_string}")

    assert response.status_code == 200


# Wagtail's SQLite FTS5 backend (modelsearch) wraps the query in double quotes without escaping
# it, so a reader's `"` or NUL ends the FTS string early: OperationalError, then a 500.
# Upstream: https://github.com/wagtail/wagtail/issues/13227
@pytest.mark.parametrize("query_string", ["q=%00", "q=a%00b", "q=%22unbalanced", "q=say+%22no"])
def test_search_answers_quotes_and_nul_characters_without_an_error(
    client, section, article_factory, query_string
):
    article_factory(parent=section, body=[("paragraph", "<p>The harbour reopened.</p>")])
    client.raise_request_exception = False

    response = client.get(f"/search/?{query_string}")

    assert response.status_code == 200


# --- Sections, moves, plumbing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "allowed"),
    [("authors", False), ("tags", False), ("search", False), ("admin", False), ("world", True)],
)
def test_a_section_may_not_take_a_slug_the_site_routes_itself(home, slug, allowed):
    section = SectionPage(title=slug.title(), slug=slug)

    if allowed:
        home.add_child(instance=section)
        assert SectionPage.objects.filter(slug=slug).exists()
    else:
        with pytest.raises(ValidationError) as excinfo:
            home.add_child(instance=section)
        assert "slug" in excinfo.value.message_dict
        assert not SectionPage.objects.filter(slug=slug).exists()


def test_section_full_clean_rejects_a_reserved_slug(home):
    section = home.add_child(instance=SectionPage(title="People", slug="people"))
    section.full_clean()

    section.slug = "tags"

    with pytest.raises(ValidationError):
        section.full_clean()


def test_moving_an_article_to_another_section_updates_its_section(
    client, home, section, article_factory
):
    business = SectionPageFactory(parent=home, title="Business", slug="business")
    article = article_factory(parent=section, title="Oil price falls", slug="oil-price")

    article.move(business, pos="last-child")

    moved = ArticlePage.objects.get(pk=article.pk)
    assert moved.section_id == business.pk
    assert moved.url == "/business/oil-price/"
    assert titles(html(client.get("/business/")).select_one("main")) == ["Oil price falls"]
    assert titles(html(client.get("/international/")).select_one("main")) == []


def test_healthz_answers_ok_as_json(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"


def test_robots_txt_is_plain_text_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()


# --- Feeds, summaries, right-to-left bylines, share links (issue 18, item 8) -------------------


def test_every_page_footer_links_the_site_feeds_visibly(client, section, article_factory):
    article = article_factory(parent=section, title="Footer story")

    for url in ["/", "/international/", article.url]:
        footer = html(client.get(url)).select_one("footer.site-footer")
        links = {a.get_text(): a["href"] for a in footer.select(".feed-links a")}
        assert links == {"RSS": "/feeds/rss/", "Atom": "/feeds/atom/"}, url
    assert client.get("/feeds/rss/")["Content-Type"].startswith("application/rss+xml")
    assert client.get("/feeds/atom/")["Content-Type"].startswith("application/atom+xml")


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/international/", "section/international"),
        ("/tags/oil/", "tag/oil"),
        ("/authors/nadia-haddad/", "author/nadia-haddad"),
    ],
)
def test_section_tag_and_author_pages_link_their_own_feeds_visibly(client, bylines, url, feed):
    main = html(client.get(url)).select_one("main")

    links = {a.get_text(): a["href"] for a in main.select(".feed-links a")}
    assert links == {"RSS": f"/feeds/rss/{feed}/", "Atom": f"/feeds/atom/{feed}/"}
    for href in links.values():
        assert client.get(href).status_code == 200


LONG_STANDFIRST = "Q&A: <b>ministers</b> " + " ".join(f"w{n}," for n in range(60))


def test_listings_show_the_standfirst_cut_to_a_few_words_and_the_article_shows_it_whole(
    client, section, article_factory
):
    article = article_factory(parent=section, title="Long one", standfirst=LONG_STANDFIRST)

    for url, words in [("/", 40), ("/international/", 30)]:
        shown = html(client.get(url)).select_one(".card__standfirst").get_text()
        # Cut by words on the plain text, then escaped: the markup is text, not an entity cut
        # in half; the dangling comma gives way to the ellipsis.
        assert shown.startswith("Q&A: <b>ministers</b> w0, w1,"), url
        assert shown.endswith(f"w{words - 3}…"), url
        assert len(shown.split()) == words, url
    story = html(client.get(article.url)).select_one(".story__standfirst").get_text()
    assert story == LONG_STANDFIRST


def test_a_short_standfirst_is_shown_as_written_in_listings(client, section, article_factory):
    article_factory(parent=section, standfirst="Both sides say they want a deal by spring.")

    shown = html(client.get("/international/")).select_one(".card__standfirst").get_text()

    assert shown == "Both sides say they want a deal by spring."


@pytest.fixture
def arabic_article(section, author_factory, article_factory):
    return article_factory(
        parent=section,
        language="ar",
        title="مؤتمر إقليمي يبحث شح المياه",
        slug="nouran-water-conference",
        dateline_place="نوران",
        body=[("paragraph", "<p>افتُتح صباح الاثنين مؤتمر إقليمي.</p>")],
        authors=[
            author_factory(name="يوسف حداد", slug="yusuf-haddad"),
            author_factory(name="Tom Brennan 2", slug="tom-brennan"),
        ],
        first_published_at=PUBLISHED,
    )


def test_right_to_left_article_isolates_its_byline_names_dateline_and_times(client, arabic_article):
    page = html(client.get(arabic_article.url))

    story = page.select_one("article.story")
    assert (story["lang"], story["dir"]) == ("ar", "rtl")
    # The byline's words are English: the block says so, and each name is isolated, so an
    # Arabic name or a trailing digit does not drag "and" or a comma to the wrong side.
    meta = story.select_one(".story__meta")
    assert (meta["lang"], meta["dir"]) == ("en", "ltr")
    names = [a.select_one("bdi").get_text() for a in meta.select(".byline a")]
    assert names == ["يوسف حداد", "Tom Brennan 2"]
    assert meta.select_one(".byline").get_text() == "By يوسف حداد and Tom Brennan 2"
    # Every date on the page is laid out left to right whatever surrounds it.
    times = page.select("time")
    assert times and all(t.get("dir") == "ltr" for t in times)
    assert story.select_one(".story__body .dateline bdi").get_text() == "نوران"


def test_right_to_left_article_card_keeps_its_english_meta_left_to_right(client, arabic_article):
    card = html(client.get("/international/")).select_one("article.card")

    assert card["dir"] == "rtl"
    meta = card.select_one(".card__meta")
    assert (meta["lang"], meta["dir"]) == ("en", "ltr")
    assert [b.get_text() for b in meta.select("bdi")] == ["يوسف حداد", "Tom Brennan 2"]
    assert meta.select_one("time")["dir"] == "ltr"


def test_article_offers_share_links_that_load_nothing_from_other_hosts(client, article):
    page = html(client.get(article.url))

    share = page.select_one("aside.share")
    links = {a.get_text(): a["href"] for a in share.select("a")}
    assert links["Email"] == (
        "mailto:?subject=Talks%20resume%20in%20Moscow"
        "&body=Talks%20resume%20in%20Moscow%0Ahttp%3A%2F%2Ftestserver%2Finternational%2Fx%2F"
    )
    assert links["Bluesky"].startswith("https://bsky.app/intent/compose?text=Talks%20resume")
    assert set(links) == {"Email", "Bluesky"}
    # Copy link: without JavaScript the address is in a read-only field; the button waits for
    # the script to show it.
    field = share.select_one("input.share__url")
    assert (field["value"], field.has_attr("readonly")) == (
        "http://testserver/international/x/",
        True,
    )
    assert share.select_one("button.share__button").has_attr("hidden")
    # Nothing on the page is fetched from another host: no script, image, frame or stylesheet.
    for tag in page.select("script[src], img[src], iframe, link[rel=stylesheet]"):
        assert (tag.get("src") or tag.get("href")).startswith("/"), tag
    assert "/static/news/share" in " ".join(s["src"] for s in page.select("script[src]"))
