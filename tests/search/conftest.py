from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from wagtail.search.index import insert_or_update_object

from tests.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory


def indexed(**kwargs: Any):
    """An article as the search index sees it after publishing (byline and tags included)."""
    article = ArticlePageFactory(**kwargs)
    article.refresh_from_db()
    insert_or_update_object(article)
    return article


def paragraphs(*texts: str) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{text}</p>") for text in texts]


@pytest.fixture
def archive(home):
    world = SectionPageFactory(parent=home, title="World", slug="world")
    business = SectionPageFactory(parent=home, title="Business", slug="business")
    ada = AuthorFactory(name="Ada Brennan", slug="ada-brennan")
    ravi = AuthorFactory(name="Ravi Menon", slug="ravi-menon")
    now = timezone.now()
    articles = {
        "reservoir": indexed(
            parent=world,
            title="Valley reservoir reaches record level",
            standfirst="Engineers open the spillway for the first time in a decade.",
            body=paragraphs("The reservoir above Selvik rose again overnight after heavy rain."),
            authors=[ada],
            tags=["Water"],
            first_published_at=now - timedelta(days=40),
        ),
        "drought": indexed(
            parent=world,
            title="Drought empties the northern lakes",
            standfirst="Farmers ask for help as water runs short.",
            body=paragraphs("The reservoir at Orvan is at a third of its usual level."),
            authors=[ravi],
            tags=["Water", "Climate"],
            first_published_at=now - timedelta(days=2),
        ),
        "bank": indexed(
            parent=business,
            title="Central bank holds interest rates",
            standfirst="Borrowers get no relief this month.",
            body=paragraphs("The bank's committee voted six to three."),
            authors=[ada],
            tags=["Economy"],
            first_published_at=now - timedelta(days=1),
        ),
        "arabic": indexed(
            parent=world,
            title="مؤتمر إقليمي يبحث سبل مواجهة شح المياه",
            standfirst="اجتمع خبراء ومسؤولون لمناقشة خطط مشتركة لتحلية المياه.",
            body=paragraphs(
                "وتركزت جلسات اليوم الأول على مشاريع تحلية مياه البحر بالطاقة الشمسية."
            ),
            language="ar",
            authors=[ravi],
            tags=["مياه"],
            first_published_at=now - timedelta(days=3),
        ),
    }
    return {"world": world, "business": business, "ada": ada, "ravi": ravi, **articles}
