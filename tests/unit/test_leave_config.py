"""Leave rule settings and the blackout calendar (no database)."""

from datetime import date

import pytest
from pydantic import ValidationError

from core.leave.balance import days_in_year, leave_days
from core.leave.config import LeaveRules, parse_blackout
from core.leave.rules import LeaveAsk, blackout_rule, leave_type_rule, length_rule
from core.models import LeaveType


def ask(start: date, end: date, leave_type: LeaveType = LeaveType.ANNUAL) -> LeaveAsk:
    return LeaveAsk(
        person_id=1, unit_id=1, role_code="RN", start=start, end=end, leave_type=leave_type
    )


def test_defaults_match_the_issue():
    rules = LeaveRules()
    assert rules.auto_approve_types == [LeaveType.ANNUAL, LeaveType.PERSONAL, LeaveType.TRAINING]
    assert rules.max_consecutive_days == 14
    assert rules.blackouts == ["12-11/01-08"]
    assert rules.max_concurrent == 2


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("STAFFBOT_LEAVE_AUTO_APPROVE_TYPES", "annual, unpaid")
    monkeypatch.setenv("STAFFBOT_LEAVE_MAX_CONSECUTIVE_DAYS", "21")
    monkeypatch.setenv("STAFFBOT_LEAVE_BLACKOUTS", '["12-20/12-31", "2026-07-01/2026-07-05"]')
    monkeypatch.setenv("STAFFBOT_LEAVE_MAX_CONCURRENT", "3")
    monkeypatch.setenv("STAFFBOT_LEAVE_CHECK_BALANCE", "false")
    rules = LeaveRules()
    assert rules.auto_approve_types == [LeaveType.ANNUAL, LeaveType.UNPAID]
    assert rules.max_consecutive_days == 21
    assert [b.label for b in rules.blackout_periods()] == [
        "20 Dec to 31 Dec, every year",
        "1 Jul 2026 to 5 Jul 2026",
    ]
    assert rules.max_concurrent == 3 and rules.check_balance is False


@pytest.mark.parametrize("banned", ["sickness", "maternity", "annual,sickness"])
def test_sickness_and_maternity_can_never_be_configured_for_auto_approval(monkeypatch, banned):
    monkeypatch.setenv("STAFFBOT_LEAVE_AUTO_APPROVE_TYPES", banned)
    with pytest.raises(ValidationError, match="never approved automatically"):
        LeaveRules()


@pytest.mark.parametrize(
    "bad", ["12-11", "13-01/01-08", "2026-02-30/2026-03-01", "2026-03-05/2026-03-01"]
)
def test_malformed_blackouts_are_refused(bad):
    with pytest.raises(ValueError):
        parse_blackout(bad)
    with pytest.raises(ValidationError):
        LeaveRules(blackouts=[bad])


@pytest.mark.parametrize(
    ("start", "end", "hit"),
    [
        (date(2026, 12, 10), date(2026, 12, 10), False),
        (date(2026, 12, 11), date(2026, 12, 11), True),
        (date(2026, 12, 24), date(2026, 12, 26), True),
        (date(2027, 1, 8), date(2027, 1, 8), True),  # the tail of the 2026/27 blackout
        (date(2027, 1, 9), date(2027, 1, 20), False),
        (date(2026, 1, 2), date(2026, 1, 3), True),  # the tail of the 2025/26 one
        (date(2026, 12, 1), date(2026, 12, 12), True),  # overlaps only its first two days
        (date(2026, 11, 20), date(2027, 1, 20), True),  # spans it entirely
    ],
)
def test_christmas_blackout_recurs_every_year_across_new_year(start, end, hit):
    result = blackout_rule(ask(start, end), LeaveRules())
    assert result.passed is not hit
    if hit:
        assert "blackout period (11 Dec to 8 Jan, every year)" in result.reason


def test_blackout_reason_names_the_days_that_fall_inside():
    result = blackout_rule(ask(date(2026, 12, 1), date(2026, 12, 12)), LeaveRules())
    assert result.reason.startswith("Fri 11 Dec to Sat 12 Dec is in a blackout period")


def test_no_blackouts_configured_means_no_blackout_failures():
    assert blackout_rule(
        ask(date(2026, 12, 24), date(2026, 12, 26)), LeaveRules(blackouts=[])
    ).passed


def test_one_off_blackout():
    rules = LeaveRules(blackouts=["2026-07-01/2026-07-05"])
    assert not blackout_rule(ask(date(2026, 7, 5), date(2026, 7, 6)), rules).passed
    assert blackout_rule(ask(date(2027, 7, 1), date(2027, 7, 2)), rules).passed


def test_feb_29_blackout_falls_back_to_28th_in_common_years():
    rules = LeaveRules(blackouts=["02-29/03-01"])
    assert not blackout_rule(ask(date(2027, 2, 28), date(2027, 2, 28)), rules).passed


@pytest.mark.parametrize(
    ("leave_type", "passes"),
    [
        (LeaveType.ANNUAL, True),
        (LeaveType.PERSONAL, True),
        (LeaveType.TRAINING, True),
        (LeaveType.UNPAID, False),
        (LeaveType.COMPASSIONATE, False),
        (LeaveType.SICKNESS, False),
        (LeaveType.MATERNITY, False),
    ],
)
def test_leave_type_rule(leave_type, passes):
    result = leave_type_rule(ask(date(2026, 3, 2), date(2026, 3, 2), leave_type), LeaveRules())
    assert result.passed is passes
    assert (result.reason is None) is passes


def test_length_rule_allows_exactly_the_limit():
    rules = LeaveRules()
    assert length_rule(ask(date(2026, 3, 1), date(2026, 3, 14)), rules).passed
    result = length_rule(ask(date(2026, 3, 1), date(2026, 3, 15)), rules)
    assert not result.passed
    assert result.reason == (
        "15 days in a row is more than the 14 that can be approved automatically"
    )
    assert length_rule(
        ask(date(2026, 3, 1), date(2026, 3, 15)), LeaveRules(max_consecutive_days=15)
    ).passed


def test_leave_days_are_calendar_days_split_by_year():
    assert leave_days(date(2026, 3, 2), date(2026, 3, 2)) == 1
    assert leave_days(date(2026, 12, 30), date(2027, 1, 2)) == 4
    assert days_in_year(date(2026, 12, 30), date(2027, 1, 2), 2026) == 2
    assert days_in_year(date(2026, 12, 30), date(2027, 1, 2), 2027) == 2
    assert days_in_year(date(2026, 12, 30), date(2027, 1, 2), 2028) == 0
