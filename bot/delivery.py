"""The channels' side of delivery: the renderer handed to the core's delivery service
(``core.outbox.deliver_due``), the wording of the delivery notices, and the local outbox
sender used for a channel without provider credentials.

Delivering itself (claims, leases, retries, provider health) is the core's; nothing here
opens a transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.render import render as render_registered
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
from core.registry import Registry

if TYPE_CHECKING:
    from scheduler.jobs import Jobs

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


def install(registry: Registry) -> None:
    """The delivery notices' wording (``core.delivery_health`` queues them), for bootstrap's
    registry."""
    registry.add_texts({"delivery.paused": _paused, "delivery.resumed": _resumed})


def _registry(core: Any = None, registry: Registry | None = None) -> Registry:
    """The registry bootstrap built: the one given, the core's, else this process's."""
    if registry is not None:
        return registry
    if core is not None and getattr(core, "registry", None) is not None:
        found: Registry = core.registry
        return found
    from bot.bootstrap import standard_registry

    return standard_registry()


def renderer(
    registry: Registry | None = None,
) -> Callable[[str, dict[str, Any], str], Rendered]:
    """The renderer the delivery service uses: every capability's texts and layouts, from
    ``registry`` (bootstrap's)."""

    def render_with(kind: str, payload: dict[str, Any], channel: str) -> Rendered:
        done = render_registered(kind, payload, channel, _registry(registry=registry))
        return Rendered(done.text, done.blocks)

    return render_with


def render(kind: str, payload: dict[str, Any], channel: str) -> Rendered:
    """Every capability's texts, from this process's registry (``renderer(registry)`` for
    another one)."""
    return renderer()(kind, payload, channel)


def courier(
    senders: Mapping[Channel, MessageSender],
    hooks: Sequence[FailureHook] | None = None,
    registry: Registry | None = None,
) -> Courier:
    """The core's delivery service with this process's senders, the renderer and the
    failure hooks of bootstrap's registry (unless ``hooks`` are given)."""
    found = _registry(registry=registry)
    return Courier(
        senders=senders,
        render=renderer(found),
        hooks=found.failure_hooks if hooks is None else hooks,
    )


def deliver_due(
    core: Any,
    senders: Mapping[Channel, MessageSender],
    limit: int = 200,
    hooks: Sequence[FailureHook] | None = None,
) -> int:
    """Send what is due now (the core's delivery service with the texts and failure hooks
    of the core's registry); returns how many went out."""
    found = _registry(core)
    return core_deliver_due(
        core,
        senders,
        renderer(found),
        limit=limit,
        hooks=found.failure_hooks if hooks is None else hooks,
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
    jobs: Jobs | None = None,
    hooks: Sequence[FailureHook] | None = None,
) -> None:
    """The scheduler's tick (``scheduler.jobs.run_due_work``) with this process's senders,
    the texts, and the jobs of the core's registry (unless ``jobs`` are given): what the chat
    console's ``/wait`` runs."""
    from scheduler.jobs import run_due_work as run

    found = _registry(core)
    run(
        core,
        senders if isinstance(senders, Courier) else courier(senders, hooks, found),
        found.jobs if jobs is None else jobs,
    )
