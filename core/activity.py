"""What happened in the organisation between two moments, from the audit log.

Every state change writes an audit entry in the same unit of work, so the entries between
two instants are exactly the work done in between: the chat console's ``/wait`` uses this to
say which scheduled work ran while it moved the clock.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import AuditEntry

# bookkeeping that is not work anyone would ask about
IGNORED = frozenset({"demo.clock", "demo.loaded"})


@dataclass(frozen=True)
class WorkDone:
    """One kind of work and how many times it happened (``alert.sent daily_gaps`` x 5)."""

    action: str
    count: int

    def __str__(self) -> str:
        return self.action if self.count == 1 else f"{self.action} x{self.count}"


def work_between(session: Session, after: datetime, until: datetime) -> list[WorkDone]:
    """Audited work with ``after < at <= until``, grouped by action, in first-seen order."""
    rows = session.execute(
        select(AuditEntry.action, AuditEntry.after)
        .where(AuditEntry.at > after, AuditEntry.at <= until)
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    counts: Counter[str] = Counter()
    for action, details in rows:
        if action in IGNORED:
            continue
        kind = details.get("kind") if isinstance(details, dict) else None
        if action == "alert.sent" and isinstance(kind, str):
            action = f"alert.sent {kind.removeprefix('alert.')}"
        counts[action] += 1
    return [WorkDone(action, n) for action, n in counts.items()]
