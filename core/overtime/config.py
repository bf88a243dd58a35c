"""Overtime outreach settings (pydantic-settings, ``STAFFBOT_OT_*``).

They live beside the capability rather than in ``core.config.Settings`` so the outreach rules
can be tuned (and tested) on their own; ``settings_for(core)`` is how every caller reads them.
"""

from __future__ import annotations

from typing import Any

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The two ranking profiles (points out of 100). "reliability" asks who is most likely to say
# yes quickly; "balanced" spreads overtime by asking the available and under-used first.
RELIABILITY_WEIGHTS = {
    "acceptance_rate": 40.0,
    "recent_overtime": 30.0,
    "experience": 20.0,
    "not_contacted_recently": 10.0,
}
BALANCED_WEIGHTS = {
    "availability": 40.0,
    "acceptance_rate": 25.0,
    "fairness": 20.0,
    "home_preference": 10.0,
    "response_speed": 5.0,
}
# "likely" (for a band with time to spare): who is likeliest to say yes, without favouring
# those who did overtime lately, so the hours still spread
LIKELY_WEIGHTS = {
    "acceptance_rate": 40.0,
    "experience": 25.0,
    "fairness": 25.0,
    "response_speed": 10.0,
}
COMPONENTS = (
    "acceptance_rate",
    "recent_overtime",
    "experience",
    "not_contacted_recently",
    "availability",
    "fairness",
    "home_preference",
    "response_speed",
    "cost",
)


class OvertimeSettings(BaseSettings):
    """Every number outreach uses; each can be set as ``STAFFBOT_OT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="STAFFBOT_OT_", extra="ignore")

    profile: str = "balanced"  # default ranking profile: balanced or reliability
    weights_reliability: dict[str, float] = dict(RELIABILITY_WEIGHTS)
    weights_balanced: dict[str, float] = dict(BALANCED_WEIGHTS)
    weights_likely: dict[str, float] = dict(LIKELY_WEIGHTS)  # only a band's profile

    wave_size: int = 5  # people texted per wave (--max-contacts)
    wave_interval_minutes: float = 30.0  # wait between waves
    deadline_hours: float = 2.0  # offers close this long before the shift starts
    min_notice_hours: float = 3.0  # nobody is newly asked for a shift starting sooner
    quiet_override_hours: float = 12.0  # quiet hours are ignored for shifts starting this soon

    min_rest_hours: float = 11.0  # between the end of one shift and the start of the next
    max_hours_7d: float = 48.0  # in any 7 days, this shift included
    max_offers_per_day: int = 3  # offers one person may receive in 24 hours
    max_offers_per_week: int = 10  # ... and in 7 days

    prior_strength: float = 3.0  # pseudo-offers behind the acceptance prior for new staff
    recent_days: int = 90  # "recent overtime" window
    fairness_days: int = 90  # overtime-hours window for fairness (ranking and report)
    reason_window_hours: float = 24.0  # a decline's reason is taken this long after asking

    sickness_opens_request: bool = True  # a reported sick shift starts outreach at once
    sickness_send: bool = True  # ... and texts the first wave (False: request only)

    # withdrawals: closer than this to the start, the manager decides whether to reopen
    withdraw_manager_hours: float = 12.0
    # reminders to whoever holds the shift: the evening before (quiet hours respected) and,
    # for a night, the afternoon of the shift
    reminder_evening: str = "18:00"
    reminder_night_day: str = "14:00"

    # cost in the ranking: hourly rate x (1 + premium) against the agency's hourly cost;
    # weight 0 (the default) leaves scores as they were, the cost still shown
    cost_weight: float = 0.0
    overtime_premium: float = 0.5
    agency_hourly_cost: float = 38.0
    # mandatory courses per role: a lapsed one excludes the person (role "*": everyone)
    mandatory_training: dict[str, list[str]] = {}

    # waves by urgency ("urgency", the default) or the fixed wave_size / interval ("fixed").
    # Each band: up to max_hours before the start, wave size (0: everyone eligible at once)
    # and minutes between waves. Chosen with bench/outreach_sim.py (docs/overtime.md).
    wave_policy: str = "urgency"
    # offer_caps 0: the daily and weekly offer caps do not apply in that band; "profile" may
    # name the ranking profile for a band
    urgency_bands: list[dict[str, Any]] = [
        {"max_hours": 6, "wave_size": 0, "interval_minutes": 5, "offer_caps": 0},
        {"max_hours": 48, "wave_size": 4, "interval_minutes": 30},
        {"max_hours": 1e9, "wave_size": 2, "interval_minutes": 120},
    ]

    def band_for(self, hours_to_start: float) -> dict[str, Any]:
        """The urgency band for a shift this many hours away."""
        for band in sorted(self.urgency_bands, key=lambda b: b["max_hours"]):
            if hours_to_start <= band["max_hours"]:
                return band
        return {
            "max_hours": 1e9,
            "wave_size": self.wave_size,
            "interval_minutes": self.wave_interval_minutes,
        }

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        if value not in ("balanced", "reliability"):
            raise ValueError("profile must be 'balanced' or 'reliability'")
        return value

    @field_validator("weights_reliability", "weights_balanced", "weights_likely")
    @classmethod
    def _known_components(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(COMPONENTS)
        if unknown:
            raise ValueError(
                f"unknown ranking components {sorted(unknown)}; known: {', '.join(COMPONENTS)}"
            )
        if sum(value.values()) <= 0:
            raise ValueError("ranking weights must add up to more than 0")
        return value

    def weights(self, profile: str | None = None) -> dict[str, float]:
        name = profile or self.profile
        if name == "reliability":
            return self.weights_reliability
        if name == "balanced":
            return self.weights_balanced
        if name == "likely":
            return self.weights_likely
        raise ValueError(f"unknown ranking profile {name!r}; use balanced or reliability")


PROFILES = ("balanced", "reliability")
_ATTR = "_overtime_settings"


def settings_for(core: Any) -> OvertimeSettings:
    """The overtime settings this core runs with (read from the environment once)."""
    found = getattr(core, _ATTR, None)
    if found is None:
        found = OvertimeSettings()
        setattr(core, _ATTR, found)
    return found


def use_settings(
    core: Any, settings: OvertimeSettings | None = None, **overrides: Any
) -> OvertimeSettings:
    """Give this core its own overtime settings (tests, the simulator, the CLI's options)."""
    base = settings or settings_for(core)
    chosen = base.model_copy(update=overrides) if overrides else base
    setattr(core, _ATTR, chosen)
    return chosen
