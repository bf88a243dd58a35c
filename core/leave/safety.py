"""An independent check that no automatic leave approval broke minimum staffing.

Deliberately shares no code with ``core.leave.rules``: it reads the raw tables (shifts,
requirements, leave, sickness, audit log) into memory and replays history. Walking the audit
log in order, it tracks every request's status; at each automatic approval it recomputes,
from scratch, the cover of every shift the approved person was rostered on during the leave,
counting as absent only what was true at that instant: other leave approved by then and
sickness reported by then. A count below the minimum is an unsafe approval.

Leave approved before the audit trail began (the demo's history) counts as approved
throughout. Shifts are taken as they are now (a later cancelled shift would show up here as a
false alarm, never hide a real one: removing shifts only lowers cover).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import AuditEntry, LeaveRequest, Shift, SicknessAbsence, StaffingRequirement

AUTO_ACTION = "leave.auto_approved"
APPROVED = "APPROVED"

Cell = tuple[int, date, str, str]  # unit, day, shift type, role


@dataclass(frozen=True)
class UnsafeApproval:
    ref: int
    person_id: int
    day: date
    unit_id: int
    shift_type: str
    role: str
    present: int
    minimum: int


@dataclass
class SafetyReport:
    checked: int = 0  # automatic approvals replayed
    unsafe: list[UnsafeApproval] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unsafe


def _status(state: Any) -> str | None:
    if isinstance(state, dict):
        value = state.get("status")
        return None if value is None else str(value)
    return None


def check_auto_approvals(session: Session) -> SafetyReport:
    """Replay every automatic approval in the audit log and recount cover; see the module."""
    a, r, sh, sk, rq = (
        AuditEntry.__table__,
        LeaveRequest.__table__,
        Shift.__table__,
        SicknessAbsence.__table__,
        StaffingRequirement.__table__,
    )
    events = list(
        session.execute(
            select(a.c.id, a.c.at, a.c.action, a.c.entity_id, a.c.before, a.c.after)
            .where(a.c.entity == "leave_request")
            .order_by(a.c.id)
        )
    )
    leave = {
        row.id: row
        for row in session.execute(
            select(r.c.id, r.c.person_id, r.c.start_date, r.c.end_date, r.c.status)
        )
    }

    # each request's status before its first audited change (or its final one, if none)
    status: dict[int, str | None] = {ref: str(row.status) for ref, row in leave.items()}
    seen: set[int] = set()
    for ev in events:
        ref = int(ev.entity_id)
        if ref not in seen:
            seen.add(ref)
            status[ref] = _status(ev.before)

    autos = [ev for ev in events if ev.action == AUTO_ACTION and int(ev.entity_id) in leave]
    report = SafetyReport()
    if not autos:
        return report
    first = min(leave[int(ev.entity_id)].start_date for ev in autos)
    last = max(leave[int(ev.entity_id)].end_date for ev in autos)

    minimum = {
        (row.unit_id, row.shift_type_code, row.role_code, row.weekday): row.minimum
        for row in session.execute(
            select(rq.c.unit_id, rq.c.shift_type_code, rq.c.role_code, rq.c.weekday, rq.c.minimum)
        )
    }
    by_cell: dict[Cell, list[int | None]] = defaultdict(list)
    cells_of: dict[tuple[int, date], list[Cell]] = defaultdict(list)
    for row in session.execute(
        select(sh.c.person_id, sh.c.unit_id, sh.c.date, sh.c.shift_type_code, sh.c.role_code).where(
            sh.c.date >= first, sh.c.date <= last, sh.c.status == "scheduled"
        )
    ):
        cell = (row.unit_id, row.date, row.shift_type_code, row.role_code)
        by_cell[cell].append(row.person_id)
        if row.person_id is not None:
            cells_of[(row.person_id, row.date)].append(cell)
    leave_of: dict[int, list[int]] = defaultdict(list)
    for ref, row in leave.items():
        if row.end_date >= first and row.start_date <= last:
            leave_of[row.person_id].append(ref)
    sick_of: dict[int, list[tuple[date, date, datetime]]] = defaultdict(list)
    for sick in session.execute(
        select(sk.c.person_id, sk.c.start_date, sk.c.end_date, sk.c.reported_at).where(
            sk.c.end_date >= first, sk.c.start_date <= last
        )
    ):
        sick_of[sick.person_id].append((sick.start_date, sick.end_date, sick.reported_at))

    def away(person: int, day: date, at: datetime) -> bool:
        for ref in leave_of.get(person, ()):
            row = leave[ref]
            if status.get(ref) == APPROVED and row.start_date <= day <= row.end_date:
                return True
        return any(s <= day <= e and reported <= at for s, e, reported in sick_of.get(person, ()))

    for ev in events:
        ref = int(ev.entity_id)
        if ref in leave:
            status[ref] = _status(ev.after)
        if ev.action != AUTO_ACTION or ref not in leave:
            continue
        report.checked += 1
        req = leave[ref]
        day = req.start_date
        while day <= req.end_date:
            for cell in cells_of.get((req.person_id, day), ()):
                need = minimum.get((cell[0], cell[2], cell[3], day.weekday()), 0)
                present = sum(
                    1
                    for p in by_cell[cell]
                    if p is None or (p != req.person_id and not away(p, day, ev.at))
                )
                if present < need:
                    report.unsafe.append(
                        UnsafeApproval(
                            ref, req.person_id, day, cell[0], cell[2], cell[3], present, need
                        )
                    )
            day += timedelta(days=1)
    return report
