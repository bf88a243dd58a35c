"""Scheduled work. Each job calls core services; the registry lets each capability add its own.

``run_due_work`` is what the scheduler process runs every tick and what the chat console's
``/wait`` runs as simulated time passes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.delivery import deliver_due
from core.app import Core
from core.models import Channel
from core.outbox import MessageSender

log = logging.getLogger(__name__)

DueWork = Callable[[Core], object]
# (name, job): run every tick, in order; each must be safe to run twice or in two processes
DUE_WORK: list[tuple[str, DueWork]] = []


def run_due_work(core: Core, senders: dict[Channel, MessageSender]) -> None:
    for name, job in DUE_WORK:
        try:
            job(core)
        except Exception:  # one failing job must not stop the others; it runs again next tick
            log.exception("scheduled job %s failed", name)
    deliver_due(core, senders)
