"""Inbound messages: each provider delivery counted once (webhooks are retried), what was
answered kept for a retried delivery, how often an unknown sender wrote, and the
conversation log (personal data redacted)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.models import ConversationEntry, InboundMessage
from core.redact import redact
from core.uow import UnitOfWork

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


def claim_delivery(uow: UnitOfWork, provider: str, provider_id: str,
                   sender_hash: str | None = None, reply: str | None = None) -> bool:
    """Claim a delivery inside the caller's transaction (not committed); False when it was
    seen before, in which case the transaction has been rolled back."""
    try:
        uow.session.execute(insert(InboundMessage).values(
            provider=provider, provider_id=provider_id[:ID_LENGTH], received_at=uow.now(),
            sender_hash=sender_hash, reply=reply))
    except IntegrityError:  # the unique (provider, provider_id), across processes
        uow.rollback()
        return False
    return True


def earlier_reply(session: Session, provider: str, provider_id: str) -> str | None:
    """What a delivery seen before was answered (for its retry)."""
    return session.scalars(select(InboundMessage.reply).where(
        InboundMessage.provider == provider,
        InboundMessage.provider_id == provider_id[:ID_LENGTH])).first() or None


def release_delivery(uow: UnitOfWork, provider: str, provider_id: str) -> None:
    """Forget a claim whose processing failed, so the provider's retry is processed. Commits."""
    uow.session.execute(delete(InboundMessage).where(
        InboundMessage.provider == provider,
        InboundMessage.provider_id == provider_id[:ID_LENGTH]))
    uow.commit()


def store_reply(uow: UnitOfWork, provider: str, provider_id: str, reply: str | None) -> None:
    """Keep the answer for a retried delivery (not committed)."""
    uow.session.execute(update(InboundMessage).where(
        InboundMessage.provider == provider,
        InboundMessage.provider_id == provider_id[:ID_LENGTH]).values(reply=reply or ""))


def deliveries_from(session: Session, sender_hash: str, since: datetime) -> int:
    """How many deliveries this sender (by keyed hash) made since ``since``."""
    return session.scalar(select(func.count(InboundMessage.id)).where(
        InboundMessage.sender_hash == sender_hash,
        InboundMessage.received_at >= since)) or 0


def log_exchange(uow: UnitOfWork, person_id: int | None, channel: str, text: str,
                 reply: str | None, intent: str | None, confidence: float | None = None,
                 latency_ms: float | None = None) -> None:
    """A message and its answer in the conversation log, phone numbers and e-mail addresses
    redacted (not committed)."""
    now = uow.now()
    rows = [{"at": now, "person_id": person_id, "channel": channel, "direction": "in",
             "text": redact(text), "intent": intent, "confidence": confidence,
             "latency_ms": latency_ms}]
    if reply:
        rows.append({"at": now, "person_id": person_id, "channel": channel,
                     "direction": "out", "text": redact(reply), "intent": intent,
                     "confidence": None, "latency_ms": None})
    uow.session.execute(insert(ConversationEntry), rows)
