"""The newsroom's dashboard: how the background task worker is (issue 15, item 5)."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .health import worker_status

# The worker sends reply notifications, privacy links and cache purges, and retrains the filters:
# when it stops, nothing else says so.
WORKER_PERMISSION = "core.view_workerheartbeat"


class WorkerPanel(Component):
    name = "task_worker"
    template_name = "core/admin/worker_panel.html"
    order = 40

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        try:
            status = worker_status()
        except DatabaseError:
            status = None
        return {"status": status}


@hooks.register("construct_homepage_panels")
def worker_panel(request: Any, panels: list[Any]) -> None:
    if request.user.has_perm(WORKER_PERMISSION):
        panels.append(WorkerPanel())


@hooks.register("register_admin_urls", order=-1)
def uploads_kept_on_a_full_disk() -> list[Any]:
    """Wagtail's upload views at their own addresses, answering a write MEDIA_ROOT refuses with
    the form and a message instead of a 500 (``core.admin_uploads``). Before Wagtail's."""
    from django.urls import path

    from . import admin_uploads as views

    return [
        path("images/add/", views.ImageCreateView.as_view()),
        path("images/<int:image_id>/", views.ImageEditView.as_view()),
        path("images/multiple/add/", views.ImageUploadView.as_view()),
        path("documents/add/", views.DocumentCreateView.as_view()),
        path("documents/edit/<int:document_id>/", views.DocumentEditView.as_view()),
        path("documents/multiple/add/", views.DocumentUploadView.as_view()),
    ]
