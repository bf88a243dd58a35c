"""Dashboard settings (``STAFFBOT_DASH_*``): the ``dashboards`` section of the one
``core.config.Settings``, read with the rest of the settings.

Agency cost is the cost recorded with a booking; where none was given (the demo, like most
rotas, records that an agency worker covered a shift, not the invoice), hours are priced at a
configurable hourly rate per role.
"""

from __future__ import annotations

from typing import Any

from core.config import DashboardSettings

__all__ = ["DashboardSettings", "dashboard_settings"]


def dashboard_settings(core: Any) -> DashboardSettings:
    """The dashboard settings this core runs with (``core.settings.dashboards``)."""
    found: DashboardSettings = core.settings.dashboards
    return found
