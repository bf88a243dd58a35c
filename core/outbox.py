"""The outbox: messages the core wants sent, delivered at least once and never to an opted-out
phone. Channel adapters claim due messages, render and send them, and report back here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from datetime import timedelta

from sqlalchemy import select

from core.models import Channel, Home, OutboundMessage, Person
from core.phones import reveal_phone
from core.uow import Actor, UnitOfWork

# what happens when a message cannot be delivered, by capability (e.g. outreach moves on)
FailureHook = Callable[[UnitOfWork, OutboundMessage], None]
FAILURE_HOOKS: list[FailureHook] = []

MAX_ATTEMPTS = 5
SENDING_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Envelope:
    """One claimed message, with its address resolved (the only place a number is decrypted)."""

    message_id: int
    channel: Channel
    kind: str
    payload: dict
    address: str  # E.164 number, Slack user id, or "#channel"
    recipient_name: str
    person_id: int | None
    attempts: int


def claim_due(uow: UnitOfWork, limit: int = 50, channels: set[Channel] | None = None
              ) -> list[Envelope]:
    """Take due messages for sending (leased so a second process skips them). Commits."""
    now = uow.now()
    query = (select(OutboundMessage)
             .where(OutboundMessage.status.in_(("queued", "sending")),
                    OutboundMessage.next_attempt_at <= now)
             .order_by(OutboundMessage.id).limit(limit))
    if channels:
        query = query.where(OutboundMessage.channel.in_(channels))
    if uow.session.bind is not None and uow.session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    envelopes = []
    for msg in uow.session.scalars(query):
        address, name = _address(uow, msg)
        if address is None:
            _fail(uow, msg, name or "no address", permanent=True, status="suppressed")
            continue
        msg.status = "sending"
        msg.attempts += 1
        msg.next_attempt_at = now + SENDING_LEASE
        envelopes.append(Envelope(msg.id, msg.channel, msg.kind, dict(msg.payload), address,
                                  name, msg.person_id, msg.attempts))
    uow.commit()
    return envelopes


def _address(uow: UnitOfWork, msg: OutboundMessage) -> tuple[str | None, str]:
    if msg.home_channel_id is not None:
        home = uow.session.get(Home, msg.home_channel_id)
        return (home.slack_channel, home.slack_channel) if home else (None, "unknown home")
    person = uow.session.get(Person, msg.person_id) if msg.person_id else None
    if person is None:
        return None, "unknown person"
    if msg.channel == Channel.SLACK:
        return person.slack_user_id, person.full_name
    if person.sms_opted_out_at is not None:
        return None, "opted out of texts (STOP)"
    return reveal_phone(person.phone), person.full_name


def mark_sent(uow: UnitOfWork, message_id: int, provider_id: str | None) -> None:
    msg = uow.session.get(OutboundMessage, message_id)
    if msg is None:
        return
    msg.status, msg.provider_id, msg.sent_at, msg.error = "sent", provider_id, uow.now(), None
    uow.commit()


def mark_failed(uow: UnitOfWork, message_id: int, error: str, permanent: bool) -> None:
    """A temporary failure is retried with backoff; a permanent one is recorded and reported."""
    msg = uow.session.get(OutboundMessage, message_id)
    if msg is None:
        return
    _fail(uow, msg, error, permanent=permanent or msg.attempts >= MAX_ATTEMPTS)
    uow.commit()


def _fail(uow: UnitOfWork, msg: OutboundMessage, error: str, permanent: bool,
          status: str = "failed") -> None:
    msg.error = error[:500]
    if not permanent:
        msg.status = "queued"
        msg.next_attempt_at = uow.now() + timedelta(seconds=30 * 2 ** (msg.attempts - 1))
        return
    msg.status = status
    uow.audit(Actor.system("delivery"), f"message.{status}", "outbound_message", msg.id,
              after={"kind": msg.kind, "channel": str(msg.channel), "error": msg.error})
    for hook in FAILURE_HOOKS:
        hook(uow, msg)


def delivery_update(uow: UnitOfWork, provider_id: str, status: str, error: str | None = None
                    ) -> bool:
    """A provider's delivery receipt: 'delivered', or 'failed'/'undelivered' (permanent)."""
    msg = uow.session.scalars(select(OutboundMessage).where(
        OutboundMessage.provider_id == provider_id)).first()
    if msg is None:
        return False
    if status in ("failed", "undelivered"):
        if msg.status not in ("failed", "suppressed"):
            _fail(uow, msg, error or status, permanent=True)
    elif status == "delivered":
        msg.status = "delivered"
    uow.commit()
    return True


class DeliveryError(Exception):
    """A send that did not go through; ``permanent`` ones are not retried."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class MessageSender(Protocol):
    """A channel's way out (SMS, Slack, the console): sends one rendered message and returns
    the provider's message id, or raises DeliveryError."""

    def send(self, envelope: Envelope, text: str,
             blocks: list[dict] | None = None) -> str | None: ...


def post_to_home(uow: UnitOfWork, home_id: int, kind: str, payload: dict) -> OutboundMessage:
    """Queue a post to a home's Slack channel (``Home.slack_channel``), e.g. a scheduled alert.
    Like every outbox message it is sent only if this transaction commits; each channel
    renders ``kind`` + ``payload`` (give ``payload["text"]`` for a plain-words fallback)."""
    if uow.session.get(Home, home_id) is None:
        from core.errors import NotFound

        raise NotFound(f"No home with id {home_id}.")
    return uow.notify(OutboundMessage(home_channel_id=home_id, channel=Channel.SLACK,
                                      kind=kind, payload=dict(payload)))
