"""Each person's short-lived conversation context: the question the assistant last asked and
what it already knows, so the next message can answer it.

One row per person (stored in the database, so it survives a restart and is shared by every
web process). A context expires ``CONTEXT_MINUTES`` after the question was asked; a new full
request replaces it. It is a note about the dialogue, not a business record: like the
conversation log it is not audited, and it holds no free-text reasons or health details
(only intents, slot values and offer ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ForeignKey, String, Table, bindparam, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Base

if TYPE_CHECKING:  # core.models loads this module while core.uow may be half-loaded
    from core.uow import UnitOfWork

CONTEXT_MINUTES = 30  # how long a question stays answerable (settings: conversation_minutes)


class ConversationContext(Base):
    __tablename__ = "conversation_state"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40))  # what was asked: "slot", "confirm", ...
    intent: Mapped[str] = mapped_column(String(40))  # the request being completed
    slots: Mapped[dict[str, Any]] = mapped_column()  # what is already known
    missing: Mapped[str | None] = mapped_column(String(40))  # the slot the answer fills
    # what a bare yes / no would do: {"intent": ..., "slots": {...}}
    on_yes: Mapped[dict[str, Any] | None] = mapped_column()
    on_no: Mapped[dict[str, Any] | None] = mapped_column()
    asked_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()


@dataclass(frozen=True)
class Pending:
    """An open question, as plain values."""

    kind: str
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    missing: str | None = None
    on_yes: dict[str, Any] | None = None
    on_no: dict[str, Any] | None = None


def ttl(minutes: int | None = None) -> timedelta:
    return timedelta(minutes=CONTEXT_MINUTES if minutes is None else minutes)


# Every text reads the sender's open question and most write or clear it: prebuilt Core
# statements on the table (plain columns, no ORM objects, cache keys kept).
_TABLE: Table = cast(Table, ConversationContext.__table__)
_CURRENT = select(
    _TABLE.c.kind,
    _TABLE.c.intent,
    _TABLE.c.slots,
    _TABLE.c.missing,
    _TABLE.c.on_yes,
    _TABLE.c.on_no,
    _TABLE.c.expires_at,
).where(_TABLE.c.person_id == bindparam("person_id"))
_FORGET = delete(_TABLE).where(_TABLE.c.person_id == bindparam("person_id"))
_VALUES = ("kind", "intent", "slots", "missing", "on_yes", "on_no", "asked_at", "expires_at")
_UPSERTS: dict[str, Any] = {}


def _upsert(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (person_id) DO UPDATE for this database, or None."""
    stmt = _UPSERTS.get(dialect)
    if stmt is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            dialect_insert: Any = pg_insert
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            dialect_insert = sqlite_insert
        else:  # pragma: no cover - the two databases we run on are above
            return None
        base = dialect_insert(_TABLE).values(
            {name: bindparam(name) for name in ("person_id", *_VALUES)}
        )
        stmt = base.on_conflict_do_update(
            index_elements=[_TABLE.c.person_id],
            set_={name: getattr(base.excluded, name) for name in _VALUES},
        )
        _UPSERTS[dialect] = stmt
    return stmt


def current(uow: UnitOfWork, person_id: int) -> Pending | None:
    """The person's open question, or None when there is none or it has expired."""
    row = uow.session.execute(_CURRENT, {"person_id": person_id}).first()
    if row is None or row.expires_at <= uow.now():
        return None
    return Pending(
        kind=row.kind,
        intent=row.intent,
        slots=dict(row.slots or {}),
        missing=row.missing,
        on_yes=row.on_yes,
        on_no=row.on_no,
    )


def remember(uow: UnitOfWork, person_id: int, pending: Pending, minutes: int | None = None) -> None:
    """Record the question just asked (replacing any earlier one; not committed)."""
    now = uow.now()
    stmt = _upsert(uow.session.get_bind().dialect.name)
    if stmt is not None:
        uow.session.execute(
            stmt,
            {
                "person_id": person_id,
                "kind": pending.kind,
                "intent": pending.intent,
                "slots": dict(pending.slots),
                "missing": pending.missing,
                "on_yes": pending.on_yes,
                "on_no": pending.on_no,
                "asked_at": now,
                "expires_at": now + ttl(minutes),
            },
        )
        return
    row = uow.session.get(ConversationContext, person_id)  # pragma: no cover
    if row is None:
        row = ConversationContext(person_id=person_id)
        uow.session.add(row)
    row.kind, row.intent, row.slots = pending.kind, pending.intent, dict(pending.slots)
    row.missing, row.on_yes, row.on_no = pending.missing, pending.on_yes, pending.on_no
    row.asked_at, row.expires_at = now, now + ttl(minutes)
    uow.session.flush()


def forget(uow: UnitOfWork, person_id: int) -> None:
    """The question is answered, replaced or withdrawn (not committed)."""
    uow.session.execute(_FORGET, {"person_id": person_id})


def forget_expired(uow: UnitOfWork) -> int:
    """Housekeeping: drop contexts nobody can answer any more."""
    result = uow.session.execute(
        delete(ConversationContext).where(ConversationContext.expires_at <= uow.now())
    )
    return int(getattr(result, "rowcount", 0) or 0)
