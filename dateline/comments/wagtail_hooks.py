"""The comments in the Wagtail admin: a listing moderators work from, with actions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from dateline.news.models import ArticlePage

from . import admin_views
from .models import Comment
from .services import comment_staff_edited, comments_moderate


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


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    menu_order = 250
    add_to_admin_menu = True
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
        return Comment.objects.select_related("article")


register_snippet(CommentViewSet)


@hooks.register("register_admin_urls")
def comment_admin_urls() -> list[Any]:
    return [
        path(
            "comments/<int:pk>/<str:action>/",
            admin_views.moderate_comment,
            name="comments_moderate",
        ),
        path(
            "articles/<int:pk>/comments/toggle/",
            admin_views.toggle_article_comments,
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
        yield ListingButton(admin_views.ACTION_LABELS[action], url, priority=10 + priority)


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
    template_name = "comments/admin/bulk_confirm.html"
    moderation: str = ""

    def check_perm(self, snippet: Any) -> bool:
        return bool(self.request.user.has_perm("comments.change_comment"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}

    @classmethod
    def execute_action(cls, objects: Any, user: Any = None, **kwargs: Any) -> tuple[int, int]:
        return comments_moderate(
            comment_ids=[o.pk for o in objects], action=cls.moderation, actor=user
        ), 0

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


@hooks.register("after_edit_snippet")
def after_comment_edit(request: Any, instance: Any) -> None:
    if isinstance(instance, Comment):
        comment_staff_edited(comment=instance, actor=request.user)
