"""Section and article comment policies in the Wagtail admin (Snippets → Comment policies), and
the learned filters' page (Learned filters: what is live, the history, rollback). The desk, the
comment listing, bans and desk assignments register their hooks in ``desk_hooks``, imported
here because Wagtail reads only ``wagtail_hooks``."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, desk_hooks  # noqa: F401 - desk_hooks registers the desk's hooks
from .models import ArticlePolicy, SectionPolicy
from .selectors import can_see_filters

_RULES = [
    FieldPanel("moderation"),
    FieldRowPanel([FieldPanel("signed_in_only"), FieldPanel("require_name_email")]),
    FieldRowPanel(
        [
            FieldPanel("close_after_days"),
            FieldPanel("hold_links"),
            FieldPanel("trust_after_approved"),
        ]
    ),
    FieldPanel("moderation_words"),
    FieldPanel("disallowed_words"),
]


class SectionPolicyViewSet(SnippetViewSet):
    model = SectionPolicy
    icon = "folder-open-inverse"
    menu_label = "Sections"
    list_display = ["section", "moderation", "staffed_days", "staffed_from", "staffed_until"]
    panels = [
        FieldPanel("section"),
        MultiFieldPanel(_RULES, heading="Rules (empty: as the site)"),
        MultiFieldPanel(
            [
                FieldPanel("staffed_days"),
                FieldRowPanel([FieldPanel("staffed_from"), FieldPanel("staffed_until")]),
                FieldPanel("timezone"),
                FieldPanel("outside_hours"),
            ],
            heading="Moderation hours",
        ),
    ]


class ArticlePolicyViewSet(SnippetViewSet):
    model = ArticlePolicy
    icon = "doc-full"
    menu_label = "Articles"
    list_display = ["article", "moderation", "signed_in_only", "close_after_days"]
    panels = [
        FieldPanel("article"),
        MultiFieldPanel(_RULES, heading="Rules (empty: as the section and the site)"),
        FieldPanel("ignore_hours"),
    ]


class CommentPolicyGroup(SnippetViewSetGroup):
    items = (SectionPolicyViewSet, ArticlePolicyViewSet)
    menu_label = "Comment policies"
    menu_icon = "comment"
    menu_name = "comment-policies"


register_snippet(CommentPolicyGroup)


# --- Learned filters ---------------------------------------------------------------------------


class FiltersMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return can_see_filters(request.user)


@hooks.register("register_admin_menu_item")
def filters_menu() -> MenuItem:
    return FiltersMenuItem(
        "Learned filters",
        reverse_lazy("moderation_filters"),
        icon_name="cogs",
        order=260,
        name="learned-filters",
    )


@hooks.register("register_admin_urls")
def filters_admin_urls() -> list[Any]:
    return [
        path("learned-filters/", admin_views.filters_view, name="moderation_filters"),
        path(
            "learned-filters/<str:kind>/rollback/",
            admin_views.filter_rollback_view,
            name="moderation_filter_rollback",
        ),
    ]
