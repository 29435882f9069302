"""Large kept HTML put into a page's bytes once it is rendered (core.splice): the same bytes as
rendering it through every template level, and no placeholder ever kept or sent."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory

from dateline.comments.models import Comment
from dateline.comments.ownership import own_token
from dateline.core import splice
from dateline.core.fragments import forget_in_process
from dateline.core.pagecache import invalidate
from dateline.core.splice import SpliceMiddleware, spliced
from tests.comments.test_queries import grow_thread

MARK = b"<!--dateline-splice-"
STAMP = re.compile(rb'(name="comment_stamp" value=")[^"]+')


@pytest.fixture
def rendered(settings):
    """Pages rendered every time (no full-page cache), with the fragments kept."""
    settings.DATELINE_PAGE_CACHE = False
    settings.DATELINE_FRAGMENT_CACHE = True


def page(client: Any, url: str, **params: str) -> bytes:
    """The page's bytes, but for the comment form's signed timestamp (fresh on each request)."""
    response = client.get(url, params)
    assert response.status_code == 200
    stamps = STAMP.findall(response.content)
    assert len(stamps) == 1
    return STAMP.sub(rb"\1-", bytes(response.content))


@pytest.mark.parametrize("params", [{}, {"corder": "newest"}, {"cfull": "1"}])
def test_an_article_with_a_long_thread_is_the_same_bytes_spliced_or_not(
    client, article, rendered, settings, params
):
    grow_thread(article, count=120)
    article.title = "Harbour → sea wall: the council’s vote"  # past Latin-1, in the shell too
    article.save_revision().publish()
    invalidate(["content", f"article:{article.pk}"])

    settings.DATELINE_SPLICE = False
    plain = page(client, article.url, **params)
    settings.DATELINE_SPLICE = True
    with mock.patch.object(splice, "_put_back", wraps=splice._put_back) as put_back:
        first, again = page(client, article.url, **params), page(client, article.url, **params)

    assert put_back.call_count == 2  # the thread went in spliced, each time

    assert b"Comment 39.2" in plain  # the thread is there, past splice.MIN_CHARS
    assert len(plain) > splice.MIN_CHARS * 4
    assert first == plain
    assert again == plain  # the second time from the HTML encoded once
    assert MARK not in plain


def test_a_readers_own_page_with_their_pending_comment_is_the_same_spliced_or_not(
    client, article, rendered, settings, comment_factory
):
    grow_thread(article, count=120)
    pending = comment_factory(article=article, status=Comment.Status.PENDING, body="Mine, held.")
    mine = {"own": own_token(pending.pk)}

    settings.DATELINE_SPLICE = False
    plain = page(client, article.url, **mine)
    settings.DATELINE_SPLICE = True
    spliced_twice = [page(client, article.url, **mine) for _ in range(2)]

    assert b"Mine, held." in plain
    assert spliced_twice == [plain, plain]


def test_what_is_kept_while_a_page_is_spliced_holds_the_html(client, article, rendered, settings):
    grow_thread(article, count=120)

    sent = page(client, article.url)  # builds and keeps the thread, the article's parts, the form
    forget_in_process()
    kept = page(client, article.url)  # from what the shared store kept, placeholders and all
    settings.DATELINE_SPLICE = False
    forget_in_process()
    inline = page(client, article.url)

    assert MARK not in sent
    assert kept == sent == inline


def test_outside_a_template_response_the_html_itself():
    html = "<p>" + "é" * splice.MIN_CHARS + "</p>"
    assert spliced(html) == html


def _respond(template_source: str, context: dict[str, Any]) -> bytes:
    """A template response through the middleware, as Django's handler runs it."""
    request = RequestFactory().get("/")

    def view(request: Any) -> Any:
        response = TemplateResponse(
            request, engines["django"].from_string(template_source), context
        )
        response = middleware.process_template_response(request, response)
        return response.render()

    middleware = SpliceMiddleware(view)
    return bytes(middleware(request).content)


class Part:
    """HTML that a template asks for as a string (so it goes through spliced() mid-render)."""

    def __init__(self, html: str) -> None:
        self.html = html

    def __str__(self) -> str:
        return spliced(self.html)


def test_parts_go_back_wherever_the_template_put_them(settings):
    one, two = "<p>" + "a→" * 5000 + "</p>", "<p>" + "b" * 9000 + "</p>"
    source = "{% with first=one|safe %}[{{ two|safe }}]({{ first }}){% endwith %}"

    settings.DATELINE_SPLICE = False
    plain = _respond(source, {"one": Part(one), "two": Part(two)})
    settings.DATELINE_SPLICE = True
    ours = _respond(source, {"one": Part(one), "two": Part(two)})

    assert ours == plain == f"[{two}]({one})".encode()


def test_a_placeholder_the_template_changed_is_rendered_again_without(settings, caplog):
    html = "<p>" + "é→" * 5000 + "</p>"

    ours = _respond("{{ part|upper|safe }}", {"part": Part(html)})

    assert ours == html.upper().encode()
    assert "lost its place" in caplog.text


def test_a_failed_render_leaves_no_parts_for_the_next_request_on_the_thread():
    request = RequestFactory().get("/")

    def failing(request: Any) -> Any:
        response = TemplateResponse(request, engines["django"].from_string("x"), {})
        middleware.process_template_response(request, response)
        raise RuntimeError("the template failed")

    middleware = SpliceMiddleware(failing)
    with pytest.raises(RuntimeError):
        middleware(request)

    html = "<p>" + "x" * splice.MIN_CHARS + "</p>"
    assert spliced(html) == html
