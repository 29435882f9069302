"""Newsletters in Wagtail's admin: the newsletters as snippets, the issues as their own pages
(admin_views), both under one "Newsletters" menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Newsletter


class NewsletterViewSet(SnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = "Newsletters"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "schedule", "status"]
    list_filter = ["status", "schedule"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("status"),
        MultiFieldPanel(
            [FieldPanel("sections"), FieldPanel("tags"), FieldPanel("max_articles")],
            heading="What feeds it",
        ),
        MultiFieldPanel(
            [
                FieldPanel("schedule"),
                FieldRowPanel([FieldPanel("send_time"), FieldPanel("weekday")]),
                FieldPanel("time_zone"),
            ],
            heading="When it goes",
        ),
        MultiFieldPanel(
            [FieldPanel("template"), FieldPanel("sender_name"), FieldPanel("intro")],
            heading="How it looks",
        ),
    ]


register_snippet(NewsletterViewSet)


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return admin_views.urls()


class _IssuesMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(admin_views.VIEW)


@hooks.register("register_admin_menu_item")
def register_issues_menu_item() -> MenuItem:
    return _IssuesMenuItem(
        "Newsletter issues",
        reverse("newsletters_admin_issues"),
        icon_name="mail",
        order=311,
    )
