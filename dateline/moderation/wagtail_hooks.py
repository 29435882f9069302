"""Section and article comment policies in the Wagtail admin (Snippets → Comment policies)."""

from __future__ import annotations

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ArticlePolicy, SectionPolicy

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
