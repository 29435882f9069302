"""The slots editors arrange the front page and section pages with (a StreamField on each page:
revisions, preview and scheduled publishing are Wagtail's). Each slot names the stories an editor
chose, if any, and how many it shows; the places left empty are filled automatically
(``selectors.front_page``), so an empty slot, or one whose story was unpublished, never breaks
the page (docs/frontpage.md)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

MAX_PER_SLOT = 12


def _chosen(help_text: str | Promise) -> blocks.ListBlock:
    return blocks.ListBlock(
        blocks.PageChooserBlock(page_type="news.ArticlePage"),
        default=[],
        min_num=0,
        max_num=MAX_PER_SLOT,
        label=_("Chosen stories"),
        help_text=help_text,
    )


def _count(default: int, help_text: str | Promise = "") -> blocks.IntegerBlock:
    return blocks.IntegerBlock(
        min_value=1,
        max_value=MAX_PER_SLOT,
        default=default,
        label=_("How many"),
        help_text=help_text or _("Places left after the chosen stories show the newest."),
    )


class LeadSlot(blocks.StructBlock):
    article = blocks.PageChooserBlock(
        page_type="news.ArticlePage",
        required=False,
        label=_("Lead story"),
        help_text=_("Leave empty for the newest story."),
    )

    class Meta:
        icon = "pick"
        label = _("Lead story")


class StoriesSlot(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default=_("Top stories"))
    articles = _chosen(_("In this order; the newest stories fill the rest."))
    count = _count(4)

    class Meta:
        icon = "list-ul"
        label = _("Stories")


class LiveStripSlot(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default=_("Live"))
    count = _count(3, _("The newest live pages; the strip is hidden when there is none."))

    class Meta:
        icon = "time"
        label = _("Live strip")


class SectionSlot(blocks.StructBlock):
    section = blocks.PageChooserBlock(page_type="news.SectionPage", label=_("Section"))
    articles = _chosen(_("In this order; the section's newest stories fill the rest."))
    count = _count(3)

    class Meta:
        icon = "folder-open-inverse"
        label = _("Section block")


class LatestSlot(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default=_("Latest news"))
    count = _count(8, _("The newest stories not shown above."))

    class Meta:
        icon = "date"
        label = _("Latest news")


class MostReadSlot(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default=_("Most read"))
    count = _count(5, _("What readers read most lately (counted without cookies)."))

    class Meta:
        icon = "view"
        label = _("Most read")


class FrontSlots(blocks.StreamBlock):
    """The home page's slots."""

    lead = LeadSlot()
    stories = StoriesSlot()
    live = LiveStripSlot()
    section = SectionSlot()
    latest = LatestSlot()
    most_read = MostReadSlot()

    class Meta:
        block_counts = {"lead": {"max_num": 1}}
        max_num = 20


class SectionSlots(blocks.StreamBlock):
    """A section page's slots, above its list of stories; all within the section."""

    lead = LeadSlot()
    stories = StoriesSlot()
    live = LiveStripSlot()
    most_read = MostReadSlot()

    class Meta:
        block_counts = {"lead": {"max_num": 1}}
        max_num = 10
