"""A reader's comment as the services take it, built from an HTTP request: the same for the form
and the API, with the request-path guards (docs/moderation.md, "Anti-spam")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from dateline.core.net import client_ip
from dateline.news.models import ArticlePage

from .guards import HONEYPOT_FIELD, STAMP_FIELD, honeypot_verdict, stamp_verdict
from .rules import Submission, Verdict


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
    form: Mapping[str, Any] | None = None,
) -> Submission:
    """Signed-in users (``user``, as the view authenticated them) comment under their account's
    name and address; everyone else under what they typed.

    ``form``: the posted fields of the HTML form, whose honeypot and signed timestamp are
    checked here (the API has neither). Raises guards.FormExpired. Rate limits are counted by
    the service, after its duplicate check, so a double submit is not "too many comments"."""
    signed_in = bool(user.is_authenticated)
    is_staff = bool(getattr(user, "is_staff", False))
    guards: list[Verdict] = []
    if form is not None:
        trap = honeypot_verdict(str(form.get(HONEYPOT_FIELD, "")))
        if trap is not None:
            guards.append(trap)
        else:
            timing = stamp_verdict(str(form.get(STAMP_FIELD, "")))
            if timing is not None and not is_staff:
                guards.append(timing)
    return Submission(
        article=article,
        name=str(user.get_full_name() or user.get_username()) if signed_in else name,
        email=str(getattr(user, "email", "") or "") if signed_in else email,
        url=url,
        body=body,
        parent_id=parent_id,
        user_id=user.pk if signed_in else None,
        is_staff=is_staff,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        idempotency_key=idempotency_key,
        notify=notify,
        guards=tuple(guards),
        check_rate=not is_staff,
    )
