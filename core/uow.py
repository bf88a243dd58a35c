"""Unit of work: one transaction per command, with its audit entries inside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from core.clock import Clock
from core.models import AuditEntry, OutboundMessage


@dataclass(frozen=True)
class Actor:
    """Who caused a change: a person, or the system itself."""

    label: str
    person_id: int | None = None

    @staticmethod
    def system(label: str = "system") -> Actor:
        return Actor(label=label)


class UnitOfWork:
    """``with UnitOfWork(...) as uow: ...; uow.commit()`` - anything not committed rolls back."""

    def __init__(self, session_factory: sessionmaker[Session], clock: Clock, zone: ZoneInfo) -> None:
        self._session_factory = session_factory
        self.clock = clock
        self.zone = zone
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # close() rolls back anything uncommitted without expiring what was loaded, so
        # values read inside the unit of work stay readable after it.
        self.session.close()

    def commit(self, durable: bool = True) -> None:
        """``durable=False`` (PostgreSQL only) commits without waiting for the disk: for
        bookkeeping whose loss in a crash is harmless, such as a webhook's claim that a
        later durable commit makes durable anyway (the log is written in order)."""
        if not durable:
            bind = self.session.get_bind()
            if bind.dialect.name == "postgresql":
                self.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def now(self) -> datetime:
        return self.clock.now()

    def audit(self, actor: Actor, action: str, entity: str, entity_id: Any = None,
              before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        """Record a state change. Callers pass no phone numbers here."""
        self.session.add(AuditEntry(
            at=self.now(), actor=actor.label, actor_id=actor.person_id, action=action,
            entity=entity, entity_id=None if entity_id is None else str(entity_id),
            before=_jsonable(before), after=_jsonable(after),
        ))

    def notify(self, message: OutboundMessage) -> OutboundMessage:
        """Queue a message in the outbox; it is sent only if this transaction commits."""
        message.created_at = message.created_at or self.now()
        message.next_attempt_at = message.next_attempt_at or self.now()
        self.session.add(message)
        return message


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
