"""Drains the outbox: render each due message for its channel and hand it to that channel's
sender. Failures are retried with backoff or recorded; nothing is dropped silently."""

from __future__ import annotations

import logging

from bot.render import render
from core.app import Core
from core.models import Channel
from core.outbox import DeliveryError, MessageSender, claim_due, mark_failed, mark_sent
from core.phones import mask_phone

log = logging.getLogger(__name__)


def deliver_due(core: Core, senders: dict[Channel, MessageSender], limit: int = 200) -> int:
    """Send what is due now; returns how many went out."""
    with core.uow() as uow:
        envelopes = claim_due(uow, limit=limit, channels=set(senders))
    sent = 0
    for env in envelopes:
        rendered = render(env.kind, env.payload, str(env.channel))
        try:
            provider_id = senders[env.channel].send(env, rendered.text, rendered.blocks)
        except DeliveryError as exc:
            log.warning("send failed message=%s to=%s permanent=%s: %s", env.message_id,
                        _safe(env), exc.permanent, exc)
            with core.uow() as uow:
                mark_failed(uow, env.message_id, str(exc), exc.permanent)
            continue
        except Exception as exc:  # an unexpected adapter error is retried, not lost
            log.exception("send crashed message=%s to=%s", env.message_id, _safe(env))
            with core.uow() as uow:
                mark_failed(uow, env.message_id, f"{type(exc).__name__}: {exc}", False)
            continue
        with core.uow() as uow:
            mark_sent(uow, env.message_id, provider_id)
        sent += 1
    return sent


def _safe(env) -> str:  # type: ignore[no-untyped-def]
    return mask_phone(env.address) if env.channel == Channel.SMS else env.address


class LocalOutboxSender(MessageSender):
    """Without provider credentials: the message stays in the outbox table, marked sent
    locally, for the chat console and the logs to show (numbers masked)."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, envelope, text, blocks=None):  # type: ignore[no-untyped-def]
        log.info("local outbox [%s] to %s (%s): %s", self.channel, envelope.recipient_name,
                 _safe(envelope), text)
        return f"local-{envelope.message_id}"
