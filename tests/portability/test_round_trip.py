"""Export a site to WXR and import the file into an empty site: nothing is lost."""

from __future__ import annotations

import io
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.embeds.blocks import EmbedValue
from wagtail.images import get_image_model

from dateline.comments.models import Comment
from dateline.comments.services import email_key_for, path_segment
from dateline.comments.text import body_fingerprint, render_comment_body
from dateline.news.models import ArticlePage, Author, HomePage, SectionPage
from dateline.portability.models import ImportedObject
from dateline.portability.services import wxr_export, wxr_import

pytestmark = pytest.mark.django_db


def _image(title: str) -> Any:
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), "navy").save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")
    image.save()
    return image


def _comment(
    article: ArticlePage,
    *,
    name: str,
    body: str,
    status: str = "approved",
    parent: Comment | None = None,
    minutes: int = 0,
) -> Comment:
    created = timezone.now().replace(microsecond=0) - timedelta(days=3) + timedelta(minutes=minutes)
    segment = path_segment(created)
    email = f"{name.lower()}@mail.example"
    return Comment.objects.create(
        article=article,
        parent=parent,
        in_reply_to=parent,
        path=f"{parent.path}/{segment}" if parent else segment,
        thread=parent.thread if parent else segment,
        depth=parent.depth + 1 if parent else 0,
        status=status,
        author_name=name,
        author_email=email,
        email_key=email_key_for(email=email, user_id=None),
        author_url=f"https://{name.lower()}.example/",
        body=body,
        body_hash=body_fingerprint(body),
        created_at=created,
    )


def _seconds(moment: datetime | None) -> str | None:
    return moment.replace(microsecond=0).isoformat() if moment else None


def _block(block: Any) -> Any:
    value = block.value
    if block.block_type == "paragraph":
        return ("paragraph", value.source)
    if block.block_type == "image":
        return ("image", value["image"].title, value["caption"], value["credit"])
    if block.block_type == "embed":
        return ("embed", value["embed"].url, value["caption"])
    if block.block_type == "quote":
        return ("quote", value["text"], value["attribution"])
    return (block.block_type, str(value))


def describe_site() -> dict[str, Any]:
    """Everything a reader or editor would miss, keyed by what survives a move (slugs)."""
    site: dict[str, Any] = {
        "sections": sorted(SectionPage.objects.values_list("slug", "title", "description")),
        "authors": sorted(Author.objects.values_list("slug", "name")),
        "tags": sorted(Tag.objects.values_list("slug", "name")),
        "articles": {},
    }
    for article in ArticlePage.objects.all():
        scheduled = article.scheduled_revision
        if article.live:
            content = article
        elif scheduled is not None:
            content = scheduled.as_object()
        elif article.latest_revision_id:
            content = article.get_latest_revision_as_object()
        else:
            content = article
        comments = {c.pk: c for c in Comment.objects.filter(article=article)}

        def who(c: Comment | None) -> Any:
            return (c.author_name, c.body) if c is not None else None

        site["articles"][(article.get_parent().slug, content.slug)] = {
            "title": content.title,
            "standfirst": content.standfirst,
            "place": content.dateline_place,
            "language": content.language,
            "live": article.live,
            "first_published_at": _seconds(article.first_published_at),
            "scheduled_for": _seconds(scheduled.approved_go_live_at if scheduled else None),
            "body": [_block(b) for b in content.body],
            "tags": sorted(content.tags.names()),
            "authors": [entry.author.slug for entry in content.byline.all()],
            "comment_status": content.comment_status,
            "lead_image": (
                content.lead_image.title if content.lead_image else None,
                content.lead_image_caption,
                content.lead_image_credit,
            ),
            "comment_count": article.comment_count,
            "comments": sorted(
                (
                    who(c),
                    c.author_email,
                    c.author_url,
                    c.status,
                    _seconds(c.created_at),
                    c.depth,
                    who(comments.get(c.parent_id)) if c.parent_id else None,
                    who(comments.get(c.in_reply_to_id)) if c.in_reply_to_id else None,
                )
                for c in comments.values()
            ),
        }
    return site


@pytest.fixture
def newsroom(home: HomePage, article_factory: type, author_factory: type) -> None:
    world = SectionPage(title="World", slug="world", description="Beyond the harbour.")
    home.add_child(instance=world)
    world.save_revision().publish()
    city = SectionPage(title="City", slug="city")
    home.add_child(instance=city)
    city.save_revision().publish()
    mara = author_factory(name="Mara Quill", slug="mara-quill")
    ivo = author_factory(name="Ivo Brandt", slug="ivo-brandt")
    photo = _image("Quay at night")
    lead = _image("Lead picture")
    body = [
        ("paragraph", "<p>The first paragraph says what happened.</p>"),
        ("heading", "Why it matters"),
        (
            "paragraph",
            '<p>One.</p><p>Two, with <a href="https://example.org/x">a link</a> and <i>this</i>.</p>',
        ),
        ("quote", {"text": "We will rebuild.", "attribution": "The harbour master"}),
        ("paragraph", "<ul><li>First</li><li>Second <b>strong</b></li></ul>"),
        ("image", {"image": photo, "caption": "The quay", "credit": "Photo: Desk"}),
        (
            "embed",
            {"embed": EmbedValue("https://www.youtube.com/watch?v=abc123"), "caption": "Video"},
        ),
    ]
    storm = article_factory(
        parent=world,
        title="Storm closes the port",
        slug="storm",
        body=body,
        authors=[mara, ivo],
        tags=["Weather", "Port"],
        dateline_place="ROTTERDAM",
        language="fr",
        lead_image=lead,
        lead_image_caption="Waves",
        lead_image_credit="Agency",
    )
    article_factory(
        parent=city, title="Bridge repairs", slug="bridge", authors=[ivo], tags=["Port"]
    )
    article_factory(
        parent=city,
        title="Budget draft",
        slug="budget",
        live=False,
        first_published_at=None,
        last_published_at=None,
        comment_status="closed",
        authors=[mara],
    )
    scheduled = article_factory(
        parent=world,
        title="Regatta preview",
        slug="regatta",
        live=False,
        first_published_at=None,
        last_published_at=None,
        authors=[mara],
    )
    scheduled.go_live_at = timezone.now().replace(microsecond=0) + timedelta(days=30)
    scheduled.save_revision().publish()

    first = _comment(
        storm,
        name="Ines",
        body="Stay safe, everyone.\n\nAnd *thanks* for [the map](https://maps.example/).",
    )
    reply = _comment(storm, name="Olu", body="Will the ferry run?", parent=first, minutes=5)
    _comment(
        storm, name="Ines", body="Not before Friday & maybe later <sigh>", parent=reply, minutes=9
    )
    _comment(storm, name="Bot", body="cheap watches", status="spam", minutes=2)
    _comment(storm, name="Kai", body="Waiting for a moderator", status="pending", minutes=3)
    _comment(storm, name="Lee", body="Removed by its author", status="trash", minutes=4)
    storm.comment_count = 3
    ArticlePage.objects.filter(pk=storm.pk).update(comment_count=3)
    home.lead_article = storm
    home.save_revision().publish()


def _empty_site() -> None:
    """Everything the export wrote removed (replies first: a parent is protected while it has
    replies)."""
    for depth in reversed(range(10)):
        Comment.objects.filter(depth=depth).delete()
    for section in SectionPage.objects.all():
        section.delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()
    get_image_model().objects.all().delete()
    Redirect.objects.all().delete()
    assert not ArticlePage.objects.exists() and not Comment.objects.exists()


def test_export_then_import_into_an_empty_site_keeps_everything(
    newsroom: None, home: HomePage, tmp_path: Path
) -> None:
    before = describe_site()
    assert len(before["articles"]) == 4
    export = tmp_path / "dateline.xml"
    summary = wxr_export(path=export)
    assert summary.created["comments"] == 6 and summary.created["attachments"] == 2
    text = export.read_text(encoding="utf-8")
    assert "ines@mail.example" in text  # the operator's own file carries the addresses
    media_copy = tmp_path / "media-copy"
    shutil.copytree(settings.MEDIA_ROOT, media_copy)

    _empty_site()

    result = wxr_import(path=export, home=home, media_dir=media_copy)

    assert result.created["articles"] == 4 and result.created["comments"] == 6
    after = describe_site()
    for key in ("sections", "authors", "tags"):
        assert after[key] == before[key]
    assert set(after["articles"]) == set(before["articles"])
    for key, facts in before["articles"].items():
        for name, value in facts.items():
            assert (key, name, after["articles"][key][name]) == (key, name, value)
    assert ImportedObject.objects.filter(kind="post").count() == 4
    # The front page's lead, carried as WordPress's sticky flag.
    assert HomePage.objects.get(pk=home.pk).lead_article.slug == "storm"


def test_export_command_writes_the_file(newsroom: None, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("export_wxr", str(tmp_path / "out.xml"), "--no-progress", stdout=out)
    assert "6 comments" in out.getvalue()
    assert "@" not in out.getvalue()
    assert (tmp_path / "out.xml").read_text(encoding="utf-8").count("<item") == 6


CODE_COMMENTS = {
    "Fenced": (
        "The timetable script breaks here:\n\n"
        "```\nfor ferry in ferries:\n\n\n    if ferry.late:\n        print(ferry)\n```\n\n"
        "Any idea why?"
    ),
    "Indented": "Try this:\n\n    ferries.sort(key=by_time)\n        # then print\n\nWorked for me.",
    "Tildes": "~~~\n<script>x</script> & <b>not bold</b>\n  indented\n~~~\nThat is all.",
}


def test_a_comment_holding_code_keeps_its_formatting_through_export_and_import(
    newsroom: None, home: HomePage, tmp_path: Path
) -> None:
    storm = ArticlePage.objects.get(slug="storm")
    for minutes, (name, body) in enumerate(CODE_COMMENTS.items(), start=20):
        _comment(storm, name=name, body=body, minutes=minutes)
    before = {
        c.author_name: render_comment_body(c.body)
        for c in Comment.objects.filter(author_name__in=CODE_COMMENTS)
    }
    assert all("<pre><code>" in html for html in before.values())
    export = tmp_path / "dateline.xml"
    wxr_export(path=export)
    # WordPress shows a comment's text as HTML: its code is preformatted there too.
    assert export.read_text(encoding="utf-8").count("<pre><code>") == 3
    _empty_site()

    wxr_import(path=export, home=home)

    after = {
        c.author_name: c.body_html for c in Comment.objects.filter(author_name__in=CODE_COMMENTS)
    }
    assert after == {name: html.strip() for name, html in before.items()}
