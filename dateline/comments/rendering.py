"""Comments to HTML: a page of the thread (cached per article version) and its nodes through the
Jinja2 template `comments/nodes.html`."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.conf import settings
from django.core.cache import caches
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from dateline.core import pagecache
from dateline.news.models import ArticlePage

from .bodies import comment_bodies_refresh, renderer_version
from .models import Comment
from .selectors import DEFAULT_ORDER, ORDERS, CommentNode, comment_thread_page
from .services import comment_settings_for

log = logging.getLogger(__name__)


def _nodes_template() -> Any:
    # Straight from the Jinja2 engine (no search through the Django engine first). Jinja keeps
    # the compiled template; with DEBUG it also reloads it when the file changes.
    return cast(Jinja2, engines["jinja2"]).env.get_template("comments/nodes.html")


def render_comment_nodes(
    nodes: Iterable[CommentNode],
    *,
    own_tokens: Mapping[int, str] | None = None,
    comments_open: bool | None = None,
) -> SafeString:
    """``nodes`` and their replies as ``<li>`` items of a thread. ``own_tokens`` gives the edit
    token of the reader's own comments; ``comments_open=False`` leaves out the Reply links.

    Bodies are the HTML stored when they were written; the few whose stored HTML is out of
    date are rendered and stored first (comments.bodies)."""
    nodes = list(nodes)
    comment_bodies_refresh(comments=_comments(nodes))
    html = _nodes_template().render(
        nodes=nodes, own_tokens=own_tokens or {}, comments_open=comments_open
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

THREAD_CACHE_TTL = 24 * 3600


def comment_thread_html(
    *,
    article: ArticlePage,
    page_number: Any = 1,
    order: str = DEFAULT_ORDER,
    own_tokens: Mapping[int, str] | None = None,
    comments_open: bool,
) -> SafeString:
    """A page of the article's conversation as HTML (``comments/thread.html``).

    The page every reader without a pending comment of their own sees is cached in the page
    cache's store under the article's version (``article:<id>``, the dependency name every
    comment write invalidates), so it is rendered once per change of the thread, and a cache
    hit reads no comment from the database. A reader's own pending comments (``own_tokens``)
    make a personal page: rendered each time, never stored."""
    own_tokens = own_tokens or {}
    if own_tokens or not thread_cache_enabled():
        return _render_thread(article, page_number, order, own_tokens, comments_open)
    try:
        key = _thread_key(article, page_number, order, comments_open)
        html = caches[pagecache.CACHE_ALIAS].get(key)
    except Exception:  # a broken cache must never break the page
        log.warning("thread cache unavailable", exc_info=True)
        return _render_thread(article, page_number, order, own_tokens, comments_open)
    if html is None:
        html = str(_render_thread(article, page_number, order, own_tokens, comments_open))
        try:
            caches[pagecache.CACHE_ALIAS].set(key, html, THREAD_CACHE_TTL)
        except Exception:
            log.warning("thread cache unavailable", exc_info=True)
    return mark_safe(html)  # noqa: S308 (rendered by our autoescaped templates)


def thread_cache_enabled() -> bool:
    """``DATELINE_THREAD_CACHE``; by default on when the page cache is (``DATELINE_PAGE_CACHE``)."""
    enabled = getattr(settings, "DATELINE_THREAD_CACHE", None)
    if enabled is None:
        enabled = getattr(settings, "DATELINE_PAGE_CACHE", True)
    return bool(enabled)


def _thread_key(article: ArticlePage, page_number: Any, order: str, comments_open: bool) -> str:
    # The version is read before the thread, as the page cache does: a change made while the
    # fragment renders bumps it, so that fragment is never read again.
    dep = f"article:{article.pk}"
    version = pagecache._versions([dep])[dep]
    try:
        number = max(int(page_number), 1)
    except (TypeError, ValueError):
        number = 1
    order = order if order in ORDERS else DEFAULT_ORDER
    page_size = comment_settings_for(article).page_size
    # The avatars are drawn from a keyed hash (comments.text.avatar_svg): a new secret key
    # draws new ones.
    secret = hashlib.blake2b(settings.SECRET_KEY.encode(), digest_size=4).hexdigest()
    return (
        f"thread:{article.pk}:{version}:{number}:{order}:{int(comments_open)}:{page_size}"
        f":{renderer_version()}:{secret}"
    )


def _render_thread(
    article: ArticlePage,
    page_number: Any,
    order: str,
    own_tokens: Mapping[int, str],
    comments_open: bool,
) -> SafeString:
    thread = comment_thread_page(
        article=article, page_number=page_number, order=order, own_ids=set(own_tokens)
    )
    return render_to_string(
        "comments/thread.html",
        {"thread": thread, "own_tokens": own_tokens, "comments_open": comments_open},
    )
