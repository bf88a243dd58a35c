"""Injected time. The core never calls ``datetime.now()``; it asks a clock.

All clocks return timezone-aware UTC datetimes.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class PinnedClock:
    """Starts at a given instant and then runs with real time (``STAFFBOT_NOW``)."""

    def __init__(self, start: datetime) -> None:
        self._start = _as_utc(start)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


class ManualClock:
    """Stands still until moved: tests and the chat console's ``/wait``."""

    def __init__(self, start: datetime) -> None:
        self._now = _as_utc(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now

    def set(self, instant: datetime) -> None:
        with self._lock:
            self._now = _as_utc(instant)


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("clock start must be timezone-aware")
    return value.astimezone(UTC)
