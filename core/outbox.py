"""The outbox: messages the core wants sent, written in the same transaction as the change that
caused them, delivered once and never to an opted-out phone.

Delivering is a core service (``deliver_due``) handed the senders and the renderer that
bootstrap built. Each message is claimed on its own, just before it is sent, under a short
lease (``LEASE``); the outcome is written as soon as the send returns. So:

- a process killed mid-batch strands at most the messages it had in flight, for at most
  ``LEASE``; nothing else it would have sent waits for it;
- a send whose outcome is unknown (the process died during it, or it timed out) is checked
  with the provider (``SentLookup.find_sent``: the messages to that address since the attempt)
  before it is sent again, so it is not repeated;
- sends for different recipients run side by side (``workers``); one recipient's messages go
  in order;
- an account-wide failure pauses the channel (``core.delivery_health``): the message goes back
  to the queue without spending an attempt, and nobody's outreach is used up meanwhile.

Delivery states for callers (``delivery_states``): QUEUED (waiting, being sent, or being
checked), SENT, DELIVERED (the provider's receipt), FAILED, SUPPRESSED (never sent: opted out
or no address).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from core.delivery_health import (
    channel_paused,
    record_provider_failure,
    record_success,
    resume_at,
)
from core.models import Channel, Home, OutboundMessage, Person
from core.phones import reveal_phone
from core.uow import Actor, UnitOfWork

__all__ = [
    "DELIVERED",
    "FAILED",
    "QUEUED",
    "SENT",
    "SUPPRESSED",
    "Courier",
    "DeliveryError",
    "Envelope",
    "MessageSender",
    "Rendered",
    "SentLookup",
    "channel_paused",
    "deliver_due",
    "delivery_states",
    "delivery_update",
    "mark_failed",
    "mark_sent",
    "post_to_home",
]

log = logging.getLogger(__name__)

# what happens when a message cannot be delivered, by capability (e.g. outreach moves on):
# the hooks of the registry bootstrap() built (``core.registry.failure_hooks``), handed in.
FailureHook = Callable[[UnitOfWork, OutboundMessage], None]

MAX_ATTEMPTS = 5
LEASE = timedelta(seconds=20)  # longer than one send may take (the senders time out at 10 s)
SENDING_LEASE = LEASE  # the old name
WORKERS = 4  # sends in flight at once, for different recipients
LOOKBACK = timedelta(seconds=5)  # clock skew allowed when asking the provider what it sent
CHECK_AFTER = timedelta(seconds=10)  # a timed-out send is looked up this long after

QUEUED, SENT, DELIVERED, FAILED, SUPPRESSED = "QUEUED", "SENT", "DELIVERED", "FAILED", "SUPPRESSED"
PENDING = ("queued", "sending", "unconfirmed")
_STATE = {
    "queued": QUEUED,
    "sending": QUEUED,
    "unconfirmed": QUEUED,
    "sent": SENT,
    "delivered": DELIVERED,
    "failed": FAILED,
    "suppressed": SUPPRESSED,
}


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
    attempted_at: datetime | None = None  # the earliest attempt whose outcome is unknown


@dataclass(frozen=True)
class Rendered:
    text: str
    blocks: list[dict[str, Any]] | None = None


class RenderedLike(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def blocks(self) -> list[dict[str, Any]] | None: ...


Renderer = Callable[[str, dict[str, Any], str], RenderedLike]


def plain_render(kind: str, payload: dict[str, Any], channel: str) -> RenderedLike:
    """The fallback when no renderer is given: the payload's own ``text``."""
    return Rendered(str(payload.get("text") or kind))


class DeliveryError(Exception):
    """A send that did not go through.

    ``permanent``: no retry will help (a bad number); ``provider_wide``: the provider is
    refusing everyone (throttled, down, credentials) and the channel pauses; ``timed_out``:
    the outcome is unknown (it may have gone out), so it is checked before a resend."""

    def __init__(
        self,
        message: str,
        permanent: bool = False,
        provider_wide: bool = False,
        timed_out: bool = False,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.provider_wide = provider_wide
        self.timed_out = timed_out


class MessageSender(Protocol):
    """A channel's way out (SMS, Slack, the console): sends one rendered message and returns
    the provider's message id, or raises DeliveryError."""

    def send(
        self, envelope: Envelope, text: str, blocks: list[dict] | None = None
    ) -> str | None: ...


@runtime_checkable
class SentLookup(Protocol):
    """A sender that can say whether a message already went out (Twilio: the message list
    for that number since the attempt): the provider id if so, else None. May raise
    DeliveryError when the provider cannot be asked."""

    def find_sent(self, envelope: Envelope, text: str, since: datetime) -> str | None: ...


# --- reading ------------------------------------------------------------------------------


def delivery_states(
    session: Session, outbox_ids: Iterable[int]
) -> dict[int, tuple[str, str | None]]:
    """``{outbox id: (state, error)}``: state one of QUEUED, SENT, DELIVERED, FAILED,
    SUPPRESSED; error the provider's or our reason when FAILED / SUPPRESSED, and while a
    QUEUED message is waiting after a failed try (e.g. "Twilio 429 ..."). Ids not found are
    left out."""
    ids = sorted({int(i) for i in outbox_ids if i is not None})
    found: dict[int, tuple[str, str | None]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(OutboundMessage.id, OutboundMessage.status, OutboundMessage.error).where(
                OutboundMessage.id.in_(ids[start : start + 500])
            )
        )
        for mid, status, error in rows:
            state = _STATE.get(status, QUEUED)
            found[mid] = (state, error if state in (QUEUED, FAILED, SUPPRESSED) else None)
    return found


# --- delivering ---------------------------------------------------------------------------


@dataclass
class Courier:
    """The delivery service as bootstrap builds it: the senders, the renderer and the
    failure hooks, with how many sends may be in flight."""

    senders: Mapping[Channel, MessageSender]
    render: Renderer = plain_render
    hooks: Sequence[FailureHook] | None = None
    workers: int = WORKERS
    retry_sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def deliver_due(self, core: Any, limit: int = 200) -> int:
        return deliver_due(
            core,
            self.senders,
            self.render,
            hooks=self.hooks,
            limit=limit,
            workers=self.workers,
            retry_sleep=self.retry_sleep,
        )


def registry_hooks(core: Any) -> Sequence[FailureHook]:
    """The failure hooks of the registry this core was built with (none without one)."""
    registry = getattr(core, "registry", None)
    return registry.failure_hooks if registry is not None else ()


def deliver_due(
    core: Any,
    senders: Mapping[Channel, MessageSender],
    render: Renderer = plain_render,
    hooks: Sequence[FailureHook] | None = None,
    limit: int = 200,
    workers: int = WORKERS,
    retry_sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Send what is due now on the channels in ``senders``; returns how many went out.

    ``core`` is the application core (``uow()`` and ``clock``). Safe to run in several
    processes at once: each message is claimed on its own before it is sent."""
    with core.uow() as uow:
        now = uow.now()
        open_channels = [c for c in senders if _may_send(uow.session, c, now)]
        if not open_channels:
            return 0
        rows = uow.session.execute(
            select(
                OutboundMessage.id,
                OutboundMessage.channel,
                OutboundMessage.person_id,
                OutboundMessage.home_channel_id,
            )
            .where(
                OutboundMessage.status.in_(PENDING),
                OutboundMessage.next_attempt_at <= now,
                OutboundMessage.channel.in_(open_channels),
            )
            .order_by(OutboundMessage.id)
            .limit(limit)
        ).all()
    groups: dict[tuple[Any, ...], list[int]] = {}
    for mid, channel, person_id, home_id in rows:
        key = (channel, person_id, home_id) if (person_id or home_id) else (channel, mid)
        groups.setdefault(key, []).append(mid)
    run = _Run(core, senders, render, registry_hooks(core) if hooks is None else hooks, retry_sleep)
    if workers <= 1 or len(groups) <= 1:
        for ids in groups.values():
            run.group(ids)
    else:
        with ThreadPoolExecutor(
            max_workers=min(workers, len(groups)), thread_name_prefix="outbox"
        ) as pool:
            for future in [pool.submit(run.group, ids) for ids in groups.values()]:
                future.result()
    return run.sent


def _may_send(session: Session, channel: Channel, now: datetime) -> bool:
    until = resume_at(session, channel)
    return until is None or until <= now


class _Run:
    def __init__(
        self,
        core: Any,
        senders: Mapping[Channel, MessageSender],
        render: Renderer,
        hooks: Sequence[FailureHook],
        retry_sleep: Callable[[float], None],
    ) -> None:
        self.core, self.senders, self.render, self.hooks = core, senders, render, hooks
        self.retry_sleep = retry_sleep
        self.sent = 0
        self.paused: set[Channel] = set()
        self._lock = threading.Lock()

    def group(self, ids: list[int]) -> None:
        """One recipient's due messages, in order; stops at the first that is not sent (the
        rest must not overtake it) or when the channel pauses."""
        for mid in ids:
            try:
                outcome = self.one(mid)
            except Exception:  # the database went away: the lease lets anyone retry later
                log.exception("outbox message=%s: delivery interrupted", mid)
                return
            if outcome not in ("sent", "skipped"):
                return

    def one(self, mid: int) -> str:
        with self.core.uow() as uow:
            env = _claim(uow, mid, self.paused, self.hooks)
        if env is None:
            return "skipped"
        sender = self.senders[env.channel]
        try:
            rendered = self.render(env.kind, env.payload, str(env.channel))
        except Exception as exc:  # nothing went out: retried later, like a temporary failure
            log.exception("outbox message=%s: could not be rendered", mid)
            return self.failed(env, DeliveryError(f"render: {type(exc).__name__}"))
        if env.attempted_at is not None and isinstance(sender, SentLookup):
            try:
                found = sender.find_sent(env, rendered.text, env.attempted_at - LOOKBACK)
            except DeliveryError as exc:
                return self.failed(env, exc)
            if found:
                log.warning("outbox message=%s: an earlier attempt had gone out; not resent", mid)
                claimed: Envelope = env
                self.finish(claimed, lambda uow: _sent(uow, claimed, found))
                with self._lock:
                    self.sent += 1
                return "sent"
        env = replace(env, attempted_at=None)  # checked (or nothing to check): a fresh send
        try:
            provider_id = sender.send(env, rendered.text, rendered.blocks)
        except DeliveryError as exc:
            return self.failed(env, exc)
        except Exception as exc:  # an unexpected adapter error is retried, not lost
            log.exception("outbox message=%s: send crashed", mid)
            return self.failed(env, DeliveryError(f"{type(exc).__name__}"))
        self.finish(env, lambda uow: _sent(uow, env, provider_id))
        with self._lock:
            self.sent += 1
        return "sent"

    def failed(self, env: Envelope, exc: DeliveryError) -> str:
        log.warning(
            "outbox message=%s channel=%s failed (permanent=%s provider_wide=%s timed_out=%s): %s",
            env.message_id,
            env.channel,
            exc.permanent,
            exc.provider_wide,
            exc.timed_out,
            exc,
        )
        if exc.provider_wide:
            with self._lock:
                self.paused.add(env.channel)
        self.finish(env, lambda uow: _failed(uow, env, exc, self.hooks))
        return "paused" if exc.provider_wide else "failed"

    def finish(self, env: Envelope, write: Callable[[UnitOfWork], None]) -> None:
        """Write a send's outcome, retrying a few times if the database blinks. If it cannot
        be written the claim's lease runs out and the next claim checks with the provider."""
        for delay in (0.0, 0.5, 1.0, 2.0):
            if delay:
                self.retry_sleep(delay)
            try:
                with self.core.uow() as uow:
                    write(uow)
                    uow.commit()
                return
            except (OperationalError, DBAPIError) as exc:
                last = exc
        log.error(
            "outbox message=%s: outcome not recorded (%s); checked before any resend",
            env.message_id,
            type(last).__name__,
        )


def _claim(
    uow: UnitOfWork, mid: int, paused: set[Channel], hooks: Sequence[FailureHook]
) -> Envelope | None:
    """Lease one due message (compare-and-set on its attempt count). Commits."""
    now = uow.now()
    msg = uow.session.get(OutboundMessage, mid, populate_existing=True)
    if (
        msg is None
        or msg.status not in PENDING
        or msg.next_attempt_at is None
        or msg.next_attempt_at > now
        or msg.channel in paused
    ):
        return None
    in_doubt = msg.status in ("sending", "unconfirmed")  # a lease ran out, or a timeout
    since = (msg.attempted_at or msg.next_attempt_at - LEASE) if in_doubt else None
    claimed = uow.session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.id == mid,
            OutboundMessage.attempts == msg.attempts,
            OutboundMessage.status == msg.status,
            OutboundMessage.next_attempt_at <= now,
        )
        .values(
            status="sending",
            attempts=msg.attempts + 1,
            next_attempt_at=now + LEASE,
            attempted_at=since if in_doubt else now,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        uow.rollback()
        return None
    uow.session.refresh(msg)
    address, name = _address(uow, msg)
    if address is None:
        _fail(uow, msg, name or "no address", permanent=True, status="suppressed", hooks=hooks)
        uow.commit()
        return None
    uow.commit()
    return Envelope(
        msg.id,
        msg.channel,
        msg.kind,
        dict(msg.payload),
        address,
        name,
        msg.person_id,
        msg.attempts,
        since,
    )


def _ours(uow: UnitOfWork, env: Envelope) -> OutboundMessage | None:
    """The message, if our claim on it still stands (nobody reclaimed it since)."""
    msg = uow.session.get(OutboundMessage, env.message_id, with_for_update=True)
    if msg is None or msg.status != "sending" or msg.attempts != env.attempts:
        return None
    return msg


def _sent(uow: UnitOfWork, env: Envelope, provider_id: str | None) -> None:
    msg = uow.session.get(OutboundMessage, env.message_id, with_for_update=True)
    if msg is None or msg.status not in PENDING:
        return  # a receipt got here first (delivered / failed): keep what it said
    msg.status, msg.provider_id, msg.sent_at, msg.error = "sent", provider_id, uow.now(), None
    msg.next_attempt_at = None
    record_success(uow, env.channel)


def _failed(
    uow: UnitOfWork, env: Envelope, exc: DeliveryError, hooks: Sequence[FailureHook]
) -> None:
    msg = _ours(uow, env)
    if msg is None:
        return
    now = uow.now()
    text = str(exc)[:500]
    # still in doubt: an earlier attempt may have gone out and could not be checked yet
    doubt = env.attempted_at is not None
    if exc.provider_wide:
        until = record_provider_failure(uow, env.channel, text)
        msg.status, msg.error = ("unconfirmed" if doubt else "queued"), text
        msg.attempts -= 1  # the provider refused everyone: this person's attempt is not spent
        msg.next_attempt_at = until or now
        if not doubt:
            msg.attempted_at = None
        return
    if exc.timed_out:
        until = record_provider_failure(
            uow, env.channel, text, timed_out=True, recipient=f"{env.person_id}:{env.address[-4:]}"
        )
        msg.status, msg.error = "unconfirmed", text  # checked with the provider before resend
        if until is not None:
            msg.attempts -= 1
        wait = CHECK_AFTER if msg.attempts <= 1 else _backoff(msg.attempts)
        msg.next_attempt_at = max(until or now, now + wait)
        if msg.attempts >= MAX_ATTEMPTS:
            _fail(uow, msg, text, permanent=True, hooks=hooks)
        return
    if exc.permanent:
        record_success(uow, env.channel)  # the provider answered: it is up
    _fail(uow, msg, text, permanent=exc.permanent or msg.attempts >= MAX_ATTEMPTS, hooks=hooks)
    if doubt and msg.status == "queued":
        msg.status, msg.attempted_at = "unconfirmed", env.attempted_at


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=30 * 2 ** max(0, attempts - 1))


def _address(uow: UnitOfWork, msg: OutboundMessage) -> tuple[str | None, str]:
    if msg.home_channel_id is not None:
        home = uow.session.get(Home, msg.home_channel_id)
        if home is None or not home.slack_channel:
            return None, "unknown home" if home is None else "home has no Slack channel"
        return home.slack_channel, home.slack_channel
    person = uow.session.get(Person, msg.person_id) if msg.person_id else None
    if person is None:
        return None, "unknown person"
    if msg.channel == Channel.SLACK:
        return (
            (person.slack_user_id, person.full_name)
            if person.slack_user_id
            else (None, "no Slack account")
        )
    if person.sms_opted_out_at is not None:
        return None, "opted out of texts (STOP)"
    number = reveal_phone(person.phone)
    return (number, person.full_name) if number else (None, "no phone number")


def mark_sent(uow: UnitOfWork, message_id: int, provider_id: str | None) -> None:
    """Record a send made outside ``deliver_due``. Commits."""
    msg = uow.session.get(OutboundMessage, message_id)
    if msg is None:
        return
    msg.status, msg.provider_id, msg.sent_at, msg.error = "sent", provider_id, uow.now(), None
    uow.commit()


def mark_failed(
    uow: UnitOfWork,
    message_id: int,
    error: str,
    permanent: bool,
    hooks: Sequence[FailureHook] | None = None,
) -> None:
    """A temporary failure is retried with backoff; a permanent one is recorded and reported
    to ``hooks`` (the registry's failure hooks, which the caller hands in)."""
    msg = uow.session.get(OutboundMessage, message_id)
    if msg is None:
        return
    _fail(
        uow,
        msg,
        error,
        permanent=permanent or msg.attempts >= MAX_ATTEMPTS,
        hooks=() if hooks is None else hooks,
    )
    uow.commit()


def _fail(
    uow: UnitOfWork,
    msg: OutboundMessage,
    error: str,
    permanent: bool,
    hooks: Sequence[FailureHook],
    status: str = "failed",
) -> None:
    msg.error = error[:500]
    if not permanent:
        msg.status = "queued"
        msg.attempted_at = None
        msg.next_attempt_at = uow.now() + _backoff(msg.attempts)
        return
    msg.status = status
    msg.next_attempt_at = None
    uow.audit(
        Actor.system("delivery"),
        f"message.{status}",
        "outbound_message",
        msg.id,
        after={"kind": msg.kind, "channel": str(msg.channel), "error": msg.error},
    )
    for hook in hooks:
        hook(uow, msg)


def delivery_update(
    uow: UnitOfWork,
    provider_id: str,
    status: str,
    error: str | None = None,
    hooks: Sequence[FailureHook] | None = None,
) -> bool:
    """A provider's delivery receipt: 'delivered', or 'failed'/'undelivered' (permanent,
    reported to ``hooks``, the registry's failure hooks). Commits; False when no message
    has that provider id (yet)."""
    msg = uow.session.scalars(
        select(OutboundMessage).where(OutboundMessage.provider_id == provider_id)
    ).first()
    if msg is None:
        return False
    before = msg.status
    if status in ("failed", "undelivered"):
        if msg.status not in ("failed", "suppressed"):
            _fail(
                uow,
                msg,
                error or status,
                permanent=True,
                hooks=() if hooks is None else hooks,
            )
    elif status == "delivered" and msg.status in ("sent", *PENDING):
        msg.status = "delivered"
        msg.next_attempt_at = None
        uow.audit(
            Actor.system("delivery"),
            "message.delivered",
            "outbound_message",
            msg.id,
            before={"status": before},
            after={"status": "delivered"},
        )
    uow.commit()
    return True


def post_to_home(uow: UnitOfWork, home_id: int, kind: str, payload: dict) -> OutboundMessage:
    """Queue a post to a home's Slack channel (``Home.slack_channel``), e.g. a scheduled alert.
    Like every outbox message it is sent only if this transaction commits; each channel
    renders ``kind`` + ``payload`` (give ``payload["text"]`` for a plain-words fallback)."""
    if uow.session.get(Home, home_id) is None:
        from core.errors import NotFound

        raise NotFound(f"No home with id {home_id}.")
    return uow.notify(
        OutboundMessage(
            home_channel_id=home_id, channel=Channel.SLACK, kind=kind, payload=dict(payload)
        )
    )
