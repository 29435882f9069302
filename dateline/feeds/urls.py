"""Feed URLs. Each answers conditional GETs: an unchanged feed costs one query and a 304."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest
from django.urls import path, register_converter
from django.views.decorators.http import condition

import dateline.core.converters  # noqa: F401 - registers <id:…> and <wslug:…>
from dateline.comments.models import Comment
from dateline.news.models import ArticlePage

from .feeds import ArticleFeed, AtomArticleFeed, AtomCommentFeed, CommentFeed

app_name = "feeds"


class ScopeConverter:
    regex = "section|tag|author"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ScopeConverter, "scope")


def _articles_state(request: HttpRequest, *args: Any, **kwargs: Any) -> tuple[datetime | None, int]:
    state = ArticlePage.objects.live().aggregate(last=Max("last_published_at"), n=Count("pk"))
    return state["last"], state["n"]


def _comments_state(
    request: HttpRequest, article_id: int, **kwargs: Any
) -> tuple[datetime | None, int]:
    state = Comment.objects.filter(article_id=article_id).aggregate(
        last=Max("created_at"),
        moderated=Max("moderated_at"),
        edited=Max("edited_at"),
        n=Count("pk", distinct=True),
    )
    moments = [m for m in (state["last"], state["moderated"], state["edited"]) if m is not None]
    return (max(moments) if moments else None), state["n"]


def _conditional(view: Any, state: Any) -> Any:
    def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
        return state(request, *args, **kwargs)[0]

    def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        moment, count = state(request, *args, **kwargs)
        return hashlib.sha256(f"{request.path}|{moment}|{count}".encode()).hexdigest()[:32]

    return condition(etag_func=etag, last_modified_func=last_modified)(view)


rss, atom = ArticleFeed(), AtomArticleFeed()
comments_rss, comments_atom = CommentFeed(), AtomCommentFeed()

urlpatterns = [
    path(
        "rss/comments/<id:article_id>/",
        _conditional(comments_rss, _comments_state),
        name="comments_rss",
    ),
    path(
        "atom/comments/<id:article_id>/",
        _conditional(comments_atom, _comments_state),
        name="comments_atom",
    ),
    path("rss/", _conditional(rss, _articles_state), name="rss"),
    path("atom/", _conditional(atom, _articles_state), name="atom"),
    path("rss/<scope:scope>/<wslug:slug>/", _conditional(rss, _articles_state), name="rss_scoped"),
    path(
        "atom/<scope:scope>/<wslug:slug>/", _conditional(atom, _articles_state), name="atom_scoped"
    ),
]
