"""Notification texts: the outbox holds (kind, payload); each capability registers how its
kinds read on a phone and in Slack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.registry import Registry


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


def text_of(kind: str, payload: dict[str, Any], registry: Registry | None = None) -> str:
    """A message kind's words (the payload's own text, or the kind, when none is known)."""
    if registry is None:
        from bot.bootstrap import standard_registry

        registry = standard_registry()
    text_fn = registry.texts.get(kind) or TEXTS.get(kind)
    return text_fn(payload) if text_fn else str(payload.get("text") or kind)


def render(
    kind: str, payload: dict[str, Any], channel: str, registry: Registry | None = None
) -> Rendered:
    """A message kind's words (and its Slack layout on Slack), from the registry
    ``bootstrap()`` built; ``TEXTS`` / ``BLOCKS`` here are extra entries (tests, the plain
    "text" kind)."""
    if registry is None:
        from bot.bootstrap import standard_registry

        registry = standard_registry()
    text_fn = registry.texts.get(kind) or TEXTS.get(kind)
    text = text_fn(payload) if text_fn else str(payload.get("text") or kind)
    blocks_fn = registry.blocks.get(kind) or BLOCKS.get(kind)
    blocks = blocks_fn(payload) if channel == "slack" and blocks_fn else None
    return Rendered(text=text, blocks=blocks)
