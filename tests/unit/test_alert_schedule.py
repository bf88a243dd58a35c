"""When alerts are due: schedules in local time, the grace window and the period keys."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.alerts import Schedule, due_now, period_key
from core.timeutil import local_instant, tz

ZONE = tz("Europe/London")
HOUR = timedelta(minutes=60)


def at(day: date, hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return local_instant(day, time(h, m), ZONE)


THU = date(2026, 1, 15)
MON = date(2026, 1, 19)


def test_schedules_read_daily_weekly_and_off():
    assert Schedule.parse("07:00") == Schedule(time(7, 0))
    assert Schedule.parse(" Mon 08:30 ") == Schedule(time(8, 30), 0)
    assert Schedule.parse("sunday 18:00") == Schedule(time(18, 0), 6)
    for off in ("", "off", "never", None):
        assert Schedule.parse(off) is None
    for bad in ("7am", "Funday 07:00", "25:00", "Mon 07:00 extra"):
        with pytest.raises(ValueError):
            Schedule.parse(bad)
    assert schedule("Mon 08:00").describe() == "Mon 08:00"
    assert schedule("07:00").describe() == "daily 07:00"


def test_a_missed_0700_run_is_caught_up_at_0720_but_not_at_1300():
    daily = Schedule.parse("07:00")
    assert due_now(daily, at(THU, "06:59"), ZONE, HOUR) is None  # yesterday's is 24h old
    on_time = due_now(daily, at(THU, "07:00"), ZONE, HOUR)
    assert on_time is not None and on_time.period == "2026-01-15" and on_time.day == THU
    late = due_now(daily, at(THU, "07:20"), ZONE, HOUR)
    assert late is not None and late.slot == at(THU, "07:00") and late.period == "2026-01-15"
    assert due_now(daily, at(THU, "08:00"), ZONE, HOUR) is not None  # the window's edge
    assert due_now(daily, at(THU, "08:01"), ZONE, HOUR) is None
    assert due_now(daily, at(THU, "13:00"), ZONE, HOUR) is None
    assert due_now(None, at(THU, "07:00"), ZONE, HOUR) is None  # switched off


def test_weekly_schedules_are_keyed_by_iso_week():
    weekly = Schedule.parse("Mon 08:00")
    assert due_now(weekly, at(THU, "08:00"), ZONE, HOUR) is None
    due = due_now(weekly, at(MON, "08:30"), ZONE, HOUR)
    assert due is not None and due.period == "2026-W04" and due.day == MON
    assert schedule("Mon 08:00").latest(at(THU, "12:00"), ZONE) == at(date(2026, 1, 12), "08:00")
    assert schedule("Mon 08:00").latest(at(MON, "07:59"), ZONE) == at(date(2026, 1, 12), "08:00")
    assert period_key(date(2026, 1, 1), True) == "2026-W01"
    assert period_key(date(2027, 1, 1), True) == "2026-W53"  # ISO years, not calendar years


def schedule(text: str) -> Schedule:
    parsed = Schedule.parse(text)
    assert parsed is not None
    return parsed


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_local_times_follow_the_clock_changes():
    daily = schedule("07:00")
    assert daily.latest(at(date(2026, 7, 1), "09:00"), ZONE) == utc(2026, 7, 1, 6, 0)
    assert daily.latest(at(THU, "09:00"), ZONE) == utc(2026, 1, 15, 7, 0)
    # clocks go forward at 01:00 on Sunday 29 March 2026: Saturday's and Sunday's 07:00
    # runs are 23 hours apart
    saturday = daily.latest(utc(2026, 3, 28, 12, 0), ZONE)
    sunday = daily.latest(utc(2026, 3, 29, 12, 0), ZONE)
    assert (saturday, sunday) == (utc(2026, 3, 28, 7, 0), utc(2026, 3, 29, 6, 0))
    # 01:30 does not exist that night: the run happens at 02:30 BST, still Sunday's
    night = schedule("01:30")
    slot = night.latest(utc(2026, 3, 29, 3, 0), ZONE)
    assert slot == utc(2026, 3, 29, 1, 30)
    assert night.period(slot, ZONE) == "2026-03-29"
