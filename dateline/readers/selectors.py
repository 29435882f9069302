"""Reads about readers: who a cookie or a link stands for, a reader's own comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils import timezone

from dateline.comments.models import Comment

from .models import Reader, ReaderUser, SignInLink
from .tokens import link_id_from_token, session_key_hash

COMMENTS_PER_PAGE = 20


def reader_user_for_session(key: str) -> ReaderUser | None:
    """The signed-in reader (as a user, with the reader loaded) whose browser holds ``key``, in
    one query; None for an unknown, expired or deleted session, or an account that was made
    staff (staff sign in to the newsroom, not here)."""
    if not key or len(key) > 100:
        return None
    return (
        ReaderUser.objects.select_related("reader")
        .filter(
            reader__sessions__key_hash=session_key_hash(key),
            reader__sessions__expires_at__gt=timezone.now(),
            is_active=True,
            is_staff=False,
            is_superuser=False,
        )
        .first()
    )


def request_reader(request: HttpRequest) -> Reader | None:
    """The reader signed in on this request by the reader cookie (``readers.middleware``)."""
    if not getattr(request, "reader_signed_in", False):
        return None
    user: Any = request.user
    if not user.is_authenticated:
        return None
    reader: Reader | None = getattr(user, "reader", None)
    return reader


def sign_in_link_usable(token: str) -> SignInLink | None:
    """The link a token stands for while it can still be used (signed, not expired, not used),
    with its account if it has one; None otherwise."""
    link_id = link_id_from_token(token)
    if link_id is None:
        return None
    return (
        SignInLink.objects.select_related("reader")
        .filter(pk=link_id, used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@dataclass(frozen=True)
class OwnComment:
    comment: Comment
    status_label: str
    public: bool


def reader_comments_page(
    *, reader: Reader, page_number: Any = 1
) -> tuple[Page[Any], list[OwnComment]]:
    """A page of the reader's comments, newest first, with the status the reader may see:
    published, or awaiting moderation (held, and spam too, as the comment form tells its
    author); removed ones are not listed. Two queries (count and rows), whatever the number."""
    queryset = (
        Comment.objects.filter(user_id=reader.user_id)
        .exclude(status=Comment.Status.TRASH)
        .select_related("article")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(queryset, COMMENTS_PER_PAGE).get_page(page_number)
    items = [
        OwnComment(
            comment=c,
            status_label="Published" if c.is_public else "Awaiting moderation",
            public=c.is_public,
        )
        for c in page.object_list
    ]
    return page, items
