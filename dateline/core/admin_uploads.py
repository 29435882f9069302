"""The newsroom's image and document uploads when MEDIA_ROOT refuses the write (a full disk, a
read-only or over-quota volume): Wagtail's views let the storage's OSError through as a 500 and
the editor lost the form. These subclasses answer with the form as it was sent (title, tags,
collection, alt text), an error saying why, and nothing stored; the multiple uploader gets the
error as it shows an invalid file's. Routed in front of Wagtail's own (``wagtail_hooks``)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from wagtail.documents.views import documents as document_views
from wagtail.documents.views import multiple as document_multiple
from wagtail.images.views import images as image_views
from wagtail.images.views import multiple as image_multiple

logger = logging.getLogger(__name__)

NOT_STORED = _(
    "The file could not be stored: the server's disk refused it (it may be full). Nothing was "
    "saved and your changes are still here; choose the file again and save once the disk has "
    "room, or ask the site's administrators."
)


def _log(error: OSError, request: HttpRequest) -> None:
    logger.error("an upload by %s was not stored in MEDIA_ROOT: %s", request.user, error)


class _FormKeptOnRefusedWrite:
    request: HttpRequest
    produced_error_code: str
    produced_error_message: Any

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except OSError as error:
            _log(error, self.request)
            form.add_error("file" if "file" in form.changed_data else None, NOT_STORED)
            self.produced_error_code = "storage_error"
            self.produced_error_message = NOT_STORED
            response: HttpResponse = self.form_invalid(form)  # type: ignore[attr-defined]
            return response


class _UploadRefusedAsInvalid:
    request: HttpRequest

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            # One transaction: Wagtail's view saves without one, and a failed write inside a
            # caller's transaction would leave it broken.
            with transaction.atomic():
                response: HttpResponse = super().post(request, *args, **kwargs)  # type: ignore[misc]
        except OSError as error:
            _log(error, request)
            return JsonResponse({"success": False, "error_message": str(NOT_STORED)})
        return response


class ImageCreateView(_FormKeptOnRefusedWrite, image_views.CreateView):
    pass


class ImageEditView(_FormKeptOnRefusedWrite, image_views.EditView):
    pass


class ImageUploadView(_UploadRefusedAsInvalid, image_multiple.AddView):
    pass


class DocumentCreateView(_FormKeptOnRefusedWrite, document_views.CreateView):
    pass


class DocumentEditView(_FormKeptOnRefusedWrite, document_views.EditView):
    pass


class DocumentUploadView(_UploadRefusedAsInvalid, document_multiple.AddView):
    pass
