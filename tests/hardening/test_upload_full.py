"""An editor uploads an image or a document while MEDIA_ROOT refuses writes (a full disk,
simulated: every file write raises ENOSPC): the form comes back with what they typed and a
message saying why, nothing is stored, never a 500."""

from __future__ import annotations

import errno
import os
from io import BytesIO
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

REFUSED = "the server&#x27;s disk refused it"


def _full(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture(autouse=True)
def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FileSystemStorage, "_save", _full)


def _png(name: str = "harbour.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_image_added_on_a_full_disk_keeps_the_form(admin_client: Any) -> None:
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Harbour at dawn, from the north pier", "tags": "harbour", "file": _png()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html
    assert 'value="Harbour at dawn, from the north pier"' in html
    assert not get_image_model().objects.exists()


def test_an_image_uploaded_with_the_multiple_uploader_on_a_full_disk_says_why(
    admin_client: Any,
) -> None:
    response = admin_client.post("/admin/images/multiple/add/", {"files[]": _png()})
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False and "disk refused it" in answer["error_message"]
    assert not get_image_model().objects.exists()


def test_a_document_added_on_a_full_disk_keeps_the_form(admin_client: Any) -> None:
    upload = SimpleUploadedFile("report.txt", b"Catch landed at the port.", "text/plain")
    response = admin_client.post(
        "/admin/documents/add/", {"title": "The fisheries report", "file": upload}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED in html and 'value="The fisheries report"' in html
    assert not get_document_model().objects.exists()


def test_a_document_uploaded_with_the_multiple_uploader_on_a_full_disk_says_why(
    admin_client: Any,
) -> None:
    upload = SimpleUploadedFile("report.txt", b"Catch landed at the port.", "text/plain")
    response = admin_client.post("/admin/documents/multiple/add/", {"files[]": upload})
    assert response.json()["success"] is False
    assert not get_document_model().objects.exists()
