"""Sitemaps, robots.txt and structured data, read by third-party parsers (lxml, extruct)."""

from __future__ import annotations

from datetime import timedelta

import extruct
import pytest
import wagtail_factories
from django.utils import timezone
from lxml import etree

from tests.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory

pytestmark = pytest.mark.django_db
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content)


@pytest.fixture
def archive(home):
    world = SectionPageFactory(parent=home, title="World", slug="world")
    arts = SectionPageFactory(parent=home, title="Arts", slug="arts")
    author = AuthorFactory(name="Ruth Okafor", slug="ruth-okafor")
    fresh = ArticlePageFactory(
        parent=world,
        title="Bridge reopens after repairs",
        authors=[author],
        tags=["Transport"],
        first_published_at=timezone.now() - timedelta(hours=3),
    )
    old = ArticlePageFactory(
        parent=arts,
        title="Museum wing closes",
        authors=[author],
        first_published_at=timezone.now() - timedelta(days=9),
    )
    return {"world": world, "arts": arts, "fresh": fresh, "old": old, "author": author}


def test_sitemap_index_names_a_sitemap_per_section_and_the_news_sitemap(client, archive):
    index = xml(client, "/sitemap.xml")
    locations = index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    assert "http://testserver/sitemap-section-world.xml" in locations
    assert "http://testserver/sitemap-section-arts.xml" in locations
    assert "http://testserver/sitemap-news.xml" in locations
    assert "http://testserver/sitemap-pages.xml" in locations


def test_section_sitemap_lists_its_articles_with_accurate_lastmod(client, archive):
    tree = xml(client, "/sitemap-section-world.xml")
    urls = tree.xpath("//s:url", namespaces=NS)
    assert [u.findtext("s:loc", namespaces=NS) for u in urls] == [
        "http://testserver/world/bridge-reopens-after-repairs/"
    ]
    archive["fresh"].refresh_from_db()
    assert (
        urls[0]
        .findtext("s:lastmod", namespaces=NS)
        .startswith(archive["fresh"].last_published_at.date().isoformat())
    )


def test_news_sitemap_has_only_the_last_48_hours_with_the_google_fields(client, archive):
    tree = xml(client, "/sitemap-news.xml")
    entries = tree.xpath("//s:url", namespaces=NS)
    assert len(entries) == 1
    entry = entries[0]
    assert (
        entry.findtext("s:loc", namespaces=NS)
        == "http://testserver/world/bridge-reopens-after-repairs/"
    )
    assert entry.findtext("news:news/news:publication/news:name", namespaces=NS) == "Dateline"
    assert entry.findtext("news:news/news:publication/news:language", namespaces=NS) == "en"
    assert entry.findtext("news:news/news:title", namespaces=NS) == "Bridge reopens after repairs"
    assert entry.findtext("news:news/news:publication_date", namespaces=NS)


def test_pages_sitemap_lists_front_sections_authors_and_topics(client, archive):
    locations = xml(client, "/sitemap-pages.xml").xpath("//s:loc/text()", namespaces=NS)
    for path in ("/", "/world/", "/arts/", "/authors/ruth-okafor/", "/tags/transport/"):
        assert f"http://testserver{path}" in locations


def test_sitemap_addresses_in_arabic_are_percent_encoded(client, archive):
    # The sitemap protocol asks for escaped addresses; crawlers may drop raw non-ASCII ones.
    world = archive["world"]
    ArticlePageFactory(
        parent=world,
        title="مؤتمر المياه",
        slug="مؤتمر-المياه",
        tags=["مياه"],
        first_published_at=timezone.now() - timedelta(hours=1),
    )
    locations = [
        *xml(client, "/sitemap-pages.xml").xpath("//s:loc/text()", namespaces=NS),
        *xml(client, "/sitemap-section-world.xml").xpath("//s:loc/text()", namespaces=NS),
        *xml(client, "/sitemap-news.xml").xpath("//s:loc/text()", namespaces=NS),
    ]

    assert all(loc.isascii() for loc in locations), locations
    assert "http://testserver/tags/%D9%85%D9%8A%D8%A7%D9%87/" in locations
    article = "http://testserver/world/%D9%85%D8%A4%D8%AA%D9%85%D8%B1-%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87/"
    assert locations.count(article) == 2  # its section's sitemap and the news sitemap
    assert client.get(article.removeprefix("http://testserver")).status_code == 200


def test_robots_txt_names_both_sitemaps(client, archive):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
    assert "Disallow: /admin/" in text


def test_unknown_sitemap_is_404(client, archive):
    assert client.get("/sitemap-section-nowhere.xml").status_code == 404


def test_article_has_news_article_json_ld_and_open_graph(client, archive):
    article = archive["fresh"]
    article.lead_image = wagtail_factories.ImageFactory()
    article.save_revision().publish()
    from dateline.news.models import ArticleCorrection

    ArticleCorrection.objects.create(
        article=article, kind="correction", text="The bridge is 40 metres long, not 400."
    )
    html = client.get(article.url).content.decode()
    data = extruct.extract(
        html,
        base_url="http://testserver" + article.url,
        syntaxes=["json-ld", "opengraph"],
        uniform=True,
    )
    (news,) = [d for d in data["json-ld"] if d.get("@type") == "NewsArticle"]
    assert news["headline"] == "Bridge reopens after repairs"
    assert len(news["image"]) == 3 and all(
        u.startswith("http://testserver/media/") for u in news["image"]
    )
    assert news["datePublished"] and news["dateModified"]
    assert news["author"] == [
        {"@type": "Person", "name": "Ruth Okafor", "url": "http://testserver/authors/ruth-okafor/"}
    ]
    assert news["publisher"]["name"] == "Dateline" and news["publisher"]["logo"]["url"].endswith(
        ".png"
    )
    assert news["articleSection"] == "World"
    assert news["correction"][0]["text"] == "The bridge is 40 metres long, not 400."
    (og,) = data["opengraph"]
    assert og["@type"] == "article"  # extruct maps og:type to @type
    assert og["og:title"] == "Bridge reopens after repairs"
    assert og["og:url"] == "http://testserver/world/bridge-reopens-after-repairs/"
    assert og["og:image"].startswith("http://testserver/media/")
    assert 'name="twitter:card" content="summary_large_image"' in html
    assert (
        '<link rel="canonical" href="http://testserver/world/bridge-reopens-after-repairs/">'
        in html
    )


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client, archive):
    article = ArticlePageFactory(
        parent=archive["world"], title="</script><script>alert(1)</script>"
    )
    html = client.get(article.url).content.decode()
    assert "<script>alert(1)" not in html
    data = extruct.extract(html, syntaxes=["json-ld"], uniform=True)
    assert data["json-ld"][0]["headline"] == "</script><script>alert(1)</script>"
