"""Security headers on every page, the page cache's hits included (issue 15, item 6): a strict
Content-Security-Policy on the reader site (no inline script or style), a looser one for the
newsroom's tools that still refuses framing by other sites and plugins, X-Frame-Options and a
Permissions-Policy. The browser side (no violation on any page type) is
tests/browser/test_csp.py."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.views import defaults

from dateline.comments.models import Comment
from tests.comments.conftest import article, comment_factory  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")


def directives(header: str) -> dict[str, list[str]]:
    return {words[0]: words[1:] for part in header.split(";") if (words := part.split())}


def assert_strict(response: Any) -> None:
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert_permissions(response)


def assert_permissions(response: Any) -> None:
    granted = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in DENIED_FEATURES:
        assert granted[feature] == "()", feature


@pytest.fixture
def pages(article: Any, comment_factory: Any) -> dict[str, str]:  # noqa: F811
    comment = comment_factory(article=article, body="A first remark.")
    comment_factory(article=article, parent=comment, body="A reply.")
    author = article.byline.first().author
    return {
        "home": "/",
        "section": article.get_parent().url,
        "article": article.url,
        "reply form": f"{article.url}?replytocom={comment.pk}",
        "permalink": f"/comments/{comment.pk}/",
        "search": "/search/?q=harbour",
        "tag": "/tags/harbour/",
        "author": f"/authors/{author.slug}/",
        "privacy": "/privacy/",
        "not found": "/no-such-page/",
    }


def test_every_reader_page_carries_the_strict_policy(client: Client, pages: dict[str, str]) -> None:
    for name, url in pages.items():
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), (name, response.status_code)
        assert_strict(response)


def test_reader_pages_hold_no_inline_script_handler_or_style(
    client: Client, pages: dict[str, str]
) -> None:
    for name, url in pages.items():
        html = BeautifulSoup(client.get(url, follow=True).content, "html.parser")
        for script in html.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", (name, script)
        for element in html.find_all(True):
            assert "style" not in element.attrs, (name, str(element)[:200])
            handlers = [a for a in element.attrs if a.lower().startswith("on")]
            assert not handlers, (name, str(element)[:200])
            assert not str(element.get("href", "")).lower().startswith("javascript:"), name
        assert html.find("style") is None, name


def test_a_page_cache_hit_carries_every_header(client: Client, article: Any) -> None:  # noqa: F811
    first = client.get(article.url)
    hit = client.get(article.url)

    assert first["X-Page-Cache"] == "miss"
    assert hit["X-Page-Cache"] == "hit"
    assert_strict(hit)
    assert hit["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_failed_comment_form_comes_back_under_the_strict_policy(
    client: Client,
    article: Any,  # noqa: F811
) -> None:
    response = client.post(
        "/comments/post/",
        {"comment": "", "author": "Ada", "email": "ada@example.org", "comment_post_ID": article.pk},
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == 400
    assert_strict(response)
    assert not Comment.objects.exists()


def test_the_newsroom_gets_its_own_policy_that_still_refuses_other_sites(
    client: Client,
    article: Any,  # noqa: F811
) -> None:
    client.force_login(
        get_user_model().objects.create_superuser("chief", "chief@dateline.example", "x")
    )
    for url in ("/admin/", f"/admin/pages/{article.pk}/edit/", "/admin/comments/desk/pending/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["frame-ancestors"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"], url
        assert policy["form-action"] == ["'self'"], url
        assert "'unsafe-inline'" in policy["script-src"], url  # Wagtail's own inline code
        assert_permissions(response)
    # A reader page seen by the signed-in editor keeps the strict policy.
    assert_strict(client.get(article.url))


def test_the_server_error_page_has_no_inline_style() -> None:
    response = defaults.server_error(RequestFactory().get("/"))

    html = BeautifulSoup(response.content, "html.parser")
    assert not [element for element in html.find_all(True) if "style" in element.attrs]
    assert html.find("link", rel="stylesheet") is not None
