"""The scheduler process: APScheduler runs the due-work tick and the cron jobs capabilities
register. All state lives in the database, so a restart loses and repeats nothing."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.app import Core
from core.config import Settings
from core.models import Channel
from core.outbox import MessageSender
from scheduler.jobs import run_due_work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CronJob:
    name: str
    # APScheduler cron fields, in the organisation's time zone; or a function of the settings
    # returning them (a time from configuration), an empty dict meaning "off"
    cron: dict[str, str] | Callable[[Settings], dict[str, str]]
    run: Callable[[Core], object]


# capabilities append their cron jobs here (nightly forecast fit, daily gap report, ...)
CRON_JOBS: list[CronJob] = []


def run_scheduler(core: Core, senders: dict[Channel, MessageSender], tick_seconds: float = 30.0,
                  once: bool = False) -> None:
    if once:
        run_due_work(core, senders)
        return
    sched = BlockingScheduler(timezone=core.settings.timezone)
    sched.add_job(run_due_work, IntervalTrigger(seconds=tick_seconds), args=[core, senders],
                  id="due-work", max_instances=1, coalesce=True)
    for job in CRON_JOBS:
        fields = job.cron(core.settings) if callable(job.cron) else job.cron
        if not fields:
            continue
        sched.add_job(job.run, CronTrigger(timezone=core.settings.timezone, **fields),
                      args=[core], id=job.name, max_instances=1, coalesce=True,
                      misfire_grace_time=3600)
    signal.signal(signal.SIGTERM, lambda *_: sched.shutdown(wait=False))
    log.warning("scheduler started: tick every %ss, %d cron jobs", tick_seconds, len(CRON_JOBS))
    sched.start()
