"""When a daily or weekly newsletter goes: its moments ("slots") in its own time zone.

Pure functions of a newsletter's schedule and a moment; the scheduler (``send_newsletters``)
asks them every minute."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta
from typing import Protocol


class Scheduled(Protocol):
    schedule: str
    send_time: time
    weekday: int
    time_zone: str


def next_slot(newsletter: Scheduled, *, after: datetime) -> datetime | None:
    """The first moment strictly after ``after`` at which ``newsletter`` goes, in UTC; None
    for alerts (they go on publish). A time a daylight-saving change skips is read as the
    clock shows it after the change."""
    if newsletter.schedule not in ("daily", "weekly"):
        return None
    zone = zoneinfo.ZoneInfo(newsletter.time_zone)
    start = after.astimezone(zone).date()
    for offset in range(9):
        day = start + timedelta(days=offset)
        if newsletter.schedule == "weekly" and day.weekday() != newsletter.weekday:
            continue
        local = datetime.combine(day, newsletter.send_time, tzinfo=zone)
        # Round-trip through UTC so a skipped local time lands after the change.
        moment = local.astimezone(UTC)
        if moment > after:
            return moment
    return None
