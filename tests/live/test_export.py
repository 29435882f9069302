"""A live page exported to WordPress (which has no live coverage) goes as a post that carries its
key points and its published updates: the export dropped the updates, and a site moving away
lost its coverage of the day without a word."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from dateline.live.models import LivePage
from dateline.live.services import live_update_create, live_update_delete
from dateline.news.models import ArticlePage, HomePage
from dateline.portability.services import wxr_export, wxr_import

from .conftest import body

NS = {"content": "http://purl.org/rss/1.0/modules/content/"}


def exported_content(path: Path, title: str) -> str:
    tree = etree.parse(str(path))
    for item in tree.iter("item"):
        if item.findtext("title") == title:
            return item.findtext("content:encoded", namespaces=NS) or ""
    raise AssertionError(f"{title!r} is not in the export")


def test_a_live_page_goes_to_wordpress_with_its_key_points_and_updates(
    live_page: LivePage,
    reporter: Any,
    second_reporter: Any,
    home: HomePage,
    tmp_path: Path,
) -> None:
    live_page.key_points = "<p>Talks resumed at noon after a short break.</p>"
    live_page.save_revision().publish()
    live_update_create(page=live_page, body=body("Delegations arrive at the hall."), user=reporter)
    live_update_create(
        page=live_page,
        body=body("The joint statement is signed."),
        user=second_reporter,
        headline="Statement signed",
    )
    withdrawn = live_update_create(page=live_page, body=body("A rumour, withdrawn."), user=reporter)
    live_update_delete(update=withdrawn, user=reporter)
    export = tmp_path / "dateline.xml"

    summary = wxr_export(path=export)

    content = exported_content(export, live_page.title)
    assert "Talks resumed at noon after a short break." in content
    newest, oldest = (
        content.index("The joint statement is signed."),
        content.index("Delegations arrive at the hall."),
    )
    assert newest < oldest  # newest first, as the page shows them
    assert "Statement signed" in content
    assert reporter.author_profile.name in content
    assert second_reporter.author_profile.name in content
    assert "A rumour, withdrawn." not in content
    assert summary.counts["live updates written into their page's post"] == 2

    # Imported back (into a site with no such post yet), the coverage is an article's text.
    LivePage.objects.filter(pk=live_page.pk).delete()
    wxr_import(path=export, home=home)
    article = ArticlePage.objects.get(slug=live_page.slug)
    text = " ".join(str(block.value) for block in article.body)
    assert "The joint statement is signed." in text and "Delegations arrive at the hall." in text
