"""The blocks an article body is made of."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

INLINE_FEATURES = ["bold", "italic", "link", "superscript", "subscript", "strikethrough"]


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


class EmbedFigureBlock(blocks.StructBlock):
    embed = EmbedBlock(
        help_text="A link to a video or post; shown as a link until a reader asks for it."
    )
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "news/blocks/embed.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=[*INLINE_FEATURES, "ol", "ul"])
    heading = blocks.CharBlock(
        max_length=160, form_classname="title", template="news/blocks/heading.html"
    )
    quote = QuoteBlock()
    image = FigureBlock()
    embed = EmbedFigureBlock()
