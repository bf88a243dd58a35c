"""Proactive alerts: the daily gap report, forecast alerts, training about to lapse and the
weekly overtime summary, each sent exactly once per period (``AlertRecord``), on schedules
in configuration (``STAFFBOT_ALERT_*``) and the organisation's time zone.

- ``run_due_alerts(core)``: the scheduler's due check (``scheduler.alert_jobs``)
- ``training_expiring(session, home_ids, start, end)``: also answers chat
- ``Schedule``, ``due_now``: when something is due, and for which period
"""

from core.alerts.reports import (
    TrainingDue,
    daily_gap_report,
    forecast_alert,
    training_alert,
    training_expiring,
    weekly_summary,
)
from core.alerts.schedule import Due, Schedule, due_now, period_key
from core.alerts.service import (
    ALERT_KINDS,
    ALL_HOMES,
    AlertKind,
    SentAlert,
    describe,
    run_due_alerts,
    send_once,
)

__all__ = [
    "ALERT_KINDS",
    "ALL_HOMES",
    "AlertKind",
    "Due",
    "Schedule",
    "SentAlert",
    "TrainingDue",
    "daily_gap_report",
    "describe",
    "due_now",
    "forecast_alert",
    "period_key",
    "run_due_alerts",
    "send_once",
    "training_alert",
    "training_expiring",
    "weekly_summary",
]
