"""A home's rostering problem read from the database, and a snapshot of what it depends on.

Staff: the home's active staff with a role (their own unit first; the home's other units are
allowed, at a continuity cost). Cover: the staffing requirements of each unit, shift type,
role and weekday. Fixed inputs: confirmed shifts already in the rota (accepted overtime,
agency bookings, anything made by an outreach request, shifts an approved swap moved) are
kept and count towards cover; shifts a person works at another home block that day. Approved
leave and sickness are absences; pending leave is a wish for the day off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.models import (
    EmploymentType,
    Home,
    LeaveRequest,
    LeaveStatus,
    OvertimePreference,
    Person,
    PersonKind,
    Shift,
    ShiftKind,
    ShiftStatus,
    ShiftType,
    SicknessAbsence,
    StaffingRequirement,
    Unit,
)
from core.rota.config import RotaSettings
from core.rota.problem import (
    Absence,
    Backup,
    Cover,
    Fixed,
    Problem,
    Request,
    ShiftDef,
    Staff,
)
from core.timeutil import parse_hhmm


@dataclass
class HomeProblem:
    """The problem plus what maps it back to the database."""

    problem: Problem
    home: Home
    start: date
    end: date
    people: dict[str, Person]  # staff key -> person
    units: dict[str, Unit]  # unit name -> unit
    snapshot: dict[str, Any]
    fixed_shift_ids: set[int] = field(default_factory=set)


def is_confirmed(shift: Shift) -> bool:
    """A shift the rota must keep: overtime, agency, or one an outreach request filled (and,
    see ``_swapped_shift_ids``, one an approved swap moved)."""
    return shift.kind != ShiftKind.REGULAR or shift.coverage_request_id is not None


def _swapped_shift_ids(session: Session, shift_ids: list[int]) -> set[int]:
    """Shifts an approved swap or give-away moved: the people agreed them, so a draft keeps
    them where they are."""
    from core.swaps.models import Swap, SwapStatus

    found: set[int] = set()
    for start in range(0, len(shift_ids), 900):
        chunk = shift_ids[start : start + 900]
        for shift_id, other_id in session.execute(
            select(Swap.shift_id, Swap.other_shift_id).where(
                Swap.status == SwapStatus.APPROVED,
                or_(Swap.shift_id.in_(chunk), Swap.other_shift_id.in_(chunk)),
            )
        ):
            found.add(shift_id)
            if other_id is not None:
                found.add(other_id)
    return found


def _minutes(hhmm: str) -> int:
    t = parse_hhmm(hhmm)
    return t.hour * 60 + t.minute


def load_problem(
    session: Session,
    home: Home,
    start: date,
    end: date,
    settings: RotaSettings,
    time_limit: float | None = None,
) -> HomeProblem:
    days = (end - start).days + 1
    weeks = days / 7
    # days either side of the horizon whose shifts count for the rules across its edges
    margin = outside_margin(settings)
    before, after = start - timedelta(days=margin), end + timedelta(days=margin)
    units = {
        u.name: u
        for u in session.scalars(select(Unit).where(Unit.home_id == home.id).order_by(Unit.id))
    }
    unit_by_id = {u.id: u for u in units.values()}
    types = list(session.scalars(select(ShiftType).order_by(ShiftType.start_time)))
    shifts = []
    for t in types:
        s_min, e_min = _minutes(t.start_time), _minutes(t.end_time)
        length = (e_min - s_min) % 1440 or 1440
        shifts.append(
            ShiftDef(
                t.code, s_min, length, t.paid_hours, night=t.code == "night" or s_min >= 20 * 60
            )
        )
    reqs = list(
        session.scalars(
            select(StaffingRequirement).where(
                StaffingRequirement.unit_id.in_(unit_by_id), StaffingRequirement.minimum > 0
            )
        )
    )
    cover = []
    for d in range(days):
        weekday = (start + timedelta(days=d)).weekday()
        for r in sorted(reqs, key=lambda r: (r.unit_id, r.shift_type_code, r.role_code)):
            if r.weekday == weekday:
                cover.append(
                    Cover(d, unit_by_id[r.unit_id].name, r.shift_type_code, r.role_code, r.minimum)
                )

    people = list(
        session.scalars(
            select(Person)
            .where(
                Person.home_id == home.id,
                Person.kind == PersonKind.STAFF,
                Person.active.is_(True),
                Person.role_code.is_not(None),
                Person.employment_type != EmploymentType.AGENCY,
            )
            .order_by(Person.id)
        )
    )
    ids = [p.id for p in people]
    by_id = {p.id: p for p in people}

    # absences
    absent: dict[tuple[int, date], str] = {}
    leave_rows = session.execute(
        select(
            LeaveRequest.person_id,
            LeaveRequest.start_date,
            LeaveRequest.end_date,
            LeaveRequest.status,
        )
        .where(
            LeaveRequest.person_id.in_(ids),
            LeaveRequest.start_date <= after,
            LeaveRequest.end_date >= before,
            LeaveRequest.status.in_([LeaveStatus.APPROVED, LeaveStatus.PENDING]),
        )
        .order_by(LeaveRequest.id)
    ).all()
    pending: set[tuple[int, date]] = set()
    away_outside: set[tuple[int, date]] = set()  # absent on a day just outside the horizon
    snap_leave = []
    for pid, s, e, status in leave_rows:
        for i in range((min(e, after) - max(s, before)).days + 1):
            day = max(s, before) + timedelta(days=i)
            if not start <= day <= end:
                if status == LeaveStatus.APPROVED:
                    away_outside.add((pid, day))
            elif status == LeaveStatus.APPROVED:
                absent[(pid, day)] = "on leave"
            else:
                pending.add((pid, day))
        if status == LeaveStatus.APPROVED:
            snap_leave.append([pid, s.isoformat(), e.isoformat()])
    sick_rows = session.execute(
        select(
            SicknessAbsence.person_id, SicknessAbsence.start_date, SicknessAbsence.end_date
        ).where(
            SicknessAbsence.person_id.in_(ids),
            SicknessAbsence.start_date <= after,
            SicknessAbsence.end_date >= before,
        )
    ).all()
    snap_sick = []
    for pid, s, e in sick_rows:
        for i in range((min(e, after) - max(s, before)).days + 1):
            day = max(s, before) + timedelta(days=i)
            if start <= day <= end:
                absent[(pid, day)] = "off sick"
            else:
                away_outside.add((pid, day))
        snap_sick.append([pid, s.isoformat(), e.isoformat()])

    # shifts already in the rota: confirmed ones here are fixed; anything elsewhere blocks
    rows = list(
        session.scalars(
            select(Shift)
            .where(
                Shift.status == ShiftStatus.SCHEDULED,
                Shift.date >= before,
                Shift.date <= after,
                or_(Shift.unit_id.in_(unit_by_id), Shift.person_id.in_(ids)),
            )
            .order_by(Shift.date, Shift.starts_at, Shift.id)
        )
    )
    home_names = dict(
        session.execute(select(Unit.id, Home.name).join(Home, Home.id == Unit.home_id)).all()
    )
    swapped = _swapped_shift_ids(session, [sh.id for sh in rows])
    fixed: list[Fixed] = []
    fixed_ids: set[int] = set()
    outside: dict[str, list[tuple[int, str]]] = {}
    elsewhere: dict[tuple[int, date], str] = {}
    snap_fixed = []
    snap_rota = []  # the home's own (unconfirmed) rota in the horizon, which publish replaces
    snap_outside = []
    for sh in rows:
        if not start <= sh.date <= end:
            # worked just before or after the horizon (here or at another home), unless away
            if sh.person_id in by_id and (sh.person_id, sh.date) not in away_outside:
                outside.setdefault(by_id[sh.person_id].full_name, []).append(
                    ((sh.date - start).days, sh.shift_type_code)
                )
                snap_outside.append(
                    [sh.person_id, sh.date.isoformat(), sh.shift_type_code, sh.unit_id]
                )
            continue
        here = sh.unit_id in unit_by_id
        if not here:
            if sh.person_id is not None:
                elsewhere[(sh.person_id, sh.date)] = f"working at {home_names.get(sh.unit_id)}"
                snap_fixed.append(
                    [sh.person_id, sh.date.isoformat(), sh.shift_type_code, sh.unit_id, "elsewhere"]
                )
            continue
        if not is_confirmed(sh) and sh.id not in swapped:
            snap_rota.append(
                [sh.person_id, sh.date.isoformat(), sh.shift_type_code, sh.unit_id, sh.role_code]
            )
            continue
        if sh.person_id is not None and (sh.person_id, sh.date) in absent:
            continue  # off sick or on leave: the confirmed shift does not count
        key = by_id[sh.person_id].full_name if sh.person_id in by_id else None
        label = (
            "agency"
            if sh.kind == ShiftKind.AGENCY
            else "overtime"
            if sh.kind == ShiftKind.OVERTIME
            else "swap"
            if sh.id in swapped
            else "confirmed"
        )
        fixed.append(
            Fixed(
                key,
                (sh.date - start).days,
                unit_by_id[sh.unit_id].name,
                sh.shift_type_code,
                sh.role_code,
                label,
            )
        )
        fixed_ids.add(sh.id)
        snap_fixed.append(
            [sh.person_id, sh.date.isoformat(), sh.shift_type_code, sh.unit_id, str(sh.kind)]
        )
    fixed_days = {(f.staff, f.day) for f in fixed if f.staff}

    prefs = {
        pid: types_
        for pid, types_ in session.execute(
            select(OvertimePreference.person_id, OvertimePreference.shift_types).where(
                OvertimePreference.person_id.in_(ids)
            )
        )
    }
    n_weekends = len(
        {
            (start + timedelta(days=d)).isocalendar()[:2]
            for d in range(days)
            if (start + timedelta(days=d)).weekday() >= 5
        }
    )
    staff: list[Staff] = []
    absences: list[Absence] = []
    requests: list[Request] = []
    keys: dict[str, Person] = {}
    for p in people:
        key = p.full_name
        keys[key] = p
        own = unit_by_id.get(p.unit_id) if p.unit_id else None
        unit_order = ([own.name] if own else []) + [n for n in units if not own or n != own.name]
        away = 0
        for d in range(days):
            day = start + timedelta(days=d)
            reason = absent.get((p.id, day)) or elsewhere.get((p.id, day))
            if reason and (key, d) not in fixed_days:
                absences.append(Absence(key, d, reason))
                away += 1
            if (p.id, day) in pending and not reason:
                requests.append(Request(key, d, None, False, settings.weight_pending_leave))
        share = (days - away) / days if days else 0
        bank = p.employment_type == EmploymentType.BANK
        if bank:
            contract = 0
            low = 0
            high = int(settings.bank_max_hours_per_week * 60 * weeks)
            rate = p.hourly_rate * settings.bank_multiplier
            ot_rate = rate
        else:
            contract = int(p.contracted_hours * 60 * weeks)
            low = (
                int(
                    math.floor(
                        p.contracted_hours * 60 * weeks * share * settings.contract_min_share / 60
                    )
                )
                * 60
            )
            high = contract + int(settings.overtime_hours_per_week * 60 * weeks)
            rate = p.hourly_rate
            ot_rate = p.hourly_rate * settings.overtime_multiplier
        preferred = prefs.get(p.id)
        staff.append(
            Staff(
                key=key,
                role=str(p.role_code),
                units=tuple(unit_order),
                min_minutes=low,
                max_minutes=high,
                contract_minutes=contract,
                rate=rate,
                overtime_rate=ot_rate,
                max_consecutive=settings.max_consecutive_days,
                min_consecutive=settings.min_consecutive_days,
                min_days_off=settings.min_days_off_between_runs,
                max_weekends=math.ceil(n_weekends * settings.weekends_share),
                preferred_shifts=frozenset(preferred) if preferred else None,
                person_id=p.id,
                employment=str(p.employment_type),
            )
        )
    backups = [Backup(b, c) for b, c in settings.backup_pairs() if b in keys and c in keys]
    problem = Problem(
        days=days,
        shifts=shifts,
        staff=staff,
        cover=cover,
        start=start,
        first_weekday=start.weekday(),
        absences=absences,
        fixed=fixed,
        requests=requests,
        backups=backups,
        outside=outside,
        outside_days=margin,
        rules=settings.rules(time_limit, len(staff)),
    )
    snapshot = {
        "staff": sorted(
            [p.id, p.role_code, p.unit_id, p.contracted_hours, str(p.employment_type)]
            for p in people
        ),
        "leave": sorted(snap_leave),
        "sickness": sorted(snap_sick),
        "fixed": sorted(snap_fixed, key=lambda r: [str(v) for v in r]),
        "requirements": sorted(
            [r.unit_id, r.shift_type_code, r.role_code, r.weekday, r.minimum] for r in reqs
        ),
        "rota": sorted(snap_rota, key=lambda r: [str(v) for v in r]),
        "outside": sorted(snap_outside, key=lambda r: [str(v) for v in r]),
    }
    return HomeProblem(problem, home, start, end, keys, units, snapshot, fixed_ids)


def outside_margin(settings: RotaSettings) -> int:
    """Days either side of a horizon whose shifts the rules see: a week for hours in any 7
    days, and enough for the longest run of work or days off the rules count."""
    return max(
        7,
        settings.max_consecutive_days + 1,
        settings.min_days_off_between_runs + 1,
        settings.min_consecutive_days + 1,
    )


def describe_changes(session: Session, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two snapshots, in words a manager recognises."""
    names = dict(session.execute(select(Person.id, Person.full_name)).all())
    unit_names = dict(session.execute(select(Unit.id, Unit.name)).all())
    out: list[str] = []

    def rows(part: str, snap: dict[str, Any]) -> set[tuple[Any, ...]]:
        return {tuple(r) for r in snap.get(part, [])}

    labels = {"leave": "approved leave", "sickness": "sickness"}
    for part, label in labels.items():
        for sign, items in (
            ("new", rows(part, new) - rows(part, old)),
            ("gone", rows(part, old) - rows(part, new)),
        ):
            for pid, s, e in sorted(items, key=str):
                span = s if s == e else f"{s} to {e}"
                what = "added" if sign == "new" else "removed"
                out.append(f"{names.get(pid, pid)}: {label} {span} {what}")
    for sign, items in (
        ("added", rows("fixed", new) - rows("fixed", old)),
        ("removed", rows("fixed", old) - rows("fixed", new)),
    ):
        for pid, day, shift, unit, kind in sorted(items, key=str):
            who = names.get(pid, "agency worker") if pid else "agency worker"
            where = "at another home" if kind == "elsewhere" else f"in {unit_names.get(unit)}"
            out.append(f"{who}: {kind} {shift} on {day} {where} {sign}")
    # the home's rota in the horizon (say, a draft for overlapping dates published since)
    # and the shifts just outside it; drafts stored before these were kept are not compared
    for part, label in (("rota", "rota"), ("outside", "shift next to the draft's dates")):
        if part not in old:
            continue
        changed = [("added", r) for r in sorted(rows(part, new) - rows(part, old), key=str)] + [
            ("removed", r) for r in sorted(rows(part, old) - rows(part, new), key=str)
        ]
        for sign, (pid, day, shift, unit, *_rest) in changed:
            who = names.get(pid, "an open shift") if pid else "an open shift"
            out.append(f"{who}: {label} {shift} on {day} in {unit_names.get(unit)} {sign}")
    if rows("staff", new) != rows("staff", old):
        out.append("the home's staff changed")
    if rows("requirements", new) != rows("requirements", old):
        out.append("the staffing requirements changed")
    return out
