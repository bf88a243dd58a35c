"""Shifts short in the coming days, for the overview: the same rule and rows as
``core.staffing.staffing_gaps`` (required per unit, shift and role on that weekday, against
the shifts scheduled whose worker is not on leave or off sick), counted from plain columns
instead of loaded Shift objects, which halves the group overview's time at full scale.
tests/integration/test_dash.py checks the two agree row for row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Home, Shift, ShiftStatus, ShiftType, StaffingRequirement, Unit
from core.staffing import GapRow, absent_days
from core.timeutil import daterange


def gaps_between(
    session: Session, start: date, end: date, home_ids: frozenset[int]
) -> list[GapRow]:
    """Every unit, shift and role below its minimum on each day from start to end."""
    units = session.execute(
        select(Unit.id, Unit.name, Home.name)
        .join(Home, Unit.home_id == Home.id)
        .where(Unit.home_id.in_(home_ids))
        .order_by(Home.id, Unit.id)
    ).all()
    if not units:
        return []
    unit_ids = [u for u, _, _ in units]
    requirements: dict[tuple[int, int], list[tuple[str, str, int]]] = defaultdict(list)
    for unit_id, weekday, shift_type, role, minimum in session.execute(
        select(
            StaffingRequirement.unit_id,
            StaffingRequirement.weekday,
            StaffingRequirement.shift_type_code,
            StaffingRequirement.role_code,
            StaffingRequirement.minimum,
        ).where(StaffingRequirement.unit_id.in_(unit_ids), StaffingRequirement.minimum > 0)
    ):
        requirements[(unit_id, weekday)].append((shift_type, role, minimum))
    shifts = session.execute(
        select(
            Shift.unit_id, Shift.date, Shift.shift_type_code, Shift.role_code, Shift.person_id
        ).where(
            Shift.date >= start,
            Shift.date <= end,
            Shift.unit_id.in_(unit_ids),
            Shift.status == ShiftStatus.SCHEDULED,
        )
    ).all()
    away = absent_days(session, {p for *_, p in shifts if p is not None}, start, end)
    rostered = Counter(
        (unit_id, day, shift_type, role)
        for unit_id, day, shift_type, role, person in shifts
        if person is None or (person, day) not in away
    )
    order = {
        code: i
        for i, code in enumerate(
            session.scalars(select(ShiftType.code).order_by(ShiftType.start_time))
        )
    }
    rows: list[GapRow] = []
    for day in daterange(start, end):
        for unit_id, unit, home in units:
            needs = sorted(
                requirements.get((unit_id, day.weekday()), []),
                key=lambda r: (order.get(r[0], 99), r[1]),
            )
            for shift_type, role, minimum in needs:
                have = rostered[(unit_id, day, shift_type, role)]
                if have < minimum:
                    rows.append(
                        GapRow(day, home, unit, shift_type, role, minimum, have, minimum - have)
                    )
    return rows
