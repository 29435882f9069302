"""Through a real Varnish with the shipped configuration, in front of two live app servers and a
task worker: a hot article is served by Varnish; a change shows once purged (the purge goes
through the task queue; bench/frontcache_bench.py measures how fast); nothing personal is ever
served to anyone else."""

from __future__ import annotations

import http.client
import re

import pytest
from django.test import Client

from dateline.commenters.services import commenter_erase
from dateline.comments.models import Comment
from dateline.comments.services import comment_moderate
from tests.comments.conftest import form_data

from .conftest import VISIBLE_WITHIN, Stack, until

TEXT = "The harbour master says the wall will hold for fifty years."


def warm(front: Stack, url: str) -> None:
    """Varnish holds ``url``: asked until it answers from its cache."""
    assert until(lambda: front.get(url).header("X-Cache") == "hit", within=5), url


def test_a_hot_article_is_served_by_varnish(front, article):
    answers = [front.get(article.url) for _ in range(50)]

    hits = sum(a.header("X-Cache") == "hit" for a in answers)
    assert all(a.status == 200 for a in answers)
    assert hits >= 48  # the first one or two (a backend per app server at most) fetch it
    for answer in answers:
        assert "set-cookie" not in answer.headers
        assert "xkey" not in answer.headers and "surrogate-key" not in answer.headers
        assert answer.header("Cache-Control") == "public, max-age=0, must-revalidate"


def test_tracking_parameters_share_the_cached_page_and_unknown_ones_never_do(front, article):
    warm(front, article.url)

    tracked = front.get(article.url + "?utm_source=aggregator&utm_medium=social")
    unknown = [front.get(article.url + "?nocache=1") for _ in range(3)]

    assert tracked.header("X-Cache") == "hit"
    assert [a.header("X-Cache") for a in unknown] == ["pass", "pass", "pass"]
    assert all(a.header("Cache-Control") == "private, no-store" for a in unknown)


def test_an_approved_comment_shows_once_purged(front, article, comment_factory):
    held = comment_factory(article=article, status=Comment.Status.PENDING, body=TEXT)
    warm(front, article.url)
    assert TEXT not in front.get(article.url).body

    comment_moderate(comment=held, action="approve")

    assert until(lambda: TEXT in front.get(article.url).body, within=VISIBLE_WITHIN)


def test_an_edit_shows_once_purged(front, article):
    warm(front, article.url)

    article.title = "Harbour council delays the sea wall vote"
    article.save_revision().publish()

    assert until(
        lambda: "delays the sea wall vote" in front.get(article.url).body, within=VISIBLE_WITHIN
    )


def test_a_published_article_shows_on_its_section_once_purged(front, article, article_factory):
    section_url = article.get_parent().url
    warm(front, section_url)
    draft = article_factory(
        parent=article.get_parent(), title="Lifeboat crew rescues two swimmers", live=False
    )

    draft.save_revision().publish()

    assert until(
        lambda: "Lifeboat crew rescues" in front.get(section_url).body, within=VISIBLE_WITHIN
    )


def test_an_unpublished_article_is_gone_once_purged(front, article):
    warm(front, article.url)

    article.unpublish()

    assert until(lambda: front.get(article.url).status == 404, within=VISIBLE_WITHIN)


def test_an_erasure_shows_once_purged(front, article, comment_factory):
    comment_factory(
        article=article,
        body=TEXT,
        author_name="Morwenna Trelawney",
        author_email="morwenna@example.org",
    )
    warm(front, article.url)
    assert "Morwenna Trelawney" in front.get(article.url).body

    commenter_erase(email="morwenna@example.org", keep_text=False)

    def erased() -> bool:
        body = front.get(article.url).body
        return "Morwenna Trelawney" not in body and TEXT not in body

    assert until(erased, within=VISIBLE_WITHIN)


# --- Nothing personal is shared -------------------------------------------------------------------


def test_a_readers_pending_comment_is_never_served_to_anyone_else(front, article):
    warm(front, article.url)

    posted = front.post("/comments/post/", form_data(article, comment=TEXT))
    assert posted.status == 303
    assert posted.header("Cache-Control") == "private, no-store"
    own = front.get(posted.header("Location").replace(f"http://127.0.0.1:{front.port}", ""))
    mine_again = front.get(posted.header("Location").split("#")[0].split(str(front.port))[-1])

    assert TEXT in own.body and "awaiting moderation" in own.body
    assert own.header("X-Cache") != "hit" and mine_again.header("X-Cache") != "hit"
    for _ in range(3):
        other = front.get(article.url)
        assert TEXT not in other.body
        assert "awaiting moderation" not in other.body


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("editor_first", [True, False], ids=["editor-first", "reader-first"])
def test_an_editors_session_is_never_served_to_anyone_else(
    front, article, staff_user, editor_first
):
    session = _session_cookie(staff_user)
    if not editor_first:
        warm(front, article.url)

    editor = [front.get(article.url, cookies={"sessionid": session}) for _ in range(2)]
    readers = [front.get(article.url) for _ in range(3)]

    for answer in editor:
        assert "Commenting as" in answer.body
        assert answer.header("X-Cache") != "hit"
        assert answer.header("Cache-Control") == "private, no-store"
    for answer in readers:
        assert "Commenting as" not in answer.body
        assert "csrfmiddlewaretoken" not in answer.body
        assert "set-cookie" not in answer.headers
    assert readers[-1].header("X-Cache") == "hit"


def test_a_csrf_cookie_is_never_served_to_anyone_else(front, article, staff_user):
    session = _session_cookie(staff_user)
    editor = front.get(article.url, cookies={"sessionid": session})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', editor.body)
    assert token and "csrftoken=" in editor.header("Set-Cookie")

    # A reader who kept a csrftoken cookie is served the shared page, and gets no cookie.
    readers = [front.get(article.url, cookies={"csrftoken": "k" * 32}) for _ in range(3)]

    for answer in readers:
        assert "set-cookie" not in answer.headers
        assert token.group(1) not in answer.body
        assert "csrfmiddlewaretoken" not in answer.body
    assert readers[-1].header("X-Cache") == "hit"


def test_purge_is_refused_to_addresses_outside_the_acl(front, article):
    warm(front, article.url)

    conn = http.client.HTTPConnection(
        "127.0.0.1", front.port, timeout=10, source_address=("127.0.0.2", 0)
    )
    conn.request("PURGE", "/", headers={"xkey": "content"})
    refused = conn.getresponse()
    conn.close()

    assert refused.status == 403
    assert front.get(article.url).header("X-Cache") == "hit"
