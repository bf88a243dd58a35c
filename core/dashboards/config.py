"""Dashboard settings (pydantic-settings, ``STAFFBOT_DASH_*``).

Agency cost is an estimate: the demo (like most rotas) records that an agency worker covered a
shift, not the invoice, so hours are priced at a configurable hourly rate per role.
"""

from __future__ import annotations

from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict

_ATTR = "_dashboard_settings"


class DashboardSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STAFFBOT_DASH_", extra="ignore")

    # GBP an hour charged by agencies, by role (typical UK care-agency rates)
    agency_rates: dict[str, float] = {"RN": 48.0, "SSW": 29.0, "HCA": 25.0}
    agency_rate_default: float = 30.0

    def agency_rate(self, role: str | None) -> float:
        return self.agency_rates.get(role or "", self.agency_rate_default)


def dashboard_settings(core: Any) -> DashboardSettings:
    """The dashboard settings this core runs with (read from the environment once)."""
    found = getattr(core, _ATTR, None)
    if found is None:
        found = DashboardSettings()
        setattr(core, _ATTR, found)
    return found
