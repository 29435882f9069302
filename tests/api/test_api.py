"""The public API: explicit fields, the comment form's rules, staff auth, caching, and a
schemathesis run against the OpenAPI document it publishes."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from dateline.comments.models import Comment
from dateline.comments.screening import Submission
from dateline.comments.services import comment_moderate, comment_post
from tests.factories import ArticlePageFactory, AuthorFactory

CANARY = "api-canary-51d2@example.net"


@pytest.fixture
def published(section):
    author = AuthorFactory(name="Lea Novak", slug="lea-novak")
    article = ArticlePageFactory(
        parent=section,
        title="Tram line extended",
        authors=[author],
        tags=["Transport"],
        corrections=["The length was wrong."],
    )
    first = comment_post(
        submission=Submission(
            article=article, name="Canary", email=CANARY, body="Good news for the east side."
        )
    ).comment
    comment_moderate(comment=first, action="approve")
    return {"article": article, "author": author, "comment": first}


def _hashes(value: str) -> list[str]:
    raw = value.encode()
    return [
        value,
        hashlib.md5(raw, usedforsecurity=False).hexdigest(),
        hashlib.sha1(raw, usedforsecurity=False).hexdigest(),
        hashlib.sha256(raw).hexdigest(),
    ]


@pytest.mark.django_db
def test_read_endpoints_list_explicit_fields_and_never_an_email(client, published):
    article = published["article"]
    urls = [
        "/api/v1/articles/",
        f"/api/v1/articles/{article.pk}/",
        "/api/v1/sections/",
        "/api/v1/sections/international/",
        "/api/v1/authors/",
        "/api/v1/authors/lea-novak/",
        "/api/v1/tags/",
        f"/api/v1/articles/{article.pk}/comments/",
        f"/api/v1/comments/{published['comment'].pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode() + json.dumps(dict(response.items()))
        assert "email" not in text.lower(), url
        for needle in _hashes(CANARY):
            assert needle not in text, url
    detail = client.get(f"/api/v1/articles/{article.pk}/").json()
    assert set(detail) == {
        "id",
        "headline",
        "standfirst",
        "dateline",
        "language",
        "url",
        "section",
        "authors",
        "first_published_at",
        "last_published_at",
        "comment_count",
        "comments_open",
        "body_html",
        "tags",
        "corrections",
    }
    assert (
        detail["authors"] == ["lea-novak"]
        and detail["tags"] == ["transport"]
        and detail["corrections"][0]["text"] == "The length was wrong."
    )
    comment = client.get(f"/api/v1/articles/{article.pk}/comments/").json()["results"][0]
    assert set(comment) == {
        "id",
        "article",
        "parent",
        "depth",
        "author_name",
        "author_url",
        "is_staff",
        "body",
        "body_html",
        "created_at",
        "edited_at",
        "featured",
        "likes",
    }


@pytest.mark.django_db
def test_articles_filter_by_section_tag_and_author(client, published, home):
    from tests.factories import SectionPageFactory

    other = ArticlePageFactory(
        parent=SectionPageFactory(parent=home, title="Sport", slug="sport"), title="Cup final"
    )
    headlines = lambda url: [a["headline"] for a in client.get(url).json()["results"]]  # noqa: E731
    assert headlines("/api/v1/articles/?section=sport") == [other.title]
    assert headlines("/api/v1/articles/?tag=transport") == ["Tram line extended"]
    assert headlines("/api/v1/articles/?author=lea-novak") == ["Tram line extended"]
    assert headlines("/api/v1/articles/?section=nowhere") == []


@pytest.mark.django_db
def test_article_list_costs_the_same_queries_for_3_and_25_articles(client, section):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/articles/?page_size=100").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        ArticlePageFactory(parent=section, authors=[AuthorFactory(), AuthorFactory()])
    count()  # warms Wagtail's cache of site root paths
    small = count()
    for _ in range(22):
        ArticlePageFactory(parent=section, authors=[AuthorFactory()])
    assert count() == small


@pytest.mark.django_db
def test_reads_are_cacheable_with_etags_and_no_cors(client, published):
    response = client.get("/api/v1/articles/")
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Access-Control-Allow-Origin" not in response
    assert client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.django_db
def test_posting_a_comment_follows_the_forms_rules(client, published):
    article = published["article"]
    url = f"/api/v1/articles/{article.pk}/comments/"
    new = client.post(
        url,
        {"comment": "First time here.", "author": "Newcomer", "email": "new@example.org"},
        content_type="application/json",
    )
    assert new.status_code == 201
    assert new.json()["status"] == "pending" and new.json()["token"]
    again = client.post(
        url,
        {"comment": "First time here.", "author": "Newcomer", "email": "new@example.org"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == new.json()["id"]
    known = client.post(
        url,
        {"comment": "Another thought.", "author": "Canary", "email": CANARY},
        content_type="application/json",
    )
    assert known.json()["status"] == "approved"
    links = client.post(
        url,
        {
            "comment": "see https://a.example and https://b.example",
            "author": "Canary",
            "email": CANARY,
        },
        content_type="application/json",
    )
    assert links.json()["status"] == "pending"
    assert Comment.objects.get(pk=links.json()["id"]).moderation_reasons[0]["code"] == "links"
    bad = client.post(
        url,
        {"comment": "", "author": "", "email": "nope", "url": "ftp://x"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) >= {"comment", "author", "email", "url"}
    assert (
        client.post(
            url,
            {"comment": "x\u0000y", "author": "A", "email": "a@example.org"},
            content_type="application/json",
        ).status_code
        == 400
    )
    assert (
        client.post(
            url,
            {"comment": "x\ud800y", "author": "A", "email": "a@example.org"},
            content_type="application/json",
        ).status_code
        == 400
    )
    assert "email" not in json.dumps(known.json()).replace('"email"', "")


@pytest.mark.django_db
def test_api_comment_refusals_are_4xx(client, published):
    article = published["article"]
    url = f"/api/v1/articles/{article.pk}/comments/"
    body = {"comment": "Hello", "author": "A", "email": "a@example.org"}
    assert (
        client.post(url, {**body, "parent": 999999}, content_type="application/json").status_code
        == 400
    )
    assert (
        client.post(
            url, body, content_type="application/json", HTTP_ORIGIN="https://evil.example"
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/articles/999999/comments/", body, content_type="application/json"
        ).status_code
        == 404
    )
    article.comment_status = "closed"
    article.save_revision().publish()
    assert client.post(url, body, content_type="application/json").status_code == 403


@pytest.mark.django_db
def test_moderation_needs_a_token_or_a_csrf_checked_session(client, published):
    from django.contrib.auth import get_user_model
    from django.test import Client

    pending = comment_post(
        submission=Submission(
            article=published["article"], name="Held", email="held@example.org", body="Wait for me."
        )
    ).comment
    url = f"/api/v1/moderation/comments/{pending.pk}/approve/"
    assert client.post(url).status_code in (401, 403)
    moderator = get_user_model().objects.create_user("mod", password="pw-123-xyz")
    moderator.groups.add(Group.objects.get(name="Moderator"))
    plain = get_user_model().objects.create_user("reader", password="pw-123-xyz")
    assert (
        client.post(
            url, HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=plain).key}"
        ).status_code
        == 403
    )
    session = Client(enforce_csrf_checks=True)
    session.force_login(moderator)
    assert session.post(url).status_code == 403  # a cookie alone never authorises
    token = Token.objects.create(user=moderator)
    approved = client.post(url, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert (
        client.get(
            "/api/v1/moderation/comments/?status=approved", HTTP_AUTHORIZATION=f"Token {token.key}"
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"/api/v1/moderation/comments/{pending.pk}/explode/",
            HTTP_AUTHORIZATION=f"Token {token.key}",
        ).status_code
        == 400
    )


@pytest.mark.django_db
def test_the_openapi_document_and_its_docs_page_are_served(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/articles/{id}/comments/" in paths and all(
        p.startswith("/api/v1/") for p in paths
    )
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs
    assert re.findall(r'(?:src|href)="(?:https?:)?//', docs) == []  # nothing from another host


@pytest.mark.django_db
def test_every_paged_endpoint_publishes_the_paging_bounds_it_enforces(client, published):
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.create_user("mod", password="pw-123-xyz")
    moderator.groups.add(Group.objects.get(name="Moderator"))
    auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=moderator).key}"}
    paths = json.loads(client.get("/api/v1/schema/?format=json").content)["paths"]
    paged = {
        path.replace("{id}", str(published["article"].pk)): {
            p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"
        }
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method == "get"
        and any(p["name"] == "page_size" for p in operation.get("parameters", []))
    }
    assert set(paged) >= {
        "/api/v1/articles/",
        f"/api/v1/articles/{published['article'].pk}/comments/",
        "/api/v1/authors/",
        "/api/v1/tags/",
        "/api/v1/moderation/comments/",
    }

    for url, query in paged.items():
        size, page = query["page_size"], query["page"]
        assert (size["minimum"], size["maximum"], page["minimum"]) == (1, 100, 1), url
        assert page["maximum"] >= 10**6, url
        status = {
            value: client.get(url, {"page_size": value}, **auth).status_code
            for value in (
                size["minimum"] - 1,
                size["minimum"],
                size["maximum"],
                size["maximum"] + 1,
            )
        }
        assert status == {0: 400, 1: 200, 100: 200, 101: 400}, url
        assert client.get(url, {"page": page["minimum"]}, **auth).status_code == 200, url
        # Within the bounds but past the last page: not found, as the document says.
        assert client.get(url, {"page": page["maximum"]}, **auth).status_code == 404, url
        for refused in (page["minimum"] - 1, page["maximum"] + 1):
            assert client.get(url, {"page": refused}, **auth).status_code == 400, url
        responses = paths[url.replace(str(published["article"].pk), "{id}")]["get"]["responses"]
        assert {"400", "404"} <= set(responses), url


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema_and_never_errors(published, mode):
    """schemathesis drives every operation of /api/v1/schema/: no server error, responses match
    the document, and input the document forbids is refused with a 4xx."""
    from dateline.wsgi import application

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    if mode == GenerationMode.NEGATIVE:
        checks.append(negative_data_rejection)
    # Called through WSGI, Django would close the test's database connection after each
    # request; its own test client disconnects the same receivers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        api = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
        operations = [result.ok() for result in api.get_all_operations()]
        assert len(operations) >= 12
        _exercise(operations, mode, checks)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _exercise(operations, mode, checks):
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case):
            # Plain bodies: schemathesis' WSGI transport asks for compressed ones and cannot
            # read Brotli or zstd (compression has its own tests, tests/test_compression.py).
            case.call_and_validate(
                checks=checks, headers={"Host": "testserver", "Accept-Encoding": "identity"}
            )

        try:
            run()
        except Unsatisfiable:
            # An operation with no input to break (a list without parameters) has no
            # negative cases.
            assert mode == GenerationMode.NEGATIVE
