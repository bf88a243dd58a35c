"""Scheduled work: named core services, run every tick, then the outbox's delivery.

``run_due_work`` is what the scheduler process runs every tick and what the chat console's
``/wait`` runs as simulated time passes. The jobs are those of the registry ``bootstrap()``
built (each capability's ``install()`` adds its own), handed in or read from
``core.registry``; a Core without a registry has none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from core.app import Core
from core.models import Channel
from core.outbox import Courier, FailureHook, MessageSender, Renderer, plain_render

log = logging.getLogger(__name__)

DueWork = Callable[[Core], object]
# (name, job): run every tick, in order; each must be safe to run twice or in two processes
Jobs = Sequence[tuple[str, DueWork]]


def registry_jobs(core: Core) -> Jobs:
    """The due jobs of the registry this core was built with (none without one)."""
    return core.registry.jobs if core.registry is not None else ()


def as_courier(
    senders: Courier | Mapping[Channel, MessageSender],
    render: Renderer | None = None,
    hooks: Sequence[FailureHook] | None = None,
) -> Courier:
    if isinstance(senders, Courier):
        return senders
    return Courier(senders=senders, render=render or plain_render, hooks=hooks)


def run_jobs(core: Core, jobs: Jobs | None = None) -> list[str]:
    """Each due job once, in order (``jobs``, else the core's registry's); a failing one is
    logged and runs again next tick. Returns the names of the jobs that failed."""
    failed = []
    for name, job in registry_jobs(core) if jobs is None else jobs:
        try:
            job(core)
        except Exception:  # one failing job must not stop the others
            log.exception("scheduled job %s failed", name)
            failed.append(name)
    return failed


def deliver(core: Core, courier: Courier) -> int:
    """The outbox's delivery, as a job: a failure (the database away) is logged, and the
    next tick resumes where this one stopped."""
    try:
        return courier.deliver_due(core)
    except Exception:
        log.exception("outbox delivery failed")
        return 0


def run_due_work(
    core: Core,
    senders: Courier | Mapping[Channel, MessageSender],
    jobs: Jobs | None = None,
    render: Renderer | None = None,
    hooks: Sequence[FailureHook] | None = None,
) -> None:
    """The due jobs, then delivery. ``senders`` is the delivery service bootstrap built
    (a ``Courier``), or bare senders with ``render`` and ``hooks``."""
    run_jobs(core, jobs)
    deliver(core, as_courier(senders, render, hooks))
