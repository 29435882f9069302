from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from wagtail.contrib.redirects.models import Redirect

from dateline.comments.bodies import comment_bodies_refresh
from dateline.comments.models import Comment
from dateline.news.models import ArticlePage, HomePage, SectionPage
from dateline.portability.models import ImportedObject
from dateline.portability.parsing import ExportFileError
from dateline.portability.services import disqus_import

pytestmark = pytest.mark.django_db

# A small Disqus export written for these tests: two threads on our site (one by its new
# address, one by an old address a redirect knows), one thread nobody has.
DISQUS = """<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <category dsq:id="1"><forum>harbourgazette</forum><title>General</title><isDefault>true</isDefault></category>
  <thread dsq:id="t-1">
    <id>ferry-1</id><forum>harbourgazette</forum><category dsq:id="1"/>
    <link>https://gazette.example/harbour/ferry-late/</link>
    <title>The ferry runs late</title>
  </thread>
  <thread dsq:id="t-2">
    <link>https://gazette.example/2020/05/01/old-pier-story/</link>
    <title>The old pier</title>
  </thread>
  <thread dsq:id="t-3">
    <link>https://gazette.example/gone/away/</link>
    <title>A story we did not keep</title>
  </thread>
  <post dsq:id="p-1">
    <id/><message><![CDATA[<p>It was <b>forty</b> minutes, not thirty.</p>]]></message>
    <createdAt>2021-03-04T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Ines Alvaro</name><email>ines@mail.example</email><isAnonymous>false</isAnonymous></author>
    <thread dsq:id="t-1"/>
  </post>
  <post dsq:id="p-2">
    <message><![CDATA[<p>Thanks, corrected.</p>]]></message>
    <createdAt>2021-03-04T11:30:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Desk</name><email>desk@gazette.example</email></author>
    <thread dsq:id="t-1"/>
    <parent dsq:id="p-1"/>
  </post>
  <post dsq:id="p-3">
    <message><![CDATA[Buy cheap watches]]></message>
    <createdAt>2021-03-04T12:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>true</isSpam>
    <author><name>Bot</name><email>bot@spam.example</email></author>
    <thread dsq:id="t-1"/>
  </post>
  <post dsq:id="p-4">
    <message><![CDATA[]]></message>
    <createdAt>2021-03-04T12:30:00Z</createdAt>
    <isDeleted>true</isDeleted><isSpam>false</isSpam>
    <author><name>Gone</name><email>gone@mail.example</email></author>
    <thread dsq:id="t-1"/>
    <parent dsq:id="p-2"/>
  </post>
  <post dsq:id="p-5">
    <message><![CDATA[<p>I remember that pier.</p>]]></message>
    <createdAt>2020-05-02T08:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Old Reader</name><email>old@mail.example</email></author>
    <thread dsq:id="t-2"/>
  </post>
  <post dsq:id="p-6">
    <message><![CDATA[Lost comment]]></message>
    <createdAt>2020-05-02T09:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Someone</name><email>s@mail.example</email></author>
    <thread dsq:id="t-3"/>
  </post>
</disqus>
"""


@pytest.fixture
def articles(home: HomePage, article_factory: type) -> tuple[ArticlePage, ArticlePage]:
    harbour = SectionPage(title="Harbour", slug="harbour")
    home.add_child(instance=harbour)
    ferry = article_factory(parent=harbour, title="Ferry late", slug="ferry-late")
    pier = article_factory(parent=harbour, title="The new pier", slug="pier")
    Redirect.objects.create(old_path="/2020/05/01/old-pier-story", redirect_page=pier)
    return ferry, pier


def test_disqus_comments_land_on_the_article_at_their_address(
    tmp_path: Path, home: HomePage, articles: tuple[ArticlePage, ArticlePage]
) -> None:
    ferry, pier = articles
    path = tmp_path / "disqus.xml"
    path.write_text(DISQUS, encoding="utf-8")

    summary = disqus_import(path=path, home=home)

    ids = dict(ImportedObject.objects.filter(kind="comment").values_list("source_id", "object_id"))
    assert set(ids) == {"p-1", "p-2", "p-3", "p-4", "p-5"}
    c = {sid: Comment.objects.get(pk=pk) for sid, pk in ids.items()}
    assert c["p-1"].article_id == ferry.pk and c["p-5"].article_id == pier.pk
    assert c["p-1"].body == "It was **forty** minutes, not thirty."
    # Stored with its HTML, as a posted comment is: the first reader renders nothing.
    assert c["p-1"].body_html == "<p>It was <strong>forty</strong> minutes, not thirty.</p>"
    assert comment_bodies_refresh(comments=Comment.objects.all()) == 0
    assert (c["p-1"].status, c["p-3"].status, c["p-4"].status) == ("approved", "spam", "trash")
    assert c["p-2"].parent_id == c["p-1"].pk and c["p-4"].parent_id == c["p-2"].pk
    assert c["p-4"].path.startswith(c["p-2"].path + "/") and c["p-4"].depth == 2
    assert c["p-1"].author_email == "ines@mail.example"
    assert c["p-4"].body  # a deleted comment keeps a placeholder text
    ferry.refresh_from_db()
    pier.refresh_from_db()
    assert (ferry.comment_count, pier.comment_count) == (2, 1)
    assert summary.counts["threads with no matching article"] == 1
    assert summary.skipped["comments on threads with no matching article"] == 1
    assert any("gone/away" in note for note in summary.notes)
    assert mail.outbox == []

    again = disqus_import(path=path, home=home)
    assert Comment.objects.count() == 5
    assert again.existing["comments"] == 5 and not again.created


def test_a_disqus_post_without_a_date_stops_the_import(
    tmp_path: Path, home: HomePage, articles: tuple[ArticlePage, ArticlePage]
) -> None:
    path = tmp_path / "disqus.xml"
    path.write_text(
        DISQUS.replace("<createdAt>2020-05-02T08:00:00Z</createdAt>", ""), encoding="utf-8"
    )
    with pytest.raises(ExportFileError, match=r"disqus\.xml, line 47: .*createdAt"):
        disqus_import(path=path, home=home)
    assert not Comment.objects.exists()
