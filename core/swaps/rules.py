"""The swap rules. Each looks at one proposed move of shifts and says pass, or why not.

A move is a list of (shift, receiver): a give-away has one, a swap two (each colleague takes
the other's shift). Rules:

- ``role``: the receiver has the shift's role, or one configured as allowed to cover it
- ``on_leave``, ``sick``, ``overlap``, ``rest``, ``max_hours``: the receiver passes the
  overtime eligibility rules (core.overtime.eligibility.clashes), judged on their rota as it
  would be after the swap (the shift they give away is not counted)
- ``training``: no mandatory training for the shift's role lapsed by the shift's day
- ``min_staffing``: the swap leaves no shift on either day further below its minimum for
  the role (counted by the role of whoever works it)
- ``notice``: no shift of the swap starts within the notice window
- ``monthly_cap``: neither person is in more than N swaps in the shift's month

The safety rules (``HARD``) refuse a swap outright: no manager approves a double-booking or
a missed rest. The others send it to the home's manager. All rules always run, so a swap sent
to a manager carries every reason. The caller holds the people's row locks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.leave.balance import HOLDING
from core.models import (
    Home,
    LeaveRequest,
    Person,
    Shift,
    ShiftStatus,
    ShiftType,
    SicknessAbsence,
    StaffingRequirement,
    TrainingRecord,
    Unit,
)
from core.overtime.config import OvertimeSettings
from core.overtime.eligibility import HARD_RULES, ShiftSpec, clashes
from core.swaps.config import SwapRules
from core.swaps.models import Swap, SwapStatus

HARD = frozenset(HARD_RULES) | {"role"}
RULES = (
    "role",
    "on_leave",
    "sick",
    "overlap",
    "rest",
    "max_hours",
    "training",
    "min_staffing",
    "notice",
    "monthly_cap",
)
SHIFT_WORDS = {"early": "early", "late": "late", "night": "night", "long_day": "long day"}
COUNTED = (SwapStatus.PENDING, SwapStatus.MANUAL_REVIEW, SwapStatus.APPROVED)


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    reason: str | None = None

    @property
    def hard(self) -> bool:
        return self.rule in HARD

    def to_json(self) -> dict[str, object]:
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason}


def shift_words(shift: Shift) -> str:
    d = shift.date
    return f"{d:%a} {d.day} {d:%b} {SHIFT_WORDS.get(shift.shift_type_code, shift.shift_type_code)}"


def spec_of(session: Session, shift: Shift) -> ShiftSpec:
    unit = session.get(Unit, shift.unit_id)
    assert unit is not None
    home = session.get(Home, unit.home_id)
    st = session.get(ShiftType, shift.shift_type_code)
    assert home is not None and st is not None
    return ShiftSpec(
        home.id,
        home.name,
        shift.date,
        shift.shift_type_code,
        shift.role_code,
        shift.starts_at,
        shift.ends_at,
        st.paid_hours,
        unit.id,
    )


def may_cover(rules: SwapRules, person_role: str | None, shift_role: str) -> bool:
    return person_role == shift_role or person_role in rules.higher_roles.get(shift_role, [])


def evaluate(
    session: Session,
    moves: list[tuple[Shift, Person]],
    now: datetime,
    rules: SwapRules,
    ot: OvertimeSettings,
    zone: ZoneInfo,
    swap_id: int | None = None,
) -> list[RuleResult]:
    """Every rule's verdict on moving each shift to its receiver, in a fixed order. Failed
    results only for the rules that failed (one per rule, reasons joined); passed otherwise.
    The database is left as it was (the shifts are unassigned only while judging)."""
    failed: dict[str, list[str]] = {}

    def fail(rule: str, text: str) -> None:
        failed.setdefault(rule, []).append(text)

    holders = [(shift, shift.person_id) for shift, _ in moves]
    for shift, _ in moves:  # judge each receiver on the rota as it would be
        shift.person_id = None
    session.flush()
    try:
        for shift, person in moves:
            spec = spec_of(session, shift)
            if not may_cover(rules, person.role_code, shift.role_code):
                fail(
                    "role",
                    f"{person.full_name} is {_role(person.role_code)}, and the "
                    f"{shift_words(shift)} needs {_role(shift.role_code)}",
                )
            for exclusion in clashes(session, spec, person.id, now, ot, zone):
                fail(exclusion.code, f"{person.full_name} {exclusion.text}")
            lapsed = _training(session, person.id, shift, ot)
            if lapsed:
                fail("training", f"{person.full_name} {lapsed}")
        for shift, person in moves:
            shift.person_id = person.id
        session.flush()
        for text in _min_staffing(session, [s for s, _ in moves], dict(holders)):
            fail("min_staffing", text)
    finally:
        for shift, holder in holders:
            shift.person_id = holder
        session.flush()
    for shift, _ in moves:
        left = shift.starts_at - now
        if left < timedelta(hours=rules.notice_hours):
            fail(
                "notice",
                f"the {shift_words(shift)} starts in "
                f"{max(left.total_seconds(), 0) / 3600:.0f}h, inside the "
                f"{rules.notice_hours:g}h notice window for swaps",
            )
    involved: dict[int, tuple[str | None, date]] = {}
    for shift, person in moves:
        involved[person.id] = (person.full_name, shift.date)
    for shift, holder in holders:
        if holder is not None:
            involved.setdefault(holder, (None, shift.date))
    for pid, (name, day) in involved.items():
        count = swaps_in_month(session, pid, day, swap_id)
        if count >= rules.max_per_month:
            who = name or _name(session, pid)
            fail(
                "monthly_cap",
                f"{who} already has {count} swaps in {day:%B} "
                f"(at most {rules.max_per_month} a month)",
            )
    return [
        RuleResult(rule, rule not in failed, "; ".join(failed[rule]) if rule in failed else None)
        for rule in RULES
    ]


def _name(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    return person.full_name if person else "?"


def _role(code: str | None) -> str:
    if not code:
        return "not in a care role"
    return f"{'an' if code[0] in 'AEFHILMNORSX' else 'a'} {code}"


def _training(session: Session, person_id: int, shift: Shift, ot: OvertimeSettings) -> str | None:
    courses = sorted(
        set(ot.mandatory_training.get(shift.role_code, []))
        | set(ot.mandatory_training.get("*", []))
    )
    if not courses:
        return None
    rows = session.execute(
        select(TrainingRecord.course, func.max(TrainingRecord.expires_on))
        .where(TrainingRecord.person_id == person_id, TrainingRecord.course.in_(courses))
        .group_by(TrainingRecord.course)
    )
    for course, expires in rows:
        if expires is not None and expires < shift.date:
            return f"has {course} training that lapsed on {expires:%d %b %Y}"
    return None


def swaps_in_month(session: Session, person_id: int, day: date, exclude: int | None = None) -> int:
    """Swaps approved or waiting that the person is part of, with a shift in ``day``'s month."""
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    query = (
        select(func.count(Swap.id))
        .join(Shift, Shift.id == Swap.shift_id)
        .where(
            or_(Swap.from_person_id == person_id, Swap.to_person_id == person_id),
            Swap.status.in_(COUNTED),
            Shift.date >= first,
            Shift.date < nxt,
        )
    )
    if exclude is not None:
        query = query.where(Swap.id != exclude)
    return int(session.scalar(query) or 0)


def _min_staffing(
    session: Session, moved: list[Shift], before: dict[Shift, int | None]
) -> list[str]:
    """For each moved shift's cell (unit, day, shift type) and role: people of that role
    present after the move against the minimum; a failure only where the swap makes it
    worse than before (a gap the swap does not touch is not the swap's fault)."""
    out: list[str] = []
    cells = {(s.unit_id, s.date, s.shift_type_code) for s in moved}
    for unit_id, day, code in sorted(cells, key=lambda c: (c[1], c[2], c[0])):
        rows = list(
            session.execute(
                select(Shift.id, Shift.person_id, Shift.role_code, Person.role_code)
                .outerjoin(Person, Person.id == Shift.person_id)
                .where(
                    Shift.unit_id == unit_id,
                    Shift.date == day,
                    Shift.shift_type_code == code,
                    Shift.status == ShiftStatus.SCHEDULED,
                )
            )
        )
        people = {r[1] for r in rows if r[1] is not None}
        people |= {pid for pid in before.values() if pid is not None}
        absent = _absent(session, people, day)
        previous = {s.id: holder for s, holder in before.items()}
        roles_of = (
            dict(
                session.execute(
                    select(Person.id, Person.role_code).where(Person.id.in_(people))
                ).all()
            )
            if people
            else {}
        )
        after_count: Counter[str] = Counter()
        before_count: Counter[str] = Counter()
        for sid, pid, shift_role, person_role in rows:
            if pid is None or pid not in absent:
                after_count[person_role or shift_role] += 1
            was = previous.get(sid, pid)
            if was is None or was not in absent:
                before_count[(roles_of.get(was) if was is not None else None) or shift_role] += 1
        needs = session.execute(
            select(StaffingRequirement.role_code, StaffingRequirement.minimum).where(
                StaffingRequirement.unit_id == unit_id,
                StaffingRequirement.shift_type_code == code,
                StaffingRequirement.weekday == day.weekday(),
            )
        )
        for role, minimum in needs:
            have, had = after_count[role], before_count[role]
            if have < minimum and have < had:
                unit = session.get(Unit, unit_id)
                where = f"{unit.name} at {unit.home.name}" if unit else "the unit"
                word = SHIFT_WORDS.get(code, code)
                out.append(
                    f"minimum staffing: {day:%a} {day.day} {day:%b} {word} ({role}, "
                    f"{where}) would have {have} of the {minimum} needed"
                )
    return out


def _absent(session: Session, people: set[int], day: date) -> set[int]:
    if not people:
        return set()
    ids = list(people)
    out = set(
        session.scalars(
            select(LeaveRequest.person_id).where(
                LeaveRequest.person_id.in_(ids),
                LeaveRequest.status.in_(HOLDING),
                LeaveRequest.start_date <= day,
                LeaveRequest.end_date >= day,
            )
        )
    )
    out |= set(
        session.scalars(
            select(SicknessAbsence.person_id).where(
                SicknessAbsence.person_id.in_(ids),
                SicknessAbsence.start_date <= day,
                SicknessAbsence.end_date >= day,
            )
        )
    )
    return out


def for_giveaway(spec: ShiftSpec, role: str) -> ShiftSpec:
    return replace(spec, role=role)
