"""The newsroom's versions of Wagtail admin views, where Wagtail's own says too little."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.workflow import WorkflowAction
from wagtail.models import Page, WorkflowState

from .selectors import page_scheduled_go_live
from .wagtail_hooks import newsroom_time


def workflow_outcome_message(*, page_id: int, action_name: str) -> str | None:
    """What an editor's workflow action did to the page, in words: published, scheduled (when,
    in the newsroom's time zone), waiting for the next step, or sent back to its writer."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    title = page.get_latest_revision_as_object().get_admin_display_title()
    if action_name == "reject":
        return _("Changes were requested on ‘%(title)s’: it is back with its writer.") % {
            "title": title
        }
    if action_name != "approve":
        return None
    waiting = page.current_workflow_state
    if (
        waiting is not None
        and waiting.status == WorkflowState.STATUS_IN_PROGRESS
        and waiting.current_task_state is not None
    ):
        return _("‘%(title)s’ has been approved; it now waits for ‘%(task)s’.") % {
            "title": title,
            "task": waiting.current_task_state.task.name,
        }
    go_live_at = page_scheduled_go_live(page_id=page.pk)
    if go_live_at is not None:
        return _(
            "‘%(title)s’ has been approved and is scheduled to go live on %(when)s; until then "
            "readers cannot see this version."
        ) % {"title": title, "when": newsroom_time(go_live_at)}
    if page.live:
        return _("‘%(title)s’ has been approved and published.") % {"title": title}
    return _("‘%(title)s’ has been approved.") % {"title": title}


class NewsroomWorkflowAction(WorkflowAction):
    """Wagtail's workflow action (Approve, Request changes, from the dashboard's "Awaiting your
    review" panel or a page listing) says nothing when it succeeds and calls no hook: this one
    says what happened, on the page the editor lands on."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        before = self.task_state.status
        response = super().post(request, *args, **kwargs)
        self.task_state.refresh_from_db(fields=["status"])
        if self.task_state.status != before:  # the action was taken (not a form with errors)
            text = workflow_outcome_message(page_id=self.object.pk, action_name=self.action_name)
            if text:
                messages.success(request, text)
        return response
