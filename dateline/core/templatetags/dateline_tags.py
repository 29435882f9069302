from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import template

register = template.Library()


@register.filter
def isotime(value: datetime | None) -> str:
    """ISO 8601 to the second, in UTC: what HTML's datetime attribute and feeds accept."""
    if value is None:
        return ""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@register.filter
def attr_or_none(value: Any, name: str) -> Any:
    """``value.name``, or None when ``value`` has no such attribute: for a template shared by
    pages of several types (``base.html``: an article's ``section_id``). Django answers a failed
    ``{{ value.name }}`` the same way, but only after listing the object's every attribute
    (``dir()``, tens of microseconds on a page)."""
    return getattr(value, name, None)
