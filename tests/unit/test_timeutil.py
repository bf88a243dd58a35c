from datetime import UTC, date, datetime, timedelta

from core.clock import ManualClock, PinnedClock
from core.timeutil import local_date, parse_local, shift_window, tz

LONDON = tz("Europe/London")
UTC = UTC


def test_night_shift_crosses_midnight_and_ends_next_morning():
    start, end = shift_window(date(2026, 1, 16), "21:45", "07:45", LONDON)
    assert start == datetime(2026, 1, 16, 21, 45, tzinfo=UTC)  # GMT in winter
    assert end == datetime(2026, 1, 17, 7, 45, tzinfo=UTC)


def test_summer_shift_is_stored_in_utc_an_hour_earlier():
    start, _ = shift_window(date(2026, 7, 1), "07:00", "15:00", LONDON)
    assert start == datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # BST = UTC+1


def test_night_shift_over_spring_clock_change_is_nine_hours():
    # 29 March 2026: clocks go forward at 01:00 GMT
    start, end = shift_window(date(2026, 3, 28), "21:45", "07:45", LONDON)
    assert end - start == timedelta(hours=9)


def test_night_shift_over_autumn_clock_change_is_eleven_hours():
    # 25 October 2026: clocks go back at 02:00 BST
    start, end = shift_window(date(2026, 10, 24), "21:45", "07:45", LONDON)
    assert end - start == timedelta(hours=11)


def test_nonexistent_local_time_moves_forward():
    # 01:30 on 29 March 2026 does not exist in London; it becomes 02:30 BST = 01:30 UTC
    value = parse_local("2026-03-29T01:30", LONDON)
    assert value == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert value.astimezone(LONDON).hour == 2


def test_local_date_of_late_evening_utc_instant_in_summer():
    assert local_date(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), LONDON) == date(2026, 7, 2)


def test_manual_clock_moves_only_when_told():
    clock = ManualClock(datetime(2026, 1, 14, 9, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(timedelta(minutes=30))
    assert clock.now() == datetime(2026, 1, 14, 9, 30, tzinfo=UTC)


def test_pinned_clock_starts_where_pinned_and_runs_on():
    start = datetime(2026, 1, 14, 9, tzinfo=UTC)
    clock = PinnedClock(start)
    first = clock.now()
    assert timedelta(0) <= first - start < timedelta(seconds=5)
    assert clock.now() >= first
