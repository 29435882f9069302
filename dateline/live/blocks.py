"""What a live update's body is made of: the article's usual blocks, kept to what a reporter
files in a minute (text, a quote, a picture, an embedded post or video). Own block classes, so
a change to the article body's blocks never changes the updates' stored shape; rendered with
the article's block templates, so both look the same."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from dateline.news.blocks import LinkEmbedBlock

UPDATE_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class UpdateQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote.html"


class UpdateImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "news/blocks/figure.html"


class UpdateEmbedBlock(LinkEmbedBlock):
    """An embedded post or video, shown as a link to the original as on articles: nothing is
    fetched from its provider, when the update is saved or when it is read (Wagtail's own block
    put the provider's player in the update, or nothing at all when the provider did not
    answer at that moment)."""

    class Meta:
        icon = "media"
        template = "live/blocks/embed.html"


EMPTY_BODY_MESSAGE = "An update needs a body: add a paragraph, a quote, a picture or an embed."


class UpdateBodyBlock(blocks.StreamBlock):
    """At least one block, checked on save only. Not with ``Meta.min_num``: Wagtail's script
    shows a minimum count as an error as soon as the form opens, before anyone has typed."""

    paragraph = blocks.RichTextBlock(features=UPDATE_FEATURES)
    quote = UpdateQuoteBlock()
    image = UpdateImageBlock()
    embed = UpdateEmbedBlock(max_width=800)

    def clean(self, value: Any) -> Any:
        # ``required`` comes from the StreamField (blank=False).
        if self.required and not self.is_deferred_validation and len(value) == 0:
            raise StreamBlockValidationError(non_block_errors=[ValidationError(EMPTY_BODY_MESSAGE)])
        return super().clean(value)
