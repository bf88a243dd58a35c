"""Notification texts: the outbox holds (kind, payload); each capability registers how its
kinds read on a phone and in Slack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rendered:
    text: str
    blocks: list[dict[str, Any]] | None = None


TextRenderer = Callable[[dict[str, Any]], str]
BlocksRenderer = Callable[[dict[str, Any]], list[dict[str, Any]]]

TEXTS: dict[str, TextRenderer] = {
    "text": lambda p: str(p.get("text", "")),
}
BLOCKS: dict[str, BlocksRenderer] = {}


def render(kind: str, payload: dict[str, Any], channel: str) -> Rendered:
    text_fn = TEXTS.get(kind)
    text = text_fn(payload) if text_fn else str(payload.get("text") or kind)
    blocks = BLOCKS[kind](payload) if channel == "slack" and kind in BLOCKS else None
    return Rendered(text=text, blocks=blocks)
