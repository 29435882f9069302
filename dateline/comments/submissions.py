"""A reader's comment as the services take it, built from an HTTP request: the same for the form
and the API, with the request-path guards (docs/moderation.md, "Anti-spam"), and whether to
nudge its writer before it is posted (docs/moderation.md, "Nudge")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from dateline.core.net import client_ip
from dateline.news.models import ArticlePage

from .guards import HONEYPOT_FIELD, STAMP_FIELD, honeypot_verdict, stamp_verdict
from .models import NAME_MAX, CommentSettings
from .screening import SPAM, Submission, Verdict, load_rules
from .services import comment_settings_for
from .text import has_invalid_characters, normalise_name


def account_name_clean(*, user: Any) -> str:
    """The name a signed-in person comments under (a reader's form or a staff reply): their
    account's full name, else their username, cleaned like a typed name (``text.normalise_name``:
    no bidi controls or zero-width characters, NFC; and no control characters) and cut to the
    name column (Django's first and last names hold up to 301 characters together, the column
    ``NAME_MAX``). Empty when neither has a visible character (the service then says
    "Anonymous")."""
    for raw in (user.get_full_name(), user.get_username()):
        text = str(raw or "")
        if has_invalid_characters(text):
            text = "".join(ch for ch in text if not has_invalid_characters(ch))
        # Cut as stored: NFC can grow a name, and a prefix of NFC text stays NFC.
        name = normalise_name(text)[:NAME_MAX].strip()
        if name:
            return name
    return ""


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
        name=account_name_clean(user=user) if signed_in else name,
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


def submission_nudged(
    submission: Submission, *, acknowledged: bool, site_settings: CommentSettings | None = None
) -> bool:
    """Whether to hand the comment back unsaved, telling its writer it may break the community
    guidelines (Coral's "nudge"), before it is posted.

    Asked of the configured rules that have a ``nudge(text)`` (``settings.DATELINE_COMMENT_RULES``;
    by default ``moderation.scoring.AbusiveLanguage``: the abuse score reaches the model's low
    threshold, never without a model), when the site's ``nudge_commenters`` setting is on. Never
    for a text its writer was already nudged about (``acknowledged``), for staff (not
    moderated), on a closed article, or for a robot the honeypot caught (it learns nothing).
    Runs no query: the site's settings (``site_settings``, by default the article's site's)
    are those the form was built with."""
    if acknowledged or submission.is_staff or not submission.article.comments_open():
        return False
    if any(guard.status == SPAM for guard in submission.guards):
        return False
    if not (site_settings or comment_settings_for(submission.article)).nudge_commenters:
        return False
    nudges = (getattr(rule, "nudge", None) for rule in load_rules())
    return any(nudge(submission.body) for nudge in nudges if callable(nudge))
