"""Delivery receipts from a provider (Twilio's status callback), recorded in a unit of work
of their own: the webhook that receives them opens none (issue 12)."""

from __future__ import annotations

from collections.abc import Sequence

from core.app import Core
from core.outbox import FailureHook, delivery_update


def record_receipt(
    core: Core,
    provider_id: str,
    status: str,
    error: str | None = None,
    hooks: Sequence[FailureHook] | None = None,
) -> bool:
    """``core.outbox.delivery_update`` in its own unit of work (it commits); False when no
    message has that provider id (yet)."""
    with core.uow() as uow:
        return delivery_update(uow, provider_id, status, error, hooks=hooks)
