"""The WordPress Theme Unit Test export, imported whole and checked against the file itself.

The expected figures come from reading the file with the standard library's ElementTree, not
from the importer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

from dateline.comments.models import Comment
from dateline.news.models import ArticlePage, Author, HomePage, SectionPage
from dateline.portability.models import ImportedObject
from dateline.portability.services import wxr_import

pytestmark = pytest.mark.django_db

STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}


def _wp_namespace(root: ET.Element) -> str:
    for element in root.iter():
        if element.tag.endswith("}wxr_version"):
            return element.tag[: element.tag.index("}") + 1]
    raise AssertionError("no wxr_version")


def expected_from_file(path: Path) -> dict[str, Any]:
    root = ET.parse(path).getroot()  # noqa: S314 - the file is trusted test data
    wp = _wp_namespace(root)
    channel = root.find("channel")
    assert channel is not None
    category_names = {
        c.findtext(f"{wp}category_nicename"): c.findtext(f"{wp}cat_name")
        for c in channel.findall(f"{wp}category")
    }
    categories = set(category_names)
    # A tag is its slug, named as first seen; two slugs with one name are one tag (taggit's
    # names are unique).
    tag_names = {
        t.findtext(f"{wp}tag_slug"): t.findtext(f"{wp}tag_name")
        for t in channel.findall(f"{wp}tag")
    }
    posts: dict[str, dict[str, Any]] = {}
    comments: dict[str, dict[str, Any]] = {}
    for item in channel.findall("item"):
        if item.findtext(f"{wp}post_type") != "post":
            continue
        post_id = item.findtext(f"{wp}post_id") or ""
        own_categories = [
            c.get("nicename") for c in item.findall("category") if c.get("domain") == "category"
        ]
        categories.update(own_categories or ["uncategorized"])
        own_tags = [
            (c.get("nicename"), c.text)
            for c in item.findall("category")
            if c.get("domain") == "post_tag"
        ]
        for slug, name in own_tags:
            tag_names.setdefault(slug, name)
        # A post's categories after its first are its tags, named as their sections.
        for element in item.findall("category"):
            if element.get("domain") == "category":
                category_names.setdefault(element.get("nicename"), element.text)
        also_in = [c for c in dict.fromkeys(own_categories[1:]) if c != own_categories[0]]
        posts[post_id] = {
            "status": item.findtext(f"{wp}status"),
            "password": item.findtext(f"{wp}post_password") or "",
            "date": item.findtext(f"{wp}post_date_gmt"),
            "title": (item.findtext("title") or "").strip(),
            "link": item.findtext("link"),
            "section": own_categories[0] if own_categories else "uncategorized",
            "tags": own_tags,
            "also_in": also_in,
        }
        for comment in item.findall(f"{wp}comment"):
            if (comment.findtext(f"{wp}comment_type") or "comment") != "comment":
                continue
            comment_id = comment.findtext(f"{wp}comment_id") or ""
            comments[comment_id] = {
                "post": post_id,
                "parent": comment.findtext(f"{wp}comment_parent") or "0",
                "status": STATUS[comment.findtext(f"{wp}comment_approved") or "0"],
                "date": comment.findtext(f"{wp}comment_date_gmt"),
            }
    category_tags = {category_names[c] for p in posts.values() for c in p["also_in"]}
    return {
        "authors": len(channel.findall(f"{wp}author")),
        "categories": categories,
        "category_names": category_names,
        "tags": set(tag_names.values()) | category_tags,
        "posts": posts,
        "tag_names": tag_names,
        "comments": comments,
    }


def _aware(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def _mapping(kind: str) -> dict[str, int]:
    return dict(ImportedObject.objects.filter(kind=kind).values_list("source_id", "object_id"))


def test_theme_unit_test_export_is_imported_whole(theme_file: Path, home: HomePage) -> None:
    expected = expected_from_file(theme_file)
    assert not ArticlePage.objects.exists() and not Comment.objects.exists()

    summary = wxr_import(path=theme_file, home=home)

    # The figures the file's PROVENANCE.md gives, so a change in either side is noticed.
    assert len(expected["posts"]) == 58
    assert len(expected["comments"]) == 24
    assert ArticlePage.objects.count() == len(expected["posts"])
    assert SectionPage.objects.count() == len(expected["categories"])
    assert set(SectionPage.objects.values_list("slug", flat=True)) >= {"uncategorized", "cat-a"}
    assert Tag.objects.count() == len(expected["tags"])
    assert Author.objects.count() == expected["authors"]
    assert Comment.objects.count() == len(expected["comments"])
    assert summary.created["comments"] == len(expected["comments"])
    assert summary.skipped["page items"] == 21
    assert summary.skipped["pingbacks"] == 2 and summary.skipped["trackbacks"] == 2
    assert summary.skipped["redirects already taken"] == 0

    articles = _mapping("post")
    comment_pks = _mapping("comment")
    source_of = {pk: sid for sid, pk in comment_pks.items()}
    assert set(comment_pks) == set(expected["comments"])
    stored = {c.pk: c for c in Comment.objects.all()}
    for source_id, facts in expected["comments"].items():
        comment = stored[comment_pks[source_id]]
        assert comment.article_id == articles[facts["post"]]
        assert comment.status == facts["status"]
        assert comment.created_at == _aware(facts["date"])
        parent = None if facts["parent"] == "0" else facts["parent"]
        assert (source_of[comment.parent_id] if comment.parent_id else None) == parent
        assert (source_of[comment.in_reply_to_id] if comment.in_reply_to_id else None) == parent
        # The materialized path agrees with the parent relation.
        if comment.parent_id:
            assert comment.path.startswith(stored[comment.parent_id].path + "/")
            assert comment.depth == stored[comment.parent_id].depth + 1
        else:
            assert comment.depth == 0 and comment.thread == comment.path
    assert max(c.depth for c in stored.values()) == 9  # "Template: Comments", ten levels

    statuses = Counter(p["status"] for p in expected["posts"].values())
    for post_id, facts in expected["posts"].items():
        article = ArticlePage.objects.get(pk=articles[post_id])
        assert set(article.tags.values_list("name", flat=True)) == {
            expected["tag_names"][slug] for slug, _ in facts["tags"]
        } | {expected["category_names"][slug] for slug in facts["also_in"]}
        assert article.get_parent().slug == facts["section"]
        assert article.section is not None and article.section.slug == facts["section"]
        assert article.title == (facts["title"] or "Untitled")
        # Every old address of the post leads to the article.
        for old in (facts["link"], f"/?p={post_id}"):
            assert (
                Redirect.objects.get(old_path=Redirect.normalise_path(old)).redirect_page_id
                == article.pk
            )
        if facts["status"] == "publish" and not facts["password"]:
            assert article.live
            assert article.first_published_at == _aware(facts["date"])
        elif facts["status"] == "future":
            assert not article.live
            assert article.go_live_at == _aware(facts["date"])
            assert Revision.page_revisions.filter(
                object_id=str(article.pk), approved_go_live_at=_aware(facts["date"])
            ).exists()
        else:
            assert not article.live
    assert ArticlePage.objects.filter(live=True).count() == statuses["publish"] - sum(
        1 for p in expected["posts"].values() if p["password"]
    )
    # Comment counts: approved comments per article.
    for article in ArticlePage.objects.filter(comments__isnull=False).distinct():
        assert article.comment_count == article.comments.filter(status="approved").count()
    assert mail.outbox == []


def test_old_addresses_redirect_to_the_new_article(
    theme_file: Path, home: HomePage, client: Any
) -> None:
    wxr_import(path=theme_file, home=home)
    article = ArticlePage.objects.get(slug="template-comments")
    redirect = Redirect.objects.get(old_path="/2012/01/03/template-comments")
    assert redirect.redirect_page_id == article.pk
    post_id = ImportedObject.objects.get(kind="post", object_id=article.pk).source_id
    assert Redirect.objects.filter(old_path=f"/?p={post_id}", redirect_page=article).exists()
    response = client.get("/2012/01/03/template-comments/")
    assert response.status_code == 301
    assert response["Location"].endswith(article.url)


def test_a_second_run_changes_nothing(theme_file: Path, home: HomePage) -> None:
    wxr_import(path=theme_file, home=home)

    def snapshot() -> dict[str, Any]:
        return {
            "pages": list(Page.objects.order_by("pk").values_list("pk", "path", "live", "title")),
            "revisions": Revision.objects.count(),
            "comments": list(Comment.objects.order_by("pk").values_list("pk", "path", "status")),
            "tags": Tag.objects.count(),
            "authors": Author.objects.count(),
            "redirects": Redirect.objects.count(),
            "mappings": ImportedObject.objects.count(),
        }

    before = snapshot()
    again = wxr_import(path=theme_file, home=home)
    assert snapshot() == before
    assert not again.created
    assert again.existing["articles"] == ArticlePage.objects.count()


def test_the_ten_level_thread_renders_in_order(
    theme_file: Path, home: HomePage, client: Any
) -> None:
    wxr_import(path=theme_file, home=home)
    article = ArticlePage.objects.get(slug="template-comments")
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.find(f"Comment Depth {n:02d}") for n in range(1, 11)]
    assert -1 not in positions
    assert positions == sorted(positions)
