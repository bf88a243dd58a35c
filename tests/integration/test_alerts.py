"""Scheduled alerts against the demo organisation, on a manual clock: each alert reaches Slack
(the real Slack sender, against a local stand-in for the Web API) once per period, across a
restart, with two schedulers racing (SQLite and PostgreSQL), and a missed run is caught up
within the grace window but not hours later."""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.bootstrap import standard_registry
from bot.delivery import run_due_work as _run_due_work
from bot.slack.sender import SlackSender
from bot.slack.testing import FakeSlack
from core.alerts import run_due_alerts
from core.app import Core
from core.forecasting import fit_and_store_forecasts, forecast_for
from core.models import AlertRecord, AuditEntry, Channel, CoverageRequest, Home, OutboundMessage
from core.outbox import Envelope, MessageSender
from scheduler.alert_jobs import fit_cron
from tests.conftest import DEMO_TODAY, local, make_core, requires_pg

THU = DEMO_TODAY + timedelta(days=1)
FRI = DEMO_TODAY + timedelta(days=2)
MON = DEMO_TODAY + timedelta(days=5)
HOMES = 5


class Texts(MessageSender):
    """Stands in for Twilio: records the texts."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, envelope: Envelope, text: str, blocks: list[dict] | None = None) -> str:
        self.sent.append((envelope.recipient_name, text))
        return f"sms-{envelope.message_id}"


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


def senders(slack: FakeSlack) -> dict[Channel, MessageSender]:
    return {Channel.SLACK: SlackSender("xoxb-test", slack.api_url), Channel.SMS: Texts()}


def posts(slack: FakeSlack, starting: str) -> Counter[str]:
    """chat.postMessage calls whose text starts so, counted by channel."""
    return Counter(
        c.params["channel"]
        for c in slack.of("chat.postMessage")
        if str(c.params.get("text", "")).startswith(starting)
    )


def records(core: Core, kind: str | None = None) -> list[tuple[str, str, str]]:
    with core.uow() as uow:
        query = select(AlertRecord.kind, AlertRecord.home_key, AlertRecord.period)
        if kind:
            query = query.where(AlertRecord.kind == kind)
        return sorted(tuple(r) for r in uow.session.execute(query))  # type: ignore[misc]


def run_due_work(core: Core, out) -> None:  # type: ignore[no-untyped-def]
    """One scheduler tick with the jobs bootstrap's registry holds (alerts among them)."""
    _run_due_work(core, out, jobs=standard_registry().jobs)


def queued(core: Core, kind: str) -> int:
    with core.uow() as uow:
        return (
            uow.session.scalar(
                select(func.count())
                .select_from(OutboundMessage)
                .where(OutboundMessage.kind == kind)
            )
            or 0
        )


def at(core: Core, instant) -> None:  # type: ignore[no-untyped-def]
    core.clock.set(instant)  # type: ignore[attr-defined]


def test_the_alert_jobs_are_registered():
    registry = standard_registry()
    assert "alerts.due" in [name for name, _ in registry.jobs]
    from core.config import Settings

    fit = next(j for j in registry.cron_jobs if j.name == "forecast.nightly_fit")
    assert fit_cron(Settings()) == {"hour": "2", "minute": "0"}
    assert callable(fit.cron) and fit_cron(Settings(forecast_fit_at="off")) == {}
    from apscheduler.triggers.cron import CronTrigger

    trigger = CronTrigger(
        timezone="Europe/London", **fit_cron(Settings(forecast_fit_at="Sun 03:15"))
    )
    first = trigger.get_next_fire_time(None, local(DEMO_TODAY, "09:00"))
    assert first == local(DEMO_TODAY + timedelta(days=4), "03:15")  # Sunday 18 Jan


# ---- the daily gap report -----------------------------------------------------------------


def test_daily_gap_report_reaches_each_home_channel_once_per_day_across_a_restart(demo_url, slack):
    core = make_core(demo_url, now=local(THU, "06:55"))
    out = senders(slack)
    run_due_work(core, out)
    assert posts(slack, "Daily gap report") == Counter()  # not yet

    at(core, local(THU, "07:00"))
    run_due_work(core, out)
    first = posts(slack, "Daily gap report")
    assert first == Counter(
        {
            "#victoria-gardens": 1,
            "#hawthorn-house": 1,
            "#orchard-grove": 1,
            "#meadowburn": 1,
            "#riverside-court": 1,
        }
    )
    vg = next(
        c.params for c in slack.of("chat.postMessage") if c.params["channel"] == "#victoria-gardens"
    )
    assert vg["text"].startswith("Daily gap report for Victoria Gardens, Thu 15 Jan.")
    assert "Tomorrow (Fri 16 Jan): 1 gap - night RN x1 (Rowan)" in vg["text"]  # planted gap
    assert vg["blocks"][0]["type"] == "header"  # Block Kit in Slack, words as the fallback

    for minutes in (5, 10, 30):  # later ticks in the same window
        at(core, local(THU, "07:00") + timedelta(minutes=minutes))
        run_due_work(core, out)
    core.engine.dispose()

    # a restart: new engine, new Core, same database, still inside the grace window
    again = make_core(demo_url, now=local(THU, "07:40"))
    run_due_work(again, senders(slack))
    assert posts(slack, "Daily gap report") == first
    assert queued(again, "alert.daily_gaps") == HOMES
    assert [r[2] for r in records(again, "alert.daily_gaps")] == ["2026-01-15"] * HOMES

    # the next morning, once more
    at(again, local(FRI, "07:00"))
    run_due_work(again, senders(slack))
    assert sum(posts(slack, "Daily gap report").values()) == 2 * HOMES
    assert len(records(again, "alert.daily_gaps")) == 2 * HOMES
    again.engine.dispose()


def test_a_missed_0700_run_is_caught_up_at_0720_but_not_at_1300(demo_url, slack):
    core = make_core(demo_url, now=local(THU, "13:00"))  # down all morning
    run_due_work(core, senders(slack))
    assert posts(slack, "Daily gap report") == Counter() and records(core) == []

    at(core, local(FRI, "07:20"))  # back up twenty minutes late the next day
    run_due_work(core, senders(slack))
    assert sum(posts(slack, "Daily gap report for").values()) == HOMES
    with core.uow() as uow:
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "alert.sent")
        ).first()
        assert audit is not None and audit.after["late_minutes"] == 20.0
        assert audit.after["period"] == "2026-01-16"
    texts = [c.params["text"] for c in slack.of("chat.postMessage")]
    assert all("Fri 16 Jan" in t for t in texts if t.startswith("Daily gap report"))
    core.engine.dispose()


def _race(cores: list[Core], slack: FakeSlack, rounds: int = 3) -> list[BaseException]:
    """Each core runs the scheduler's due work (alerts, then delivery) in its own thread,
    started together."""
    barrier = threading.Barrier(len(cores))
    errors: list[BaseException] = []

    def scheduler(core: Core) -> None:
        try:
            out = senders(slack)
            barrier.wait(timeout=30)
            for _ in range(rounds):
                run_due_work(core, out)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=scheduler, args=(c,)) for c in cores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def _two_schedulers(url: str, slack: FakeSlack) -> None:
    # both processes tick at 08:00 on Monday, when the daily report (at 07:30 here),
    # training and the weekly summary are all due
    cores = [
        make_core(
            url,
            now=local(MON, "08:00"),
            alert_daily_gaps_at="07:30",
            alert_weekly_summary_at="Mon 08:00",
        )
        for _ in range(2)
    ]
    try:
        assert _race(cores, slack) == []
        assert posts(slack, "Daily gap report") == Counter(
            {
                "#victoria-gardens": 1,
                "#hawthorn-house": 1,
                "#orchard-grove": 1,
                "#meadowburn": 1,
                "#riverside-court": 1,
            }
        )
        assert posts(slack, "Hi Graham, here is the weekly") == Counter({"UGRAHAM01": 1})
        assert posts(slack, "Hi Claire,") == Counter({"UCLAIRE01": 1})
        kinds = Counter(k for k, _, _ in records(cores[0]))
        assert kinds == Counter(
            {"alert.daily_gaps": HOMES, "alert.training": HOMES, "alert.weekly_summary": 1}
        )
        assert queued(cores[0], "alert.daily_gaps") == HOMES
        assert queued(cores[0], "alert.weekly_summary") == 1
    finally:
        for core in cores:
            core.engine.dispose()


def test_two_schedulers_at_once_send_each_alert_once_sqlite(demo_url, slack):
    _two_schedulers(demo_url, slack)


def test_a_failed_alert_transaction_sends_nothing_and_the_next_tick_sends_it(
    demo_url, slack, monkeypatch
):
    from core.alerts import service

    core = make_core(demo_url, now=local(THU, "07:00"))
    real = service.post_to_home
    calls = {"n": 0}

    def flaky(uow, home_id, kind, payload):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return real(uow, home_id, kind, payload)

    monkeypatch.setattr(service, "post_to_home", flaky)
    run_due_work(core, senders(slack))  # the failure is logged; the other homes go out
    assert sum(posts(slack, "Daily gap report").values()) == HOMES - 1
    assert len(records(core, "alert.daily_gaps")) == HOMES - 1
    at(core, local(THU, "07:05"))
    run_due_work(core, senders(slack))
    assert sum(posts(slack, "Daily gap report").values()) == HOMES
    assert max(posts(slack, "Daily gap report").values()) == 1
    core.engine.dispose()


def test_schedules_come_from_configuration_and_can_be_switched_off(demo_url, slack):
    core = make_core(
        demo_url,
        now=local(THU, "05:45"),
        alert_daily_gaps_at="05:30",
        alert_weekly_summary_at="Thu 05:40",
        alert_training_at="off",
        alert_forecast_at="",
    )
    assert [s.kind for s in run_due_alerts(core)] == ["alert.daily_gaps"] * HOMES + [
        "alert.weekly_summary"
    ]
    assert records(core, "alert.weekly_summary") == [("alert.weekly_summary", "all", "2026-W03")]
    core.engine.dispose()


# ---- gaps opening outreach by themselves (off by default) --------------------------------


def test_gaps_open_outreach_only_when_configured(demo_url, slack):
    core = make_core(demo_url, now=local(THU, "07:00"))
    run_due_work(core, senders(slack))
    with core.uow() as uow:
        before = uow.session.scalar(select(func.count(CoverageRequest.id)))
    core.engine.dispose()

    on = make_core(demo_url, now=local(FRI, "07:00"), alert_auto_cover_days=2)
    run_due_work(on, senders(slack))
    with on.uow() as uow:
        opened = list(
            uow.session.execute(
                select(
                    CoverageRequest.home_id, CoverageRequest.date, CoverageRequest.shift_type_code
                ).where(
                    CoverageRequest.source == "gap", CoverageRequest.created_at == on.clock.now()
                )
            )
        )
        vg = uow.session.scalars(select(Home.id).where(Home.name == "Victoria Gardens")).one()
        total = uow.session.scalar(select(func.count(CoverageRequest.id)))
    assert opened and total == before + len(opened)
    assert (vg, FRI, "night") in [tuple(r) for r in opened]
    report = next(
        c.params["text"]
        for c in slack.of("chat.postMessage")
        if c.params["text"].startswith("Daily gap report for Victoria Gardens, Fri")
    )
    assert "Open overtime requests: OT" in report  # the report lists what it just opened
    # a second tick (or scheduler) opens nothing more
    at(on, local(FRI, "07:10"))
    run_due_work(on, senders(slack))
    with on.uow() as uow:
        assert uow.session.scalar(select(func.count(CoverageRequest.id))) == total
    on.engine.dispose()


# ---- forecast, training and weekly summary -------------------------------------------------


@pytest.fixture(scope="session")
def vg_forecast_template(sqlite_templates, tmp_path_factory) -> Path:
    """The demo with Victoria Gardens' forecasts fitted on the demo day (fitted once per test
    session, and only for the one home the tests need)."""
    path = tmp_path_factory.getbasetemp() / "vg_forecasts.db"
    if not path.exists():
        from tests.conftest import _template

        building = path.with_suffix(".building")
        shutil.copy(_template(sqlite_templates, "demo"), building)
        core = make_core(f"sqlite:///{building}", now=local(DEMO_TODAY, "02:00"))
        with core.uow() as uow:
            vg = uow.session.scalars(select(Home.id).where(Home.name == "Victoria Gardens")).one()
        fit_and_store_forecasts(core, horizon_days=28, home_ids={vg})
        core.engine.dispose()
        building.rename(path)
    return path


@pytest.fixture
def vg_forecast_url(vg_forecast_template, tmp_path) -> str:
    target = tmp_path / "forecasts.db"
    shutil.copy(vg_forecast_template, target)
    return f"sqlite:///{target}"


def test_forecast_alert_goes_to_homes_whose_forecast_exceeds_the_rota(vg_forecast_url, slack):
    probe = make_core(vg_forecast_url)
    with probe.uow() as uow:
        both = [
            r
            for r in forecast_for(uow.session, None, FRI, FRI + timedelta(days=7))
            if r.rostered > 0
        ]  # Thursday's and Friday's alert windows
    probe.engine.dispose()
    assert {r.home for r in both} == {"Victoria Gardens"}  # the only home with forecasts
    rows = [r for r in both if r.date <= FRI + timedelta(days=6)]
    most = max(r.prediction - r.rostered for r in rows)  # the biggest excess in the week

    # a threshold the week reaches: one alert, to Victoria Gardens' channel only
    core = make_core(vg_forecast_url, now=local(THU, "07:30"), alert_forecast_threshold=most)
    run_due_work(core, senders(slack))
    alerts = posts(slack, "Forecast alert")
    assert alerts == Counter({"#victoria-gardens": 1})
    text = next(
        c.params["text"]
        for c in slack.of("chat.postMessage")
        if c.params["text"].startswith("Forecast alert")
    )
    assert "from Fri 16 Jan to Thu 22 Jan" in text and "expected" in text
    worst = [r for r in rows if r.prediction - r.rostered >= most - 1e-9]
    assert all(f"{r.date:%a} {r.date.day} {r.date:%b} {r.unit}:" in text for r in worst[:8])
    assert [r[1] for r in records(core, "alert.forecast")] == ["1"]
    at(core, local(THU, "08:00"))
    run_due_work(core, senders(slack))
    assert posts(slack, "Forecast alert") == alerts  # once
    core.engine.dispose()

    # above anything the week reaches, nothing is said and nothing recorded for the day
    high = make_core(
        vg_forecast_url,
        now=local(FRI, "07:30"),
        alert_forecast_threshold=max(r.prediction - r.rostered for r in both) + 1,
    )
    run_due_work(high, senders(slack))
    assert posts(slack, "Forecast alert") == alerts
    assert [r[2] for r in records(high, "alert.forecast")] == ["2026-01-15"]
    high.engine.dispose()


def test_training_goes_to_each_manager_weekly_and_the_summary_to_the_head(demo_url, slack):
    core = make_core(demo_url, now=local(MON, "08:45"))
    out = senders(slack)
    run_due_work(core, out)
    training = posts(slack, "Hi ")
    assert training["UCLAIRE01"] == 1 and training["UGRAHAM01"] == 1
    claire = next(
        c.params["text"] for c in slack.of("chat.postMessage") if c.params["channel"] == "UCLAIRE01"
    )
    assert claire.startswith("Hi Claire, ") and "training renewals at Victoria Gardens" in claire
    assert "Hawthorn House" not in claire
    graham = next(
        c.params["text"] for c in slack.of("chat.postMessage") if c.params["channel"] == "UGRAHAM01"
    )
    assert "weekly staffing summary for Mon 12 Jan to Sun 18 Jan" in graham
    assert {r[2] for r in records(core, "alert.training")} == {"2026-W04"}
    assert records(core, "alert.weekly_summary") == [("alert.weekly_summary", "all", "2026-W04")]
    # Tuesday: nothing weekly again; next Monday: again
    at(core, local(MON + timedelta(days=1), "08:45"))
    run_due_work(core, out)
    assert posts(slack, "Hi ")["UCLAIRE01"] == 1
    at(core, local(MON + timedelta(days=7), "08:31"))
    run_due_work(core, out)
    assert posts(slack, "Hi ")["UCLAIRE01"] == 2 and posts(slack, "Hi ")["UGRAHAM01"] == 2
    core.engine.dispose()


def _loser(url: str) -> None:
    """One scheduler holds an uncommitted claim; a second one trying the same alert waits for
    it, loses the insert once it commits, and queues nothing."""
    from core.alerts import ALERT_KINDS, due_now
    from core.alerts.schedule import Schedule
    from core.alerts.service import _claim

    first, second = (make_core(url, now=local(THU, "07:00")) for _ in range(2))
    spec = next(k for k in ALERT_KINDS if k.kind == "alert.daily_gaps")
    due = due_now(Schedule.parse("07:00"), first.clock.now(), first.zone, timedelta(hours=1))
    assert due is not None
    with first.uow() as uow:
        vg = str(uow.session.scalars(select(Home.id).where(Home.name == "Victoria Gardens")).one())
    result: dict[str, bool] = {}
    before = queued(second, "alert.daily_gaps")
    try:
        with first.uow() as holder:
            assert _claim(holder, spec.kind, vg, due.period)
            rival = threading.Thread(
                target=lambda: result.setdefault("sent", service_send(second, spec, vg, due))
            )
            rival.start()
            rival.join(1.0)
            assert rival.is_alive()  # waiting for the first transaction
            holder.commit()
        rival.join(30)
        assert result == {"sent": False}
        assert queued(second, "alert.daily_gaps") == before
        assert [r for r in records(second) if r[2] == "2026-01-15"] == [
            ("alert.daily_gaps", vg, "2026-01-15")
        ]
    finally:
        first.engine.dispose()
        second.engine.dispose()


def service_send(core, spec, key, due):  # type: ignore[no-untyped-def]
    from core.alerts import send_once

    return send_once(core, spec, key, due)


def test_a_concurrent_claim_makes_the_second_scheduler_send_nothing_sqlite(demo_url):
    _loser(demo_url)


@requires_pg
def test_on_postgres_two_schedulers_send_each_alert_once_and_a_concurrent_claim_loses(
    pg_demo_url, slack
):
    # one test, one database: building the PostgreSQL demo is the slow part
    _two_schedulers(pg_demo_url, slack)  # Monday's alerts
    _loser(pg_demo_url)  # Thursday's report: the second claim waits, then loses
