from __future__ import annotations

from datetime import UTC, datetime

from django import template

register = template.Library()


@register.filter
def isotime(value: datetime | None) -> str:
    """ISO 8601 to the second, in UTC: what HTML's datetime attribute and feeds accept."""
    if value is None:
        return ""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
