"""The leave rules' settings (``STAFFBOT_LEAVE_*``): the ``leave`` section of the one
``core.config.Settings`` (``core.settings.leave``), read with the rest of the settings.

Lists may be given as JSON (``["annual","personal"]``) or comma-separated (``annual,personal``).
"""

from __future__ import annotations

from core.config import NEVER_AUTO_APPROVED, Blackout, LeaveRules, parse_blackout

__all__ = ["NEVER_AUTO_APPROVED", "Blackout", "LeaveRules", "load_leave_rules", "parse_blackout"]


def load_leave_rules() -> LeaveRules:
    """The leave rules from the environment, for a caller that has no Core; with one, read
    ``core.settings.leave`` (read once, with the rest of the settings)."""
    return LeaveRules()
