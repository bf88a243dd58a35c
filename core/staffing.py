"""Who is short and who is on shift: required vs. rostered, after leave and sickness."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, and_, bindparam, select
from sqlalchemy.orm import Session

from core.directory import find_home
from core.models import (
    Home,
    LeaveRequest,
    LeaveStatus,
    Person,
    Shift,
    ShiftKind,
    ShiftStatus,
    ShiftType,
    SicknessAbsence,
    StaffingRequirement,
    Unit,
)
from core.permissions import Scope
from core.timeutil import daterange

if TYPE_CHECKING:
    from core.app import Core

_IN_LIST_LIMIT = 200  # ids sent as an IN list at most; past it, filtered after reading


@dataclass(frozen=True)
class GapRow:
    date: date
    home: str
    unit: str
    shift_type: str
    role: str
    required: int
    rostered: int
    short: int

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        return data


@dataclass(frozen=True)
class OnShiftRow:
    date: date
    home: str
    unit: str
    shift_type: str
    role: str
    name: str
    person_id: int | None
    kind: ShiftKind

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "home": self.home,
            "unit": self.unit,
            "shift_type": self.shift_type,
            "role": self.role,
            "name": self.name,
            "kind": str(self.kind),
        }


def absent_days(
    session: Session, person_ids: Iterable[int] | None, start: date, end: date
) -> set[tuple[int, date]]:
    """(person, day) pairs on approved leave or off sick between start and end."""
    absent: set[tuple[int, date]] = set()
    wanted = None if person_ids is None else set(person_ids)
    # a long id list costs more to send and match than the few absences overlapping the
    # window: past this many, read them all and keep the wanted people's here
    ids = None if wanted is None or len(wanted) > _IN_LIST_LIMIT else list(wanted)
    queries = [
        select(LeaveRequest.person_id, LeaveRequest.start_date, LeaveRequest.end_date).where(
            LeaveRequest.status == LeaveStatus.APPROVED,
            LeaveRequest.start_date <= end,
            LeaveRequest.end_date >= start,
        ),
        select(
            SicknessAbsence.person_id, SicknessAbsence.start_date, SicknessAbsence.end_date
        ).where(SicknessAbsence.start_date <= end, SicknessAbsence.end_date >= start),
    ]
    for query in queries:
        if ids is not None:
            query = query.where(query.selected_columns[0].in_(ids))
        for pid, s, e in session.execute(query):
            if wanted is not None and pid not in wanted:
                continue
            for day in daterange(max(s, start), min(e, end)):
                absent.add((pid, day))
    return absent


def _units(session: Session, home_ids: frozenset[int] | None) -> list[tuple[Unit, Home]]:
    query = select(Unit, Home).join(Home, Unit.home_id == Home.id).order_by(Home.id, Unit.id)
    if home_ids is not None:
        query = query.where(Unit.home_id.in_(home_ids))
    return [(u, h) for u, h in session.execute(query)]


def _working_shifts(
    session: Session,
    unit_ids: list[int],
    start: date,
    end: date,
    shift_type: str | None,
    role: str | None,
) -> list[Shift]:
    query = select(Shift).where(
        Shift.date >= start,
        Shift.date <= end,
        Shift.unit_id.in_(unit_ids),
        Shift.status == ShiftStatus.SCHEDULED,
    )
    if shift_type:
        query = query.where(Shift.shift_type_code == shift_type)
    if role:
        query = query.where(Shift.role_code == role)
    shifts = list(session.scalars(query))
    absent = absent_days(session, [s.person_id for s in shifts if s.person_id], start, end)
    return [s for s in shifts if s.person_id is None or (s.person_id, s.date) not in absent]


def staffing_gaps(
    session: Session,
    start: date,
    end: date,
    home_ids: frozenset[int] | None = None,
    shift_type: str | None = None,
    role: str | None = None,
) -> list[GapRow]:
    """Every unit, shift and role below its minimum on each day from start to end.

    Reads plain columns only (no ORM objects): the requirements for the weekdays in the
    window, and the scheduled shifts of those days through ix_shifts_gaps (date, status and
    the columns counted), so "who's short tomorrow?" across every home is an index range
    read of one day's shifts."""
    query = (
        select(Unit.id, Unit.name, Home.name)
        .join(Home, Unit.home_id == Home.id)
        .order_by(Home.id, Unit.id)
    )
    if home_ids is not None:
        query = query.where(Unit.home_id.in_(home_ids))
    units = [(uid, uname, hname) for uid, uname, hname in session.execute(query)]
    if not units:
        return []
    unit_ids = [uid for uid, _, _ in units]
    days = list(daterange(start, end))
    weekdays = sorted({day.weekday() for day in days})
    req_query = select(
        StaffingRequirement.unit_id,
        StaffingRequirement.weekday,
        StaffingRequirement.shift_type_code,
        StaffingRequirement.role_code,
        StaffingRequirement.minimum,
    ).where(StaffingRequirement.minimum > 0)
    if home_ids is not None:
        req_query = req_query.where(StaffingRequirement.unit_id.in_(unit_ids))
    if len(weekdays) < 7:
        req_query = req_query.where(StaffingRequirement.weekday.in_(weekdays))
    if shift_type:
        req_query = req_query.where(StaffingRequirement.shift_type_code == shift_type)
    if role:
        req_query = req_query.where(StaffingRequirement.role_code == role)
    requirements: dict[tuple[int, int], list[tuple[str, str, int]]] = defaultdict(list)
    for unit_id, weekday, code, role_code, minimum in session.execute(req_query):
        requirements[(unit_id, weekday)].append((code, role_code, minimum))
    shift_query = select(
        Shift.unit_id, Shift.date, Shift.shift_type_code, Shift.role_code, Shift.person_id
    ).where(Shift.date >= start, Shift.date <= end, Shift.status == ShiftStatus.SCHEDULED)
    if home_ids is not None:  # every unit belongs to a home: no filter needed for all homes
        shift_query = shift_query.where(Shift.unit_id.in_(unit_ids))
    if shift_type:
        shift_query = shift_query.where(Shift.shift_type_code == shift_type)
    if role:
        shift_query = shift_query.where(Shift.role_code == role)
    shifts = session.execute(shift_query).all()
    absent = absent_days(session, {p for *_, p in shifts if p is not None}, start, end)
    rostered = Counter(
        (u, d, code, role_code)
        for u, d, code, role_code, p in shifts
        if p is None or (p, d) not in absent
    )
    order = {
        code: i
        for i, code in enumerate(
            session.scalars(select(ShiftType.code).order_by(ShiftType.start_time))
        )
    }
    rows: list[GapRow] = []
    for day in days:
        for unit_id, unit_name, home_name in units:
            reqs = sorted(
                requirements.get((unit_id, day.weekday()), []),
                key=lambda r: (order.get(r[0], 99), r[1]),
            )
            for code, role_code, minimum in reqs:
                have = rostered[(unit_id, day, code, role_code)]
                if have < minimum:
                    rows.append(
                        GapRow(
                            day,
                            home_name,
                            unit_name,
                            code,
                            role_code,
                            minimum,
                            have,
                            minimum - have,
                        )
                    )
    return rows


def on_shift(
    session: Session,
    start: date,
    end: date,
    home_ids: frozenset[int] | None = None,
    shift_type: str | None = None,
    role: str | None = None,
) -> list[OnShiftRow]:
    """Who is working (present: not on leave or off sick), ordered by day, home and start."""
    units = {u.id: (u, h) for u, h in _units(session, home_ids)}
    if not units:
        return []
    shifts = _working_shifts(session, list(units), start, end, shift_type, role)
    people = {
        p.id: p
        for p in session.scalars(
            select(Person).where(Person.id.in_({s.person_id for s in shifts if s.person_id}))
        )
    }
    rows = []
    for s in shifts:
        unit, home = units[s.unit_id]
        name = people[s.person_id].full_name if s.person_id else "Agency worker"
        rows.append(
            OnShiftRow(
                s.date,
                home.name,
                unit.name,
                s.shift_type_code,
                s.role_code,
                name,
                s.person_id,
                s.kind,
            )
        )
    rows.sort(key=lambda r: (r.date, r.home, r.unit, r.shift_type, r.role, r.name))
    return rows


def shifts_for_person(session: Session, person_id: int, start: date, end: date) -> list[Shift]:
    query = select(Shift).where(
        and_(
            Shift.person_id == person_id,
            Shift.date >= start,
            Shift.date <= end,
            Shift.status == ShiftStatus.SCHEDULED,
        )
    )
    return list(session.scalars(query.order_by(Shift.starts_at)))


# ---- for chat: one call a question, plain values back -----------------------------------------
# The handlers open no unit of work of their own (inside a message these join its one).


@dataclass(frozen=True)
class RotaLine:
    """One of a person's scheduled shifts, as their rota shows it."""

    date: date
    shift_type: str
    starts_at: datetime
    ends_at: datetime
    home: str
    unit: str


@dataclass(frozen=True)
class HomesAsked:
    """The homes a manager's question covers: ``ids`` None for every home; ``names`` those
    homes' names in id order (empty for every home)."""

    ids: frozenset[int] | None
    names: tuple[str, ...]


_SHIFTS: Table = cast(Table, Shift.__table__)
_UNITS: Table = cast(Table, Unit.__table__)
_HOMES: Table = cast(Table, Home.__table__)

# "my shifts": one read of plain columns, the home and unit names joined in (no ORM objects,
# no look-up a shift for its unit and home); a prebuilt statement keeps its cache key.
_ROTA = (
    select(
        _SHIFTS.c.date,
        _SHIFTS.c.shift_type_code,
        _SHIFTS.c.starts_at,
        _SHIFTS.c.ends_at,
        _HOMES.c.name,
        _UNITS.c.name,
    )
    .select_from(
        _SHIFTS.join(_UNITS, _UNITS.c.id == _SHIFTS.c.unit_id).join(
            _HOMES, _HOMES.c.id == _UNITS.c.home_id
        )
    )
    .where(
        _SHIFTS.c.person_id == bindparam("person_id"),
        _SHIFTS.c.date >= bindparam("start"),
        _SHIFTS.c.date <= bindparam("end"),
        _SHIFTS.c.status == ShiftStatus.SCHEDULED,
    )
    .order_by(_SHIFTS.c.starts_at, _SHIFTS.c.id)
)


def rota_for_person(core: Core, person_id: int, start: date, end: date) -> list[RotaLine]:
    """A person's scheduled shifts from start to end, by start time."""
    with core.read() as uow:
        rows = uow.session.execute(_ROTA, {"person_id": person_id, "start": start, "end": end})
        return [RotaLine(*row) for row in rows]


def _homes_asked(session: Session, scope: Scope, home: str | None) -> HomesAsked:
    requested = find_home(session, home).id if home else None
    ids = scope.homes_to_query(requested)
    if ids is None:
        return HomesAsked(None, ())
    names = dict(
        session.execute(select(_HOMES.c.id, _HOMES.c.name).where(_HOMES.c.id.in_(ids))).all()
    )
    return HomesAsked(ids, tuple(names[h] for h in sorted(ids) if h in names))


def gaps_asked(
    core: Core,
    scope: Scope,
    start: date,
    end: date,
    home: str | None = None,
    shift_type: str | None = None,
    role: str | None = None,
) -> tuple[list[GapRow], HomesAsked]:
    """A manager's "who's short?": the gaps in the homes they asked about (``home``, a name
    as chat matches it) or all theirs, and which homes those are. NotAllowed for staff or
    another home; NotFound for a home nobody has."""
    with core.read() as uow:
        homes = _homes_asked(uow.session, scope, home)
        rows = staffing_gaps(uow.session, start, end, homes.ids, shift_type, role)
        return rows, homes


def on_shift_asked(
    core: Core,
    scope: Scope,
    start: date,
    end: date,
    home: str | None = None,
    shift_type: str | None = None,
    role: str | None = None,
) -> tuple[list[OnShiftRow], HomesAsked]:
    """A manager's "who's on?", scoped as ``gaps_asked``."""
    with core.read() as uow:
        homes = _homes_asked(uow.session, scope, home)
        rows = on_shift(uow.session, start, end, homes.ids, shift_type, role)
        return rows, homes
