"""The disk the file page cache is on is full (the embedded setup: var/cache/pages): readers
still get the pages, rendered each time, and a change is never hidden behind an old copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

FULL = "tests.hardening.full_disk.FullDiskCache"


@pytest.fixture
def page_cache_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(folder),
        },
    }
    return folder


def disk_full(settings: Any, folder: Path) -> None:
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": FULL, "LOCATION": str(folder)}}


def test_pages_are_served_while_the_page_cache_disk_is_full(
    settings: Any, page_cache_dir: Path, client: Any, section: Any, article_factory: Any
) -> None:
    article = article_factory(parent=section, title="Harbour council votes", slug="harbour")
    disk_full(settings, page_cache_dir)

    for url in ("/", section.url, article.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response
    assert "Harbour council votes" in client.get(article.url).content.decode()


def test_a_change_made_while_the_disk_is_full_is_not_hidden_by_a_stored_page(
    settings: Any,
    page_cache_dir: Path,
    client: Any,
    section: Any,
    article_factory: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = article_factory(parent=section, title="Harbour council votes", slug="harbour")
    assert client.get(article.url).status_code == 200
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    disk_full(settings, page_cache_dir)

    article.title = "Harbour council vote postponed"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    response = client.get(article.url)
    assert response.status_code == 200
    assert "Harbour council vote postponed" in response.content.decode()
