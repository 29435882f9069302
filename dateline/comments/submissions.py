"""A reader's comment as the services take it, built from an HTTP request: the same for the form
and the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dateline.core.net import client_ip
from dateline.news.models import ArticlePage

from .rules import Submission


def submission_from_request(
    request: HttpRequest,
    *,
    user: Any,
    article: ArticlePage,
    name: str,
    email: str,
    url: str,
    body: str,
    parent_id: int | None,
    idempotency_key: str,
    notify: bool,
) -> Submission:
    """Signed-in users (``user``, as the view authenticated them) comment under their account's
    name and address; everyone else under what they typed."""
    signed_in = bool(user.is_authenticated)
    return Submission(
        article=article,
        name=str(user.get_full_name() or user.get_username()) if signed_in else name,
        email=str(getattr(user, "email", "") or "") if signed_in else email,
        url=url,
        body=body,
        parent_id=parent_id,
        user_id=user.pk if signed_in else None,
        is_staff=bool(getattr(user, "is_staff", False)),
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        idempotency_key=idempotency_key,
        notify=notify,
    )
