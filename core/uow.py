"""Unit of work: one transaction per command, with its audit entries inside it."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

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


# The unit of work a whole inbound message runs in, when one is open in this context (thread
# or task): units of work opened meanwhile for the same database join it (see UnitOfWork).
_AMBIENT: ContextVar[UnitOfWork | None] = ContextVar("staffbot_ambient_uow", default=None)

# Execution option read by core.db's SQLite ``begin`` hook: a read takes no write lock.
SQLITE_BEGIN = "staffbot_sqlite_begin"
WRITES = "staffbot_writes"  # connection info: statements that changed rows (see count_writes)


class SavepointsNeeded(RuntimeError):
    """An enclosing unit of work with lazy savepoints cannot commit: run it again."""


def count_writes(engine: Engine) -> None:
    """Count INSERT/UPDATE/DELETE statements per connection (lazy savepoints need to know
    whether a joined unit of work wrote anything). Idempotent."""
    if not event.contains(engine, "before_cursor_execute", _count_write):
        event.listen(engine, "before_cursor_execute", _count_write)


def _count_write(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    head = statement.lstrip()[:6].upper()
    if head in ("INSERT", "UPDATE", "DELETE") or head.startswith("WITH"):
        conn.info[WRITES] = conn.info.get(WRITES, 0) + 1


def _writes(session: Session) -> int:
    return int(session.connection().info.get(WRITES, 0))


class UnitOfWork:
    """``with UnitOfWork(...) as uow: ...; uow.commit()`` - anything not committed rolls back.

    Joining: while a unit of work opened with ``ambient=True`` is active in this context (the
    receive path of one inbound message), any unit of work opened for the same session
    factory joins its transaction instead of starting its own. The joined one works on a
    savepoint: its ``commit()`` releases the savepoint (a flush: an IntegrityError such as
    "somebody else's YES won" surfaces there, as with a real commit) and its ``rollback()``
    or an uncommitted exit rolls back to the savepoint; only the outermost commit is real.
    So a message, everything the services it calls do, its log and its stored reply commit
    together or not at all, in one database transaction.

    ``read_only=True`` (a look-up that writes nothing) starts a deferred transaction on
    SQLite, which takes no write lock; ordinary units of work start ``BEGIN IMMEDIATE``.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        zone: ZoneInfo,
        *,
        ambient: bool = False,
        read_only: bool = False,
        lazy_savepoints: bool = False,
    ) -> None:
        self._session_factory = session_factory
        self.clock = clock
        self.zone = zone
        self.session: Session
        self._ambient = ambient
        self._read_only = read_only
        self._lazy = lazy_savepoints
        self._outer: UnitOfWork | None = None
        self._savepoint: SessionTransaction | None = None
        self._writes_at_join = 0
        self._token: Any = None
        # Set when a joined unit of work without a savepoint had to undo writes it could
        # not undo: the whole unit must be run again, with savepoints (see ``poisoned``).
        self._poisoned = False

    @property
    def poisoned(self) -> bool:
        """True when this (enclosing) unit of work must not commit but be run again with
        savepoints: a joined unit of work rolled back writes while savepoints were lazy."""
        return self._poisoned

    @property
    def joined(self) -> bool:
        """True when this unit of work runs inside an enclosing one (on a savepoint)."""
        return self._outer is not None

    def __enter__(self) -> UnitOfWork:
        outer = _AMBIENT.get()
        if outer is not None and outer._session_factory is self._session_factory:
            self._outer = outer
            self.session = outer.session
            if outer._lazy:
                # No SAVEPOINT round trips: most joined units of work commit. One that
                # ends without committing having written nothing costs nothing; one that
                # must undo writes poisons the enclosing unit, which is then run again
                # with real savepoints (the receive path does that).
                self.session.flush()  # what came before belongs to the enclosing unit
                self._writes_at_join = _writes(self.session)
            else:
                self._savepoint = self.session.begin_nested()
            return self
        self.session = self._session_factory()
        if self._read_only:
            # the first statement opens the transaction: deferred on SQLite (no write lock)
            self.session.connection(execution_options={SQLITE_BEGIN: "BEGIN"})
        if self._ambient:
            self._token = _AMBIENT.set(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._outer is not None:
            if self._outer._lazy:
                self._undo_lazily()
                return
            if self._savepoint is not None and self._savepoint.is_active:
                self._savepoint.rollback()
            self._savepoint = None
            return
        if self._token is not None:
            _AMBIENT.reset(self._token)
            self._token = None
        # close() rolls back anything uncommitted without expiring what was loaded, so
        # values read inside the unit of work stay readable after it.
        self.session.close()

    def commit(self, durable: bool = True) -> None:
        """``durable=False`` (PostgreSQL only) commits without waiting for the disk: for
        bookkeeping whose loss in a crash is harmless. Joined: releases the savepoint (the
        enclosing unit of work commits it); what the joined one does after that belongs to
        the enclosing unit of work."""
        if self._outer is not None:
            if self._savepoint is not None:
                self._savepoint.commit()
                self._savepoint = None  # what follows belongs to the enclosing unit of work
            else:
                try:
                    self.session.flush()
                except Exception:
                    self._outer._poisoned = True  # the flush failed: nothing can be trusted
                    raise
                self._writes_at_join = _writes(self.session)
            return
        if self._poisoned:
            raise SavepointsNeeded("a joined unit of work rolled back writes; run again")
        if not durable:
            bind = self.session.get_bind()
            if bind.dialect.name == "postgresql":
                self.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        self.session.commit()

    def rollback(self) -> None:
        if self._outer is not None:
            if self._outer._lazy:
                self._undo_lazily()
                return
            if self._savepoint is not None:
                self._savepoint.rollback()
            self._savepoint = self.session.begin_nested()  # for a retry that follows
            return
        self.session.rollback()

    def _undo_lazily(self) -> None:
        """Joined without a savepoint: fine if nothing was written since the join (or the
        last commit); else the enclosing unit of work is poisoned."""
        assert self._outer is not None
        session = self.session
        if session.new or session.deleted or session.dirty:
            self._outer._poisoned = True
            return
        try:
            written = _writes(session) != self._writes_at_join
        except Exception:  # the transaction itself failed
            written = True
        if written:
            self._outer._poisoned = True

    def now(self) -> datetime:
        return self.clock.now()

    def audit(
        self,
        actor: Actor,
        action: str,
        entity: str,
        entity_id: Any = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Record a state change. Callers pass no phone numbers here."""
        self.session.add(
            AuditEntry(
                at=self.now(),
                actor=actor.label,
                actor_id=actor.person_id,
                action=action,
                entity=entity,
                entity_id=None if entity_id is None else str(entity_id),
                before=_jsonable(before),
                after=_jsonable(after),
            )
        )

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
