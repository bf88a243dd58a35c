"""Notification texts: the outbox holds (kind, payload); each capability's ``install()`` adds
how its kinds read on a phone and in Slack to the registry ``bootstrap()`` builds, and these
functions read that registry (the one given, else this process's ``standard_registry()``).
Nothing here holds a table of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.registry import Registry


@dataclass(frozen=True)
class Rendered:
    text: str
    blocks: list[dict[str, Any]] | None = None


def plain_text(payload: dict[str, Any]) -> str:
    """The "text" kind: the payload's own words (installed by ``bot.capabilities``)."""
    return str(payload.get("text", ""))


def _registry(registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    from bot.bootstrap import standard_registry

    return standard_registry()


def text_of(kind: str, payload: dict[str, Any], registry: Registry | None = None) -> str:
    """A message kind's words (the payload's own text, or the kind, when none is known)."""
    text_fn = _registry(registry).texts.get(kind)
    return text_fn(payload) if text_fn else str(payload.get("text") or kind)


def render(
    kind: str, payload: dict[str, Any], channel: str, registry: Registry | None = None
) -> Rendered:
    """A message kind's words (and its Slack layout on Slack), from the registry
    ``bootstrap()`` built."""
    found = _registry(registry)
    text = text_of(kind, payload, found)
    blocks_fn = found.blocks.get(kind)
    blocks = blocks_fn(payload) if channel == "slack" and blocks_fn else None
    return Rendered(text=text, blocks=blocks)
