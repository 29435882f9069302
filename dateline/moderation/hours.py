"""Moderators' staffed hours: "Mon–Fri 07:00–22:00 Europe/London", and what a moment is."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_days(text: str) -> frozenset[int]:
    """ "mon-fri,sun" → {0, 1, 2, 3, 4, 6}; empty → every day. Raises ValueError."""
    text = text.strip().lower()
    if not text:
        return frozenset(range(7))
    days: set[int] = set()
    for part in text.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        try:
            a = DAYS.index(first[:3])
            b = DAYS.index(last[:3]) if last else a
        except ValueError:
            raise ValueError(
                f"“{part}” is not a day or a range of days; write them like mon-fri,sun."
            ) from None
        days.update((a + n) % 7 for n in range(((b - a) % 7) + 1))
    return frozenset(days)


@dataclass(frozen=True)
class StaffedHours:
    days: frozenset[int]
    start: time
    end: time
    timezone: str
    outside: str  # "pre" or "close"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def _open_on(self, day: int, clock: time) -> bool:
        if self.start <= self.end:
            return day in self.days and self.start <= clock < self.end
        # Past midnight: the evening belongs to its own day, the early morning to the day before.
        if clock >= self.start:
            return day in self.days
        return clock < self.end and (day - 1) % 7 in self.days

    def staffed(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return self._open_on(local.weekday(), local.time())

    def next_start(self, moment: datetime) -> datetime:
        """The next moment the desk is staffed again (``moment`` itself when it is)."""
        local = moment.astimezone(self.zone)
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            candidate = datetime.combine(day, self.start, tzinfo=self.zone)
            if candidate >= local and day.weekday() in self.days:
                return candidate
        return local

    @property
    def place(self) -> str:
        """ "London" for Europe/London: how readers name the time."""
        return self.timezone.rsplit("/", 1)[-1].replace("_", " ")

    def describe_days(self) -> str:
        if len(self.days) == 7:
            return "every day"
        ordered = sorted(self.days)
        if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
            return f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
        return ", ".join(DAY_NAMES[d] for d in ordered)

    def notice(self) -> str:
        """What readers see near the form, true whenever the page was rendered."""
        hours = f"{self.start:%H:%M} to {self.end:%H:%M} {self.place} time, {self.describe_days()}"
        if self.outside == "close":
            return f"Comments are open from {hours}."
        return f"Comments are moderated from {hours}; outside those hours yours will appear after review."

    def closed_message(self, moment: datetime) -> str:
        reopen = self.next_start(moment)
        local = moment.astimezone(self.zone)
        when = (
            f"{reopen:%H:%M}"
            if reopen.date() == local.date()
            else f"{DAY_NAMES[reopen.weekday()]} {reopen:%H:%M}"
        )
        return (
            f"Comments are closed until {when} {self.place} time. Your text is still here: "
            "please post it then."
        )
