"""Forecasting against the small demo: demand history, the nightly fit, read-outs, the CLI."""

import json
import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import func, select, update

from core.forecasting import (
    demand_history,
    fit_and_store_forecasts,
    forecast_for,
    forecast_risk_days,
)
from core.models import AuditEntry, Forecast, Home, Shift, ShiftStatus, Unit
from tests.conftest import DEMO_TODAY, make_core, requires_pg


def test_demand_history_counts_scheduled_shifts_per_day_before_until(demo_core):
    with demo_core.uow() as uow:
        s = uow.session
        unit_id = s.scalar(select(Unit.id).order_by(Unit.id))
        history = demand_history(s, [unit_id], until=DEMO_TODAY)[unit_id]
        first = s.scalar(select(func.min(Shift.date)).where(Shift.unit_id == unit_id))
        assert history[0][0] == first and history[-1][0] == DEMO_TODAY - timedelta(days=1)
        assert len(history) == (DEMO_TODAY - first).days  # one entry per day, no gaps
        day, count = history[-10]
        assert (
            count
            == s.scalar(
                select(func.count())
                .select_from(Shift)
                .where(Shift.unit_id == unit_id, Shift.date == day)
            )
            >= 3
        )
        # a cancelled shift no longer counts
        shift_id = s.scalar(select(Shift.id).where(Shift.unit_id == unit_id, Shift.date == day))
        s.execute(update(Shift).where(Shift.id == shift_id).values(status=ShiftStatus.CANCELLED))
        again = dict(demand_history(s, [unit_id], until=DEMO_TODAY)[unit_id])
        assert again[day] == count - 1
        assert set(demand_history(s, until=DEMO_TODAY)) == set(s.scalars(select(Unit.id)))


def test_nightly_fit_stores_28_days_per_unit_and_a_rerun_replaces_them(demo_core):
    first = fit_and_store_forecasts(demo_core)
    first_at = demo_core.clock.now()
    with demo_core.uow() as uow:
        s = uow.session
        unit_ids = set(s.scalars(select(Unit.id)))
        rows = list(s.scalars(select(Forecast)))
        assert first.units == len(unit_ids) and not first.skipped
        assert first.start == DEMO_TODAY and first.end == DEMO_TODAY + timedelta(days=27)
        assert len(rows) == 28 * len(unit_ids) == first.rows
        assert {r.unit_id for r in rows} == unit_ids
        assert {r.day for r in rows} == {DEMO_TODAY + timedelta(days=i) for i in range(28)}
        assert all(0 <= r.lower <= r.prediction <= r.upper for r in rows)
        assert all(r.model_version.startswith("prophet-1.5") for r in rows)
        assert {r.fitted_at for r in rows} == {first_at}
        home_id = s.scalar(select(Home.id).order_by(Home.id))
        home_units = set(s.scalars(select(Unit.id).where(Unit.home_id == home_id)))

    # a second run (here for one home) replaces that home's forecasts, nobody else's
    demo_core.clock.advance(timedelta(hours=1))
    fit_and_store_forecasts(demo_core, home_ids={home_id})
    with demo_core.uow() as uow:
        s = uow.session
        rows = list(s.scalars(select(Forecast)))
        assert len(rows) == 28 * len(unit_ids)
        assert {r.fitted_at for r in rows if r.unit_id in home_units} == {demo_core.clock.now()}
        assert {r.fitted_at for r in rows if r.unit_id not in home_units} == {first_at}
        audits = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "forecast.fitted")
                .order_by(AuditEntry.id)
            )
        )
        assert len(audits) == 2 and audits[0].actor == "scheduler"
        assert audits[0].after["rows"] == 28 * len(unit_ids)
        assert audits[1].after["units"] == len(home_units)


def test_forecast_for_sets_the_forecast_beside_the_rota_and_flags_risk_days(demo_core):
    with demo_core.uow() as uow:
        home_id, home_name = uow.session.execute(
            select(Home.id, Home.name).order_by(Home.id)
        ).first()
    fit_and_store_forecasts(demo_core, horizon_days=7, home_ids={home_id})
    end = DEMO_TODAY + timedelta(days=6)
    with demo_core.uow() as uow:
        s = uow.session
        rows = forecast_for(s, {home_id}, DEMO_TODAY, end)
        risky = forecast_risk_days(s, {home_id}, DEMO_TODAY, end, threshold=1.0)
        units = {u.id: u.name for u in s.scalars(select(Unit).where(Unit.home_id == home_id))}
        scheduled = s.scalar(
            select(func.count())
            .select_from(Shift)
            .where(
                Shift.unit_id == rows[0].unit_id,
                Shift.date == rows[0].date,
                Shift.status == ShiftStatus.SCHEDULED,
            )
        )
        assert forecast_for(s, {home_id + 1}, DEMO_TODAY, end) == []  # nothing fitted there
    assert len(rows) == 7 * len(units)
    assert {r.unit for r in rows} == set(units.values()) and {r.home for r in rows} == {home_name}
    assert [r.date for r in rows] == sorted(r.date for r in rows)
    assert 0 < rows[0].rostered <= scheduled  # absent workers are not counted
    # the one rule: expected demand above the rota by the threshold, on a published rota
    published = {r.date for r in rows if r.rostered}
    assert risky == [
        r for r in rows if r.date in published and r.prediction - r.rostered >= 1.0 - 1e-9
    ]
    assert all(r.expected_short >= 1.0 - 1e-9 for r in risky)
    payload = rows[0].to_json()
    assert set(payload) >= {"date", "home", "unit", "prediction", "lower", "upper", "rostered"}


def test_cli_backtest_json_gives_three_models_per_unit(demo_url):
    env = dict(os.environ, STAFFBOT_DATABASE_URL=demo_url, STAFFBOT_NOW="2026-01-14T09:00")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "forecast",
            "backtest",
            "--home",
            "Victoria Gardens",
            "--json",
            "--folds",
            "1",
        ],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    units = {r["unit"] for r in rows}
    assert len(units) == 2 and {r["home"] for r in rows} == {"Victoria Gardens"}
    assert sorted((r["unit"], r["model"]) for r in rows) == sorted(
        (u, m) for u in units for m in ("prophet", "seasonal_naive", "mean")
    )
    for r in rows:
        assert set(r) >= {"home", "unit", "model", "mae", "mape", "rmse", "coverage"}
        assert r["mae"] >= 0 and r["rmse"] >= r["mae"] and r["mape"] > 0
        assert (r["coverage"] is None) == (r["model"] != "prophet")


@requires_pg
def test_nightly_fit_on_postgres(pg_demo_url):
    core = make_core(pg_demo_url)
    try:
        with core.uow() as uow:
            home_id = uow.session.scalar(select(Home.id).order_by(Home.id))
        for _ in range(2):
            summary = fit_and_store_forecasts(core, horizon_days=5, home_ids={home_id})
        with core.uow() as uow:
            assert (
                uow.session.scalar(select(func.count()).select_from(Forecast))
                == summary.rows
                == 5 * summary.units
            )
    finally:
        core.engine.dispose()
