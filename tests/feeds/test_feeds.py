"""Every feed parsed by feedparser: no bozo errors, the fields a reader expects, no email."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.comments.services import email_key_for, path_segment
from dateline.comments.text import body_fingerprint
from tests.factories import ArticlePageFactory, AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(section):
    author = AuthorFactory(name="Ines Alvarado", slug="ines-alvarado")
    first = ArticlePageFactory(
        parent=section,
        title="Harbour talks resume",
        authors=[author],
        tags=["Harbours", "Trade"],
        corrections=["The date of the talks was wrong."],
    )
    second = ArticlePageFactory(
        parent=section, title="Ferry fares frozen", authors=[author], tags=["Trade"]
    )
    return {"author": author, "articles": [first, second]}


def add_comment(article, *, name, email, body, status="approved"):
    segment = path_segment(timezone.now() - timedelta(minutes=5))
    return Comment.objects.create(
        article=article,
        path=segment,
        thread=segment,
        status=status,
        author_name=name,
        author_email=email,
        email_key=email_key_for(email=email, user_id=None),
        body=body,
        body_hash=body_fingerprint(body),
        created_at=timezone.now(),
    )


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return response, parsed


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize(
    "scope", ["", "section/international/", "tag/trade/", "author/ines-alvarado/"]
)
def test_article_feeds_parse_and_carry_full_articles(client, newsroom, kind, scope):
    _, parsed = parse(client, f"/feeds/{kind}/{scope}")
    titles = [entry.title for entry in parsed.entries]
    assert "Ferry fares frozen" in titles
    entry = (
        next(e for e in parsed.entries if e.title == "Harbour talks resume")
        if "Harbour talks resume" in titles
        else parsed.entries[0]
    )
    assert entry.link.startswith("http://testserver/international/")
    assert entry.get("author") == "Ines Alvarado"
    assert "The first paragraph says what happened." in entry.content[0].value
    assert entry.published_parsed is not None
    assert entry.updated_parsed is not None
    assert {"International"} <= {t.term for t in entry.tags}
    self_links = [link.href for link in parsed.feed.get("links", []) if link.get("rel") == "self"]
    assert self_links and self_links[0].endswith(f"/feeds/{kind}/{scope}")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_shared_byline_is_credited_whole_and_each_writer_once(client, section, kind):
    """RSS repeated every name (Django's dc:creator and one more per author), and a reader's
    "author" (feedparser takes the last dc:creator) showed a shared byline's second writer alone."""
    ArticlePageFactory(
        parent=section,
        title="Port strike ends",
        authors=[AuthorFactory(name="Ines Alvarado"), AuthorFactory(name="Tom Okoro")],
    )
    ArticlePageFactory(parent=section, title="Pier reopens", authors=[AuthorFactory(name="Li Wen")])
    _, parsed = parse(client, f"/feeds/{kind}/")
    entries = {entry.title: entry for entry in parsed.entries}
    assert entries["Port strike ends"].author == "Ines Alvarado, Tom Okoro"
    assert [a["name"] for a in entries["Port strike ends"].authors] == ["Ines Alvarado, Tom Okoro"]
    assert [a["name"] for a in entries["Pier reopens"].authors] == ["Li Wen"]


def test_the_correction_log_travels_with_the_article(client, newsroom):
    _, parsed = parse(client, "/feeds/rss/tag/harbours/")
    assert "The date of the talks was wrong." in parsed.entries[0].content[0].value


def test_lead_image_is_an_enclosure_and_media_content(client, section):
    import wagtail_factories

    article = ArticlePageFactory(
        parent=section, title="Storm over the estuary", lead_image=wagtail_factories.ImageFactory()
    )
    _, parsed = parse(client, "/feeds/rss/")
    entry = next(e for e in parsed.entries if e.title == article.title)
    enclosures = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosures and enclosures[0].type.startswith("image/") and int(enclosures[0].length) > 0
    assert entry.media_content[0]["url"] == enclosures[0].href


def test_unpublished_articles_are_not_in_feeds(client, newsroom):
    draft = newsroom["articles"][0]
    draft.unpublish()
    _, parsed = parse(client, "/feeds/rss/")
    assert draft.title not in [e.title for e in parsed.entries]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_comment_feed_has_approved_comments_without_emails(client, newsroom, kind):
    article = newsroom["articles"][0]
    canary = "feed-canary-7f3a@example.net"
    add_comment(article, name="Public Voice", email=canary, body="The *harbour* deal matters.")
    add_comment(
        article,
        name="Held Voice",
        email="held@example.net",
        body="Still pending here.",
        status="pending",
    )
    response, parsed = parse(client, f"/feeds/{kind}/comments/{article.pk}/")
    assert [e.get("author") for e in parsed.entries] == ["Public Voice"]
    assert "<em>harbour</em>" in parsed.entries[0].content[0].value
    raw = response.content.decode() + "".join(f"{k}:{v}" for k, v in response.items())
    for needle in (
        canary,
        hashlib.md5(canary.encode()).hexdigest(),
        hashlib.sha1(canary.encode()).hexdigest(),
        hashlib.sha256(canary.encode()).hexdigest(),
    ):
        assert needle not in raw
    assert "Still pending" not in raw


def test_feeds_answer_conditional_get_with_304(client, newsroom):
    first = client.get("/feeds/rss/")
    assert first["ETag"] and first["Last-Modified"]
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert (
        client.get("/feeds/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    )
    ArticlePageFactory(parent=newsroom["articles"][0].get_parent(), title="A new story")
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_comment_feed_changes_etag_when_a_comment_is_approved(client, newsroom):
    article = newsroom["articles"][0]
    first = client.get(f"/feeds/rss/comments/{article.pk}/")
    add_comment(article, name="New Voice", email="new@example.net", body="Late but here.")
    assert (
        client.get(
            f"/feeds/rss/comments/{article.pk}/", HTTP_IF_NONE_MATCH=first["ETag"]
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/rss/section/nowhere/",
        "/feeds/atom/tag/nothing/",
        "/feeds/rss/author/nobody/",
        "/feeds/rss/comments/999999/",
        "/feeds/rss/planet/x/",
    ],
)
def test_unknown_feeds_are_404(client, home, url):
    assert client.get(url).status_code == 404


def test_pages_name_their_feeds_for_autodiscovery(client, newsroom):
    article = newsroom["articles"][0]
    html = client.get(article.url).content.decode()
    assert 'type="application/rss+xml"' in html
    assert f'href="/feeds/rss/comments/{article.pk}/"' in html
    assert 'href="/feeds/rss/section/international/"' in html
    assert 'href="/feeds/atom/"' in client.get("/").content.decode()
