"""Scheduler leadership and once-only job runs, kept in the ``scheduler_leases`` table.

- ``Lead(holder, ttl).take(uow)``: one holder at a time leads (runs the scheduled jobs); it
  renews its row every tick, and another process takes over once it has seen the row
  unrenewed for ``ttl`` by its own clock (a leader killed with ``kill -9`` is replaced within
  ``ttl``; clocks that disagree between machines do not matter).
- ``claim_run(uow, key, holder, keep)``: the first process to claim a run key (a job's name
  and the time it was due) runs it; any other gets False. A cron job fires once per due time
  even if two schedulers fire it, or leadership changes hands at that moment.

Both work on SQLite and PostgreSQL with plain conditional writes (no advisory locks), so
every process, whichever the database, follows the same rule.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from core.models import SchedulerLease
from core.uow import UnitOfWork

LEADER = "scheduler.leader"


class Lead:
    """One process's claim to lead, judged by that process's own clock only, so processes
    whose clocks disagree by seconds still never lead at once.

    The leader renews its row every tick. Another process takes over only after it has seen
    the same row (holder and renewal) unchanged for ``ttl`` on its own clock, and then only
    by a conditional write on exactly that row: if the leader renewed meanwhile, the takeover
    fails. A process restarted after ``kill -9`` therefore leads again within ``ttl``."""

    def __init__(self, holder: str, ttl: timedelta, name: str = LEADER) -> None:
        self.holder, self.ttl, self.name = holder, ttl, name
        self._seen: tuple[str, datetime] | None = None
        self._seen_at: datetime | None = None

    def take(self, uow: UnitOfWork) -> bool:
        """Become or stay the leader. Commits. True if this process leads now."""
        now = uow.now()
        row = uow.session.get(SchedulerLease, self.name, with_for_update=True)
        if row is None:
            uow.session.add(
                SchedulerLease(name=self.name, holder=self.holder, expires_at=now + self.ttl)
            )
            try:
                uow.commit()
            except IntegrityError:  # another process inserted it first
                uow.rollback()
                return False
            return True
        if row.holder == self.holder:
            row.expires_at = now + self.ttl
            uow.commit()
            return True
        seen = (row.holder, row.expires_at)
        if seen != self._seen or self._seen_at is None:
            self._seen, self._seen_at = seen, now
            uow.rollback()
            return False
        if now - self._seen_at < self.ttl:
            uow.rollback()
            return False
        taken = uow.session.execute(
            update(SchedulerLease)
            .where(
                SchedulerLease.name == self.name,
                SchedulerLease.holder == seen[0],
                SchedulerLease.expires_at == seen[1],
            )
            .values(holder=self.holder, expires_at=now + self.ttl)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            uow.rollback()
            return False
        uow.commit()
        self._seen = self._seen_at = None
        return True


def take_lead(uow: UnitOfWork, holder: str, ttl: timedelta, name: str = LEADER) -> bool:
    """A one-off check by the shared clock (the lease's end as written): become or stay the
    leader until now + ``ttl``. Processes that run for a while use ``Lead``. Commits."""
    now = uow.now()
    renewed = uow.session.execute(
        update(SchedulerLease)
        .where(
            SchedulerLease.name == name,
            (SchedulerLease.holder == holder) | (SchedulerLease.expires_at < now),
        )
        .values(holder=holder, expires_at=now + ttl)
        .execution_options(synchronize_session=False)
    )
    if renewed.rowcount == 1:  # type: ignore[attr-defined]
        uow.commit()
        return True
    current = uow.session.scalar(select(SchedulerLease.holder).where(SchedulerLease.name == name))
    if current is not None:
        uow.rollback()
        return False
    uow.session.add(SchedulerLease(name=name, holder=holder, expires_at=now + ttl))
    try:
        uow.commit()
    except IntegrityError:
        uow.rollback()
        return False
    return True


def leader(uow: UnitOfWork, name: str = LEADER) -> str | None:
    """Who leads now (None: nobody, or the lease ran out)."""
    row = uow.session.get(SchedulerLease, name)
    return row.holder if row is not None and row.expires_at >= uow.now() else None


def step_down(uow: UnitOfWork, holder: str, name: str = LEADER) -> None:
    """Give up the lead at once (a clean shutdown), so another process need not wait. Commits."""
    uow.session.execute(
        delete(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder)
    )
    uow.commit()


def claim_run(uow: UnitOfWork, key: str, holder: str, keep: timedelta) -> bool:
    """Claim one run of a job (``key``: its name and due time, up to 60 characters). True for
    the first claimant only. Claims older than ``keep`` are swept. Commits."""
    now = uow.now()
    uow.session.execute(
        delete(SchedulerLease).where(
            SchedulerLease.name.like("run:%"), SchedulerLease.expires_at < now
        )
    )
    uow.session.add(
        SchedulerLease(name=("run:" + key)[:60], holder=holder[:80], expires_at=now + keep)
    )
    try:
        uow.commit()
    except IntegrityError:
        uow.rollback()
        return False
    return True


def run_key(name: str, due: datetime) -> str:
    """The claim key for ``name`` due at ``due`` (to the minute, UTC)."""
    return f"{name}@{due.strftime('%Y%m%dT%H%M')}"[:56]
