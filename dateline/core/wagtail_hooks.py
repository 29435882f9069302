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
