"""Rendered pages are valid HTML, checked by the Nu HTML Checker (vnu.jar from npm, on Java)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.search.index import insert_or_update_object

from dateline.comments.screening import Submission
from dateline.comments.services import comment_moderate, comment_post
from dateline.news.related import article_related_refresh
from tests.factories import ArticlePageFactory, AuthorFactory

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def vnu() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.skip(
            "the Nu HTML Checker needs Java and node_modules/vnu-jar (`make test` runs npm ci)"
        )
    return [java, "-Xss1m", "-jar", str(VNU), "--format", "json", "--exit-zero-always"]


@pytest.mark.django_db
def test_every_kind_of_page_is_valid_html(
    client, section, vnu, tmp_path, django_capture_on_commit_callbacks
):
    author = AuthorFactory(name="Ada Brennan", slug="ada-brennan")
    article = ArticlePageFactory(
        parent=section,
        title="Valley reservoir reaches record level",
        authors=[author],
        tags=["Water"],
        corrections=["An earlier version gave the wrong capacity."],
    )
    arabic = ArticlePageFactory(
        parent=section, title="مؤتمر المياه يختتم أعماله", language="ar", tags=["Water"]
    )
    translation = ArticlePageFactory(
        parent=section,
        title="Water conference closes",
        translation_of=arabic,
        tags=["Water"],
        authors=[author],
    )
    for page in (article, arabic, translation):
        page.refresh_from_db()
        insert_or_update_object(page)
    article_related_refresh(article=translation)
    with django_capture_on_commit_callbacks(execute=True):
        first = comment_post(
            submission=Submission(
                article=article,
                name="Mo",
                email="mo@example.org",
                body="A *first* comment with a [link](https://example.org).",
            )
        ).comment
        comment_moderate(comment=first, action="approve")
        reply = comment_post(
            submission=Submission(
                article=article,
                name="Lu",
                email="lu@example.org",
                body="> quoted\n\nA reply.",
                parent_id=first.pk,
            )
        ).comment
        comment_moderate(comment=reply, action="approve")
    origin = {"HTTP_ORIGIN": "http://testserver"}
    pages = {
        "home": client.get("/"),
        "section": client.get(section.url),
        "article": client.get(article.url),
        "article-reply": client.get(f"{article.url}?replytocom={first.pk}"),
        "arabic": client.get(arabic.url),
        "author": client.get("/authors/ada-brennan/"),
        "tag": client.get("/tags/water/"),
        "search": client.get("/search/?q=reservoir"),
        "search-empty": client.get("/search/?q=zzzz"),
        "search-filtered": client.get(
            "/search/",
            {"q": "water", "section": section.slug, "author": "ada-brennan", "sort": "recent"},
        ),
        "search-arabic": client.get("/search/?q=والمياه"),
        "search-bad-date": client.get("/search/?q=reservoir&date_from=2025-13-01"),
        "search-paged": client.get("/search/?q=valley&page=2"),
        "article-translated": client.get(translation.url),
        "not-found": client.get("/no/such/page/"),
        "failed-post": client.post(
            "/comments/post/",
            {"comment_post_ID": article.pk, "comment": "Kept text", "author": "", "email": "bad"},
            **origin,
        ),
        "report": client.get(f"/comments/{first.pk}/report/"),
    }
    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    out = subprocess.run([*vnu, *files], capture_output=True, text=True, timeout=300)
    messages = json.loads(out.stderr or out.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors)
