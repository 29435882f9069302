"""The Jinja2 environment the comment thread is rendered with (Django's Jinja2 backend, the
"jinja2" entry of settings.TEMPLATES). Why a second template engine for this one template:
docs/decisions/0051-comment-thread-in-jinja.md."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.template.defaultfilters import date, urlencode
from django.utils.timezone import is_aware, localtime
from django.utils.translation import get_language
from jinja2 import Environment

from dateline.core.templatetags.dateline_tags import isotime

from .avatars import avatar_svg_small
from .bodies import comment_body_html, comment_is_long


def _local_date(value: Any, fmt: str) -> str:
    # Django's `date` filter, after the conversion to the site's time zone that Django's
    # template engine makes before calling it.
    local = localtime(value) if value is not None and is_aware(value) else value
    if not (isinstance(local, datetime) and _to_the_minute(fmt)):
        return str(date(local, fmt))
    key = (fmt, get_language(), local.year, local.month, local.day, local.hour, local.minute)
    found = _dates.get(key)
    if found is None:
        if len(_dates) >= _DATES_KEPT:
            _dates.clear()
        found = _dates[key] = str(date(local, fmt))
    return found


# Django's format characters whose output is the local date, hour or minute (and the language's
# names of months and days): what the thread shows ("j F Y \a\t H:i"). A date shown with only
# these is the same for every moment of its minute, so it is made once per minute and language
# (a post's answer shows the comment's own date; a page, many in the same few minutes), not
# with Django's formatter each time.
_MINUTE_FORMAT = frozenset("aAbdDEfFgGhHijlLmMnNPStwWyYz")
_DATES_KEPT = 512
_dates: dict[tuple[Any, ...], str] = {}


@lru_cache(maxsize=16)
def _to_the_minute(fmt: str) -> bool:
    """Whether every letter of ``fmt`` not escaped with a backslash is one of
    ``_MINUTE_FORMAT`` (letters Django reads literally count against it too)."""
    escaped = False
    for char in fmt:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char.isalpha() and char not in _MINUTE_FORMAT:
            return False
    return True


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 (the backend passes autoescape=True)
    env.filters.update(
        {
            # The HTML stored when the comment was written (comments.bodies).
            "comment_html": comment_body_html,
            "comment_is_long": comment_is_long,
            "comment_avatar": lambda c: avatar_svg_small(c.email_key),
            "isotime": isotime,
            "date": _local_date,
            # Django's quoting, so the links are the same as in the Django templates.
            "urlencode": urlencode,
        }
    )
    return env
