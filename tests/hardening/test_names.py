"""Issue 15, item 9: a commenter's name cannot carry bidi controls or zero-width characters
("\\u202egnp.exe" showed as "exe.png"). They are removed where names are cleaned (the comment
form, which the API checks through too), so what is stored and shown is what is seen."""

from __future__ import annotations

import pytest

from dateline.comments.models import Comment
from tests.comments import conftest as comments_fixtures
from tests.comments.conftest import error_summary, soup, textarea_text

article = comments_fixtures.article
post_comment = comments_fixtures.post_comment

OVERRIDE = "\u202egnp.exe"
INVISIBLE = [chr(c) for c in range(0x202A, 0x202F)]  # embeddings and overrides
INVISIBLE += [chr(c) for c in range(0x2066, 0x206A)]  # isolates
INVISIBLE += [chr(c) for c in range(0x200B, 0x2010)]  # zero-width space, joiners, marks
INVISIBLE += ["\u2060", "\ufeff", "\u061c"]  # word joiner, byte-order mark, Arabic letter mark


def test_form_name_with_a_right_to_left_override_is_stored_and_shown_without_it(
    client, post_comment, article
):
    response = post_comment(author=OVERRIDE, comment="Look at my attachment.")

    comment = Comment.objects.get()
    assert comment.author_name == "gnp.exe"
    page = client.get(response["Location"])
    shown = soup(page).find(id=f"comment-{comment.pk}")
    assert "gnp.exe" in shown.get_text()
    assert "\u202e" not in page.content.decode()


def test_api_name_with_a_right_to_left_override_is_stored_and_returned_without_it(client, article):
    response = client.post(
        f"/api/v1/articles/{article.pk}/comments/",
        {"comment": "Look at my attachment.", "author": OVERRIDE, "email": "a@example.org"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["author_name"] == "gnp.exe"
    assert Comment.objects.get().author_name == "gnp.exe"


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_formatting_characters_are_removed_from_names(post_comment, char):
    post_comment(author=f"Ad{char}a {char}Reader{char}")

    assert Comment.objects.get().author_name == "Ada Reader"


def test_a_name_of_invisible_characters_only_is_no_name(post_comment):
    text = "My comment, kept for when I have given a name."

    response = post_comment(author="\u202e\u200b\u2066", comment=text)

    assert response.status_code == 400
    assert "Please give your name" in error_summary(response)
    assert textarea_text(response) == text
    assert not Comment.objects.exists()


def test_visible_text_of_other_scripts_is_kept(post_comment):
    name = "\u0645\u0631\u064a\u0645 \u05e9\u05e8\u05d4 Zoë"  # Arabic, Hebrew, Latin

    post_comment(author=name)

    assert Comment.objects.get().author_name == name
