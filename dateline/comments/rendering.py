"""Comments to HTML: a page of the thread (cached per article version) and its nodes through the
Jinja2 template `comments/nodes.html`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.conf import settings
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from dateline.core.fragments import fragment
from dateline.news.models import ArticlePage

from .bodies import comment_bodies_refresh, renderer_version
from .models import Comment
from .selectors import (
    DEFAULT_ORDER,
    ORDERS,
    CommentNode,
    ThreadPage,
    comment_thread_page,
    page_number_within,
    thread_page_size,
    top_level_count,
)
from .services import comment_settings_for


def _nodes_template() -> Any:
    # Straight from the Jinja2 engine (no search through the Django engine first). Jinja keeps
    # the compiled template; with DEBUG it also reloads it when the file changes.
    return cast(Jinja2, engines["jinja2"]).env.get_template("comments/nodes.html")


def render_comment_nodes(
    nodes: Iterable[CommentNode],
    *,
    own_tokens: Mapping[int, str] | None = None,
    comments_open: bool | None = None,
    folded: Mapping[int, int] | None = None,
    more_query: str = "",
    bodies_checked: bool = False,
) -> SafeString:
    """``nodes`` and their replies as ``<li>`` items of a thread. ``own_tokens`` gives the edit
    token of the reader's own comments; ``comments_open=False`` leaves out the Reply links.

    Bodies are the HTML stored when they were written; the few whose stored HTML is out of
    date are rendered and stored first (comments.bodies), unless the caller did
    (``bodies_checked``)."""
    nodes = list(nodes)
    if not bodies_checked:
        comment_bodies_refresh(comments=_comments(nodes))
    html = _nodes_template().render(
        nodes=nodes,
        own_tokens=own_tokens or {},
        comments_open=comments_open,
        folded=folded or {},
        more_query=more_query,
        awaiting=Comment.AWAITING,
    )
    return mark_safe(html)  # noqa: S308 (autoescaped template; bodies sanitised by nh3)


def _comments(nodes: Iterable[CommentNode]) -> list[Comment]:
    found: list[Comment] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if not node.removed:
            found.append(node.comment)
        stack.extend(node.children)
    return found


# --- A page of the thread, cached per article version ---------------------------------------------


def comment_thread_html(
    *,
    article: ArticlePage,
    page_number: Any = 1,
    order: str = DEFAULT_ORDER,
    own_tokens: Mapping[int, str] | None = None,
    comments_open: bool,
    full: bool = False,
) -> SafeString:
    """A page of the article's conversation as HTML (``comments/thread.html``).

    On a page whose HTML would pass ``FOLD_ABOVE_CHARS`` each conversation shows its first
    ``INLINE_REPLIES`` replies; the others are behind a "more replies" link to the same page
    with every reply (``full``, ``?cfull=1``), so the page stays small and every comment is
    still reachable without JavaScript.

    The page every reader without a pending comment of their own sees is kept as a fragment
    (``core.fragments``) under the article's version (``article:<id>``, the dependency name
    every comment write invalidates), so it is rendered once per change of the thread, and a
    hit reads no comment from the database. A reader's own pending comments (``own_tokens``)
    make a personal page: rendered each time, never stored."""
    own_tokens = own_tokens or {}

    def build(number: Any, count: int | None = None) -> str:
        thread = comment_thread_page(
            article=article,
            page_number=number,
            order=order,
            own_ids=set(own_tokens),
            top_level_count=count,
        )
        return _thread_html(
            thread,
            own_tokens=own_tokens,
            comments_open=comments_open,
            # A reader's own page shows everything: their pending reply may be anywhere.
            may_fold=not (full or own_tokens),
            fold_above=round(FOLD_ABOVE_CHARS * min(1.0, article.conversation_room)),
        )

    if own_tokens:
        return mark_safe(build(page_number))  # noqa: S308 (rendered by our autoescaped templates)
    # Every page number past the last one shows the last page: one key for all of them, so
    # what is kept is bounded by the thread, not by the numbers readers type.
    number = comment_thread_page_number(article=article, page_number=page_number)
    name = _thread_name(article, number, order, comments_open) + (":full" if full else "")
    count = comment_top_level_count(article=article)
    html = fragment(name, [f"article:{article.pk}"], lambda: build(number, count))
    return mark_safe(html)  # noqa: S308 (rendered by our autoescaped templates)


def comment_thread_page_number(*, article: ArticlePage, page_number: Any) -> int:
    """The page of the thread a reader asking for ``page_number`` is shown (1 for anything
    that is not a number; the last page for a number past it)."""
    count = comment_top_level_count(article=article)
    return page_number_within(
        page_number,
        _num_pages(count, thread_page_size(article, comment_settings_for(article))),
    )


def comment_top_level_count(*, article: ArticlePage) -> int:
    """How many conversations the thread shows every reader (kept under the article's version,
    as the thread's pages are)."""
    return fragment(
        f"thread-count:{article.pk}",
        [f"article:{article.pk}"],
        lambda: top_level_count(article_id=article.pk),
    )


def _num_pages(count: int, page_size: int) -> int:
    return max(1, -(-count // max(page_size, 1)))


def _thread_html(
    thread: ThreadPage,
    *,
    own_tokens: Mapping[int, str],
    comments_open: bool,
    may_fold: bool,
    fold_above: int,
) -> str:
    """The page of the thread, each conversation rendered once: when the page would pass
    ``fold_above`` characters (``FOLD_ABOVE_CHARS`` on an article, less on a page that gives its
    conversation less room), only the conversations that lose replies are rendered again,
    folded. Bodies are checked against their text once (comments.bodies)."""
    comment_bodies_refresh(comments=_comments(thread.nodes))

    def nodes_html(roots: list[CommentNode], **options: Any) -> str:
        return str(
            render_comment_nodes(
                roots,
                own_tokens=own_tokens,
                comments_open=comments_open,
                bodies_checked=True,
                **options,
            )
        )

    pieces = [nodes_html([root]) for root in thread.nodes]
    context: dict[str, Any] = {
        "thread": thread,
        "own_tokens": own_tokens,
        "comments_open": comments_open,
        "nodes_html": mark_safe("".join(pieces)),  # noqa: S308 (autoescaped template)
    }
    html = render_to_string("comments/thread.html", context)
    if not may_fold or len(html) <= fold_above:
        return html
    query: list[tuple[str, str]] = [("cpage", str(thread.number))] if thread.number > 1 else []
    query += [("corder", thread.order)] if thread.order != DEFAULT_ORDER else []
    more_query = urlencode([*query, ("cfull", "1")])
    folded = _fold(thread.nodes, keep=INLINE_REPLIES)
    pieces = [
        nodes_html([root], folded=folded, more_query=more_query)
        if root.comment.pk in folded
        else piece
        for root, piece in zip(thread.nodes, pieces, strict=True)
    ]
    context["nodes_html"] = mark_safe("".join(pieces))  # noqa: S308 (autoescaped template)
    return render_to_string("comments/thread.html", context)


# A page of the thread whose HTML would be longer than this shows the first INLINE_REPLIES
# replies under each top-level comment; the rest are one link away (issue 13: the article page
# with 200 comments at most 180 KB; docs/decisions/0069-lean-thread-markup.md).
FOLD_ABOVE_CHARS = 200_000
INLINE_REPLIES = 1


def _fold(roots: list[CommentNode], *, keep: int) -> dict[int, int]:
    """Keep the first ``keep`` replies of each conversation (in the thread's order, depth
    first) and drop the rest from ``roots``; returns how many were dropped, by top-level id."""
    folded: dict[int, int] = {}
    for root in roots:
        _, dropped = _fold_under(root, keep)
        if dropped:
            folded[root.comment.pk] = dropped
    return folded


def _fold_under(node: CommentNode, left: int) -> tuple[int, int]:
    """Keep ``left`` replies under ``node`` at most: returns (still left, dropped)."""
    kept = []
    dropped = 0
    for child in node.children:
        if left > 0:
            kept.append(child)
            left, below = _fold_under(child, left - 1)
            dropped += below
        else:
            dropped += _size(child)
    node.children = kept
    return left, dropped


def _size(node: CommentNode) -> int:
    return 1 + sum(_size(child) for child in node.children)


def _thread_name(article: ArticlePage, number: int, order: str, comments_open: bool) -> str:
    order = order if order in ORDERS else DEFAULT_ORDER
    page_size = thread_page_size(article, comment_settings_for(article))
    # The avatars are drawn from a keyed hash (comments.avatars): a new secret key
    # draws new ones.
    secret = hashlib.blake2b(settings.SECRET_KEY.encode(), digest_size=4).hexdigest()
    return (
        f"thread:{article.pk}:{number}:{order}:{int(comments_open)}:{page_size}"
        f":{renderer_version()}:{secret}"
    )
