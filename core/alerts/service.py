"""Proactive alerts, each sent exactly once per period.

A due check, driven by the injected clock, runs on every scheduler tick (and on every step
of the chat console's ``/wait``): for each alert kind whose scheduled time has passed within
the grace window, and each home (or the whole organisation) not yet served this period,
one transaction inserts the ``AlertRecord`` (kind, home, period) and queues the message in
the outbox. The unique constraint is the arbiter: a second scheduler process, a restart or
a later tick in the same window loses the insert and sends nothing; a transaction that
fails sends nothing and leaves the period open for the next tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from core.alerts.reports import daily_gap_report, forecast_alert, training_alert, weekly_summary
from core.alerts.schedule import Due, Schedule, due_now
from core.app import Core
from core.config import Settings
from core.models import AlertRecord, Channel, Home, OutboundMessage, Person, PersonKind
from core.outbox import post_to_home
from core.uow import Actor, UnitOfWork

log = logging.getLogger(__name__)

ALL_HOMES = "all"
ACTOR = Actor.system("scheduler")

# (uow, home id or None for the organisation, the occurrence, settings) -> queued anything?
Build = Callable[[UnitOfWork, int | None, Due, Settings], bool]


@dataclass(frozen=True)
class AlertKind:
    kind: str  # AlertRecord.kind and the outbox message kind
    setting: str  # the Settings field holding its schedule
    per_home: bool  # one per home, or one for the whole organisation
    build: Build
    what: str  # for logs and the README


# ---- what each kind queues ---------------------------------------------------------------


def _daily_gaps(uow: UnitOfWork, home_id: int | None, due: Due, settings: Settings) -> bool:
    assert home_id is not None
    post_to_home(uow, home_id, "alert.daily_gaps", daily_gap_report(uow.session, home_id, due.day))
    return True


def _forecast(uow: UnitOfWork, home_id: int | None, due: Due, settings: Settings) -> bool:
    assert home_id is not None
    start = due.day + timedelta(days=1)
    payload, _ = forecast_alert(
        uow.session,
        home_id,
        start,
        start + timedelta(days=max(1, settings.alerts.forecast_days) - 1),
        settings.alerts.forecast_threshold,
    )
    if payload is None:
        return False
    post_to_home(uow, home_id, "alert.forecast", payload)
    return True


def _training(uow: UnitOfWork, home_id: int | None, due: Due, settings: Settings) -> bool:
    assert home_id is not None
    payload = training_alert(uow.session, home_id, due.day, settings.alerts.training_days)
    if payload is None:
        return False
    managers = list(
        uow.session.scalars(
            select(Person)
            .where(
                Person.kind == PersonKind.MANAGER,
                Person.home_id == home_id,
                Person.active.is_(True),
            )
            .order_by(Person.id)
        )
    )
    for manager in managers:
        uow.notify(
            OutboundMessage(
                person_id=manager.id,
                kind="alert.training",
                payload={**payload, "first_name": manager.first_name},
                channel=Channel.SLACK if manager.slack_user_id else Channel.SMS,
            )
        )
    if not managers:  # nobody manages the home right now: its channel hears instead
        post_to_home(uow, home_id, "alert.training", payload)
    return True


def _weekly_summary(uow: UnitOfWork, home_id: int | None, due: Due, settings: Settings) -> bool:
    heads = list(
        uow.session.scalars(
            select(Person)
            .where(Person.kind == PersonKind.HEAD, Person.active.is_(True))
            .order_by(Person.id)
        )
    )
    if not heads:
        return False
    payload = weekly_summary(
        uow.session, due.day - timedelta(days=7), due.day - timedelta(days=1), uow.zone
    )
    for head in heads:
        uow.notify(
            OutboundMessage(
                person_id=head.id,
                kind="alert.weekly_summary",
                payload={**payload, "first_name": head.first_name},
                channel=Channel.SLACK if head.slack_user_id else Channel.SMS,
            )
        )
    return True


ALERT_KINDS: list[AlertKind] = [
    AlertKind(
        "alert.daily_gaps",
        "alert_daily_gaps_at",
        True,
        _daily_gaps,
        "gaps today and tomorrow and open outreach, to the home's channel",
    ),
    AlertKind(
        "alert.forecast",
        "alert_forecast_at",
        True,
        _forecast,
        "forecast above the rota in the coming days, to the home's channel",
    ),
    AlertKind(
        "alert.training",
        "alert_training_at",
        True,
        _training,
        "training lapsing soon, to the home's manager",
    ),
    AlertKind(
        "alert.weekly_summary",
        "alert_weekly_summary_at",
        False,
        _weekly_summary,
        "overtime and fairness over the last week, to the head of service",
    ),
]
AUTO_COVER = "gaps.auto_cover"


# ---- the due check -------------------------------------------------------------------------


@dataclass(frozen=True)
class SentAlert:
    kind: str
    home_key: str
    period: str


def schedule_of(settings: Settings, setting: str) -> Schedule | None:
    return Schedule.parse(str(getattr(settings, setting) or ""))


def run_due_alerts(core: Core) -> list[SentAlert]:
    """Scheduled work: send every alert that is due now and not yet sent for its period."""
    settings = core.settings
    now = core.clock.now()
    grace = timedelta(minutes=settings.alerts.grace_minutes)
    sent: list[SentAlert] = []
    homes: list[int] | None = None
    for spec in ALERT_KINDS:
        try:
            due = due_now(schedule_of(settings, spec.setting), now, core.zone, grace)
        except ValueError:
            log.exception(
                "alert %s: bad schedule %s=%r",
                spec.kind,
                spec.setting,
                getattr(settings, spec.setting),
            )
            continue
        if due is None:
            continue
        if homes is None:
            with core.uow() as uow:
                homes = list(uow.session.scalars(select(Home.id).order_by(Home.id)))
        if spec.kind == "alert.daily_gaps" and settings.alerts.auto_cover_days > 0:
            _auto_cover(core, homes, due, settings.alerts.auto_cover_days)
        keys = [str(h) for h in homes] if spec.per_home else [ALL_HOMES]
        done = recorded(core, spec.kind, due.period) | _quiet(core, spec.kind, due.period)
        for key in keys:
            if key in done:
                continue
            try:
                if send_once(core, spec, key, due):
                    sent.append(SentAlert(spec.kind, key, due.period))
            except Exception:  # one home's failure must not hold up the others' alerts;
                # nothing was recorded for it, so the next tick in the window tries again
                log.exception("alert %s for home %s, period %s failed", spec.kind, key, due.period)
    return sent


def recorded(core: Core, kind: str, period: str) -> set[str]:
    """Home keys already served for this kind and period."""
    with core.uow() as uow:
        return set(
            uow.session.scalars(
                select(AlertRecord.home_key).where(
                    AlertRecord.kind == kind, AlertRecord.period == period
                )
            )
        )


def send_once(core: Core, spec: AlertKind, home_key: str, due: Due) -> bool:
    """Claim (kind, home, period) and queue the alert in one transaction. False when someone
    else has it (or had it), or when there is nothing to say this period."""
    home_id = None if home_key == ALL_HOMES else int(home_key)
    try:
        with core.uow() as uow:
            if not _claim(uow, spec.kind, home_key, due.period):
                return False
            if not spec.build(uow, home_id, due, core.settings):
                # nothing to say (no risk, nobody's training lapsing): no record, so a
                # change within the window can still be reported; not asked again here
                _quiet(core, spec.kind, due.period).add(home_key)
                return False
            uow.audit(
                ACTOR,
                "alert.sent",
                "alert_record",
                after={
                    "kind": spec.kind,
                    "home": home_key,
                    "period": due.period,
                    "slot": due.slot,
                    "late_minutes": round((uow.now() - due.slot).total_seconds() / 60, 1),
                },
            )
            uow.commit()
    except IntegrityError:  # a concurrent scheduler committed the same claim first
        log.info("alert %s/%s/%s already sent by another process", spec.kind, home_key, due.period)
        return False
    log.info("alert %s sent for home %s, period %s", spec.kind, home_key, due.period)
    return True


def _claim(uow: UnitOfWork, kind: str, home_key: str, period: str) -> bool:
    session = uow.session
    exists = session.scalar(
        select(AlertRecord.id).where(
            AlertRecord.kind == kind, AlertRecord.home_key == home_key, AlertRecord.period == period
        )
    )
    if exists is not None:
        return False
    session.add(AlertRecord(kind=kind, home_key=home_key, period=period, sent_at=uow.now()))
    # on PostgreSQL a concurrent insert of the same key waits here for the other transaction
    # and then fails with a unique violation (IntegrityError); on SQLite BEGIN IMMEDIATE has
    # already serialised us behind it and the check above saw its row
    session.flush()
    return True


# Homes that had nothing to say for a (kind, period) in this process, per database engine:
# a memo beside the core, not attached to it, forgotten with the engine.
_QUIET: WeakKeyDictionary[Any, dict[tuple[str, str], set[str]]] = WeakKeyDictionary()


def _quiet(core: Core, kind: str, period: str) -> set[str]:
    memo = _QUIET.setdefault(core.engine, {})
    return memo.setdefault((kind, period), set())


def _auto_cover(core: Core, homes: list[int], due: Due, days: int) -> None:
    """Optional (``alert_auto_cover_days``): open overtime outreach for every gap within
    ``days`` of the daily gap run, once per home and day, before the report is written (so
    it lists the new requests). ``cover_gaps`` skips gaps that already have a request."""
    from core.overtime import cover_gaps

    for home_id in homes:
        key = str(home_id)
        try:
            with core.uow() as uow:
                if not _claim(uow, AUTO_COVER, key, due.period):
                    continue
                uow.commit()
        except IntegrityError:
            continue
        try:
            cover_gaps(
                core,
                due.day,
                due.day + timedelta(days=days - 1),
                frozenset({home_id}),
                send=True,
                actor=ACTOR,
            )
        except Exception:
            # give the claim back so the next tick in the window tries again
            with core.uow() as uow:
                uow.session.execute(
                    delete(AlertRecord).where(
                        AlertRecord.kind == AUTO_COVER,
                        AlertRecord.home_key == key,
                        AlertRecord.period == due.period,
                    )
                )
                uow.commit()
            raise


def describe(settings: Settings) -> list[dict[str, Any]]:
    """Each alert kind with its schedule, for the CLI and docs."""
    out = []
    for spec in ALERT_KINDS:
        schedule = schedule_of(settings, spec.setting)
        out.append(
            {
                "kind": spec.kind,
                "setting": f"STAFFBOT_{spec.setting.upper()}",
                "schedule": schedule.describe() if schedule else "off",
                "period": "ISO week" if schedule and schedule.weekly else "day",
                "what": spec.what,
            }
        )
    return out
