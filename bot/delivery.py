"""The channels' side of delivery: the renderer handed to the core's delivery service
(``core.outbox.deliver_due``), the wording of the delivery notices, and the local outbox
sender used for a channel without provider credentials.

Delivering itself (claims, leases, retries, provider health) is the core's; nothing here
opens a transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from core.models import Channel
from core.outbox import (
    Courier,
    Envelope,
    FailureHook,
    MessageSender,
    Rendered,
)
from core.outbox import (
    deliver_due as core_deliver_due,
)
from core.phones import mask_phone

log = logging.getLogger(__name__)

_CHANNEL = {"sms": "Texts (SMS)", "slack": "Slack messages"}


def _paused(p: dict[str, Any]) -> str:
    what = _CHANNEL.get(str(p.get("channel")), str(p.get("channel")))
    return (
        f"{what} to staff are not going out: the provider is failing ({p.get('reason')}). "
        "Messages are held, not lost, and nobody is counted as not answering meanwhile; "
        "they go out as soon as it recovers. Phone anyone urgent."
    )


def _resumed(p: dict[str, Any]) -> str:
    what = _CHANNEL.get(str(p.get("channel")), str(p.get("channel")))
    return f"{what} are going out again; the held messages are being sent now."


# the delivery notices' wording, by message kind (core.delivery_health queues them)
TEXTS = {"delivery.paused": _paused, "delivery.resumed": _resumed}


def install(registry: Any) -> None:
    """The delivery notices' texts, for bootstrap's registry."""
    registry.add_texts(TEXTS)


def render(kind: str, payload: dict[str, Any], channel: str) -> Rendered:
    """Every capability's texts (``bot.render``), and the delivery notices."""
    from bot.render import render as render_registered

    if kind in TEXTS:
        return Rendered(TEXTS[kind](payload))
    done = render_registered(kind, payload, channel)
    return Rendered(done.text, done.blocks)


def courier(
    senders: Mapping[Channel, MessageSender], hooks: Sequence[FailureHook] | None = None
) -> Courier:
    """The core's delivery service with this process's senders, the renderer and the
    failure hooks of bootstrap's registry (unless ``hooks`` are given)."""
    return Courier(
        senders=senders, render=render, hooks=_registry().failure_hooks if hooks is None else hooks
    )


def _registry() -> Any:
    from bot.bootstrap import standard_registry

    return standard_registry()


def deliver_due(
    core: Any,
    senders: Mapping[Channel, MessageSender],
    limit: int = 200,
    hooks: Sequence[FailureHook] | None = None,
) -> int:
    """Send what is due now (the core's delivery service with the texts); returns how many
    went out."""
    return core_deliver_due(
        core,
        senders,
        render,
        limit=limit,
        hooks=_registry().failure_hooks if hooks is None else hooks,
    )


def _safe(env: Envelope) -> str:
    return mask_phone(env.address) if env.channel == Channel.SMS else "slack"


class LocalOutboxSender(MessageSender):
    """Without provider credentials: the message stays in the outbox table, marked sent
    locally, for the chat console to show. The log says only which message went where, by id
    and masked number: never its text or the recipient's name."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, envelope: Envelope, text: str, blocks: list[dict] | None = None) -> str:
        log.info(
            "local outbox [%s] message=%s kind=%s to=%s",
            self.channel,
            envelope.message_id,
            envelope.kind,
            _safe(envelope),
        )
        log.debug(
            "local outbox [%s] message=%s: %d characters",
            self.channel,
            envelope.message_id,
            len(text),
        )
        return f"local-{envelope.message_id}"


def run_due_work(
    core: Any,
    senders: Mapping[Channel, MessageSender] | Courier,
    jobs: Any = None,
    hooks: Sequence[FailureHook] | None = None,
) -> None:
    """The scheduler's tick (``scheduler.jobs.run_due_work``) with this process's senders,
    the texts, and the registry's jobs (unless ``jobs`` are given): what the chat console's
    ``/wait`` runs."""
    from scheduler.jobs import run_due_work as run

    run(
        core,
        senders if isinstance(senders, Courier) else courier(senders, hooks),
        _registry().jobs if jobs is None else jobs,
    )
