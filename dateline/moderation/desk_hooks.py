"""The moderators' admin: the comment listing they work from (with its actions and bulk actions),
the desk's menu, dashboard panel and views, bans and desk assignments. Imported by
``moderation.wagtail_hooks``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.html import format_html
from django.views.generic import RedirectView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.sidebar import SubMenuItem as SubMenuItemComponent
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    HistoryView,
    InspectView,
    SnippetViewSet,
    UsageView,
)

import dateline.core.converters  # noqa: F401 - registers <id:…>
from dateline.comments.models import Comment
from dateline.news.models import ArticlePage

from . import desk_forms_views, desk_views
from .desk import desk_ban_lift, desk_bulk_start
from .desk_selectors import QUEUES, can_moderate, desk_counts, moderatable_comments
from .models import CommentBan, DeskAssignment, DeskBulkJob


class CommentFilterSet(WagtailFilterSet):
    class Meta:
        model = Comment
        fields = ["status"]


class ExcerptColumn(Column):
    def get_value(self, instance: Any) -> str:
        text = instance.body if len(instance.body) <= 140 else instance.body[:139] + "…"
        return text


class ReasonsColumn(Column):
    def get_value(self, instance: Any) -> str:
        return "; ".join(r.get("reason", "") for r in instance.moderation_reasons or [])


class _OnlyModeratableComment:
    """A snippet view of one comment that answers 404 for a comment outside the moderator's
    sections, as the desk does (Wagtail's own views look the object up by id alone)."""

    request: Any

    def get_object(self, *args: Any) -> Any:
        comment = super().get_object(*args)  # type: ignore[misc]
        if not moderatable_comments(user=self.request.user).filter(pk=comment.pk).exists():
            raise Http404
        return comment


class CommentInspectView(_OnlyModeratableComment, InspectView):
    pass


class CommentHistoryView(_OnlyModeratableComment, HistoryView):
    pass


class CommentUsageView(_OnlyModeratableComment, UsageView):
    pass


class CommentDeleteView(_OnlyModeratableComment, DeleteView):
    pass


class _WithoutChooser:
    """No chooser (``/admin/snippets/choose/…``) for this snippet. Wagtail registers one for
    every snippet model and lets anyone with admin access use it, over the whole table: a
    Reporter could read held and spam comments, a section-limited moderator other sections',
    anyone the banned addresses. Nothing in Dateline chooses a comment, a ban or a desk
    assignment (no panel or block points at them), so there is none to restrict."""

    def register_chooser_viewset(self) -> None:
        return None


class CommentViewSet(_WithoutChooser, SnippetViewSet):
    """Every comment as a table (the desk's "All comments" link); editing goes to the desk's
    edit form, which keeps the original text."""

    model = Comment
    icon = "comment"
    menu_label = "Comments"
    menu_order = 250
    add_to_admin_menu = False
    list_display = [
        "author_name",
        ExcerptColumn("body", label="Comment"),
        "article",
        "status",
        ReasonsColumn("moderation_reasons", label="Why held"),
        "created_at",
    ]
    filterset_class = CommentFilterSet
    search_fields = ["author_name", "body"]
    search_backend_name = None  # the database's own matching: comments are not in the search index
    ordering = ["-created_at"]
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_class = CommentInspectView
    history_view_class = CommentHistoryView
    usage_view_class = CommentUsageView
    delete_view_class = CommentDeleteView
    panels = [FieldPanel("body")]
    inspect_view_fields = [
        "article",
        "author_name",
        "author_url",
        "status",
        "body",
        "created_at",
        "edited_at",
        "moderation_reasons",
        "likes_count",
        "reports_count",
        "ip_prefix",
    ]

    def get_queryset(self, request: Any) -> Any:
        return moderatable_comments(user=request.user).select_related("article")

    @property
    def edit_view(self) -> Any:
        def redirect_to_desk(request: Any, pk: Any) -> HttpResponse:
            return HttpResponseRedirect(reverse("comments_desk_edit", args=[pk]))

        return redirect_to_desk


register_snippet(CommentViewSet)


class CommentBanEditView(EditView):
    """Lifting a ban in its form (filling in "lifted at") goes through the desk's
    ``desk_ban_lift``, so the lift is logged as one (the rest of the form saves as usual)."""

    def save_instance(self) -> Any:
        form = self.form
        lifted = form.cleaned_data.get("lifted_at")
        if "lifted_at" not in form.changed_data or lifted is None or form.initial.get("lifted_at"):
            return super().save_instance()
        form.instance.lifted_at = None
        ban = super().save_instance()
        return desk_ban_lift(ban=ban, actor=self.request.user, at=lifted)


class CommentBanViewSet(_WithoutChooser, SnippetViewSet):
    model = CommentBan
    edit_view_class = CommentBanEditView
    icon = "cross"
    menu_label = "Commenter bans"
    add_to_admin_menu = False
    list_display = ["email_key", "ip_prefix", "reason", "expires_at", "lifted_at", "created_at"]
    search_fields = ["email_key", "ip_prefix", "reason"]
    search_backend_name = None
    panels = [
        FieldPanel("email_key"),
        FieldPanel("ip_prefix"),
        FieldPanel("reason"),
        FieldPanel("expires_at"),
        FieldPanel("lifted_at"),
    ]


class DeskAssignmentViewSet(_WithoutChooser, SnippetViewSet):
    model = DeskAssignment
    icon = "group"
    menu_label = "Desk assignments"
    add_to_admin_menu = False
    list_display = ["user", "group", "section"]
    panels = [FieldPanel("user"), FieldPanel("group"), FieldPanel("section")]

    def get_queryset(self, request: Any) -> Any:
        return DeskAssignment.objects.select_related("user", "group", "section")


register_snippet(CommentBanViewSet)
register_snippet(DeskAssignmentViewSet)


# --- The desk in the menu and on the dashboard -----------------------------------------------------


class DeskMenuItem(MenuItem):
    """A queue in the menu, its label carrying the (briefly cached) number of comments in it."""

    def __init__(self, queue: str, **kwargs: Any) -> None:
        self.queue = queue
        super().__init__(QUEUES[queue][0], reverse_lazy("comments_desk", args=[queue]), **kwargs)

    def is_shown(self, request: Any) -> bool:
        return can_moderate(request.user)

    def render_component(self, request: Any) -> Any:
        count = desk_counts(user=request.user)[self.queue]
        return LinkMenuItemComponent(
            self.name,
            f"{self.label} ({count:,})",
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class DeskSubmenu(SubmenuMenuItem):
    def render_component(self, request: Any) -> Any:
        counts = desk_counts(user=request.user)
        waiting = counts["pending"] + counts["reported"]
        return SubMenuItemComponent(
            self.name,
            f"{self.label} ({waiting:,})" if waiting else self.label,
            self.menu.render_component(request),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class PermittedMenuItem(MenuItem):
    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(self.permission))


@hooks.register("register_admin_menu_item")
def desk_menu() -> MenuItem:
    items: list[MenuItem] = [
        DeskMenuItem(queue, icon_name="comment", order=10 * n)
        for n, queue in enumerate(QUEUES, start=1)
    ]
    items += [
        PermittedMenuItem(
            "Workload",
            reverse_lazy("comments_desk_workload"),
            icon_name="time",
            order=100,
            permission="comments.change_comment",
        ),
        PermittedMenuItem(
            "All comments (table)",
            reverse_lazy("wagtailsnippets_comments_comment:list"),
            icon_name="list-ul",
            order=110,
            permission="comments.change_comment",
        ),
        PermittedMenuItem(
            "Commenter bans",
            reverse_lazy("wagtailsnippets_moderation_commentban:list"),
            icon_name="cross",
            order=120,
            permission="moderation.view_commentban",
        ),
        PermittedMenuItem(
            "Desk assignments",
            reverse_lazy("wagtailsnippets_moderation_deskassignment:list"),
            icon_name="group",
            order=130,
            permission="moderation.change_deskassignment",
        ),
    ]
    return DeskSubmenu(
        "Comment desk", Menu(items=items), icon_name="comment", order=250, name="comment-desk"
    )


class DeskPanel(Component):
    name = "comment_desk"
    template_name = "moderation/desk/desk_panel.html"
    order = 50

    class Media:
        css = {"all": ["moderation/desk.css"]}

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        counts = desk_counts(user=request.user)
        return {
            "queues": [
                (key, label, counts[key], reverse("comments_desk", args=[key]))
                for key, (label, _) in QUEUES.items()
            ],
            "workload_url": reverse("comments_desk_workload"),
        }


@hooks.register("construct_homepage_panels")
def desk_panel(request: Any, panels: list[Any]) -> None:
    if can_moderate(request.user):
        panels.append(DeskPanel())


@hooks.register("register_admin_urls")
def comment_admin_urls() -> list[Any]:
    return [
        path(
            "comments/desk/",
            RedirectView.as_view(pattern_name="comments_desk", permanent=False),
            {"queue": "pending"},
            name="comments_desk_home",
        ),
        path("comments/desk/bulk/", desk_views.desk_bulk_view, name="comments_desk_bulk"),
        path("comments/desk/jobs/<id:pk>/", desk_views.desk_job_view, name="comments_desk_job"),
        path(
            "comments/desk/workload/",
            desk_views.desk_workload_view,
            name="comments_desk_workload",
        ),
        path("comments/desk/comment/<id:pk>/", desk_views.desk_act, name="comments_desk_act"),
        path(
            "comments/desk/comment/<id:pk>/undo/",
            desk_views.desk_undo_view,
            name="comments_desk_undo",
        ),
        path(
            "comments/desk/comment/<id:pk>/edit/",
            desk_forms_views.desk_edit_view,
            name="comments_desk_edit",
        ),
        path(
            "comments/desk/comment/<id:pk>/reply/",
            desk_forms_views.desk_reply_view,
            name="comments_desk_reply",
        ),
        path(
            "comments/desk/comment/<id:pk>/ban/",
            desk_forms_views.desk_ban_view,
            name="comments_desk_ban",
        ),
        path("comments/desk/<str:queue>/", desk_views.DeskView.as_view(), name="comments_desk"),
        path(
            "comments/desk/<str:queue>/results/",
            desk_views.DeskView.as_view(results_only=True),
            name="comments_desk_results",
        ),
        path(
            "comments/<id:pk>/<str:action>/",
            desk_views.moderate_comment,
            name="comments_moderate",
        ),
        path(
            "articles/<id:pk>/comments/toggle/",
            desk_views.toggle_article_comments,
            name="comments_toggle_article",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def comment_listing_buttons(
    snippet: Any, user: Any, next_url: str | None = None
) -> Iterator[ListingButton]:
    if not isinstance(snippet, Comment) or not user.has_perm("comments.change_comment"):
        return
    actions = [
        a
        for a in ("approve", "hold", "spam", "trash")
        if Comment.Status(snippet.status)
        != {"approve": "approved", "hold": "pending", "spam": "spam", "trash": "trash"}[a]
    ]
    actions.append("unfeature" if snippet.featured_at else "feature")
    for priority, action in enumerate(actions):
        url = reverse("comments_moderate", args=[snippet.pk, action]) + (
            f"?next={next_url}" if next_url else ""
        )
        yield ListingButton(desk_views.ACTION_LABELS[action], url, priority=10 + priority)


@hooks.register("register_page_listing_more_buttons")
def article_comment_buttons(
    page: Any, user: Any, next_url: str | None = None, **kwargs: Any
) -> Iterator[ListingButton]:
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if isinstance(specific, ArticlePage) and specific.permissions_for_user(user).can_publish():
        label = "Close comments" if specific.comment_status == "open" else "Reopen comments"
        yield ListingButton(label, reverse("comments_toggle_article", args=[page.pk]), priority=60)


class _ModerateBulkAction(SnippetBulkAction):
    models = [Comment]
    template_name = "moderation/desk/bulk_confirm.html"
    moderation: str = ""

    def check_perm(self, snippet: Any) -> bool:
        return bool(self.request.user.has_perm("comments.change_comment"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}

    def get_queryset(self, model: Any, object_ids: Any) -> Any:
        # Only comments the moderator may act on (their sections); the rest are not found.
        found = moderatable_comments(user=self.request.user).filter(pk__in=object_ids)
        if not found:
            raise Http404
        return found

    def form_valid(self, form: Any) -> HttpResponse:
        # Wagtail runs ``execute_action`` inside one transaction, which would hold the write
        # lock for the whole selection and log the decisions without a moderator. The desk's
        # own path instead: chunked transactions, the real actor, a queued job when large.
        objects, _ = self.get_actionable_objects()
        outcome = desk_bulk_start(
            comment_ids=[o.pk for o in objects],
            action=self.moderation,
            actor=self.request.user,
            description=f"{self.display_name} (comments table)",
        )
        if isinstance(outcome, DeskBulkJob):
            return HttpResponseRedirect(reverse("comments_desk_job", args=[outcome.pk]))
        messages.success(self.request, self.get_success_message(outcome.changed, 0))
        return redirect(self.next_url)

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return format_html("{}: {} comment(s).", self.display_name, num_parent_objects)


@hooks.register("register_bulk_action")
class ApproveBulkAction(_ModerateBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected comments"
    moderation = "approve"
    action_priority = 10


@hooks.register("register_bulk_action")
class SpamBulkAction(_ModerateBulkAction):
    display_name = "Mark as spam"
    action_type = "spam"
    aria_label = "Mark the selected comments as spam"
    moderation = "spam"
    action_priority = 20


@hooks.register("register_bulk_action")
class TrashBulkAction(_ModerateBulkAction):
    display_name = "Trash"
    action_type = "trash"
    aria_label = "Move the selected comments to the trash"
    moderation = "trash"
    action_priority = 30
