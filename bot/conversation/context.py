"""Everything a handler may use to answer one message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.app import Core
from core.models import PersonKind
from core.permissions import Scope
from core.uow import Actor


@dataclass(frozen=True)
class Sender:
    """The person who wrote, as plain values (no open session needed)."""

    id: int
    full_name: str
    first_name: str
    kind: PersonKind
    home_id: int | None
    role_code: str | None


@dataclass
class Context:
    core: Core
    sender: Sender
    scope: Scope
    channel: str  # sms / slack / console
    today: date
    now: datetime
    intent: str
    slots: dict[str, Any]
    confidence: float
    text: str

    @property
    def actor(self) -> Actor:
        return Actor(label=self.sender.full_name, person_id=self.sender.id)
