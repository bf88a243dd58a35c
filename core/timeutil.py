"""Local calendar <-> UTC instants, in the organisation's time zone.

Shifts are defined by local wall-clock times. A night shift crossing midnight
ends on the next local day; across the spring or autumn clock change it is an
hour shorter or longer in real time, and we store the real instants.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Europe/London"


def tz(name: str = DEFAULT_TZ) -> ZoneInfo:
    return ZoneInfo(name)


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time.

    A time that does not exist (skipped in spring) is moved forward by the gap; an
    ambiguous one (repeated in autumn) takes its first occurrence, as a clock on the
    wall would show it first.
    """
    # zoneinfo's fold=0 reads a skipped time with the pre-gap offset (so it lands after the
    # gap) and an ambiguous time as its first occurrence: both what a wall clock does.
    aware = datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    return aware.astimezone(UTC)


def shift_window(day: date, start: str, end: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC start and end of a shift that starts on local ``day``; ends next day if it wraps."""
    start_t, end_t = parse_hhmm(start), parse_hhmm(end)
    end_day = day + timedelta(days=1) if end_t <= start_t else day
    return local_instant(day, start_t, zone), local_instant(end_day, end_t, zone)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def to_local(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone)


def parse_local(value: str, zone: ZoneInfo) -> datetime:
    """``2026-01-14T09:00`` (local, or with an explicit offset) -> UTC instant."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return local_instant(parsed.date(), parsed.time(), zone)
    return parsed.astimezone(UTC)


def daterange(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
