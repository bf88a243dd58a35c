"""What a handler returns: channel-neutral. Renderers turn it into SMS text or Slack blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Action:
    """A one-tap follow-up (a Slack button): runs ``intent`` with ``slots`` as the same person."""

    label: str
    intent: str
    slots: dict[str, Any]
    style: str | None = None  # "primary" / "danger"


@dataclass
class Reply:
    text: str  # the full answer in plain words (console, Slack fallback)
    short: str | None = None  # a phone-screen version; defaults to ``text``
    kind: str = "text"  # what it is, for rich renderers: "gaps", "ranking", "status", ...
    data: Any = None  # structured content for rich renderers
    actions: list[Action] = field(default_factory=list)

    @property
    def sms(self) -> str:
        return self.short or self.text
