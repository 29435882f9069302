"""Reads of the conversation: a page of a thread in a fixed number of queries, and permalinks.
What the site would do with a text is moderation's question (``moderation.outcomes``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from dateline.core.converters import parse_id
from dateline.news.models import ArticlePage
from dateline.news.routing import restricted_tree_paths

from .models import Comment, CommentLike, CommentSettings
from .services import comment_settings_for
from .text import account_key

ORDERS = {
    "oldest": ("path",),
    "newest": ("-path",),
    "liked": ("-likes_count", "path"),
}
DEFAULT_ORDER = "oldest"


@dataclass
class CommentNode:
    comment: Comment
    children: list[CommentNode] = field(default_factory=list)
    removed: bool = False  # shown as "removed" because approved replies hang below it
    own: bool = False  # the viewer wrote it (it may be pending)


@dataclass
class ThreadPage:
    article: ArticlePage
    nodes: list[CommentNode]
    picks: list[Comment]
    order: str
    number: int
    num_pages: int
    top_level_count: int
    settings: CommentSettings

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def _top_level(article_id: int, own_ids: set[int]) -> QuerySet[Comment]:
    approved_reply = Comment.objects.visible().filter(
        article_id=article_id, thread=OuterRef("thread"), depth__gt=0
    )
    visible = Q(status=Comment.Status.APPROVED) | Q(
        status__in=[Comment.Status.TRASH, Comment.Status.SPAM], has_replies=True
    )
    if own_ids:
        visible |= Q(pk__in=own_ids, status__in=Comment.AWAITING)
    return (
        Comment.objects.filter(article_id=article_id, depth=0)
        .annotate(has_replies=Exists(approved_reply))
        .filter(visible)
    )


def comment_thread_page(
    *,
    article: ArticlePage,
    page_number: Any = 1,
    order: str = DEFAULT_ORDER,
    own_ids: set[int] | None = None,
    site_settings: CommentSettings | None = None,
    top_level_count: int | None = None,
) -> ThreadPage:
    """One page of the article's conversation: top-level comments for the page (in ``order``),
    each with its whole visible reply tree, oldest reply first. Four queries, whatever the size
    of the thread: count, page of top-level comments, their replies, editors' picks (three when
    the caller knows ``top_level_count``, what ``top_level_count()`` gives, and the reader has
    no pending comments of their own)."""
    own_ids = own_ids or set()
    order = order if order in ORDERS else DEFAULT_ORDER
    site_settings = site_settings or comment_settings_for(article)
    paginator = Paginator(
        _top_level(article.pk, own_ids).order_by(*ORDERS[order]),
        thread_page_size(article, site_settings),
    )
    if top_level_count is not None and not own_ids:
        paginator.__dict__["count"] = top_level_count  # Paginator.count is a cached_property
    number = page_number_within(page_number, paginator.num_pages)
    top = list(paginator.page(number).object_list) if paginator.count else []

    replies_visible = Q(
        status__in=[Comment.Status.APPROVED, Comment.Status.TRASH, Comment.Status.SPAM]
    )
    if own_ids:
        replies_visible |= Q(pk__in=own_ids, status__in=Comment.AWAITING)
    replies = (
        list(
            Comment.objects.filter(
                article_id=article.pk, thread__in=[c.thread for c in top], depth__gt=0
            )
            .filter(replies_visible)
            # The same order as by path alone (a path starts with its thread's fixed-length
            # segment), spelled so that the (article, thread, path) index serves both the
            # filter and the order: without planner statistics SQLite otherwise walks the
            # whole article in path order (6 ms at 20,000 comments instead of 0.5).
            .order_by("thread", "path")
        )
        if top
        else []
    )

    nodes = {c.pk: CommentNode(c, own=c.pk in own_ids) for c in top}
    roots = [nodes[c.pk] for c in top]
    for reply in replies:
        node = CommentNode(reply, own=reply.pk in own_ids)
        nodes[reply.pk] = node
        parent = nodes.get(reply.parent_id or 0)
        if parent is not None:
            parent.children.append(node)
    for root in roots:
        _prune(root)
    picks = (
        list(
            Comment.objects.visible()
            .filter(article_id=article.pk, featured_at__isnull=False)
            .order_by("-featured_at")[:5]
        )
        if number == 1
        else []
    )
    return ThreadPage(
        article=article,
        nodes=roots,
        picks=picks,
        order=order,
        number=number,
        num_pages=max(paginator.num_pages, 1),
        top_level_count=paginator.count,
        settings=site_settings,
    )


def top_level_count(*, article_id: int) -> int:
    """How many top-level comments the thread shows a reader without pending comments."""
    return _top_level(article_id, set()).count()


def page_number_within(value: Any, num_pages: int) -> int:
    """A malformed page number gives the first page; one past the end, the last."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), max(num_pages, 1))


def _prune(node: CommentNode) -> bool:
    """Drop removed comments with nothing visible below them; returns whether ``node`` stays."""
    node.children = [child for child in node.children if _prune(child)]
    status = node.comment.status
    if status == Comment.Status.APPROVED or (node.own and status in Comment.AWAITING):
        return True
    node.removed = True
    return bool(node.children) or node.comment.depth == 0


def thread_page_size(article: ArticlePage, site_settings: CommentSettings) -> int:
    """Top-level comments per page of the article's thread: the site's setting, less on a kind
    of page that gives its conversation less room (``ArticlePage.comment_room``)."""
    room = article.conversation_room
    size = site_settings.page_size
    return size if room >= 1 else max(5, round(size * room))


def comment_permalink(*, comment: Comment, site_settings: CommentSettings | None = None) -> str:
    """The URL of the page of the thread that shows ``comment`` (in the default order)."""
    article = comment.article
    site_settings = site_settings or comment_settings_for(article)
    before = _top_level(article.pk, set()).filter(path__lt=comment.thread).count()
    page = before // thread_page_size(article, site_settings) + 1
    query = f"?cpage={page}" if page > 1 else ""
    return f"{article.url}{query}#comment-{comment.pk}"


def readable_comments(*, statuses: Iterable[str] = (Comment.Status.APPROVED,)) -> QuerySet[Comment]:
    """The comments readers may see and act on: in ``statuses``, on a live article with no view
    restriction (password, login or groups) on it or on a page above it, the articles
    ``news.selectors.live_article`` lets readers comment on. The one gate of every reader's
    route that shows or acts on a comment: permalinks, likes, reports, replies, the author's
    own edits, the API. Comments of a private article are read on its own page, which Wagtail
    serves only once the restriction is passed (docs/decisions/0061).

    The restricted pages' paths (and their aliases', which Wagtail restricts alike) are kept
    under the "content" version, which a restriction saved or deleted bumps
    (``news.routing.restricted_tree_paths``): no subquery per row, and usually no condition."""
    restricted = Q()
    for path in restricted_tree_paths():
        restricted |= Q(article__path__startswith=path)
    queryset = Comment.objects.select_related("article").filter(
        status__in=list(statuses), article__live=True
    )
    return queryset.exclude(restricted) if restricted else queryset


def access_comment(
    *, comment_id: object, statuses: Iterable[str] = (Comment.Status.APPROVED,)
) -> Comment | None:
    """The comment ``comment_id`` if readers may see and act on it (``readable_comments``),
    else None. ``comment_id`` may be anything a client sent (a path segment, a form field, a
    query parameter): what is not a database id (``core.converters.parse_id``) finds nothing,
    without a query."""
    pk = parse_id(comment_id)
    if pk is None:
        return None
    return readable_comments(statuses=statuses).filter(pk=pk).first()


def comments_liked_by_account(*, user_id: int, article_id: int | None = None) -> list[int]:
    """The ids of the approved comments (of ``article_id``, or of every article) that the
    signed-in reader ``user_id`` liked, with any browser: the like is the account's
    (``comments.text.account_key``). One query, whatever the number of comments or likes."""
    likes = CommentLike.objects.filter(
        voter=account_key("like", user_id), comment__status=Comment.Status.APPROVED
    )
    if article_id is not None:
        likes = likes.filter(comment__article_id=article_id)
    return list(likes.order_by("comment_id").values_list("comment_id", flat=True))
