"""What an editor can get wrong in the new blocks is refused next to the field, in the editor,
with everything typed still there: never an error page, never a half-saved article."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from dateline.news.models import ArticlePage, SectionPage
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(section: SectionPage) -> ArticlePage:
    return ArticlePageFactory(parent=section, title="Market prices rise again", slug="prices")


def post_body(
    client: Client, article: ArticlePage, blocks: list[tuple[str, Any]], *, publish: bool = True
) -> Any:
    """Publish (or save a draft) from the editor with ``blocks`` as the body; every other
    field as the editor's form shows it."""
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for key in [k for k in data if k.startswith("body-")]:
        del data[key]
    data.update(nested_form_data({"body": streamfield(blocks)}))
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(url, data)


def table(*, rows: list[list[str]], caption: str = "Prices at the Saturday market") -> dict:
    columns = [("text", "Stall"), ("figures", "Price")]
    value: dict[str, Any] = {
        "caption": caption,
        "column-count": len(columns),
        "row-count": len(rows),
    }
    for i, (kind, heading) in enumerate(columns):
        value.update(
            {
                f"column-{i}-type": kind,
                f"column-{i}-order": i,
                f"column-{i}-heading": heading,
                f"column-{i}-deleted": "",
            }
        )
    for r, row in enumerate(rows):
        value.update({f"row-{r}-order": r, f"row-{r}-deleted": ""})
        for c, cell in enumerate(row):
            value[f"cell-{r}-{c}"] = cell
    return {"table": value, "row_headers": "", "source": "Stallholders' own price boards"}


def gallery(count: int, caption: str = "Stalls at first light", images: list[Any] = ()) -> dict:
    items = {"count": count}
    for n in range(count):
        items[str(n)] = {
            "value": {
                "image": images[n].pk if images else "",
                "alt": "",
                "caption": f"Stall {n}",
                "credit": "",
            },
            "deleted": "",
            "order": n,
            "id": f"item-{n}",
        }
    return {"images": items, "caption": caption}


def body_errors(response: Any) -> Any:
    assert response.status_code < 500
    form = response.context["form"]
    assert not form.is_valid()
    return form.errors.as_data()["body"][0]


def block_messages(error: Any, index: int) -> str:
    """Every message said about the body's block ``index``, as the editor's script shows them
    next to that block (Wagtail's JSON for the field's errors)."""
    return str(error.block_errors[index].as_json_data())


def test_table_without_rows_is_refused_by_the_field(
    admin_client: Client, article: ArticlePage
) -> None:
    revisions = article.revisions.count()

    response = post_body(
        admin_client,
        article,
        [("paragraph", rich_text("<p>Up again.</p>")), ("table", table(rows=[]))],
    )

    error = body_errors(response)
    assert list(error.block_errors) == [1]
    assert "Add at least one row" in block_messages(error, 1)
    # What the editor typed comes back: the caption is in the form the editor shows again.
    assert "Prices at the Saturday market" in response.content.decode()
    assert article.revisions.count() == revisions


def test_table_without_a_caption_or_headings_is_refused(
    admin_client: Client, article: ArticlePage
) -> None:
    value = table(rows=[["Fish", "4.20"]], caption="")
    value["table"]["column-1-heading"] = ""

    error = body_errors(post_body(admin_client, article, [("table", value)]))

    messages = block_messages(error, 0)
    assert "Write a caption" in messages and "Give every column a heading" in messages


def test_gallery_without_pictures_is_refused_by_the_field(
    admin_client: Client, article: ArticlePage
) -> None:
    revisions = article.revisions.count()

    response = post_body(admin_client, article, [("gallery", gallery(0))])

    error = body_errors(response)
    assert "minimum number of items is 2" in block_messages(error, 0)
    assert "Stalls at first light" in response.content.decode()
    assert article.revisions.count() == revisions


def test_gallery_with_empty_picture_slots_names_the_missing_image(
    admin_client: Client, article: ArticlePage
) -> None:
    error = body_errors(post_body(admin_client, article, [("gallery", gallery(2))]))

    assert "This field is required" in block_messages(error, 0)


def test_related_link_needs_a_page_or_an_address_and_words_for_an_address(
    admin_client: Client, article: ArticlePage
) -> None:
    empty = {"label": "", "page": "", "url": "", "title": "", "summary": "Why it matters"}
    bare_url = {**empty, "url": "https://market.example/prices"}
    both = {**bare_url, "title": "Prices", "page": str(article.pk)}

    error = body_errors(
        post_body(
            admin_client,
            article,
            [("related_link", empty), ("related_link", bare_url), ("related_link", both)],
        )
    )

    assert "Choose a page or give an address." in block_messages(error, 0)
    assert "Say where the address leads." in block_messages(error, 1)
    assert "not both" in block_messages(error, 2)


def test_timeline_needs_two_events(admin_client: Client, article: ArticlePage) -> None:
    one = {
        "count": 1,
        "0": {
            "value": {"when": "1990", "title": "Market opens", "text": ""},
            "deleted": "",
            "order": 0,
            "id": "e0",
        },
    }

    error = body_errors(
        post_body(admin_client, article, [("timeline", {"title": "", "events": one})])
    )

    assert "minimum number of items is 2" in block_messages(error, 0)


def test_an_unfinished_gallery_may_wait_in_a_draft_but_is_not_published(
    admin_client: Client, article: ArticlePage
) -> None:
    """As Wagtail treats required fields: a draft keeps what is there so far."""
    draft = post_body(admin_client, article, [("gallery", gallery(0))], publish=False)

    assert draft.status_code == 302
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert [block.block_type for block in latest.body] == ["gallery"]
    live = ArticlePage.objects.get(pk=article.pk)
    assert [block.block_type for block in live.body] != ["gallery"]
    error = body_errors(post_body(admin_client, article, [("gallery", gallery(0))]))
    assert "minimum number of items is 2" in block_messages(error, 0)


def test_complete_blocks_are_published(
    admin_client: Client, article: ArticlePage, images: list[Any]
) -> None:
    response = post_body(
        admin_client,
        article,
        [
            ("table", table(rows=[["Fish", "4.20"], ["Bread", "1.10"]])),
            ("gallery", gallery(2, images=images)),
            ("fact_box", {"title": "In brief", "body": rich_text("<p>Prices rose.</p>")}),
            ("pull_quote", {"text": "Dearer every week.", "attribution": ""}),
        ],
    )

    assert response.status_code == 302, response.context and response.context["form"].errors
    live = ArticlePage.objects.get(pk=article.pk)
    assert [b.block_type for b in live.body] == ["table", "gallery", "fact_box", "pull_quote"]
    assert [row["values"] for row in live.body[0].value["table"].row_data] == [
        ["Fish", "4.20"],
        ["Bread", "1.10"],
    ]
    assert [item["image"] for item in live.body[1].value["images"]] == images[:2]


def test_an_article_with_a_gallery_opens_in_the_editor_again_and_again(
    admin_client: Client, rich_article: ArticlePage
) -> None:
    """The gallery's pictures carry their sizes for the page read with them; the editor's
    chooser asks for a size of its own (its preview), made on the first opening. The second
    opening was a 500 (IntegrityError: that preview was looked for among the gallery's sizes
    only, then created again)."""
    url = reverse("wagtailadmin_pages:edit", args=[rich_article.pk])

    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(rich_article.url).status_code == 200


def test_a_table_with_empty_cells_is_published_and_shows_them_empty(
    admin_client: Client, article: ArticlePage, client: Client
) -> None:
    # Tables have blank cells: a figure not yet known, a total that applies to one row only.
    response = post_body(
        admin_client, article, [("table", table(rows=[["Fish", ""], ["", "1.10"]]))]
    )

    assert response.status_code == 302, response.context and response.context["form"].errors
    live = ArticlePage.objects.get(pk=article.pk)
    assert [row["values"] for row in live.body[0].value["table"].row_data] == [
        ["Fish", ""],
        ["", "1.10"],
    ]
    html = client.get(live.url).content.decode()
    assert '<td class="block-table__text">Fish</td><td class="block-table__figures"></td>' in html
    assert "None" not in html.split('class="block-table"')[1].split("</figure>")[0]


def test_an_embed_is_published_without_asking_its_provider(
    admin_client: Client, article: ArticlePage, embed_provider_unreachable: list[str]
) -> None:
    """The page shows an embed as a link to the original, so nothing is fetched to save it:
    Wagtail's block asked the provider while validating, and with the provider unreachable (or
    the newsroom offline) the article could not be saved at all ("Cannot find an embed")."""
    asked = embed_provider_unreachable
    video = "https://video.example.org/watch/harbour-wall-at-high-tide"

    response = post_body(
        admin_client,
        article,
        [("embed", {"embed": video, "caption": "The wall at high tide"})],
    )

    assert response.status_code == 302, response.context and response.context["form"].errors
    assert asked == []
    live = ArticlePage.objects.get(pk=article.pk)
    assert [b.value["embed"].url for b in live.body] == [video]
    page = admin_client.get(live.url).content.decode()
    assert f'<a href="{video}" rel="noopener">The wall at high tide</a>' in page


def test_an_embed_address_that_is_not_one_is_refused_next_to_the_field(
    admin_client: Client, article: ArticlePage
) -> None:
    response = post_body(
        admin_client, article, [("embed", {"embed": "harbour wall video", "caption": ""})]
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid URL" in page
    assert "harbour wall video" in page  # what the editor typed is still there
    live = ArticlePage.objects.get(pk=article.pk)
    assert "embed" not in [b.block_type for b in live.body]
