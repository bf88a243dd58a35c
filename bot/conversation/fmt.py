"""Small formatting helpers shared by handlers and notification renderers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SHIFT_NAMES = {"early": "early", "late": "late", "night": "night", "long_day": "long day"}
SHIFT_TIMES = {
    "early": "07:00-15:00",
    "late": "14:00-22:00",
    "night": "21:45-07:45",
    "long_day": "07:30-20:00",
}


def day_label(day: date, today: date | None = None) -> str:
    if today is not None:
        if day == today:
            return f"today ({day:%a} {day.day} {day:%b})"
        if day == today + timedelta(days=1):
            return f"tomorrow ({day:%a} {day.day} {day:%b})"
    return f"{day:%a} {day.day} {day:%b}"


def short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def range_label(start: date, end: date, today: date | None = None) -> str:
    if start == end:
        return day_label(start, today)
    return f"{short_day(start)} to {short_day(end)}"


def shift_label(code: str) -> str:
    return SHIFT_NAMES.get(code, code)


def local_time(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%H:%M")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
