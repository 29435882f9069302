"""MEDIA_ROOT refuses writes (a full disk, simulated: every file write raises ENOSPC). Wagtail
makes an image's sizes on the first page view that shows them; a reader then gets the page
without those pictures, never a 500, and the failure is logged once.

The pages are rendered outside a transaction (no ATOMIC_REQUESTS), so these tests are too: a
failed write in Wagtail's ``bulk_create`` of several renditions rolls back only its own."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
import wagtail_factories
from django.core.files.storage import FileSystemStorage
from wagtail.images import get_image_model

from dateline.live.models import LivePage
from tests.factories import ArticlePageFactory, AuthorFactory


def _full(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(FileSystemStorage, "_save", _full)
    yield


def _picture(title: str) -> Any:
    return wagtail_factories.ImageFactory(title=title, file__width=1700, file__height=1000)


@pytest.fixture
def pictured(
    transactional_db: None, django_db_serialized_rollback: None, section: Any
) -> dict[str, Any]:
    author = AuthorFactory(name="Ilse Marten", photo=_picture("Ilse"))
    article = ArticlePageFactory(
        parent=section,
        title="Storm over the estuary",
        authors=[author],
        lead_image=_picture("Storm"),
        body=[
            ("paragraph", "<p>The water rose at dawn.</p>"),
            ("image", {"image": _picture("Quay"), "caption": "The quay at noon."}),
        ],
    )
    live = LivePage(
        title="Storm live", slug="storm-live", live=True, lead_image=_picture("Live storm")
    )
    section.add_child(instance=live)
    live.save_revision().publish()
    return {"article": article, "author": author, "live": LivePage.objects.get(pk=live.pk)}


def test_pages_with_pictures_not_made_yet_are_served_without_them(
    client: Any, section: Any, pictured: dict[str, Any], disk_full: None, caplog: Any
) -> None:
    article = pictured["article"]
    urls = [
        "/",
        section.url,
        article.url,
        pictured["live"].url,
        f"/authors/{pictured['author'].slug}/",
        "/feeds/rss/",
        "/feeds/atom/",
    ]
    with caplog.at_level(logging.ERROR, logger="dateline.core.media"):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
    html = client.get(article.url).content.decode()
    assert "The water rose at dawn." in html and "The quay at noon." in html
    assert not get_image_model().get_rendition_model().objects.exists()
    failures = [r for r in caplog.records if r.name == "dateline.core.media"]
    assert len(failures) == 1, [r.getMessage() for r in failures]


def test_the_pictures_are_made_once_the_disk_takes_writes_again(
    client: Any, pictured: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = pictured["article"]
    with monkeypatch.context() as patch:
        patch.setattr(FileSystemStorage, "_save", _full)
        assert client.get(article.url).status_code == 200

    html = client.get(article.url).content.decode()
    assert "/media/images/" in html
    assert get_image_model().get_rendition_model().objects.exists()
