"""What is cached from rendering belongs to one code release: a deploy renders anew."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.core import fragments, pagecache


@pytest.fixture
def article(section: Any, article_factory: Any) -> Any:
    return article_factory(parent=section, title="Harbour council votes", slug="harbour")


def test_a_stored_page_is_not_served_by_another_code_release(
    client: Any, article: Any, monkeypatch: Any
) -> None:
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(article.url)["X-Page-Cache"] == "hit"

    # A deploy: new code, new processes.
    monkeypatch.setattr(pagecache, "code_release", lambda: "next-release")
    monkeypatch.setattr(fragments, "code_release", lambda: "next-release")

    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(article.url)["X-Page-Cache"] == "hit"
