"""Issue 15, item 2: PostgreSQL down. The production server (granian with the shipped
configuration, deploy/granian_server.py) is pointed at a closed port: every page, API call and comment that needs the
database is a 503 with Retry-After, the comment form comes back with what the reader typed, and
a page already in the page cache is still served."""

from __future__ import annotations

import html
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import requests
from django.db import OperationalError

from .processes import app_server, site_env

CLOSED_POSTGRES = "postgres://postgres@127.0.0.1:1/dateline"
TYPED = "The sea wall vote was closer than the council admits — 7 to 6, not 9 to 4."


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="module")
def server(var_dir: Path) -> Iterator[str]:
    # Production as shipped, with static files read from the apps (no collectstatic for a
    # test): a page whose first query comes after its first {% static %} reaches the database.
    env = site_env(
        var_dir,
        settings_module="tests.hardening.server_settings",
        DATABASE_URL=CLOSED_POSTGRES,
        WEB_CONCURRENCY="1",
    )
    with app_server(env, var_dir / "server.log") as url:
        yield url


@pytest.fixture
def cached_article(
    settings: Any, var_dir: Path, client: Any, section: Any, article_factory: Any
) -> Any:
    """An article whose page is in the file page cache the server reads (the shipped embedded
    setup: var/cache/pages), rendered here while the database answered."""
    article = article_factory(parent=section, title="Harbour council votes", slug="harbour")
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(var_dir / "cache" / "pages"),
        },
    }
    assert client.get(article.url).status_code == 200
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    return article


def get(url: str, **kwargs: Any) -> requests.Response:
    # The host the page was cached under (the test client's).
    headers = {"Host": "testserver", **kwargs.pop("headers", {})}
    return requests.get(url, headers=headers, timeout=30, **kwargs)


def test_a_page_in_the_page_cache_is_served_while_postgresql_is_down(
    server: str, cached_article: Any
) -> None:
    response = get(f"{server}{cached_article.url}")

    assert response.status_code == 200
    assert response.headers["X-Page-Cache"] == "hit"
    assert "Harbour council votes" in response.text


def test_pages_not_in_the_cache_answer_503_with_retry_after(server: str) -> None:
    for path in ("/", "/international/", "/search/?q=harbour", "/no-such-page/"):
        response = get(f"{server}{path}")

        assert response.status_code == 503, path
        assert int(response.headers["Retry-After"]) > 0
        assert "no-store" in response.headers["Cache-Control"]
        assert "try again" in response.text


def test_the_api_answers_json_503_with_retry_after(server: str) -> None:
    for path in ("/api/v1/articles/", "/api/v1/comments/?article=1"):
        response = get(f"{server}{path}")

        assert response.status_code == 503, path
        assert int(response.headers["Retry-After"]) > 0
        assert response.headers["Content-Type"] == "application/json"
        assert "try again" in response.json()["detail"]


def test_a_comment_posted_while_postgresql_is_down_comes_back_in_its_form(
    server: str, cached_article: Any
) -> None:
    fields = {
        "comment": TYPED,
        "author": "Ines Varga",
        "email": "ines@example.org",
        "url": "https://ines.example.org/",
        "comment_post_ID": str(cached_article.pk),
        "comment_parent": "0",
        "comment_key": "k-7f3a",
        "subscribe": "yes",
    }
    response = requests.post(
        f"{server}/comments/post/",
        data=fields,
        headers={"Host": "testserver", "Origin": "http://testserver"},
        timeout=30,
        allow_redirects=False,
    )

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "no-store" in response.headers["Cache-Control"]
    page = html.unescape(response.text)
    assert f">{TYPED}</textarea>" in page
    for name in ("author", "email", "url", "comment_post_ID", "comment_key"):
        assert f'name="{name}"' in page and f'value="{fields[name]}"' in page, name
    assert 'name="subscribe" type="checkbox" value="yes" checked' in page
    assert "Nothing was lost" in page


def test_the_page_script_is_told_to_retry_and_keeps_the_text_itself(
    server: str, cached_article: Any
) -> None:
    response = requests.post(
        f"{server}/comments/post/",
        data={"comment": TYPED, "comment_post_ID": str(cached_article.pk)},
        headers={
            "Host": "testserver",
            "Origin": "http://testserver",
            "Accept": "application/json",
        },
        timeout=30,
    )

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["ok"] is False
    assert "Nothing was lost" in response.json()["message"]


def test_healthz_says_the_database_is_unavailable(server: str) -> None:
    response = get(f"{server}/healthz")

    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.json()["status"] == "unavailable"


def test_the_front_caches_probe_keeps_the_server_while_postgresql_is_down(server: str) -> None:
    # Every app server shares the database: had the probe failed with it, Varnish would take
    # them all out and answer its own bare 503 to every reader (no page from the page cache, no
    # comment form with the reader's text, Retry-After: 5) until it came back and two probes
    # passed (docs/decisions/0095).
    response = get(f"{server}/healthz/process")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["process"]["state"] == "ready"
    assert "private" in response.headers["Cache-Control"]


def sqlite_error(message: str) -> OperationalError:
    """The error Django raises for SQLite's ``message`` (its driver's error as the cause)."""
    try:
        raise sqlite3.OperationalError(message)
    except sqlite3.OperationalError as driver_error:
        try:
            raise OperationalError(message) from driver_error
        except OperationalError as error:
            return error


def test_the_database_down_is_logged_once_in_a_while_not_twice_per_request(
    client: Any, section: Any, article_factory: Any, caplog: Any
) -> None:
    # With the database refusing connections for 20 s under load, each app server logged two
    # lines per request (ours and Django's "Service Unavailable"): 6,500 in 20 s.
    article = article_factory(parent=section)
    client.raise_request_exception = False
    with (
        mock.patch(
            "dateline.comments.views.live_article", side_effect=sqlite_error("database is locked")
        ),
        caplog.at_level("WARNING"),
    ):
        for _ in range(3):
            response = client.post(
                "/comments/post/",
                {"comment": TYPED, "author": "Ines", "comment_post_ID": article.pk},
                HTTP_ORIGIN="http://testserver",
            )
            assert response.status_code == 503

    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) <= 1, lines
    assert not [line for line in lines if "Service Unavailable" in line]


@pytest.mark.parametrize(
    ("message", "status"),
    [
        ("database is locked", 503),
        # The disk full under the SQLite file: the comment came back as a 500, its text lost.
        ("database or disk is full", 503),
        ("no such column: pk", 500),
    ],
)
def test_a_locked_database_is_a_503_but_a_broken_query_stays_a_500(
    client: Any, section: Any, article_factory: Any, message: str, status: int
) -> None:
    article = article_factory(parent=section)
    client.raise_request_exception = False
    with mock.patch("dateline.comments.views.live_article", side_effect=sqlite_error(message)):
        response = client.post(
            "/comments/post/",
            {"comment": TYPED, "author": "Ines", "comment_post_ID": article.pk},
            HTTP_ORIGIN="http://testserver",
        )

    assert response.status_code == status
    assert ("Retry-After" in response) is (status == 503)
    assert (TYPED in html.unescape(response.content.decode())) is (status == 503)
