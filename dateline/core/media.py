"""Uploads and image renditions on a disk that may refuse a write (full, read-only, over quota).

Wagtail makes an image's renditions (its sizes) the first time a page shows them, during the
reader's request. The file storage's write failing there (ENOSPC, EROFS, EACCES) was a 500 on
every page with a picture not yet made. ``RenditionStorage`` turns that failure into Wagtail's
own "the picture cannot be had" error (``SourceImageIOError``): its template tags then show the
page without the picture, and nothing is stored, so the rendition is made once the disk takes
writes again. The failure is logged once, and its end once, per process. A page or kept
fragment that left a picture out is not kept (``pictures_left_out``): the next view makes it.

Code that asks for a rendition itself (feeds, structured data) uses ``rendition_or_none``.
"""

from __future__ import annotations

import logging
import threading
from contextvars import ContextVar
from typing import IO, TYPE_CHECKING, Any

from django.core.files.storage import FileSystemStorage

if TYPE_CHECKING:
    from wagtail.images.models import AbstractImage, AbstractRendition

logger = logging.getLogger(__name__)

_left_out: ContextVar[int] = ContextVar("dateline_pictures_left_out", default=0)


def pictures_left_out() -> int:
    """How many renditions this request (this context) could not store so far: a page or a
    fragment during whose rendering it grew shows a picture less than it should, so no cache
    keeps it."""
    return _left_out.get()


def _not_stored_error() -> type[OSError]:
    # Imported when needed: this module is loaded while Wagtail's image models are.
    from wagtail.images.models import SourceImageIOError

    return SourceImageIOError


class RenditionStorage(FileSystemStorage):
    """MEDIA_ROOT, as the default storage; a write it cannot make raises ``SourceImageIOError``."""

    _lock = threading.Lock()
    _failing = False

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        try:
            stored = super().save(name, content, max_length)
        except OSError as error:
            _left_out.set(_left_out.get() + 1)
            self._note(failing=True, error=error)
            raise _not_stored_error()(f"rendition {name!r} not stored: {error}") from error
        self._note(failing=False)
        return stored

    @classmethod
    def _note(cls, *, failing: bool, error: OSError | None = None) -> None:
        with cls._lock:
            if cls._failing == failing:
                return
            cls._failing = failing
        if failing:
            logger.error(
                "image renditions cannot be stored in MEDIA_ROOT (%s); pages are shown without "
                "the pictures not made yet until it takes writes again",
                error,
            )
        else:
            logger.warning("image renditions are stored in MEDIA_ROOT again")


def rendition_or_none(image: AbstractImage, spec: str) -> AbstractRendition | None:
    """The rendition, or None when it cannot be had (its original missing, or the disk refusing
    to store it): the caller leaves the picture out."""
    try:
        return image.get_rendition(spec)
    except _not_stored_error():
        return None


def renditions_or_none(image: AbstractImage, *specs: str) -> dict[str, AbstractRendition] | None:
    try:
        return image.get_renditions(*specs)
    except _not_stored_error():
        return None
