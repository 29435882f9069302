"""The Jinja2 environment the comment thread is rendered with (Django's Jinja2 backend, the
"jinja2" entry of settings.TEMPLATES). Why a second template engine for this one template:
docs/decisions/0051-comment-thread-in-jinja.md."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import date, urlencode
from django.utils.timezone import is_aware, localtime
from jinja2 import Environment

from dateline.core.templatetags.dateline_tags import isotime

from .avatars import avatar_svg_small
from .bodies import comment_body_html


def _local_date(value: Any, fmt: str) -> str:
    # Django's `date` filter, after the conversion to the site's time zone that Django's
    # template engine makes before calling it.
    return str(date(localtime(value) if value is not None and is_aware(value) else value, fmt))


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 (the backend passes autoescape=True)
    env.filters.update(
        {
            # The HTML stored when the comment was written (comments.bodies).
            "comment_html": comment_body_html,
            "comment_avatar": lambda c: avatar_svg_small(c.email_key),
            "isotime": isotime,
            "date": _local_date,
            # Django's quoting, so the links are the same as in the Django templates.
            "urlencode": urlencode,
        }
    )
    return env
