"""What the site tells a front cache: anonymous pages are public for shared caches, tagged with
the page cache's dependency names; everything personal or unknown is private, no-store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.comments.conftest import ORIGIN, POST_URL, form_data

pytestmark = pytest.mark.django_db

TEXT = "A front cache must never keep this for anyone else."


def keys_of(response) -> set[str]:
    return set(response["xkey"].split())


def directives(response) -> dict[str, str]:
    found = {}
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            found[name] = value
    return found


@pytest.mark.parametrize("visit", ["first", "second"], ids=["rendered", "page-cache-hit"])
def test_anonymous_article_is_public_for_shared_caches_and_tagged_with_its_dependencies(
    client, article, settings, visit
):
    settings.DATELINE_FRONT_CACHE_TTL = 900
    settings.DATELINE_FRONT_CACHE_STALE = 45
    response = client.get(article.url)
    if visit == "second":
        response = client.get(article.url)
        assert response["X-Page-Cache"] == "hit"

    assert directives(response) == {
        "public": "",
        "max-age": "0",
        "s-maxage": "900",
        "stale-while-revalidate": "45",
    }
    assert keys_of(response) == {"content", f"article:{article.pk}"}
    assert set(response["Surrogate-Key"].split()) == keys_of(response)
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()


def test_listing_pages_are_tagged_with_listings(client, article):
    for url in ("/", article.get_parent().url):
        response = client.get(url)

        assert "public" in directives(response)
        assert {"content", "listings"} <= keys_of(response)


def test_front_cache_keeps_a_page_no_longer_than_until_it_changes_by_itself(client, article):
    article.comments_close_at = timezone.now() + timedelta(minutes=10)
    article.save()

    for response in (client.get(article.url), client.get(article.url)):
        assert 0 < int(directives(response)["s-maxage"]) <= 600


@pytest.mark.parametrize(
    "query",
    [
        "?nocache=1",
        "?utm_source=aggregator",
        "?own=eyJjIjoxfQ:forged:signature",
        # Known parameters with made-up values would each fill the caches with a copy.
        "?corder=x1",
        "?cpage=0001",
        "?cpage=1&cpage=2",
        "?cfull=yes",
        "?replytocom=abc",
    ],
)
def test_unknown_variants_are_private_and_untagged(client, article, query):
    response = client.get(article.url + query)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response
    assert "Surrogate-Key" not in response


@pytest.mark.parametrize("query", ["?cpage=1", "?corder=newest", "?corder=liked&cfull=1"])
def test_known_variants_are_public(client, article, query):
    response = client.get(article.url + query)

    assert "public" in directives(response)


def test_signed_in_editor_gets_a_private_page(client, article, staff_user):
    client.force_login(staff_user)

    response = client.get(article.url)

    assert "Commenting as" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response


def test_a_readers_own_pending_comment_is_private(client, post_comment):
    location = post_comment(comment=TEXT)["Location"]

    page = client.get(location)

    assert "awaiting moderation" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert "xkey" not in page


def test_a_message_cookie_makes_the_page_private(client, article):
    client.cookies["messages"] = "something"

    response = client.get(article.url)

    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("valid", [True, False], ids=["accepted", "form-with-errors"])
def test_post_answers_are_private(client, article, valid):
    data = form_data(article, comment=TEXT) if valid else form_data(article, comment="", email="x")

    response = client.post(POST_URL, data, HTTP_ORIGIN=ORIGIN)

    assert response.status_code == (303 if valid else 400)
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response


def test_pages_that_name_no_dependencies_are_private(client):
    for url in ("/healthz", "/no-such-page/"):
        response = client.get(url)

        assert "public" not in response.get("Cache-Control", "")
        assert "xkey" not in response


def test_page_cache_off_still_tells_the_front_cache(client, article, settings):
    settings.DATELINE_PAGE_CACHE = False

    responses = [client.get(article.url) for _ in range(2)]

    assert [r.get("X-Page-Cache") for r in responses] == [None, None]
    assert all("public" in directives(r) for r in responses)
    assert all(f"article:{article.pk}" in keys_of(r) for r in responses)


def test_anonymous_page_with_a_csrf_cookie_is_still_shared(article):
    reader = Client()
    reader.cookies["csrftoken"] = "x" * 32

    response = reader.get(article.url)

    assert "public" in directives(response)
    assert not response.cookies


def test_a_page_that_changed_while_it_rendered_is_kept_by_nobody(client, article, monkeypatch):
    from dateline.core.pagecache import invalidate
    from dateline.news.models import ArticlePage

    render = ArticlePage.get_context

    def changed_meanwhile(self, request, *args, **kwargs):
        invalidate([f"article:{self.pk}"])  # a comment approved while the page renders
        return render(self, request, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "get_context", changed_meanwhile)
    during = client.get(article.url)
    monkeypatch.undo()
    after = client.get(article.url)

    assert during["Cache-Control"] == "private, no-store"
    assert "xkey" not in during
    assert after.get("X-Page-Cache") == "miss"  # the first one was not stored either
    assert "public" in directives(after)
