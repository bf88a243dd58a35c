"""When an alert is due: a local wall-clock time, daily or on one weekday, and the period
(day or ISO week) an occurrence belongs to. Pure functions of an injected instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.timeutil import local_instant

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Schedule:
    """``07:00`` (every day) or ``Mon 08:00`` (every Monday), in the organisation's zone."""

    at: time
    weekday: int | None = None  # 0 = Monday; None: every day

    @classmethod
    def parse(cls, value: str | None) -> Schedule | None:
        """None for "" / "off" / "never"; ValueError for anything else it cannot read."""
        text = (value or "").strip().lower()
        if text in ("", "off", "never", "none"):
            return None
        parts = text.split()
        weekday = None
        if len(parts) == 2:
            day = parts[0][:3]
            if day not in WEEKDAYS:
                raise ValueError(f"unknown weekday in {value!r}; use Mon..Sun")
            weekday = WEEKDAYS.index(day)
        elif len(parts) != 1:
            raise ValueError(f"cannot read {value!r}; use 'HH:MM' or 'Mon HH:MM'")
        try:
            hours, minutes = (int(p) for p in parts[-1].split(":"))
            at = time(hours, minutes)
        except ValueError as exc:
            raise ValueError(f"cannot read the time in {value!r}; use HH:MM") from exc
        return cls(at, weekday)

    @property
    def weekly(self) -> bool:
        return self.weekday is not None

    def latest(self, now: datetime, zone: ZoneInfo) -> datetime:
        """The most recent occurrence at or before ``now`` (a UTC instant)."""
        today = now.astimezone(zone).date()
        step = 7 if self.weekly else 1
        back = (today.weekday() - self.weekday) % 7 if self.weekday is not None else 0
        day = today - timedelta(days=back)
        slot = local_instant(day, self.at, zone)
        while slot > now:
            day -= timedelta(days=step)
            slot = local_instant(day, self.at, zone)
        return slot

    def period(self, slot: datetime, zone: ZoneInfo) -> str:
        """The period an occurrence covers: its local day, or its ISO week when weekly."""
        return period_key(slot.astimezone(zone).date(), self.weekly)

    def describe(self) -> str:
        day = f"{WEEKDAYS[self.weekday].capitalize()} " if self.weekday is not None else "daily "
        return f"{day}{self.at:%H:%M}"


def period_key(day: date, weekly: bool) -> str:
    if not weekly:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Due:
    """An occurrence that is due now: when it was meant to run and the period it covers."""

    slot: datetime
    period: str
    day: date  # the slot's local date


def due_now(
    schedule: Schedule | None, now: datetime, zone: ZoneInfo, grace: timedelta
) -> Due | None:
    """The latest occurrence if it is at most ``grace`` old (a missed run is caught up
    within the window, never later: a 07:00 report is no use at 13:00)."""
    if schedule is None:
        return None
    slot = schedule.latest(now, zone)
    if now - slot > grace:
        return None
    return Due(slot, schedule.period(slot, zone), slot.astimezone(zone).date())
