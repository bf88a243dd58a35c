"""Overtime commands and their results: the dataclasses every outreach module speaks, and
the OT42 references staff and managers quote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from core.errors import InvalidInput
from core.models import (
    OfferResponse,
)
from core.overtime.ranking import RankedCandidate, Ranking
from core.permissions import Scope

OPEN = (OfferResponse.SENT,)
NEXT_STEP = "book an agency worker, or widen the search to other homes or roles"
_REF = re.compile(r"^\s*(?:ot|#|request\s*)?\s*#?\s*(\d{1,9})\s*$", re.IGNORECASE)


def ref_of(request_id: int) -> str:
    """The short reference staff and managers use: OT42."""
    return f"OT{request_id}"


def parse_ref(value: str | int) -> int:
    """``OT42``, ``#42``, ``42`` -> 42."""
    if isinstance(value, int):
        return value
    match = _REF.match(value or "")
    if not match:
        raise InvalidInput(f"{value!r} is not an overtime reference; use e.g. OT42.")
    return int(match.group(1))


# ---- commands and results -------------------------------------------------------------


@dataclass(frozen=True)
class RequestCover:
    """Find overtime cover for one shift (a manager, a sickness report or a gap)."""

    home_id: int
    date: date
    shift_type: str
    role: str
    requested_by_id: int | None = None
    source: str = "manager"  # manager / sickness / gap
    unit_id: int | None = None
    wave_size: int | None = None  # --max-contacts; default from settings
    min_score: float = 0.0
    profile: str | None = None  # balanced / reliability; default from settings
    send: bool = True  # False: create the request without texting anyone yet
    count: int = 1  # people wanted: each YES fills one place until all are filled
    extra: bool = False  # wanted beyond what the rota needs (skips the "already covered" check)


@dataclass(frozen=True)
class WithdrawOffer:
    """Someone who said YES pulls out: ``ref``, or the shift's day and type, names which."""

    person_id: int
    ref: int | None = None
    start: date | None = None
    end: date | None = None
    shift_type: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ReopenRequest:
    """The manager restarts outreach after a late withdrawal."""

    ref: int
    scope: Scope | None = None


@dataclass(frozen=True)
class BookAgency:
    """Agency cover booked for a request (``ref``) or for a gap (home, date, shift, role)."""

    agency: str
    cost: float | None = None
    ref: int | None = None
    home_id: int | None = None
    date: date | None = None
    shift_type: str | None = None
    role: str | None = None
    booked_by_id: int | None = None
    scope: Scope | None = None


@dataclass(frozen=True)
class ClaimShift:
    """A member of staff picks up an open request they were not (yet) offered."""

    person_id: int
    ref: int


@dataclass(frozen=True)
class AcceptOffer:
    person_id: int
    ref: int | None = None


@dataclass(frozen=True)
class DeclineOffer:
    person_id: int
    ref: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class CancelRequest:
    ref: int
    scope: Scope | None = None  # None: the system itself (no permission check)


@dataclass(frozen=True)
class ReportSickness:
    person_id: int
    start: date
    end: date
    shift_type: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class OfferSummary:
    person_id: int
    name: str
    response: str
    contacted_at: datetime
    responded_at: datetime | None
    wave: int
    score: float
    channel: str
    reason: str | None
    delivery_status: str | None

    delivery: dict[str, str | None] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "response": self.response,
            "contacted_at": self.contacted_at.isoformat(),
            "responded_at": self.responded_at.isoformat() if self.responded_at else None,
            "wave": self.wave,
            "score": self.score,
            "channel": self.channel,
            "reason": self.reason,
            "delivery_status": self.delivery_status,
            "delivery": self.delivery or _delivery_of(self.delivery_status, self.channel),
        }


DELIVERY_STATES = {
    "queued": "QUEUED",
    "sent": "SENT",
    "delivered": "DELIVERED",
    "failed": "FAILED",
    "undelivered": "FAILED",
    "suppressed": "SUPPRESSED",
}


def _delivery_of(status: str | None, channel: str) -> dict[str, str | None]:
    """``{state, error}`` from the offer's own delivery status (Slack: SENT once posted)."""
    state = DELIVERY_STATES.get((status or "queued").lower(), (status or "QUEUED").upper())
    return {"state": state, "error": None}


@dataclass(frozen=True)
class RequestSummary:
    id: int
    ref: str
    status: str
    home_id: int
    home: str
    unit: str | None
    date: date
    shift_type: str
    role: str
    starts_at: datetime
    deadline_at: datetime
    next_wave_at: datetime | None
    wave: int
    wave_size: int
    profile: str
    source: str
    created_at: datetime
    filled_by: str | None
    filled_at: datetime | None
    offers: list[OfferSummary]
    slots: int = 1
    filled: list[str] = field(default_factory=list)  # who holds a place, in order
    extra: bool = False
    wave_policy: str = "fixed"
    agency: dict[str, Any] | None = None  # {agency, cost, booked_by} when AGENCY
    requested_by: str | None = None

    @property
    def open_places(self) -> int:
        return max(0, self.slots - len(self.filled))

    @property
    def time_to_fill(self) -> timedelta | None:
        return self.filled_at - self.created_at if self.filled_at else None

    def count(self, response: str) -> int:
        return sum(1 for o in self.offers if o.response == response)

    def to_json(self) -> dict[str, Any]:
        ttf = self.time_to_fill
        return {
            "ref": self.ref,
            "id": self.id,
            "status": self.status,
            "home": self.home,
            "unit": self.unit,
            "date": self.date.isoformat(),
            "shift_type": self.shift_type,
            "role": self.role,
            "starts_at": self.starts_at.isoformat(),
            "deadline_at": self.deadline_at.isoformat(),
            "next_wave_at": self.next_wave_at.isoformat() if self.next_wave_at else None,
            "wave": self.wave,
            "wave_size": self.wave_size,
            "profile": self.profile,
            "source": self.source,
            "created_at": self.created_at.isoformat(),
            "filled_by": self.filled_by,
            "filled_at": self.filled_at.isoformat() if self.filled_at else None,
            "time_to_fill_minutes": round(ttf.total_seconds() / 60, 1) if ttf else None,
            "offers": [o.to_json() for o in self.offers],
            "slots": self.slots,
            "filled": list(self.filled),
            "extra": self.extra,
            "wave_policy": self.wave_policy,
            "agency": self.agency,
            "requested_by": self.requested_by,
        }


@dataclass(frozen=True)
class RequestBrief:
    """A request without its offers: what an answer to an offer needs to say (the shift, its
    state and who holds its places), read with two small statements instead of the whole
    offer list (``RequestSummary``)."""

    id: int
    ref: str
    status: str
    home_id: int
    home: str
    unit: str | None
    date: date
    shift_type: str
    role: str
    starts_at: datetime
    filled_by: str | None
    slots: int = 1
    filled: list[str] = field(default_factory=list)  # who holds a place, in order

    @property
    def open_places(self) -> int:
        return max(0, self.slots - len(self.filled))

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "id": self.id,
            "status": self.status,
            "home": self.home,
            "unit": self.unit,
            "date": self.date.isoformat(),
            "shift_type": self.shift_type,
            "role": self.role,
            "starts_at": self.starts_at.isoformat(),
            "filled_by": self.filled_by,
            "slots": self.slots,
            "filled": list(self.filled),
        }


@dataclass
class OutreachResult:
    request: RequestSummary | None
    ranking: Ranking
    contacted: list[RankedCandidate] = field(default_factory=list)
    deferred: list[RankedCandidate] = field(default_factory=list)
    duplicate_of: RequestSummary | None = None
    covered_by: list[str] | None = None  # the rota already meets the need: who covers it


@dataclass
class AnswerResult:
    """What became of a YES or a NO."""

    outcome: str  # accepted, declined, filled, cancelled, closed, already_yours, clash,
    #               ambiguous, no_offers, already_declined, withdrawn, not_eligible
    request: RequestBrief | None = None
    open_requests: list[RequestBrief] = field(default_factory=list)
    clash: str | None = None
    ask_reason: bool = False
    reopened: bool = False  # a withdrawal put the shift back out at once
    manager_decides: bool = False  # ... or, close to the start, the manager decides


@dataclass
class OpenShift:
    """An open request someone may pick up."""

    request: RequestSummary
    offered: bool  # they already hold an offer for it


@dataclass
class SicknessResult:
    shifts: list[dict[str, Any]]
    requests: list[RequestSummary]
    already_reported: int = 0
