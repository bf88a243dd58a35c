"""Answers to messages the parser calls "unknown" that a capability is waiting for (such as
the reason after a decline). Tried in order; each returns a Reply, or None to pass.

Kept in a module of its own, importing nothing, so capabilities can register at import time
without an import cycle through the conversation service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Fallback = Callable[[Any], Any]
UNKNOWN_FALLBACKS: list[Fallback] = []
