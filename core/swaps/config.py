"""Swap settings (pydantic-settings, ``STAFFBOT_SWAP_*``), beside the capability like
overtime's, and read with the rest of the settings (``core.settings.swaps``); ``swap_rules(core)``
returns them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from core.app import Core


class SwapRules(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STAFFBOT_SWAP_", extra="ignore")

    # no swap is approved automatically, and every unanswered one expires, this long before
    # the shift starts
    notice_hours: float = 24.0
    # an unanswered swap also expires this long after it was asked
    answer_hours: float = 48.0
    # swaps (approved, or waiting) a person may be part of in one calendar month
    max_per_month: int = 4
    # roles that may take a shift of another role: {"HCA": ["SSW"]} lets a senior support
    # worker take a healthcare assistant's shift. The same role always may.
    higher_roles: dict[str, list[str]] = {"HCA": ["SSW"]}
    # how many eligible colleagues an open give-away asks at once
    giveaway_asks: int = 8


def swap_rules(core: Core) -> SwapRules:
    """The swap rules this core runs with: ``core.settings.swaps``, read once with the rest of
    the settings (a test wanting others builds its settings with ``settings.with_swaps``)."""
    return core.settings.swaps
