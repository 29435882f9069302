"""An article deleted in the newsroom takes its conversation with it; a copy takes none of it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError

from dateline.comments.models import Comment
from dateline.comments.services import comment_counts_refresh
from dateline.news.models import ArticlePage
from dateline.news.services import EDITOR


@pytest.fixture
def threaded(article, other_article, comment_factory) -> list[Comment]:
    """A thread three deep on the article, and a comment on another article."""
    top = comment_factory(article=article)
    reply = comment_factory(parent=top)
    comment_factory(parent=reply)
    comment_factory(article=other_article)
    return [top, reply]


@pytest.fixture
def editor(db, client):
    editor = get_user_model().objects.create_user(username="editor", password="not-real-1")
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    return editor


def test_deleting_an_article_says_how_many_reader_comments_go_with_it(
    client, editor, article, other_article, threaded, comment_factory
):
    comment_factory(article=article, status=Comment.Status.SPAM)
    page = client.get(f"/admin/pages/{article.pk}/delete/").content.decode()
    assert "Its 4 reader comments will be deleted with it" in page
    assert "unpublish" in page
    # A section: every article's comments below it (an administrator's job).
    client.force_login(get_user_model().objects.create_superuser("admin", password="not-real-2"))
    section = client.get(f"/admin/pages/{article.get_parent().pk}/delete/")
    assert "Its 5 reader comments will be deleted with it" in section.content.decode()
    Comment.objects.filter(article=other_article).delete()
    quiet = client.get(f"/admin/pages/{other_article.pk}/delete/").content.decode()
    assert "reader comment" not in quiet


def test_an_editor_deletes_an_article_with_replies_to_comments(client, editor, article, threaded):
    response = client.post(f"/admin/pages/{article.pk}/delete/")
    assert response.status_code == 302
    assert not ArticlePage.objects.filter(pk=article.pk).exists()
    assert Comment.objects.count() == 1  # the other article's


def test_a_comment_with_replies_still_cannot_be_deleted_on_its_own(threaded):
    # Its replies keep their place in the thread: a comment is trashed, never deleted.
    with pytest.raises(IntegrityError):  # RestrictedError
        threaded[0].delete()
    assert Comment.objects.count() == 4


def test_a_copy_of_an_article_starts_with_none_of_its_comments(client, editor, article, threaded):
    """The admin's "Copy" makes a new article: the original's comments stay with the original,
    and so does their count (readers saw "3 comments" over an empty conversation)."""
    comment_counts_refresh(article_id=article.pk)
    assert "3 comments" in client.get(article.url).content.decode()

    response = client.post(
        f"/admin/pages/{article.pk}/copy/",
        {
            "new_title": "Sea wall: the council's second vote",
            "new_slug": "sea-wall-second-vote",
            "new_parent_page": str(article.get_parent().pk),
            "publish_copies": "on",
        },
    )

    assert response.status_code == 302
    copy = ArticlePage.objects.get(slug="sea-wall-second-vote")
    assert copy.live and copy.comment_count == 0
    assert "3 comments" not in client.get(copy.url).content.decode()
    assert ArticlePage.objects.get(pk=article.pk).comment_count == 3
