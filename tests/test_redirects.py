"""Old addresses of a page that changed its slug or section (Wagtail's redirects)."""

from __future__ import annotations

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from dateline.news.models import ArticlePage

from .factories import SectionPageFactory


def _publish(article: ArticlePage, **changes: object) -> ArticlePage:
    for name, value in changes.items():
        setattr(article, name, value)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def renamed_back(section, article_factory, django_capture_on_commit_callbacks) -> ArticlePage:
    """An article whose headline and slug changed, then changed back: each change left a
    redirect from the address it had, the first one from the address it has again."""
    article = article_factory(parent=section, title="Council approves repairs", slug="council")
    with django_capture_on_commit_callbacks(execute=True):
        article = _publish(article, slug="bridge")
    with django_capture_on_commit_callbacks(execute=True):
        article = _publish(article, slug="council")
    assert Redirect.objects.filter(redirect_page=article).count() == 2
    return article


def test_an_old_address_still_leads_to_the_page(client, renamed_back):
    response = client.get(f"/{renamed_back.get_parent().slug}/bridge/")
    assert response.status_code == 301
    assert response["Location"].endswith(renamed_back.url)


def test_an_unpublished_page_is_not_found_rather_than_redirected_to_itself(client, renamed_back):
    renamed_back.unpublish()
    response = client.get(renamed_back.url)
    assert response.status_code == 404


def test_a_page_moved_away_and_back_then_unpublished_is_not_found(
    client, home, article_factory, django_capture_on_commit_callbacks
):
    first, second = SectionPageFactory(parent=home), SectionPageFactory(parent=home)
    article = article_factory(parent=first, slug="ferry")
    for section in (second, first):
        with django_capture_on_commit_callbacks(execute=True):
            ArticlePage.objects.get(pk=article.pk).move(
                Page.objects.get(pk=section.pk), pos="last-child"
            )
    article = ArticlePage.objects.get(pk=article.pk)
    article.unpublish()
    assert client.get(f"/{first.slug}/ferry/").status_code == 404
    # Nor from the other section's address: it would only lead to the page that is gone.
    assert client.get(f"/{second.slug}/ferry/").status_code == 404


def test_an_old_address_of_an_unpublished_story_does_not_give_away_its_new_one(
    client, section, article_factory, django_capture_on_commit_callbacks
):
    article = article_factory(parent=section, title="Minister to resign", slug="minister")
    with django_capture_on_commit_callbacks(execute=True):
        article = _publish(article, slug="minister-resigns-over-contracts")
    article.unpublish()
    response = client.get(f"/{section.slug}/minister/")
    assert response.status_code == 404
    assert b"resigns-over-contracts" not in response.content
