"""An article using every block is valid HTML, by the Nu HTML Checker (as tests/test_html_valid.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dateline.news.models import ArticlePage, SectionPage
from tests.factories import ArticlePageFactory
from tests.test_html_valid import vnu  # noqa: F401 (the fixture)

from .conftest import TABLE

pytestmark = pytest.mark.django_db


def test_article_with_every_block_is_valid_html(
    client: Client,
    rich_article: ArticlePage,
    section: SectionPage,
    vnu: list[str],  # noqa: F811
    tmp_path: Path,
) -> None:
    kind, value = TABLE
    imported_look = {
        **value,
        "row_headers": False,
        "source": "",
        "table": {
            **value["table"],
            "caption": "",
            "columns": [{**c, "heading": ""} for c in value["table"]["columns"]],
        },
    }
    # As a table from WordPress may come in: no caption, no headings.
    bare = ArticlePageFactory(parent=section, slug="bare-table", body=[(kind, imported_look)])
    files = []
    for name, article in (("every-block", rich_article), ("bare-table", bare)):
        response = client.get(article.url)
        assert response.status_code == 200
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    out = subprocess.run([*vnu, *files], capture_output=True, text=True, timeout=300)

    messages: list[dict[str, Any]] = json.loads(out.stderr or out.stdout)["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert problems == [], "\n".join(problems)
