"""The blocks an article body is made of.

Every block renders on the server to plain, valid HTML (``news/blocks/*.html``), styled by the
site's stylesheet; none needs a script. What an editor can get wrong is refused by the block's
own ``clean()``, so the message appears next to the field in the editor, never as an error page.
As with Wagtail's required fields, a draft may be unfinished (an empty gallery, a table without
rows); publishing, or submitting for review, is refused until it is complete.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import (
    TypedTable,
    TypedTableBlock,
    TypedTableBlockValidationError,
)
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

INLINE_FEATURES = ["bold", "italic", "link", "superscript", "subscript", "strikethrough"]

# The widths news/blocks/gallery.html asks for; read with the images, in one query per body.
GALLERY_RENDITIONS = ["width-400", "width-800"]
GALLERY_MIN_IMAGES = 2
GALLERY_MAX_IMAGES = 40
TIMELINE_MIN_EVENTS = 2


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "news/blocks/figure.html"


class LinkEmbedBlock(EmbedBlock):
    """Wagtail's embed block, kept as its address and checked as one. The page shows a link to
    the original (news/blocks/embed.html), never the provider's player, so saving asks the
    provider nothing: Wagtail's own block fetches the embed to validate it, and an article could
    not be saved, not even as a draft, while the provider was unreachable (or the newsroom
    offline)."""

    def clean(self, value: Any) -> Any:
        return blocks.URLBlock.clean(self, value)


class EmbedFigureBlock(blocks.StructBlock):
    embed = LinkEmbedBlock(
        help_text="A link to a video or post; shown as a link until a reader asks for it."
    )
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "news/blocks/embed.html"


def empty_items(block: blocks.StructBlock, count: int) -> list[dict[str, Any]]:
    """``count`` empty items of ``block``, each field at its own default, for a list block's
    first value (plain dicts: the migrations write them out)."""
    return [dict(block.get_default()) for _ in range(count)]


class GalleryImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        required=False,
        max_length=250,
        label="Alternative text",
        help_text="What the picture shows, for readers who cannot see it. "
        "Leave empty to use the image's own description.",
    )
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=120)

    def bulk_to_python(self, values: list[Any]) -> list[Any]:
        # Every picture of every gallery in the body arrives here at once: one query for the
        # images (the chooser's own), one for their renditions, however many pictures there are.
        pictures = super().bulk_to_python(values)
        images = [picture["image"] for picture in pictures if picture["image"] is not None]
        if images:
            renditions = (
                get_image_model()
                .get_rendition_model()
                .objects.filter(filter_spec__in=GALLERY_RENDITIONS)
            )
            # Into ``prefetched_renditions``, as Wagtail's own ``prefetch_renditions`` does, not
            # into the ``renditions`` manager: filled there, the manager answers from these two
            # sizes only, so a rendition of another size (the editor's 165 px chooser preview)
            # looks missing, its creation meets the stored row and the edit page was a 500.
            prefetch_related_objects(
                images,
                Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions"),
            )
        return pictures

    class Meta:
        icon = "image"
        label = "Picture"


class GalleryBlock(blocks.StructBlock):
    images = blocks.ListBlock(
        GalleryImageBlock(),
        min_num=GALLERY_MIN_IMAGES,
        max_num=GALLERY_MAX_IMAGES,
        # As many empty slots as the minimum: with Wagtail's one, its script showed "The
        # minimum number of items is 2" as soon as the block was added, before any choice.
        default=empty_items(GalleryImageBlock(), GALLERY_MIN_IMAGES),
        label="Pictures",
        help_text=f"At least {GALLERY_MIN_IMAGES} pictures; for one, use an image block.",
    )
    caption = blocks.CharBlock(
        required=False, max_length=300, help_text="What the pictures show together."
    )

    class Meta:
        icon = "image"
        label = "Gallery"
        template = "news/blocks/gallery.html"


class FiguresCellBlock(blocks.CharBlock):
    """A cell of figures: numbers as the newsroom writes them ("1,204", "12.5%", "–3"),
    aligned to the right so digits line up down the column."""

    class Meta:
        label = "Figures"
        icon = "decimal"


class ArticleTableBlock(TypedTableBlock):
    # A cell may be empty (a figure not in yet, nothing to say): a table's rows and columns,
    # its headings and caption are what it needs (``clean``).
    text = blocks.CharBlock(label="Text", max_length=300, required=False)
    figures = FiguresCellBlock(max_length=60, required=False)
    rich_text = blocks.RichTextBlock(
        label="Text with links", features=["bold", "italic", "link"], max_length=600, required=False
    )

    def clean(self, table: TypedTable) -> TypedTable:
        cleaned = super().clean(table)
        # A draft may be unfinished (as Wagtail defers required fields); publishing may not.
        if self.is_deferred_validation:
            return cleaned
        problems = []
        if not table.columns:
            problems.append(ValidationError("Add at least one column."))
        elif not table.row_data:
            problems.append(ValidationError("Add at least one row: a table needs its figures."))
        if any(not (column["heading"] or "").strip() for column in table.columns):
            problems.append(ValidationError("Give every column a heading."))
        if not (table.caption or "").strip():
            problems.append(
                ValidationError("Write a caption: it says what the table shows to every reader.")
            )
        if problems:
            raise TypedTableBlockValidationError(non_block_errors=problems)
        return cleaned

    class Meta:
        icon = "table"


class TableBlock(blocks.StructBlock):
    table = ArticleTableBlock()
    row_headers = blocks.BooleanBlock(
        required=False,
        label="First column names the rows",
        help_text="Read aloud before every cell of its row.",
    )
    source = blocks.CharBlock(
        required=False, max_length=300, help_text="Where the figures come from."
    )

    def get_context(
        self, value: Any, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        context = super().get_context(value, parent_context=parent_context)
        # A table brought in from WordPress may have no headings; then it has no header row.
        context["has_headings"] = any(
            (column["heading"] or "").strip() for column in value["table"].columns
        )
        return context

    class Meta:
        icon = "table"
        label = "Table"
        template = "news/blocks/table.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, help_text="For example “What we know”.")
    body = blocks.RichTextBlock(features=[*INLINE_FEATURES, "ol", "ul"])

    class Meta:
        icon = "list-ul"
        label = "Fact box"
        template = "news/blocks/factbox.html"


class TimelineEventBlock(blocks.StructBlock):
    when = blocks.CharBlock(
        max_length=60, help_text="As readers should see it: “1991”, “12 March”, “14:05”."
    )
    title = blocks.CharBlock(max_length=200)
    text = blocks.TextBlock(required=False, max_length=600)

    class Meta:
        icon = "time"
        label = "Event"


class TimelineBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=120)
    events = blocks.ListBlock(
        TimelineEventBlock(),
        min_num=TIMELINE_MIN_EVENTS,
        default=empty_items(TimelineEventBlock(), TIMELINE_MIN_EVENTS),  # as the gallery's
        help_text="In the order they happened, earliest first.",
    )

    class Meta:
        icon = "time"
        label = "Timeline"
        template = "news/blocks/timeline.html"


class PullQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(max_length=280, help_text="A short line from the story, set large.")
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = "Pull quote"
        template = "news/blocks/pullquote.html"


class RelatedLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        required=False, max_length=40, help_text="Shown above the link; “Read more” when empty."
    )
    page = blocks.PageChooserBlock(required=False, help_text="A page on this site …")
    url = blocks.URLBlock(required=False, label="URL", help_text="… or an address elsewhere.")
    title = blocks.CharBlock(
        required=False, max_length=200, help_text="The link's words; the page's title when empty."
    )
    summary = blocks.CharBlock(required=False, max_length=240)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        errors: dict[str, ValidationError] = {}
        if value.get("page") and value.get("url"):
            errors["url"] = ValidationError("Choose a page or give an address, not both.")
        elif self.is_deferred_validation:
            pass  # a draft may be unfinished; publishing may not
        elif not value.get("page") and not value.get("url"):
            errors["page"] = ValidationError("Choose a page or give an address.")
        elif value.get("url") and not (value.get("title") or "").strip():
            errors["title"] = ValidationError("Say where the address leads.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "link"
        label = "Related link"
        template = "news/blocks/related_link.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=[*INLINE_FEATURES, "ol", "ul"])
    heading = blocks.CharBlock(
        max_length=160, form_classname="title", template="news/blocks/heading.html"
    )
    quote = QuoteBlock()
    image = FigureBlock()
    embed = EmbedFigureBlock()
    gallery = GalleryBlock()
    table = TableBlock()
    fact_box = FactBoxBlock()
    timeline = TimelineBlock()
    pull_quote = PullQuoteBlock()
    related_link = RelatedLinkBlock()
