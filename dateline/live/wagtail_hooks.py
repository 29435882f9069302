"""Live coverage in the admin: "Live updates" (every reporter files their own rows, listed and
filtered by live page) and "Breaking news" (the banner's on/off switch), both going through
``live.services``; a "Live updates" button on each live page."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from dateline.core.converters import parse_id
from dateline.core.errors import ServiceError

from .models import BreakingNews, LivePage, LiveUpdate
from .selectors import breaking_banner, breaking_flag_state, breaking_flags_listed
from .services import (
    BREAKING_FIELDS,
    UPDATE_FIELDS,
    breaking_news_delete,
    breaking_news_edit,
    breaking_news_flag,
    live_update_create,
    live_update_delete,
    live_update_edit,
)


class RefusalAsFieldError:
    """A service's refusal comes back as a message by its field, the form filled in, with the
    refusal's status (400, or 409 for a change made by someone else meanwhile)."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ServiceError as refused:
            # A refusal about the form as a whole is said once, in the message at the top (as
            # a form error too, Wagtail listed it a second time under the message).
            if refused.field in form.fields:
                form.add_error(refused.field, refused.message)
            self.refusal_status = refused.status
            self.produced_error_message = refused.message
            self.refused(form, refused)
            return self.form_invalid(form)

    def refused(self, form: Any, refusal: ServiceError) -> None:
        """What the form shown again carries after ``refusal`` (nothing more by default)."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]
        if not getattr(self, "expects_json_response", False):
            response.status_code = getattr(self, "refusal_status", 400)
        return response


def _changes(form: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}


class LiveUpdateCreateView(RefusalAsFieldError, CreateView):
    def get_initial_form_instance(self) -> Any:
        # Wagtail makes an instance here only for translatable models (None otherwise), so the
        # one the "File an update" button's ?live_page= fills in is made here.
        instance = super().get_initial_form_instance()
        page_id = parse_id(self.request.GET.get("live_page", ""))
        page = LivePage.objects.filter(pk=page_id).first() if page_id is not None else None
        if page is not None:
            instance = instance if instance is not None else self.model()
            instance.page = page
        return instance

    def save_instance(self) -> LiveUpdate:
        data = self.form.cleaned_data
        return live_update_create(
            page=data["page"],
            body=data["body"],
            author=data.get("author"),
            headline=data.get("headline", ""),
            status=data.get("status", LiveUpdate.Status.PUBLISHED),
            pinned=bool(data.get("pinned")),
            key_event=bool(data.get("key_event")),
            user=self.request.user,
        )


class LiveUpdateEditView(RefusalAsFieldError, EditView):
    def refused(self, form: Any, refusal: ServiceError) -> None:
        if refusal.status != 409:
            return
        # The form shown again is based on the version that won, so saving it again (having
        # been told) puts this text in its place; it was refused again and again before.
        current = LiveUpdate.objects.filter(pk=form.instance.pk).values_list("updated_at")
        if current:
            form.data = form.data.copy()
            form.data["opened_version"] = current[0][0].isoformat()

    def save_instance(self) -> LiveUpdate:
        self.has_content_changes = self.form.has_changed()
        return live_update_edit(
            update=self.form.instance,
            changes=_changes(self.form, UPDATE_FIELDS),
            user=self.request.user,
            opened_version=parse_datetime(self.form.cleaned_data.get("opened_version") or ""),
        )


class LiveUpdateDeleteView(DeleteView):
    def delete_action(self) -> None:
        live_update_delete(update=self.object, user=self.request.user)


def yes_or_blank(name: str, label: Any) -> Column:
    """A yes/no field as the newsroom reads a list: "Yes", or nothing (it said True/False)."""
    return Column(
        name,
        label=label,
        sort_key=name,
        accessor=lambda row: _("Yes") if getattr(row, name) else "",
    )


class LiveUpdateViewSet(SnippetViewSet):
    model = LiveUpdate
    icon = "time"
    menu_label = _("Live updates")
    list_display = [
        "__str__",
        "page",
        "author",
        "status",
        yes_or_blank("pinned", _("Pinned")),
        yes_or_blank("key_event", _("Key event")),
        "published_at",
    ]
    list_filter = ["page", "status", "pinned", "key_event"]
    ordering = ["-published_at", "-pk"]
    add_view_class = LiveUpdateCreateView
    edit_view_class = LiveUpdateEditView
    delete_view_class = LiveUpdateDeleteView

    def get_queryset(self, request: Any) -> Any:
        return LiveUpdate.objects.select_related("page", "author")


def _not_shown(alert: BreakingNews) -> str:
    """What to add when a flag was saved "On" but readers see no banner from it (set for later,
    already expired, its story unpublished, or behind a newer flag): the save looked as if it
    had put the banner up."""
    if alert.status != BreakingNews.Status.ACTIVE:
        return ""
    state = breaking_flag_state(alert)
    return "" if state.showing else f" It is on, but readers see no banner from it. {state}."


class BreakingNewsCreateView(RefusalAsFieldError, CreateView):
    def get_success_message(self, instance: BreakingNews) -> str:
        return f"{super().get_success_message(instance)}{_not_shown(instance)}"

    def save_instance(self) -> BreakingNews:
        data = self.form.cleaned_data
        return breaking_news_flag(
            page=data["page"],
            headline=data.get("headline", ""),
            starts_at=data.get("starts_at"),
            expires_at=data.get("expires_at"),
            status=data.get("status", BreakingNews.Status.ACTIVE),
            user=self.request.user,
        )


def _other_banner(alert_id: int | None) -> str:
    """What to add when a flag was switched off or changed but the banner readers see comes
    from another flag that is on (it looked as if switching off did nothing)."""
    showing = breaking_banner().alert
    if showing is None or showing.pk == alert_id:
        return ""
    return (
        f" Readers still see a breaking-news banner, from another flag that is on: "
        f"‘{showing}’. Switch that one off too if the banner should go."
    )


class BreakingNewsEditView(RefusalAsFieldError, EditView):
    def get_success_message(self) -> str:
        alert = self.object
        on = alert.status == BreakingNews.Status.ACTIVE
        extra = _not_shown(alert) if on else _other_banner(alert.pk)
        return f"{super().get_success_message()}{extra}"

    def save_instance(self) -> BreakingNews:
        self.has_content_changes = self.form.has_changed()
        return breaking_news_edit(
            alert=self.form.instance,
            changes=_changes(self.form, BREAKING_FIELDS),
            user=self.request.user,
        )


class BreakingNewsDeleteView(DeleteView):
    def get_success_message(self) -> str:
        return f"{super().get_success_message()}{_other_banner(None)}"

    def delete_action(self) -> None:
        breaking_news_delete(alert=self.object, user=self.request.user)


class BreakingNewsViewSet(SnippetViewSet):
    model = BreakingNews
    icon = "warning"
    menu_label = _("Breaking news")
    list_display = [
        "__str__",
        "page",
        "status",
        # "On" alone said nothing of whether readers see the banner (a flag set for later, an
        # expired one, one behind a newer flag all read "On").
        Column(
            "readers_see",
            label=_("Readers see"),
            accessor=lambda row: str(breaking_flag_state(row)),
        ),
        "starts_at",
        "expires_at",
    ]
    list_filter = ["status"]
    add_view_class = BreakingNewsCreateView
    edit_view_class = BreakingNewsEditView
    delete_view_class = BreakingNewsDeleteView

    def get_queryset(self, request: Any) -> Any:
        return breaking_flags_listed()


class LiveCoverageGroup(SnippetViewSetGroup):
    items = (LiveUpdateViewSet, BreakingNewsViewSet)
    menu_icon = "time"
    menu_label = _("Live coverage")
    menu_name = "live-coverage"


register_snippet(LiveCoverageGroup)


@hooks.register("register_page_header_buttons")
def live_updates_buttons(page: Any, user: Any, view_name: str, next_url: str | None = None) -> Any:
    """On a live page: its updates, and filing a new one, one click away."""
    if page.specific_class is not LivePage or not user.has_perm("live.add_liveupdate"):
        return
    listing = reverse("wagtailsnippets_live_liveupdate:list")
    add = reverse("wagtailsnippets_live_liveupdate:add")
    yield Button(_("Live updates"), f"{listing}?page={page.pk}", icon_name="time", priority=40)
    yield Button(_("File an update"), f"{add}?live_page={page.pk}", icon_name="plus", priority=41)
