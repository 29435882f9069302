"""Attachments into Wagtail images, from the operator's copy of the old site's uploads only."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from .html import strip_size_suffix
from .models import ImportedObject
from .summary import Summary

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp"}


def mapped_ids(source: str, kind: str) -> dict[str, int]:
    return dict(
        ImportedObject.objects.filter(source=source, kind=kind).values_list(
            "source_id", "object_id"
        )
    )


def remember(source: str, kind: str, source_id: str, obj: Any) -> None:
    ImportedObject.objects.update_or_create(
        source=source, kind=kind, source_id=source_id, defaults={"object_id": obj.pk}
    )


@dataclass(frozen=True)
class Attachment:
    line: int
    attachment_id: str
    url: str
    title: str
    alt: str


class Images:
    """Attachments → Wagtail images, from files under the operator's media directory only."""

    def __init__(
        self,
        *,
        media_dir: Path | None,
        attachments: dict[str, Attachment],
        source: str,
        summary: Summary,
        dry_run: bool,
    ) -> None:
        self.media_dir = media_dir.resolve() if media_dir is not None else None
        self.attachments = attachments
        self.by_path: dict[str, str] = {}
        for attachment in attachments.values():
            self.by_path.setdefault(urlparse(attachment.url).path, attachment.attachment_id)
        self.source = source
        self.summary = summary
        self.dry_run = dry_run
        self.written: list[str] = []
        self.done: dict[str, Any] = {}
        self.Image = get_image_model()
        self.known = mapped_ids(source, ImportedObject.Kind.ATTACHMENT)

    def for_attachment(self, attachment_id: str) -> Any:
        attachment = self.attachments.get(attachment_id)
        if attachment is None:
            self.summary.counts["featured images naming a missing attachment"] += 1
            return None
        return self._image(attachment_id, attachment.url, attachment.title or attachment.alt)

    def for_src(self, src: str, alt: str) -> Any:
        path = urlparse(src).path
        attachment_id = self.by_path.get(path) or self.by_path.get(strip_size_suffix(path))
        if attachment_id is not None:
            return self.for_attachment(attachment_id)
        return self._image("url:" + path, src, alt)

    def _find(self, url: str) -> Path | None:
        if self.media_dir is None:
            return None
        parts = [unquote(p) for p in urlparse(url).path.split("/") if p]
        if not parts or any(p in (".", "..") or "\\" in p for p in parts):
            return None
        for variant in (parts, [*parts[:-1], strip_size_suffix(parts[-1])]):
            for start in range(len(variant)):
                candidate = self.media_dir.joinpath(*variant[start:])
                try:
                    resolved = candidate.resolve()
                except OSError:
                    continue
                if resolved.is_file() and resolved.is_relative_to(self.media_dir):
                    return resolved
        return None

    def _image(self, source_id: str, url: str, title: str) -> Any:
        if source_id in self.done:
            return self.done[source_id]
        image = None
        if source_id in self.known:
            image = self.Image.objects.filter(pk=self.known[source_id]).first()
        if image is None:
            image = self._create(source_id, url, title)
        elif not self.dry_run:
            self.summary.existing["images"] += 1
        self.done[source_id] = image
        return image

    def _create(self, source_id: str, url: str, title: str) -> Any:
        found = self._find(url)
        if found is None or found.suffix.lower() not in IMAGE_EXTENSIONS:
            self.summary.counts["images not available locally"] += 1
            return None
        try:
            from PIL import Image as PILImage

            with PILImage.open(found) as probe:
                probe.verify()
        except Exception:
            self.summary.note(f"{found.name} is not a readable image; left out.")
            self.summary.counts["images not available locally"] += 1
            return None
        self.summary.created["images"] += 1
        if self.dry_run:
            return None
        with found.open("rb") as handle:
            image = self.Image(title=(title or found.stem)[:255], file_size=found.stat().st_size)
            image.file = ImageFile(handle, name=found.name)
            image.save()
        self.written.append(image.file.name)
        remember(self.source, ImportedObject.Kind.ATTACHMENT, source_id, image)
        return image

    def discard_files(self) -> None:
        """After a rollback: the rows are gone, so are the copied files."""
        from django.core.files.storage import default_storage

        for name in self.written:
            with contextlib.suppress(OSError):
                default_storage.delete(name)
