"""Overtime outreach settings (``STAFFBOT_OT_*``): the ``overtime`` section of the one
``core.config.Settings``, read with the rest of the settings and handed down in the Core.

``settings_for(core)`` is how every caller reads them; a caller that wants other values
builds a Core with other settings (``with_overtime(core, wave_size=1)``) instead of changing
the one it has.
"""

from __future__ import annotations

from typing import Any

from core.app import Core
from core.config import (
    BALANCED_WEIGHTS,
    COMPONENTS,
    LIKELY_WEIGHTS,
    PROFILES,
    RELIABILITY_WEIGHTS,
    OvertimeSettings,
)

__all__ = [
    "BALANCED_WEIGHTS",
    "COMPONENTS",
    "LIKELY_WEIGHTS",
    "PROFILES",
    "RELIABILITY_WEIGHTS",
    "OvertimeSettings",
    "settings_for",
    "with_overtime",
]


def settings_for(core: Core) -> OvertimeSettings:
    """The overtime settings this core runs with (``core.settings.overtime``)."""
    return core.settings.overtime


def with_overtime(core: Core, settings: OvertimeSettings | None = None, **changes: Any) -> Core:
    """A copy of ``core`` running with these overtime settings (``settings``, or its own,
    with ``changes``); ``core`` itself is left as it is. Tests, the simulator and the CLI's
    options use it: ``core = with_overtime(core, wave_size=1)``."""
    base = core.settings
    if settings is not None:
        base = base.model_copy(update={"overtime": settings})
    return core.with_settings(base.with_overtime(**changes))
