"""The signup form keeps pages cacheable and cheap; no subscriber address is ever published."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dateline.core.pagecache import invalidate
from dateline.newsletters.models import Newsletter

pytestmark = pytest.mark.django_db

ADDRESS = "hidden.reader@mail.example"


def test_no_subscriber_address_on_any_public_page_feed_or_api(
    client, article, section, newsletter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/newsletters/subscribe/",
            {"email": ADDRESS, "newsletters": [newsletter.pk]},
            HTTP_ORIGIN="http://testserver",
        )
    urls = [
        "/",
        section.url,
        article.url,
        "/feeds/rss/",
        "/feeds/atom/",
        f"/api/v1/articles/{article.pk}/",
        "/api/v1/articles/",
        "/sitemap.xml",
        "/newsletters/subscribe/",
        "/newsletters/check-your-inbox/",
    ]
    for url in urls:
        response = client.get(url, follow=True)
        body = response.content.decode(errors="replace").lower()
        assert ADDRESS not in body, url
        assert "hidden.reader" not in body, url
        assert all(ADDRESS not in str(v) for v in response.headers.values()), url


def test_an_article_with_the_form_is_still_served_from_the_page_cache(client, article, newsletter):
    first = client.get(article.url)
    second = client.get(article.url)

    assert b"newsletter-signup" in first.content
    assert second["X-Page-Cache"] == "hit"
    assert "private" not in second["Cache-Control"]
    assert b"csrfmiddlewaretoken" not in second.content
    assert "csrftoken" not in second.cookies


def test_the_form_costs_a_warm_article_render_no_query(client, article, newsletter, settings):
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True
    invalidate([f"article:{article.pk}"])
    assert client.get(article.url).status_code == 200

    with CaptureQueriesContext(connection) as captured:
        response = client.get(article.url)

    assert b"International daily" in response.content
    assert len(captured) == 1, [q["sql"] for q in captured.captured_queries]


def test_a_renamed_newsletter_shows_at_once_on_cached_pages(
    client, article, newsletter, django_capture_on_commit_callbacks
):
    assert b"International daily" in client.get(article.url).content

    with django_capture_on_commit_callbacks(execute=True):
        newsletter.name = "World at seven"
        newsletter.save()

    response = client.get(article.url)
    assert b"World at seven" in response.content
    assert response.get("X-Page-Cache") != "hit"


def test_a_paused_newsletter_is_not_offered(
    client, article, newsletter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.status = Newsletter.Status.PAUSED
        newsletter.save()

    assert b"newsletter-signup" not in client.get(article.url).content


def test_section_page_offers_its_newsletter(client, section, article, newsletter):
    html = client.get(section.url).content.decode()

    assert 'class="newsletter-signup"' in html
    assert f'value="{newsletter.pk}"' in html


def test_manage_page_costs_the_same_queries_for_one_newsletter_and_for_six(
    client, newsletter, subscribe_confirmed, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dateline.newsletters.tokens import manage_token

    (subscriber,) = subscribe_confirmed(1)
    url = f"/newsletters/manage/{manage_token(subscriber)}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    count()  # the site and its sections are kept after a first request
    one = count()
    for n in range(5):
        Newsletter.objects.create(name=f"Letter {n}", slug=f"letter-{n}")
    assert count() == one <= 4
