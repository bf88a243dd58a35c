"""What the parser needs from the organisation (``Catalog``: homes and people), and what
the conversation needs from the parser about intents: which ones change records, and
how sure a parse must be before it may change one.

The parser never touches the database; a caller builds a ``Catalog`` (from the
database, see ``core.directory.name_catalog``) and hands it over.

``needs_confirmation(result)`` is the one rule the conversation layer reads: a
record-changing intent below its threshold changes nothing and is asked about
("Do you mean YES to OT42, the RN night on Fri 16 Jan? Reply YES 42."). The
thresholds were chosen from the corpus by ``python -m intents.calibrate`` (see
intents/README.md for how, and the figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Catalog:
    """Canonical names, exactly as stored in the database."""

    homes: tuple[str, ...]
    staff: tuple[str, ...]


#: Intents whose handler changes a record (an offer, a booking, leave, sickness,
#: preferences, a swap, a rota, an agency booking). ``ot.available`` changes one only
#: when it claims a dated shift ("I'll take the Saturday night"), see
#: :func:`changes_records`.
RECORD_CHANGING: frozenset[str] = frozenset(
    {
        "ot.accept",
        "ot.decline",
        "ot.withdraw",
        "ot.optin",
        "ot.optout",
        "ot.preferences",
        "ot.available",
        "ot.request",
        "ot.cancel",
        "leave.request",
        "leave.cancel",
        "leave.approve",
        "leave.deny",
        "sickness.report",
        "swap.request",
        "swap.approve",
        "swap.deny",
        "rota.publish",
        "agency.book",
    }
)

#: No record changes on a parse less sure than this, whatever the intent.
FLOOR = 0.5

#: Per-intent thresholds from ``python -m intents.calibrate`` on the held-out split
#: (the lowest confidence above which no held-out message of another intent was read
#: as this one, never below FLOOR). Rule hits carry fixed confidences of 0.9-0.97.
THRESHOLDS: dict[str, float] = {
    "agency.book": 0.5,
    "leave.approve": 0.5,
    "leave.cancel": 0.5,
    "leave.deny": 0.5,
    "leave.request": 0.5,
    "ot.accept": 0.5,
    "ot.available": 0.59,
    "ot.cancel": 0.5,
    "ot.decline": 0.5,
    "ot.optin": 0.5,
    "ot.optout": 0.5,
    "ot.preferences": 0.5,
    "ot.request": 0.5,
    "ot.withdraw": 0.5,
    "rota.publish": 0.5,
    "sickness.report": 0.58,
    "swap.approve": 0.5,
    "swap.deny": 0.5,
    "swap.request": 0.5,
}


class _Parsed(Protocol):
    intent: str
    slots: dict[str, object]
    confidence: float


def threshold_for(intent: str) -> float:
    """The confidence a parse of ``intent`` needs before it may change a record
    (0.0 for intents that change none)."""
    if intent not in RECORD_CHANGING:
        return 0.0
    return THRESHOLDS.get(intent, FLOOR)


def changes_records(result: _Parsed) -> bool:
    """Whether acting on ``result`` would change a record."""
    if result.intent == "ot.available":
        return "start_date" in result.slots and "shift_type" in result.slots
    return result.intent in RECORD_CHANGING


def needs_confirmation(result: _Parsed) -> bool:
    """True when ``result`` would change a record but the parse is not sure enough:
    the handler must change nothing and ask one short question instead."""
    return changes_records(result) and result.confidence < threshold_for(result.intent)
