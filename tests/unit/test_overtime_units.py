"""Overtime pieces with no database: Gini, quiet hours, the 7-day hours window, references,
and the notification texts (short, GSM-7, no carrier keyword as a command word)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.conversation.overtime import NOTIFICATION_TEXTS, offer_text
from bot.sms.text import is_gsm7, segments
from core.errors import InvalidInput
from core.overtime import gini, parse_ref, ref_of
from core.overtime.config import OvertimeSettings
from core.overtime.eligibility import ShiftSpec, max_hours_in_week
from core.overtime.preferences import _merged, in_quiet_hours

CARRIER_WORDS = {
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPTOUT",
    "START",
    "UNSTOP",
    "HELP",
    "INFO",
}


def test_gini_even_and_concentrated():
    assert gini([]) == 0.0
    assert gini([0, 0, 0]) == 0.0
    assert gini([10, 10, 10, 10]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 40]) == pytest.approx(0.75)
    assert 0 < gini([1, 2, 3, 10]) < 0.75


@pytest.mark.parametrize(
    "now,expected",
    [
        ("21:59", False),
        ("22:00", True),
        ("23:30", True),
        ("03:00", True),
        ("06:59", True),
        ("07:00", False),
        ("12:00", False),
    ],
)
def test_quiet_hours_wrap_past_midnight(now, expected):
    assert in_quiet_hours(now, "22:00", "07:00") is expected


def test_quiet_hours_same_day_window_and_disabled():
    assert in_quiet_hours("13:00", "12:00", "14:00")
    assert not in_quiet_hours("15:00", "12:00", "14:00")
    assert not in_quiet_hours("03:00", "00:00", "00:00")


def _spec(start: datetime, hours: float = 10) -> ShiftSpec:
    return ShiftSpec(
        1, "Home", start.date(), "night", "RN", start, start + timedelta(hours=hours), hours
    )


def test_weekly_hours_window_must_hold_the_shift():
    start = datetime(2026, 1, 16, 21, 45, tzinfo=UTC)
    others = [(start - timedelta(days=d), 12.0) for d in (1, 2, 3)]  # 36h in the 3 days before
    assert max_hours_in_week(_spec(start), others) == 36
    # 8 days before is outside every 7-day window that contains this shift
    assert max_hours_in_week(_spec(start), [(start - timedelta(days=8), 12.0)]) == 0
    # after the shift counts too (a window starting at the shift)
    after = [(start + timedelta(days=d), 12.0) for d in (2, 4, 6)]
    assert max_hours_in_week(_spec(start), after) == 36


def test_preference_lists_widen_or_replace():
    everything = ["early", "late", "night", "long_day"]
    assert _merged(["night"], ["late"], add=True, everything=everything) == ["late", "night"]
    assert _merged(["night"], ["late"], add=False, everything=everything) == ["late"]
    assert _merged(None, ["late"], add=True, everything=everything) is None  # already any
    assert _merged(["early", "late", "night"], ["long_day"], True, everything) is None
    assert _merged(["night"], None, add=False, everything=everything) is None


def test_references():
    assert ref_of(42) == "OT42"
    assert parse_ref("OT42") == parse_ref("#42") == parse_ref("42") == parse_ref(42) == 42
    assert parse_ref("ot 7") == 7
    with pytest.raises(InvalidInput):
        parse_ref("Friday")


def test_settings_profiles_and_validation(monkeypatch):
    s = OvertimeSettings()
    assert sum(s.weights("reliability").values()) == 100
    assert sum(s.weights("balanced").values()) == 100
    assert s.weights() == s.weights(s.profile)
    with pytest.raises(ValueError):
        s.weights("cheapest")
    monkeypatch.setenv("STAFFBOT_OT_WAVE_SIZE", "3")
    monkeypatch.setenv("STAFFBOT_OT_PROFILE", "reliability")
    monkeypatch.setenv("STAFFBOT_OT_WEIGHTS_BALANCED", '{"availability": 50, "fairness": 50}')
    env = OvertimeSettings()
    assert env.wave_size == 3 and env.profile == "reliability"
    assert env.weights("balanced") == {"availability": 50, "fairness": 50}
    monkeypatch.setenv("STAFFBOT_OT_WEIGHTS_BALANCED", '{"charm": 50}')
    with pytest.raises(ValueError):
        OvertimeSettings()


def _payload(home: str, role: str, shift: str, ref: int = 123456) -> dict:
    return {
        "ref": f"OT{ref}",
        "request_id": ref,
        "role": role,
        "shift_type": shift,
        "date": "2026-01-17",
        "day": "Wed 17 Jan",
        "times": "07:30-20:00",
        "home": home,
        "reply_by": "Wed 05:30",
        "first_name": "Catriona",
        "name": "Catriona Urquhart",
        "minutes": 12,
        "asked": 5,
        "why": "nobody left to ask",
        "declined": 3,
        "no_response": 2,
        "next_step": "book an agency worker",
        "status": "PENDING",
        "agency": "Carewatch",
        "cost": 320.0,
        "booked_by": "Claire Docherty",
        "waiting": 2,
        "hours_left": 5.0,
        "reason": "family emergency",
        "when": "eve",
        "places": 1,
        "cross_home": ["Mark Stevens"],
        "slots": 1,
        "filled": ["Catriona Urquhart"],
    }


@pytest.mark.parametrize("home", ["Victoria Gardens", "Riverside Court", "Hawthorn House"])
@pytest.mark.parametrize("shift", ["early", "late", "night", "long_day"])
def test_offer_text_is_one_gsm7_segment(home, shift):
    text = offer_text(_payload(home, "SSW", shift))
    assert is_gsm7(text) and segments(text) == 1, (len(text), text)
    assert "YES 123456" in text and "NO 123456" in text


def test_no_notification_uses_a_carrier_keyword_as_a_word():
    for kind, render in NOTIFICATION_TEXTS.items():
        text = render(_payload("Victoria Gardens", "RN", "night"))
        words = {w.strip(".,:;()!?'").upper() for w in text.split()}
        assert not words & CARRIER_WORDS, (kind, text)
        assert is_gsm7(text), kind


def test_staff_facing_texts_fit_one_sms():
    for kind in ("ot.offer", "ot.filled", "ot.cancelled", "ot.reminder"):
        text = NOTIFICATION_TEXTS[kind](_payload("Riverside Court", "HCA", "long_day"))
        assert segments(text) == 1, (kind, len(text), text)


def test_demo_week_days():
    assert date(2026, 1, 16).weekday() == 4  # the walkthrough's Friday


def test_a_late_withdrawal_gives_the_manager_a_reopen_button():
    import json

    from bot.slack.outreach import withdrawn_blocks

    late = {
        **_payload("Victoria Gardens", "RN", "night"),
        "manager_decides": True,
        "reopened": False,
        "hours_left": 5.0,
    }
    blocks = json.dumps(withdrawn_blocks(late))
    assert "Reopen outreach" in blocks and "ot.reopen" in blocks
    assert "your call" in blocks
    early = {**late, "manager_decides": False, "reopened": True}
    blocks = json.dumps(withdrawn_blocks(early))
    assert "Reopen outreach" not in blocks and "outreach has reopened" in blocks
