"""Language versions of a story: <link rel="alternate" hreflang> on every version, reciprocal."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from lxml import html

from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def alternates(client, article) -> dict[str, str]:
    response = client.get(article.url)
    assert response.status_code == 200
    links = html.fromstring(response.content).xpath("//head/link[@rel='alternate'][@hreflang]")
    return {link.get("hreflang"): link.get("href") for link in links}


@pytest.fixture
def story(section):
    original = ArticlePageFactory(parent=section, title="مؤتمر المياه في نوران", language="ar")
    english = ArticlePageFactory(
        parent=section, title="Water conference in Nouran", translation_of=original
    )
    french = ArticlePageFactory(
        parent=section,
        title="Conférence sur l'eau à Nouran",
        language="fr",
        translation_of=original,
    )
    return original, english, french


def test_every_version_lists_every_version_and_the_original_as_default(client, story):
    original, english, french = story
    expected = {
        "ar": f"http://testserver{original.url}",
        "en": f"http://testserver{english.url}",
        "fr": f"http://testserver{french.url}",
        "x-default": f"http://testserver{original.url}",
    }

    for version in story:
        assert alternates(client, version) == expected


def test_alternates_are_reciprocal(client, story):
    pages = {f"http://testserver{v.url}": alternates(client, v) for v in story}

    for url, links in pages.items():
        assert url in links.values()  # each version names itself
        for other in set(links.values()):
            assert url in pages[other].values()  # and is named back


def test_unpublished_versions_are_left_out(client, story):
    _original, english, french = story
    french.unpublish()

    assert set(alternates(client, english)) == {"ar", "en", "x-default"}


def test_an_article_without_translations_has_no_alternates(client, section):
    article = ArticlePageFactory(parent=section, title="Only in English")

    assert alternates(client, article) == {}


def test_readers_see_links_to_the_other_languages(client, story):
    _original, english, _ = story
    page = html.fromstring(client.get(english.url).content)

    links = page.xpath("//*[contains(@class, 'story__translations')]//a")
    assert {a.get("hreflang") for a in links} == {"ar", "fr"}


def test_a_translation_must_point_at_an_original_in_another_language(story, section):
    original, english, _ = story
    again = ArticlePageFactory(parent=section, title="Second English")
    same_language = ArticlePageFactory(parent=section, title="نسخة أخرى", language="ar")
    again.translation_of = english
    same_language.translation_of = original

    with pytest.raises(ValidationError, match="original"):
        again.full_clean()
    with pytest.raises(ValidationError, match="different language"):
        same_language.full_clean()


def test_demo_links_the_nouran_story_in_arabic_and_english(
    client, db, django_capture_on_commit_callbacks
):
    from dateline.demo.services import demo_load
    from dateline.news.models import ArticlePage

    with django_capture_on_commit_callbacks(execute=True):
        demo_load(with_users=False)
    arabic = ArticlePage.objects.get(slug="nouran-water-conference")
    english = ArticlePage.objects.get(slug="nouran-water-conference-english")

    expected = {
        "ar": f"http://testserver{arabic.url}",
        "en": f"http://testserver{english.url}",
        "x-default": f"http://testserver{arabic.url}",
    }
    assert alternates(client, arabic) == expected
    assert alternates(client, english) == expected
    # And each demo article lists related coverage, chosen when the demo was loaded.
    page = html.fromstring(client.get(english.url).content)
    assert 4 <= len(page.xpath("//aside[@class='related']//li")) <= 6
