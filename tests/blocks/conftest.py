"""An article whose body uses every block an editor can add (news/blocks.py)."""

from __future__ import annotations

from typing import Any

import pytest
import wagtail_factories

from dateline.news.models import ArticlePage, SectionPage
from tests.factories import ArticlePageFactory


def gallery(images: list[Any], *, caption: str = "The harbour at dawn.") -> tuple[str, Any]:
    return (
        "gallery",
        {
            "caption": caption,
            "images": [
                {
                    "image": image,
                    "alt": f"Boat number {n} tied up at the quay" if n % 2 == 0 else "",
                    "caption": f"Boat {n} back from the night's catch.",
                    "credit": "Photo: Ilse Marten",
                }
                for n, image in enumerate(images)
            ],
        },
    )


TABLE = (
    "table",
    {
        "table": {
            "caption": "Catch landed at the port, in tonnes",
            "columns": [
                {"type": "text", "heading": "Species"},
                {"type": "figures", "heading": "2024"},
                {"type": "figures", "heading": "2025"},
                {"type": "rich_text", "heading": "Notes"},
            ],
            "rows": [
                {"values": ["Herring", "1,204", "980", "<p>Quota <b>cut</b> in March.</p>"]},
                {"values": ["Mackerel", "655", "702", "<p>Steady.</p>"]},
            ],
        },
        "row_headers": True,
        "source": "Port authority landing records",
    },
)
FACT_BOX = (
    "fact_box",
    {
        "title": "The port in numbers",
        "body": "<ul><li>Forty boats registered</li><li>Two fish markets a week</li></ul>",
    },
)
TIMELINE = (
    "timeline",
    {
        "title": "How the quota changed",
        "events": [
            {
                "when": "1998",
                "title": "Quota introduced",
                "text": "A cap on herring for the first time.",
            },
            {"when": "March 2025", "title": "Quota cut", "text": ""},
        ],
    },
)
PULL_QUOTE = (
    "pull_quote",
    {"text": "We go out further every year for the same catch.", "attribution": "A skipper"},
)


def related(
    *, page: Any = None, url: str = "", title: str = "", label: str = ""
) -> tuple[str, Any]:
    return (
        "related_link",
        {"label": label, "page": page, "url": url, "title": title, "summary": "Background."},
    )


@pytest.fixture
def images(db: None) -> list[Any]:
    # Wide enough for every rendition the gallery asks for (width-400 and width-800).
    return [
        wagtail_factories.ImageFactory(title=f"Harbour {n}", file__width=900, file__height=600)
        for n in range(3)
    ]


@pytest.fixture
def background(section: SectionPage) -> ArticlePage:
    return ArticlePageFactory(parent=section, title="Why the herring moved north")


@pytest.fixture
def rich_article(section: SectionPage, images: list[Any], background: ArticlePage) -> ArticlePage:
    return ArticlePageFactory(
        parent=section,
        title="Fishing port counts a leaner season",
        body=[
            ("paragraph", "<p>The boats came back lighter this year.</p>"),
            gallery(images),
            TABLE,
            FACT_BOX,
            TIMELINE,
            PULL_QUOTE,
            related(page=background, label="Background"),
            related(url="https://fisheries.example/report", title="The fisheries report"),
        ],
    )
