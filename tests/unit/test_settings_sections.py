"""One Settings, read once: its sections come from their own variables in the same read, a
caller wanting other values builds other settings, and nothing is attached to a Core."""

from __future__ import annotations

import dataclasses
from datetime import date, time

import pytest

from core.app import Core
from core.clock import ManualClock
from core.config import (
    DashboardSettings,
    LeaveRules,
    OvertimeSettings,
    Settings,
    SettingsError,
    load_settings,
)
from core.dashboards.config import dashboard_settings
from core.db import make_engine, make_session_factory
from core.overtime.config import settings_for, with_overtime
from core.timeutil import local_instant, tz


@pytest.fixture
def bare_core():
    url = "sqlite://"  # never connected to: nothing here reads a database
    engine = make_engine(url)
    zone = tz("Europe/London")
    core = Core(
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=ManualClock(local_instant(date(2026, 1, 14), time(9), zone)),
        settings=Settings(database_url=url),
    )
    yield core
    engine.dispose()


def test_every_section_is_read_in_the_one_settings_read(monkeypatch):
    monkeypatch.setenv("STAFFBOT_OT_WAVE_SIZE", "3")
    monkeypatch.setenv("STAFFBOT_LEAVE_MAX_CONCURRENT", "4")
    monkeypatch.setenv("STAFFBOT_LEAVE_BLACKOUTS", "12-20/12-31")
    monkeypatch.setenv("STAFFBOT_DASH_AGENCY_RATE_DEFAULT", "33")
    monkeypatch.setenv("STAFFBOT_ALERT_FORECAST_DAYS", "5")
    monkeypatch.setenv("TWILIO_FROM_NUMBER", "+447700900001")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("STAFFBOT_SWAP_NOTICE_HOURS", "12")
    monkeypatch.setenv("STAFFBOT_ROTA_TIME_LIMIT", "7")
    settings = load_settings()
    # the environment changing later changes nothing: the sections were read with the rest
    monkeypatch.setenv("STAFFBOT_OT_WAVE_SIZE", "9")
    monkeypatch.setenv("STAFFBOT_LEAVE_MAX_CONCURRENT", "9")
    assert isinstance(settings.overtime, OvertimeSettings)
    assert isinstance(settings.leave, LeaveRules)
    assert isinstance(settings.dashboards, DashboardSettings)
    assert settings.overtime.wave_size == 3
    assert settings.leave.max_concurrent == 4 and settings.leave.blackouts == ["12-20/12-31"]
    assert settings.dashboards.agency_rate("nobody") == 33.0
    assert settings.alerts.forecast_days == 5
    assert settings.sms.from_number == "+447700900001"
    assert settings.slack.bot_token == "xoxb-test"
    assert settings.swaps.notice_hours == 12.0 and settings.rota.time_limit == 7.0


def test_defaults_are_unchanged_and_no_variable_holds_a_whole_section(monkeypatch):
    monkeypatch.setenv("STAFFBOT_OVERTIME", '{"wave_size": 40}')
    monkeypatch.setenv("STAFFBOT_LEAVE", "not json")
    settings = Settings()
    assert settings.overtime == OvertimeSettings()
    assert settings.overtime.wave_size == 5 and settings.overtime.profile == "balanced"
    assert settings.leave.max_consecutive_days == 14 and settings.leave.max_concurrent == 2
    assert settings.dashboards.agency_rates == {"RN": 48.0, "SSW": 29.0, "HCA": 25.0}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STAFFBOT_OT_PROFILE", "fastest"),
        ("STAFFBOT_LEAVE_MAX_CONCURRENT", "0"),
        ("STAFFBOT_DASH_AGENCY_RATE_DEFAULT", "cheap"),
        ("STAFFBOT_SWAP_MAX_PER_MONTH", "many"),
        ("STAFFBOT_ROTA_WORKERS", "two"),
    ],
)
def test_a_bad_section_value_is_one_line_naming_its_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"{name}:")
    assert "\n" not in str(caught.value)


def test_other_values_make_other_settings_and_leave_these_alone():
    settings = Settings()
    changed = settings.with_overtime(wave_size=1, wave_policy="fixed")
    assert (changed.overtime.wave_size, changed.overtime.wave_policy) == (1, "fixed")
    assert (settings.overtime.wave_size, settings.overtime.wave_policy) == (5, "urgency")
    assert changed.leave is settings.leave and changed.database_url == settings.database_url
    assert settings.with_leave(max_concurrent=5).leave.max_concurrent == 5
    assert settings.with_dashboards(agency_rate_default=1.0).dashboards.agency_rate("x") == 1.0
    assert settings.with_swaps(notice_hours=1).swaps.notice_hours == 1.0
    assert settings.with_rota(time_limit=2).rota.time_limit == 2.0
    with pytest.raises(ValueError):
        settings.with_overtime(profile="fastest")  # validated like the environment's values


def test_a_core_with_other_overtime_settings_is_a_copy(bare_core):
    before = {f.name for f in dataclasses.fields(bare_core)} | set(vars(bare_core))
    assert settings_for(bare_core) is bare_core.settings.overtime
    assert dashboard_settings(bare_core) is bare_core.settings.dashboards
    quick = with_overtime(bare_core, wave_size=1)
    assert settings_for(quick).wave_size == 1
    assert settings_for(bare_core).wave_size == 5  # the core it came from is unchanged
    assert (quick.engine, quick.clock, quick.registry) == (
        bare_core.engine,
        bare_core.clock,
        bare_core.registry,
    )
    # nothing was attached to either Core on the way
    assert set(vars(bare_core)) <= before and set(vars(quick)) <= before
