"""A comment's body is rendered once, when it is written, and a page of the thread once per
change of the thread: reading a page runs no Markdown and no sanitizer, and a page served from
the thread cache reads no comment. A renderer change, or a write that changed a body without
rendering it, is caught by the stored key and rendered again (lazily or by a command)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dateline.comments import bodies, text
from dateline.comments.models import Comment
from dateline.comments.services import comment_edit_by_author, comment_moderate, comment_post

from .conftest import comment_ids_on, soup

TEXT = "The *sea wall* plan is in [the report](https://example.org/report)."
HTML = '<p>The <em>sea wall</em> plan is in <a href="https://example.org/report" rel="nofollow ugc noopener">the report</a>.</p>'


@pytest.fixture
def thread_cache(settings):
    """Pages rendered every time (no full-page cache), the thread's fragment cached."""
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True


@contextmanager
def no_renderer() -> Iterator[None]:
    """Markdown and nh3 refuse to run: whatever renders a body now fails the test."""
    boom = AssertionError("a body was rendered on the read path")
    with (
        mock.patch.object(text, "render_comment_body", side_effect=boom),
        mock.patch.object(text.nh3, "clean", side_effect=boom),
        mock.patch("markdown_it.MarkdownIt.render", side_effect=boom),
    ):
        yield


def body_html_on(response, comment: Comment) -> str:
    return soup(response).select_one(f"#comment-{comment.pk} .comment-content").decode_contents()


def test_posting_stores_the_rendered_body_with_its_key(submission_factory):
    comment = comment_post(submission=submission_factory(body=TEXT)).comment

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body_html == HTML
    assert stored.body_html_key == bodies.body_html_key(TEXT)
    assert stored.body_html_key.startswith(bodies.renderer_version() + ":")


@pytest.mark.parametrize("thread_cached", [False, True])
def test_reading_the_article_renders_no_body(
    client, article, submission_factory, settings, thread_cached
):
    settings.DATELINE_FRAGMENT_CACHE = thread_cached
    comment = comment_post(submission=submission_factory(body=TEXT)).comment
    comment_moderate(comment=comment, action="approve")

    with no_renderer():
        response = client.get(article.url + "?nocache=1")

    assert response.status_code == 200
    assert body_html_on(response, comment) == HTML


def test_an_edit_by_the_author_stores_the_new_html(client, article, submission_factory, settings):
    settings.DATELINE_PAGE_CACHE = False
    comment = comment_post(submission=submission_factory(body=TEXT)).comment

    comment_edit_by_author(comment=comment, body="Now **bolder**.")

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body_html == "<p>Now <strong>bolder</strong>.</p>"
    assert stored.body_html_key == bodies.body_html_key("Now **bolder**.")


def test_an_old_renderers_html_is_rendered_again_once_and_stored(
    client, article, comment_factory, settings
):
    settings.DATELINE_PAGE_CACHE = False
    comment = comment_factory(article=article, body=TEXT)
    Comment.objects.filter(pk=comment.pk).update(
        body_html="<p>from an older renderer</p>", body_html_key="0ld0ld00:whatever"
    )

    first = client.get(article.url)
    with no_renderer():
        second = client.get(article.url)

    assert body_html_on(first, comment) == body_html_on(second, comment) == HTML
    assert Comment.objects.get(pk=comment.pk).body_html_key == bodies.body_html_key(TEXT)


def test_a_body_changed_without_its_html_never_shows_the_old_html(
    client, article, comment_factory, settings
):
    # An import, an erasure or a bulk load may write the body alone: the key no longer
    # matches it, so the old text's HTML is never shown for it.
    settings.DATELINE_PAGE_CACHE = False
    comment = comment_factory(article=article, body="Something to erase later.")
    assert "erase" in body_html_on(client.get(article.url), comment)

    Comment.objects.filter(pk=comment.pk).update(body="[erased]")

    assert body_html_on(client.get(article.url), comment) == "<p>[erased]</p>"


def test_the_renderers_version_changes_with_its_revision(monkeypatch):
    before = bodies.renderer_version()
    bodies.renderer_version.cache_clear()
    monkeypatch.setattr(bodies, "RENDERER_REVISION", bodies.RENDERER_REVISION + 1)
    try:
        assert bodies.renderer_version() != before
        assert not bodies.body_html_key(TEXT).startswith(before)
    finally:
        bodies.renderer_version.cache_clear()


def test_the_rerender_command_renders_what_is_out_of_date_and_only_that(
    article, comment_factory, capsys
):
    current = comment_factory(article=article, body="Already *rendered*.")
    bodies.comment_bodies_refresh(comments=[current])
    stale = comment_factory(article=article, body=TEXT)  # bulk-loaded: never rendered

    call_command("comments_rerender")
    first = capsys.readouterr().out
    call_command("comments_rerender")
    second = capsys.readouterr().out

    assert first.startswith("Rendered 1 comment bodies again")
    assert second.startswith("Rendered 0 comment bodies again")
    assert Comment.objects.get(pk=stale.pk).body_html == HTML
    assert Comment.objects.get(pk=current.pk).body_html == "<p>Already <em>rendered</em>.</p>"


def test_rerender_all_renders_every_comment(article, comment_factory, capsys):
    for n in range(3):
        bodies.comment_bodies_refresh(
            comments=[comment_factory(article=article, body=f"Remark {n}.")]
        )

    call_command("comments_rerender", "--all", "--batch-size", "2")

    assert capsys.readouterr().out.startswith("Rendered 3 comment bodies again")


# --- The thread's fragment, per article version ----------------------------------------------------


def comment_queries(captured) -> list[str]:
    table = Comment._meta.db_table
    return [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_a_second_reading_of_the_thread_reads_no_comment(
    client, article, comment_factory, thread_cache
):
    shown = [comment_factory(article=article) for _ in range(3)]
    comment_factory(article=article, parent=shown[0])
    first = client.get(article.url)

    with CaptureQueriesContext(connection) as captured:
        second = client.get(article.url)

    assert comment_ids_on(second) == comment_ids_on(first)
    assert len(comment_ids_on(second)) == 4
    assert comment_queries(captured) == []


def test_approving_a_comment_renders_the_thread_again(
    client, article, comment_factory, thread_cache, django_capture_on_commit_callbacks
):
    shown = comment_factory(article=article)
    held = comment_factory(article=article, status=Comment.Status.PENDING)
    assert comment_ids_on(client.get(article.url)) == [shown.pk]

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=held, action="approve")

    assert comment_ids_on(client.get(article.url)) == [shown.pk, held.pk]


def test_a_readers_own_pending_comment_is_neither_cached_nor_served_to_others(
    client, article, submission_factory, comment_factory, thread_cache
):
    from dateline.comments.ownership import own_token

    shown = comment_factory(article=article)
    assert comment_ids_on(client.get(article.url)) == [shown.pk]
    pending = comment_post(
        submission=submission_factory(body="Held for a moderator, please.")
    ).comment
    assert pending.status == Comment.Status.PENDING

    own = client.get(article.url, {"own": own_token(pending.pk)})
    anonymous = client.get(article.url)

    assert comment_ids_on(own) == [shown.pk, pending.pk]
    assert comment_ids_on(anonymous) == [shown.pk]


def test_each_page_and_order_of_the_thread_is_its_own_fragment(
    client, article, comment_factory, thread_cache, site_settings
):
    site_settings(page_size=5)
    made = [comment_factory(article=article, likes_count=n).pk for n in range(7)]
    client.get(article.url)

    assert comment_ids_on(client.get(article.url)) == made[:5]
    assert comment_ids_on(client.get(article.url, {"cpage": 2})) == made[5:]
    assert comment_ids_on(client.get(article.url, {"corder": "liked"})) == made[::-1][:5]


# --- A long page: the first reply of each conversation, the rest one link away -----------------


def test_a_long_page_shows_the_first_reply_of_each_conversation_and_links_the_rest(
    client, article, comment_factory, thread_cache
):
    from dateline.comments import rendering

    root = comment_factory(article=article)
    first = comment_factory(article=article, parent=root)
    deeper = comment_factory(article=article, parent=first)
    second = comment_factory(article=article, parent=root)
    alone = comment_factory(article=article)

    with mock.patch.object(rendering, "FOLD_ABOVE_CHARS", 4000):
        page = client.get(article.url)
        link = soup(page).select_one(f"#comment-{root.pk} .comment-more a")
        full = client.get(article.url + link["href"].split("#")[0])

    assert comment_ids_on(page) == [root.pk, first.pk, alone.pk]
    assert link.get_text() == "2 more replies"
    assert link["href"] == f"?cfull=1#comment-{root.pk}"
    assert comment_ids_on(full) == [root.pk, first.pk, deeper.pk, second.pk, alone.pk]


def test_a_short_page_shows_every_reply(client, article, comment_factory, thread_cache):
    root = comment_factory(article=article)
    replies = [comment_factory(article=article, parent=root) for _ in range(3)]

    page = client.get(article.url)

    assert comment_ids_on(page) == [root.pk, *(r.pk for r in replies)]
    assert soup(page).select_one(".comment-more") is None


def cells(svg: str) -> set[tuple[int, int]]:
    """The filled cells of an avatar, from either drawing (a rect per cell, or strokes)."""
    found = {(int(x), int(y)) for x, y in re.findall(r'<rect x="(\d)" y="(\d)"', svg)}
    for x, y, length in re.findall(r"M(\d) (\d?)\.5h(\d)", svg):
        found |= {(int(x) + k, int(y or 0)) for k in range(int(length))}
    return found


def expected_cells(email: str) -> set[tuple[int, int]]:
    """The pattern the avatar stands for, worked out here from the keyed hash: a 5×5 grid,
    left half and middle from the digest's bits, mirrored."""
    import hashlib
    import hmac

    from django.conf import settings

    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"avatar:{email}".encode(), hashlib.sha256
    ).digest()
    return {
        (x, row)
        for row in range(5)
        for col in range(3)
        if digest[2 + row * 3 + col] & 1
        for x in {col, 4 - col}
    }


@pytest.mark.parametrize("email", ["ada@example.org", "bea@example.org", "user:7", "x"])
def test_the_thread_and_the_admin_draw_the_same_avatar_picture(email):
    import base64

    from dateline.comments.avatars import avatar_data_url, avatar_svg_small

    small = str(avatar_svg_small(email))
    staff = base64.b64decode(avatar_data_url(email).split(",", 1)[1]).decode()

    assert cells(small) == cells(staff) == expected_cells(email)
    assert re.findall(r"hsl\([^)]*\)", small) == re.findall(r"hsl\([^)]*\)", staff)
    assert len(small) < 400


def test_a_page_shows_fresh_html_when_storing_it_fails(client, article, comment_factory, settings):
    from django.db import OperationalError

    settings.DATELINE_PAGE_CACHE = False
    comment = comment_factory(article=article, body=TEXT)  # never rendered

    with mock.patch.object(bodies, "_store", side_effect=OperationalError("database is locked")):
        response = client.get(article.url)

    assert response.status_code == 200
    assert body_html_on(response, comment) == HTML
    assert Comment.objects.get(pk=comment.pk).body_html == ""
