"""Inbound messages: each provider delivery counted once (webhooks are retried), what was
answered kept for a retried delivery, how often an unknown sender wrote, and the
conversation log (personal data redacted)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.models import ConversationEntry, InboundMessage, Person
from core.redact import redact
from core.uow import Actor, UnitOfWork

ID_LENGTH = 80  # provider ids are stored up to this length


def first_delivery(uow: UnitOfWork, provider: str, provider_id: str) -> bool:
    """Record ``provider_id`` as received; False when it was already seen. Commits."""
    if not claim_delivery(uow, provider, provider_id):
        return False
    try:
        uow.commit()
    except IntegrityError:  # a concurrent process claimed it between flush and commit
        uow.rollback()
        return False
    return True


def claim(uow: UnitOfWork, provider: str, provider_id: str, sender_hash: str | None = None) -> bool:
    """Claim a delivery as the first statement of the unit of work that processes it; False
    when it was claimed before. Not committed: the claim becomes durable only together with
    what processing the message did (and its reply), so a crash or a failure part-way
    leaves it unclaimed and the provider's retry is processed in full.

    On PostgreSQL a concurrent claim of the same id waits here until the first unit of
    work ends: it sees the claim if that committed, and takes it over if it rolled back."""
    values = {
        "provider": provider,
        "provider_id": provider_id[:ID_LENGTH],
        "received_at": uow.now(),
        "sender_hash": sender_hash,
    }
    dialect = uow.session.get_bind().dialect.name
    stmt = _claim_statement(dialect)
    if stmt is None:  # pragma: no cover - the two databases we run on have one
        try:
            with uow.session.begin_nested():
                uow.session.execute(insert(InboundMessage).values(**values))
        except IntegrityError:
            return False
        return True
    # RETURNING, not rowcount: drivers disagree on the rowcount of a skipped insert
    return uow.session.execute(stmt, values).first() is not None


# The receive path's statements, built once (with bind parameters) on the tables rather than
# the ORM classes: a prebuilt statement keeps its cache key, and a Core statement skips the
# ORM's bulk-statement machinery. Every text runs them, so this is a large share of its CPU.
_INBOUND: Table = cast(Table, InboundMessage.__table__)
_CONVERSATION_LOG: Table = cast(Table, ConversationEntry.__table__)
_CLAIMS: dict[str, Any] = {}


def _claim_statement(dialect: str) -> Any:
    stmt = _CLAIMS.get(dialect)
    if stmt is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            dialect_insert: Any = pg_insert
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            dialect_insert = sqlite_insert
        else:  # pragma: no cover
            return None
        stmt = (
            dialect_insert(_INBOUND)
            .values(
                {
                    name: bindparam(name)
                    for name in ("provider", "provider_id", "received_at", "sender_hash")
                }
            )
            .on_conflict_do_nothing()
            .returning(_INBOUND.c.id)
        )
        _CLAIMS[dialect] = stmt
    return stmt


_STORE_REPLY = (
    update(_INBOUND)
    .where(
        _INBOUND.c.provider == bindparam("p_provider"),
        _INBOUND.c.provider_id == bindparam("p_provider_id"),
    )
    .values(reply=bindparam("p_reply"))
)
_LOG_EXCHANGE = insert(_CONVERSATION_LOG)
_EARLIER_REPLY = select(_INBOUND.c.reply).where(
    _INBOUND.c.provider == bindparam("p_provider"),
    _INBOUND.c.provider_id == bindparam("p_provider_id"),
)
_DELIVERIES_FROM = select(func.count(_INBOUND.c.id)).where(
    _INBOUND.c.sender_hash == bindparam("sender_hash"), _INBOUND.c.received_at >= bindparam("since")
)


def claim_delivery(
    uow: UnitOfWork,
    provider: str,
    provider_id: str,
    sender_hash: str | None = None,
    reply: str | None = None,
) -> bool:
    """Claim a delivery inside the caller's transaction (not committed); False when it was
    seen before, in which case the transaction has been rolled back."""
    try:
        uow.session.execute(
            insert(InboundMessage).values(
                provider=provider,
                provider_id=provider_id[:ID_LENGTH],
                received_at=uow.now(),
                sender_hash=sender_hash,
                reply=reply,
            )
        )
    except IntegrityError:  # the unique (provider, provider_id), across processes
        uow.rollback()
        return False
    return True


def earlier_reply(session: Session, provider: str, provider_id: str) -> str | None:
    """What a delivery seen before was answered (for its retry)."""
    return (
        session.scalars(
            _EARLIER_REPLY, {"p_provider": provider, "p_provider_id": provider_id[:ID_LENGTH]}
        ).first()
        or None
    )


def release_delivery(uow: UnitOfWork, provider: str, provider_id: str) -> None:
    """Forget a claim whose processing failed, so the provider's retry is processed. Commits."""
    uow.session.execute(
        delete(InboundMessage).where(
            InboundMessage.provider == provider,
            InboundMessage.provider_id == provider_id[:ID_LENGTH],
        )
    )
    uow.commit()


def store_reply(uow: UnitOfWork, provider: str, provider_id: str, reply: str | None) -> None:
    """Keep the answer for a retried delivery (not committed)."""
    uow.session.execute(
        _STORE_REPLY,
        {"p_provider": provider, "p_provider_id": provider_id[:ID_LENGTH], "p_reply": reply or ""},
    )


def deliveries_from(session: Session, sender_hash: str, since: datetime) -> int:
    """How many deliveries this sender (by keyed hash) made since ``since``."""
    return session.scalar(_DELIVERIES_FROM, {"sender_hash": sender_hash, "since": since}) or 0


def log_exchange(
    uow: UnitOfWork,
    person_id: int | None,
    channel: str,
    text: str,
    reply: str | None,
    intent: str | None,
    confidence: float | None = None,
    latency_ms: float | None = None,
) -> None:
    """A message and its answer in the conversation log, phone numbers and e-mail addresses
    redacted (not committed)."""
    now = uow.now()
    rows = [
        {
            "at": now,
            "person_id": person_id,
            "channel": channel,
            "direction": "in",
            "text": redact(text),
            "intent": intent,
            "confidence": confidence,
            "latency_ms": latency_ms,
        }
    ]
    if reply:
        rows.append(
            {
                "at": now,
                "person_id": person_id,
                "channel": channel,
                "direction": "out",
                "text": redact(reply),
                "intent": intent,
                "confidence": None,
                "latency_ms": None,
            }
        )
    uow.session.execute(_LOG_EXCHANGE, rows)


# ---- the receive path's look-ups: only the columns it needs ---------------------------------

# On the table's columns, not the ORM attributes: a statement of plain table columns runs
# through the session without the ORM's compile and result machinery (about 40% less CPU
# for these small look-ups, which every text makes; measured on PostgreSQL).
_PEOPLE: Table = cast(Table, Person.__table__)
_SENDER_COLUMNS = (
    _PEOPLE.c.id,
    _PEOPLE.c.full_name,
    _PEOPLE.c.first_name,
    _PEOPLE.c.kind,
    _PEOPLE.c.home_id,
    _PEOPLE.c.role_code,
    _PEOPLE.c.sms_opted_out_at,
)


_BY_PHONE_HASH = (
    select(*_SENDER_COLUMNS)
    .where(_PEOPLE.c.phone_hash == bindparam("phone_hash"), _PEOPLE.c.active.is_(True))
    .limit(1)
)
_BY_SLACK = (
    select(*_SENDER_COLUMNS)
    .where(_PEOPLE.c.slack_user_id == bindparam("slack_user_id"), _PEOPLE.c.active.is_(True))
    .limit(1)
)
_BY_ID = select(*_SENDER_COLUMNS).where(_PEOPLE.c.id == bindparam("person_id"))
_SET_OPT_OUT = (
    update(_PEOPLE)
    .where(_PEOPLE.c.id == bindparam("p_person_id"))
    .values(sms_opted_out_at=bindparam("p_opted_out_at"))
)


def sender_by_phone_hash(session: Session, phone_hash: str) -> Any:
    """The active person with this keyed phone hash, as a row of the columns a message needs
    (id, full_name, first_name, kind, home_id, role_code, sms_opted_out_at), or None."""
    return session.execute(_BY_PHONE_HASH, {"phone_hash": phone_hash}).first()


def sender_by_slack(session: Session, slack_user_id: str) -> Any:
    """The active person with this Slack user id (same columns)."""
    return session.execute(_BY_SLACK, {"slack_user_id": slack_user_id}).first()


def sender_by_id(session: Session, person_id: int) -> Any:
    """A person by id (same columns), active or not: callers that name a person decide."""
    return session.execute(_BY_ID, {"person_id": person_id}).first()


def set_sms_opt_out(
    uow: UnitOfWork,
    person_id: int,
    full_name: str,
    opted_out_at: datetime | None,
    out: bool,
    keyword: str,
) -> bool:
    """Turn a person's texts off (STOP) or back on (START, a bare YES); audited. False when
    nothing changed (a repeated STOP)."""
    if (opted_out_at is None) != out:
        return False
    after = uow.now() if out else None
    uow.session.execute(_SET_OPT_OUT, {"p_person_id": person_id, "p_opted_out_at": after})
    uow.audit(
        Actor(full_name, person_id),
        "sms.opted_out" if out else "sms.opted_in",
        "person",
        person_id,
        before={"sms_opted_out_at": opted_out_at},
        after={"sms_opted_out_at": after, "keyword": keyword},
    )
    return True
