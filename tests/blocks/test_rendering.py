"""The richer article blocks as readers get them: plain server-rendered HTML, no script."""

from __future__ import annotations

from typing import Any

import pytest
import wagtail_factories
from bs4 import BeautifulSoup, Tag
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dateline.news.models import ArticlePage, SectionPage
from tests.caches import cache_empty
from tests.factories import ArticlePageFactory

from .conftest import FACT_BOX, PULL_QUOTE, TABLE, TIMELINE, gallery, related

pytestmark = pytest.mark.django_db


def story(client: Client, article: ArticlePage) -> Tag:
    response = client.get(article.url)
    assert response.status_code == 200
    body = BeautifulSoup(response.content, "html.parser").select_one(".story__body")
    assert body is not None
    return body


def text(element: Any) -> str:
    return element.get_text() if element is not None else ""


def test_gallery_shows_every_picture_lazily_with_its_caption_credit_and_alt_text(
    client: Client, rich_article: ArticlePage, images: list[Any]
) -> None:
    gallery_ = story(client, rich_article).select("figure.block-gallery")[0]
    assert [img["src"] for img in gallery_.select("img")] == [
        img["src"] for img in gallery_.select("li.block-gallery__item > figure > img")
    ]

    pictures = gallery_.select("li.block-gallery__item img")
    assert len(pictures) == 3
    assert all(img.get("loading") == "lazy" for img in pictures)
    assert all("width-800" in img.get("srcset") for img in pictures)
    # Its own alt text where the editor wrote one, the image's description otherwise.
    assert pictures[0].get("alt") == "Boat number 0 tied up at the quay"
    assert pictures[1].get("alt") == images[1].default_alt_text
    first = gallery_.select("li.block-gallery__item figcaption")[0]
    assert first.text == "Boat 0 back from the night's catch. Photo: Ilse Marten"
    assert first.select(".credit")[0].text == "Photo: Ilse Marten"
    assert gallery_.select("figure.block-gallery > figcaption")[0].text == "The harbour at dawn."


def test_table_has_caption_column_and_row_headers_and_figures_aligned(
    client: Client, rich_article: ArticlePage
) -> None:
    block = story(client, rich_article).select("figure.block-table")[0]

    table = block.select("table")[0]
    assert table.select("caption")[0].text == "Catch landed at the port, in tonnes"
    heads = table.select("thead th")
    assert [th.text for th in heads] == ["Species", "2024", "2025", "Notes"]
    assert {th.get("scope") for th in heads} == {"col"}
    first_row = table.select("tbody tr")[0].find_all(["th", "td"])
    assert first_row[0].name == "th" and first_row[0].get("scope") == "row"
    assert first_row[0].text == "Herring"
    assert first_row[1]["class"] == ["block-table__figures"] and first_row[1].text == "1,204"
    assert first_row[3].select("b")[0].text == "cut"
    # The frame that scrolls a wide table is named and reachable by keyboard.
    frame = block.select(".block-table__scroll")[0]
    assert frame.get("tabindex") == "0" and frame.get("aria-label") == table.caption.text
    assert block.select("figcaption")[0].text == "Source: Port authority landing records"


def test_table_without_row_headers_uses_data_cells_only(
    client: Client, section: SectionPage
) -> None:
    kind, value = TABLE
    article = ArticlePageFactory(parent=section, body=[(kind, {**value, "row_headers": False})])

    table = story(client, article).select("table")[0]

    assert table.select("tbody th") == []
    assert len(table.select("tbody td")) == 8


def test_fact_box_timeline_and_pull_quote(client: Client, rich_article: ArticlePage) -> None:
    body = story(client, rich_article)

    box = body.select("aside.block-factbox")[0]
    assert box.get("aria-label") == "The port in numbers"
    assert box.select("h2")[0].text == "The port in numbers"
    assert [li.text for li in box.select("li")] == [
        "Forty boats registered",
        "Two fish markets a week",
    ]
    timeline = body.select("section.block-timeline")[0]
    assert timeline.select("h2")[0].text == "How the quota changed"
    events = timeline.select("ol > li")
    assert [e.select(".block-timeline__when")[0].text for e in events] == ["1998", "March 2025"]
    assert events[1].select(".block-timeline__text") == []  # no empty paragraph
    quote = body.select("aside.block-pullquote")[0]
    assert quote.select("blockquote p")[0].text == PULL_QUOTE[1]["text"]
    assert quote.select(".block-pullquote__attribution")[0].text == "A skipper"


def test_related_link_to_a_page_follows_its_title_and_address(
    client: Client, rich_article: ArticlePage, background: ArticlePage
) -> None:
    links = story(client, rich_article).select("aside.block-related")

    assert [a.get("href") for a in links[0].select("a")] == [background.url]
    assert links[0].select("a")[0].text == "Why the herring moved north"
    assert links[0].select(".block-related__label")[0].text == "Background"
    assert links[1].select("a")[0].get("href") == "https://fisheries.example/report"
    assert links[1].select(".block-related__label")[0].text == "Read more"


def test_related_link_to_an_unpublished_page_disappears_from_the_story(
    client: Client,
    rich_article: ArticlePage,
    background: ArticlePage,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert len(story(client, rich_article).select("aside.block-related")) == 2

    with django_capture_on_commit_callbacks(execute=True):  # as on commit: the caches let go
        background.unpublish()

    links = story(client, rich_article).select("aside.block-related")
    assert [a.get("href") for link in links for a in link.select("a")] == [
        "https://fisheries.example/report"
    ]


def test_editors_text_is_escaped_in_every_block(client: Client, section: SectionPage) -> None:
    evil = '<script>alert("x")</script>'
    article = ArticlePageFactory(
        parent=section,
        body=[
            ("fact_box", {"title": evil, "body": "<p>Fine.</p>"}),
            (
                "timeline",
                {"title": evil, "events": [{"when": evil, "title": evil, "text": evil}] * 2},
            ),
            ("pull_quote", {"text": evil, "attribution": evil}),
            related(url="https://example.org/", title=evil, label=evil),
        ],
    )

    html = client.get(article.url).content.decode()

    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert") >= 8


def test_related_link_with_a_script_address_is_refused(section: SectionPage) -> None:
    from django.core.exceptions import ValidationError

    from dateline.news.blocks import RelatedLinkBlock

    block = RelatedLinkBlock()
    value = block.to_python(
        {"label": "", "page": None, "url": "javascript:alert(1)", "title": "x", "summary": ""}
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_article_with_every_block_costs_the_same_queries_for_two_pictures_and_for_six(
    client: Client, section: SectionPage, images: list[Any], background: ArticlePage, settings: Any
) -> None:
    """Rendered from scratch each time (no page cache, no fragments kept, no rendition cache):
    the images and their renditions are read once per body, not once per picture."""
    more = images + [
        wagtail_factories.ImageFactory(title=f"Quay {n}", file__width=900, file__height=600)
        for n in range(3)
    ]
    body = [TABLE, FACT_BOX, TIMELINE, PULL_QUOTE, related(page=background)]
    small = ArticlePageFactory(parent=section, slug="small", body=[gallery(more[:2]), *body])
    large = ArticlePageFactory(parent=section, slug="large", body=[gallery(more), *body])
    settings.DATELINE_PAGE_CACHE = False

    def cost(article: ArticlePage) -> int:
        assert client.get(article.url).status_code == 200  # the renditions are made once
        cache_empty("pages")  # the story's fragment is built again
        # and the renditions read from the database (their cache, or the default one in tests)
        cache_empty("renditions" if "renditions" in django_settings.CACHES else "default")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.url).status_code == 200
        return len(captured.captured_queries)

    assert cost(large) == cost(small)


def test_feed_and_api_body_carries_every_block_with_absolute_addresses(
    rich_article: ArticlePage, background: ArticlePage
) -> None:
    from dateline.news.rendering import body_html

    html = body_html(rich_article, base="https://news.example")
    page = BeautifulSoup(html, "html.parser")

    assert len(page.select("figure img")) == 3
    assert all(img["src"].startswith("https://news.example/") for img in page.select("img"))
    assert page.select_one("table caption").text == "Catch landed at the port, in tonnes"
    assert [td.text for td in page.select("tbody tr")[0].select("td")][:2] == ["Herring", "1,204"]
    assert page.select_one("aside h3").text == "The port in numbers"
    assert len(page.select("ol li")) == 2
    assert "We go out further" in page.select("blockquote p")[-1].text
    links = [a["href"] for a in page.select("p > a")]
    assert f"https://news.example{background.url}" in links
    assert "https://fisheries.example/report" in links
