"""The admin's "Copy" makes a new article: it carries none of the original's history."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup

from dateline.news.models import ArticleCorrection, ArticlePage
from tests.factories import ArticlePageFactory


def test_a_copy_of_an_article_carries_none_of_its_corrections(admin_client: Any, section) -> None:
    article = ArticlePageFactory(parent=section, title="Sea wall vote", slug="sea-wall-vote")
    ArticleCorrection.objects.create(
        article=article, kind="correction", text="The wall is 4 metres high, not 40."
    )
    article.save_revision().publish()  # the log is in the published revision too
    assert "not 40" in admin_client.get(article.url).content.decode()

    response = admin_client.post(
        f"/admin/pages/{article.pk}/copy/",
        {
            "new_title": "Sea wall: the second vote",
            "new_slug": "sea-wall-second-vote",
            "new_parent_page": str(section.pk),
            "publish_copies": "on",
        },
    )

    assert response.status_code == 302
    copy = ArticlePage.objects.get(slug="sea-wall-second-vote")
    assert not copy.corrections.exists()
    assert not copy.get_latest_revision_as_object().corrections.exists()
    assert "not 40" not in admin_client.get(copy.url).content.decode()
    editor = BeautifulSoup(
        admin_client.get(f"/admin/pages/{copy.pk}/edit/").content.decode(), "html.parser"
    )
    assert editor.find("input", attrs={"name": "corrections-TOTAL_FORMS"})["value"] == "0"
    assert ArticlePage.objects.get(pk=article.pk).corrections.count() == 1
