"""`live_article`: the one-statement lookup every comment post starts with."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from dateline.news.models import ArticlePage
from dateline.news.selectors import live_article, public

pytestmark = pytest.mark.django_db


def test_a_live_article_is_found_whole(article_factory, section, django_assert_num_queries):
    article = article_factory(parent=section, title="Bridge vote delayed again")

    with django_assert_num_queries(1):
        found = live_article(article.pk)

    assert found is not None
    assert found.pk == article.pk
    assert found.title == "Bridge vote delayed again"
    assert found.path == article.path
    assert found.section_id == article.section_id
    assert found.comment_status == article.comment_status
    assert found.comments_open() == article.comments_open()
    assert found.url == article.url
    # Every column but the body as the ORM reads it (dates aware, booleans, JSON, foreign keys).
    orm = ArticlePage.objects.get(pk=article.pk)
    for field in ArticlePage._meta.concrete_fields:
        if field.name != "body":
            assert getattr(found, field.attname) == getattr(orm, field.attname), field.name
    # The body is not read (a post never shows it): it is deferred, and loads when asked for.
    assert found.get_deferred_fields() == {"body"}
    with django_assert_num_queries(1):
        assert list(found.body.raw_data) == list(orm.body.raw_data)
    assert found.first_published_at is not None
    assert found.first_published_at.tzinfo is not None
    assert found._state.adding is False


def test_a_draft_an_unknown_id_and_a_section_are_not_articles(article_factory, section):
    draft = article_factory(parent=section)
    draft.unpublish()

    assert live_article(draft.pk) is None
    assert live_article(999_999) is None
    assert live_article(section.pk) is None


def test_an_article_under_a_view_restriction_is_not_public(article_factory, section, home):
    from tests.factories import SectionPageFactory

    private_section = SectionPageFactory(parent=home, title="Members")
    hidden = article_factory(parent=private_section)
    passworded = article_factory(parent=section)
    visible = article_factory(parent=section)
    PageViewRestriction.objects.create(
        page=private_section, restriction_type=PageViewRestriction.LOGIN
    )
    PageViewRestriction.objects.create(
        page=passworded, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    assert live_article(hidden.pk) is None
    assert live_article(passworded.pk) is None
    assert live_article(visible.pk) is not None
    # The same answer as the ORM's spelling of it, for every page.
    for page in (hidden, passworded, visible):
        expected = public(type(page).objects.live()).filter(pk=page.pk).exists()
        assert (live_article(page.pk) is not None) is expected
