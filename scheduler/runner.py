"""The scheduler process: APScheduler supplies the ticks; every job is a core service.

- Delivery (``core.outbox``) runs every ``deliver_seconds`` in every scheduler process: each
  message is claimed on its own, so two processes never send one twice, and a restarted one
  picks up within the short leases.
- The due jobs (outreach waves, alerts, ...) and the cron jobs run in the leader only: the
  process holding the ``scheduler_leases`` lease (``core.leadership``), renewed every
  delivery tick and taken over by another process once it runs out. A cron run is also
  claimed by its name and minute, so it runs once even when leadership changes hands.

All state lives in the database, so a restart loses and repeats nothing.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.app import Core
from core.config import Settings
from core.leadership import Lead, claim_run, run_key, step_down
from core.models import Channel
from core.outbox import Courier, FailureHook, MessageSender, Renderer
from scheduler.jobs import Jobs, as_courier, deliver, run_jobs

log = logging.getLogger(__name__)

LEAD_TTL = timedelta(seconds=20)  # a dead leader is replaced within this; renewed every 4 s
RUN_CLAIMS_KEPT = timedelta(days=2)


@dataclass(frozen=True)
class CronJob:
    name: str
    # APScheduler cron fields, in the organisation's time zone; or a function of the settings
    # returning them (a time from configuration), an empty dict meaning "off"
    cron: dict[str, str] | Callable[[Settings], dict[str, str]]
    run: Callable[[Core], object]


def holder_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Scheduler:
    """One scheduler process's work, tick by tick (``start()`` runs it with APScheduler)."""

    def __init__(
        self,
        core: Core,
        courier: Courier,
        jobs: Jobs | None = None,
        cron_jobs: Sequence[CronJob] | None = None,
        holder: str | None = None,
        lead_ttl: timedelta = LEAD_TTL,
    ) -> None:
        self.core, self.courier = core, courier
        # the jobs given, else those of the registry bootstrap built (core.registry)
        self.jobs = jobs
        if cron_jobs is None:
            cron_jobs = core.registry.cron_jobs if core.registry is not None else []
        self.cron_jobs = list(cron_jobs)
        self.holder = holder or holder_id()
        self.lead_ttl = lead_ttl
        self._lead = Lead(self.holder, lead_ttl)
        self.leading = False
        self._lock = threading.Lock()
        self._lead_lock = threading.Lock()  # the renewal job and the ticks may ask at once

    def lead(self) -> bool:
        """Take or renew the lead; False (and logged) when the database cannot be reached."""
        try:
            with self._lead_lock, self.core.uow() as uow:
                leads = self._lead.take(uow)
        except Exception as exc:
            log.warning(
                "scheduler %s: cannot reach the database for the lead (%s)",
                self.holder,
                type(exc).__name__,
            )
            leads = False
        if leads != self.leading:
            log.warning("scheduler %s %s", self.holder, "leads" if leads else "is standing by")
        self.leading = leads
        return leads

    def deliver_tick(self) -> int:
        self.lead()
        return deliver(self.core, self.courier)

    def due_tick(self) -> None:
        """The due jobs (leader only), then delivery."""
        with self._lock:
            if self.lead():
                failed = run_jobs(self.core, self.jobs)
                log.info("scheduler %s ran the due jobs (%d failed)", self.holder, len(failed))
        deliver(self.core, self.courier)

    def cron_tick(self, job: CronJob) -> bool:
        """Run ``job`` if this process leads and nobody ran this minute's run yet."""
        if not self.lead():
            return False
        try:
            with self.core.uow() as uow:
                first = claim_run(uow, run_key(job.name, uow.now()), self.holder, RUN_CLAIMS_KEPT)
        except Exception:
            log.exception("cron job %s: could not claim its run", job.name)
            return False
        if not first:
            return False
        try:
            job.run(self.core)
        except Exception:
            log.exception("cron job %s failed", job.name)
        return True

    def stop(self) -> None:
        try:
            with self.core.uow() as uow:
                step_down(uow, self.holder)
        except Exception:
            log.warning("scheduler %s: could not step down cleanly", self.holder)

    def start(self, tick_seconds: float = 30.0, deliver_seconds: float = 2.0) -> None:
        sched = BlockingScheduler(timezone=self.core.settings.timezone)
        # the lead is renewed on its own, well inside its time to live: a delivery batch or a
        # due tick that takes longer than the lease (paced texts, a slow job) must not hand
        # the lead to the standby while this process is still working
        sched.add_job(
            self.lead,
            IntervalTrigger(seconds=max(1.0, self.lead_ttl.total_seconds() / 5)),
            id="lead.renew",
            max_instances=1,
            coalesce=True,
        )
        sched.add_job(
            self.deliver_tick,
            IntervalTrigger(seconds=deliver_seconds),
            id="outbox.deliver",
            max_instances=1,
            coalesce=True,
        )
        sched.add_job(
            self.due_tick,
            IntervalTrigger(seconds=tick_seconds),
            id="due-work",
            max_instances=1,
            coalesce=True,
        )
        for job in self.cron_jobs:
            fields = job.cron(self.core.settings) if callable(job.cron) else job.cron
            if not fields:
                continue
            sched.add_job(
                self.cron_tick,
                CronTrigger(timezone=self.core.settings.timezone, **fields),
                args=[job],
                id=job.name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=3600,
            )

        def shutdown(*_: object) -> None:
            sched.shutdown(wait=False)

        signal.signal(signal.SIGTERM, shutdown)
        log.warning(
            "scheduler %s started: due work every %ss, delivery every %ss, %d cron jobs",
            self.holder,
            tick_seconds,
            deliver_seconds,
            len(self.cron_jobs),
        )
        self.due_tick()
        try:
            sched.start()
        finally:
            self.stop()


def run_scheduler(
    core: Core,
    senders: Courier | Mapping[Channel, MessageSender],
    tick_seconds: float = 30.0,
    once: bool = False,
    jobs: Jobs | None = None,
    cron_jobs: Sequence[CronJob] | None = None,
    render: Renderer | None = None,
    hooks: Sequence[FailureHook] | None = None,
    deliver_seconds: float = 2.0,
) -> None:
    runner = Scheduler(core, as_courier(senders, render, hooks), jobs, cron_jobs)
    if once:
        runner.due_tick()
        runner.stop()
        return
    runner.start(tick_seconds=tick_seconds, deliver_seconds=deliver_seconds)
