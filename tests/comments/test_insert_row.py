"""`core.db.insert_row`: the one-statement insert the comment post uses for its two rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db.models.signals import post_save, pre_save

from dateline.comments.models import Comment, CommentEvent
from dateline.core.db import insert_row
from dateline.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_the_row_reads_back_as_the_orm_would_have_written_it(article):
    moment = datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=UTC)
    comment = insert_row(
        Comment(
            article=article,
            path="0001",
            thread="0001",
            depth=0,
            status=Comment.Status.PENDING,
            author_name="Nadia Haddad",
            author_email="nadia@example.org",
            email_key="nadia@example.org",
            body="Étude sur le port — “quoted”.",
            body_hash="abc",
            created_at=moment,
            moderation_reasons=[{"code": "first_comment", "reason": "Held: first comment."}],
            ip_prefix="192.0.2.0/24",
        )
    )
    event = insert_row(
        CommentEvent(comment=comment, action="posted", to_status=comment.status, created_at=moment)
    )

    assert comment.pk is not None
    assert comment._state.adding is False
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body == "Étude sur le port — “quoted”."
    assert stored.created_at == moment
    assert stored.moderation_reasons == [
        {"code": "first_comment", "reason": "Held: first comment."}
    ]
    assert stored.likes_count == 0  # the model's default, as save() would have written it
    assert stored.parent_id is None
    assert CommentEvent.objects.get(pk=event.pk).comment_id == comment.pk
    # The next row gets the next key: nothing was overwritten.
    other = insert_row(
        Comment(
            article=article,
            path="0002",
            thread="0002",
            depth=0,
            author_name="Ben",
            body="x",
            created_at=moment,
        )
    )
    assert other.pk != comment.pk
    assert Comment.objects.filter(article=article).count() == 2


def test_the_models_it_writes_have_no_save_signals_to_miss():
    """insert_row sends no pre_save/post_save: the models that use it must not need them.
    Wagtail connects one pre_save receiver to every model; it only acts on translatable ones."""
    for model in (Comment, CommentEvent):
        assert not post_save._live_receivers(model)[0]
        for receiver in pre_save._live_receivers(model)[0]:
            assert receiver.__name__ == "set_locale_on_new_instance"
        assert not hasattr(model, "locale")


def test_a_model_with_parents_is_refused():
    with pytest.raises(TypeError, match="parents"):
        insert_row(ArticlePage(title="x"))


def test_select_one_reads_a_partial_row_with_the_rest_deferred(article, comment_factory):
    from django.db import connection

    from dateline.core.db import select_one

    made = comment_factory(article=article, body="Read back in part.")
    fields = [f for f in Comment._meta.concrete_fields if f.name in ("id", "article", "path")]
    q = connection.ops.quote_name
    sql = f"SELECT {q('id')}, {q('article_id')}, {q('path')} FROM {q(Comment._meta.db_table)} WHERE {q('id')} = %s"  # noqa: S608

    found = select_one(Comment, sql, [made.pk], fields)

    assert found is not None
    assert (found.pk, found.article_id, found.path) == (made.pk, article.pk, made.path)
    assert found.get_deferred_fields() >= {"body", "status"}
    assert select_one(Comment, sql, [made.pk + 1000], fields) is None
    with pytest.raises(ValueError, match="order"):
        select_one(Comment, sql, [made.pk], list(reversed(fields)))
