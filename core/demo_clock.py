"""The demo's own clock, kept in its database.

A demo database is made by ``staffbot init --demo`` (audit action ``demo.loaded``). Its clock
is where the demo has got to: the latest moment anything was recorded in it (every state
change writes an audit entry at the injected clock's time, every message a conversation-log
entry) or the latest ``demo.clock`` entry (written when the chat console's ``/wait`` moves
the clock with nothing else happening). Continuing a demo from there means its clock never
goes backwards under data it already holds (no "filled after -120 min").
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import AuditEntry, ConversationEntry
from core.uow import Actor, UnitOfWork

DEMO_LOADED = "demo.loaded"
CLOCK_MOVED = "demo.clock"


def is_demo(session: Session) -> bool:
    """Whether this database was built by ``staffbot init --demo``."""
    found = session.scalar(select(AuditEntry.id).where(AuditEntry.action == DEMO_LOADED).limit(1))
    return found is not None


def stored_demo_clock(session: Session) -> datetime | None:
    """The demo's clock (UTC), or None when this database is not a demo."""
    if not is_demo(session):
        return None
    latest = [
        session.scalar(select(func.max(AuditEntry.at))),
        session.scalar(select(func.max(ConversationEntry.at))),
    ]
    moments = [_utc(m) for m in latest if m is not None]
    return max(moments) if moments else None


def record_demo_clock(uow: UnitOfWork, moved_from: datetime | None = None) -> None:
    """Store the demo clock as it is now (the caller commits)."""
    uow.audit(
        Actor.system("chat console"),
        CLOCK_MOVED,
        "clock",
        None,
        before={"now": moved_from.isoformat()} if moved_from else None,
        after={"now": uow.now().isoformat()},
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
