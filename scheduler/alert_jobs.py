"""Scheduled alerts and the nightly forecast fit.

- ``alerts.due`` (due work, every tick): ``core.alerts.run_due_alerts``. The due check reads
  the injected clock, so the chat console's ``/wait`` and tests drive it like the scheduler;
  APScheduler only supplies the ticks. Exactly once per period is the database's doing
  (``AlertRecord``), not the ticker's.
- ``forecast.nightly_fit`` (cron, ``STAFFBOT_FORECAST_FIT_AT``, default 02:00 local): refit
  every unit and store the next 28 days, so the morning's forecast alert and chat answers
  read fresh forecasts. Re-running it only replaces forecasts, so a second scheduler or a
  catch-up run does no harm.
"""

from __future__ import annotations

import logging

from core.alerts import Schedule, run_due_alerts
from core.app import Core
from core.config import Settings
from core.registry import Registry

log = logging.getLogger(__name__)

DUE_NAME = "alerts.due"
FIT_NAME = "forecast.nightly_fit"


def send_due_alerts(core: Core) -> int:
    """Due work: every alert due now and not yet sent for its period."""
    return len(run_due_alerts(core))


def fit_forecasts(core: Core) -> object:
    """Cron: the nightly Prophet fit for every unit (fitting runs outside transactions)."""
    from core.forecasting import fit_and_store_forecasts

    summary = fit_and_store_forecasts(core)
    log.warning(
        "nightly forecast fit: %d units, %d rows in %.1fs (skipped: %s)",
        summary.units,
        summary.rows,
        summary.seconds,
        ", ".join(summary.skipped) or "-",
    )
    return summary


def fit_cron(settings: Settings) -> dict[str, str]:
    """APScheduler cron fields for the nightly fit, from ``STAFFBOT_FORECAST_FIT_AT``."""
    schedule = Schedule.parse(settings.forecast_fit_at)
    if schedule is None:
        return {}
    fields = {"hour": str(schedule.at.hour), "minute": str(schedule.at.minute)}
    if schedule.weekday is not None:
        fields["day_of_week"] = str(schedule.weekday)  # APScheduler: 0 = Monday
    return fields


def install(registry: Registry) -> None:
    """The alerts' scheduled work, for bootstrap's registry: the due check and the nightly
    fit (``registry.add_job`` / ``registry.add_cron_job``)."""
    from scheduler.runner import CronJob

    registry.add_job(DUE_NAME, send_due_alerts)
    registry.add_cron_job(CronJob(FIT_NAME, fit_cron, fit_forecasts))
