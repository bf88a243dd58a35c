"""Leave balances: a year's entitlement against leave taken, booked and awaiting a decision.

Leave days are calendar days in the requested range (the demo data counts them the same way):
care rotas run seven days a week, so a "day off" may fall on any day, and a calendar count is
the one both the staff member and the manager can check on their fingers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import LeaveEntitlement, LeaveRequest, LeaveStatus, LeaveType

AWAITING = (LeaveStatus.PENDING, LeaveStatus.MANUAL_REVIEW)
HOLDING = (LeaveStatus.APPROVED, *AWAITING)  # requests that hold days or people


def leave_days(start: date, end: date) -> int:
    """Calendar days from start to end, both included."""
    return (end - start).days + 1


def days_in_year(start: date, end: date, year: int) -> int:
    lo, hi = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
    return max(0, (hi - lo).days + 1)


@dataclass(frozen=True)
class LeaveBalance:
    year: int
    entitlement: float | None  # None: no entitlement recorded for that year
    taken: float  # approved, already happened (before today)
    booked: float  # approved, today or later
    pending: float  # awaiting a decision

    @property
    def remaining(self) -> float | None:
        """Days left once taken and booked leave is counted (pending not yet)."""
        if self.entitlement is None:
            return None
        return self.entitlement - self.taken - self.booked

    @property
    def remaining_if_pending_approved(self) -> float | None:
        rem = self.remaining
        return None if rem is None else rem - self.pending

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["remaining"] = self.remaining
        data["remaining_if_pending_approved"] = self.remaining_if_pending_approved
        return data


def leave_balance(
    session: Session,
    person_id: int,
    year: int,
    today: date,
    types: Iterable[LeaveType] = (LeaveType.ANNUAL,),
    exclude_request_id: int | None = None,
) -> LeaveBalance:
    """One person's balance for one year; days of a request spanning New Year go to each year."""
    entitlement = session.scalar(
        select(LeaveEntitlement.days).where(
            LeaveEntitlement.person_id == person_id, LeaveEntitlement.year == year
        )
    )
    query = select(
        LeaveRequest.id, LeaveRequest.start_date, LeaveRequest.end_date, LeaveRequest.status
    ).where(
        LeaveRequest.person_id == person_id,
        LeaveRequest.status.in_(HOLDING),
        LeaveRequest.leave_type.in_(list(types)),
        LeaveRequest.start_date <= date(year, 12, 31),
        LeaveRequest.end_date >= date(year, 1, 1),
    )
    taken = booked = pending = 0.0
    for ref, start, end, status in session.execute(query):
        if ref == exclude_request_id:
            continue
        if status in AWAITING:
            pending += days_in_year(start, end, year)
            continue
        # approved: the part before today is taken, the rest booked
        if start < today:
            taken += days_in_year(start, min(end, today - timedelta(days=1)), year)
        if end >= today:
            booked += days_in_year(max(start, today), end, year)
    return LeaveBalance(
        year=year, entitlement=entitlement, taken=taken, booked=booked, pending=pending
    )
