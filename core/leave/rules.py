"""The automatic-approval rules. Each looks at one request and says pass, or why not.

All rules always run, so a request sent to a manager carries every reason at once. They read
the database but change nothing; the caller holds the per-unit lock (see ``service``) so that
what they read cannot change before the decision is written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.leave.balance import HOLDING, days_in_year, leave_balance, leave_days
from core.leave.config import NEVER_AUTO_APPROVED, LeaveRules
from core.models import (
    Home,
    LeaveRequest,
    LeaveType,
    Person,
    Shift,
    ShiftStatus,
    SicknessAbsence,
    StaffingRequirement,
    Unit,
)
from core.timeutil import daterange

RULES = ("leave_type", "length", "blackout", "concurrent", "min_staffing", "balance")
SHIFT_WORDS = {"early": "early", "late": "late", "night": "night", "long_day": "long day"}
MAX_DAYS_NAMED = 3  # a reason names this many short days, then says "and N more"


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    reason: str | None = None  # plain words, for the requester and the manager

    def to_json(self) -> dict[str, object]:
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason}


@dataclass(frozen=True)
class LeaveAsk:
    """What the rules judge: who, which days, what kind; ``ref`` excludes the request itself."""

    person_id: int
    unit_id: int | None
    role_code: str | None
    start: date
    end: date
    leave_type: LeaveType
    ref: int | None = None


def evaluate(session: Session, ask: LeaveAsk, rules: LeaveRules, today: date) -> list[RuleResult]:
    """Every rule's verdict on one request, in a fixed order."""
    return [
        leave_type_rule(ask, rules),
        length_rule(ask, rules),
        blackout_rule(ask, rules),
        concurrent_rule(session, ask, rules),
        min_staffing_rule(session, ask),
        balance_rule(session, ask, rules, today),
    ]


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _span(start: date, end: date) -> str:
    return _day(start) if start == end else f"{_day(start)} to {_day(end)}"


def _days_list(days: list[date]) -> str:
    named = ", ".join(_day(d) for d in days[:MAX_DAYS_NAMED])
    more = len(days) - MAX_DAYS_NAMED
    return named + (f" and {more} more day{'s' if more > 1 else ''}" if more > 0 else "")


def leave_type_rule(ask: LeaveAsk, rules: LeaveRules) -> RuleResult:
    if ask.leave_type in NEVER_AUTO_APPROVED:
        return RuleResult(
            "leave_type", False, f"{ask.leave_type} leave is always decided by a manager"
        )
    if ask.leave_type not in rules.auto_approve_types:
        return RuleResult("leave_type", False, f"{ask.leave_type} leave needs a manager's approval")
    return RuleResult("leave_type", True)


def length_rule(ask: LeaveAsk, rules: LeaveRules) -> RuleResult:
    days = leave_days(ask.start, ask.end)
    if days > rules.max_consecutive_days:
        return RuleResult(
            "length",
            False,
            f"{days} days in a row is more than the {rules.max_consecutive_days} "
            "that can be approved automatically",
        )
    return RuleResult("length", True)


def blackout_rule(ask: LeaveAsk, rules: LeaveRules) -> RuleResult:
    for period in rules.blackout_periods():
        hit = period.overlap(ask.start, ask.end)
        if hit is not None:
            return RuleResult(
                "blackout", False, f"{_span(*hit)} is in a blackout period ({period.label})"
            )
    return RuleResult("blackout", True)


def concurrent_rule(session: Session, ask: LeaveAsk, rules: LeaveRules) -> RuleResult:
    """At most ``max_concurrent`` people of one role in one unit off on any day, counting
    approved leave and leave awaiting a decision (this request included)."""
    if ask.unit_id is None or ask.role_code is None:
        return RuleResult("concurrent", True)  # no unit team to compare with (managers)
    rows = session.execute(
        select(LeaveRequest.person_id, LeaveRequest.start_date, LeaveRequest.end_date)
        .join(Person, Person.id == LeaveRequest.person_id)
        .where(
            Person.unit_id == ask.unit_id,
            Person.role_code == ask.role_code,
            Person.id != ask.person_id,
            LeaveRequest.status.in_(HOLDING),
            LeaveRequest.start_date <= ask.end,
            LeaveRequest.end_date >= ask.start,
        )
    )
    off: dict[date, set[int]] = defaultdict(set)
    for pid, s, e in rows:
        for d in daterange(max(s, ask.start), min(e, ask.end)):
            off[d].add(pid)
    full = sorted(d for d, people in off.items() if len(people) + 1 > rules.max_concurrent)
    if full:
        most = max(len(off[d]) for d in full)
        unit = session.get(Unit, ask.unit_id)
        where = f"{unit.name} at {unit.home.name}" if unit else "your unit"
        return RuleResult(
            "concurrent",
            False,
            f"{most} other {ask.role_code}{'s' if most > 1 else ''} in {where} "
            f"already off or asking on {_days_list(full)} (at most "
            f"{rules.max_concurrent} at a time)",
        )
    return RuleResult("concurrent", True)


def min_staffing_rule(session: Session, ask: LeaveAsk) -> RuleResult:
    """On every shift the person is rostered on during the leave, the unit must still meet
    its minimum for that shift and role without them, after everyone else's approved or
    awaiting leave and sickness. A shift belongs to the day it starts."""
    mine = list(
        session.execute(
            select(Shift.unit_id, Shift.date, Shift.shift_type_code, Shift.role_code).where(
                Shift.person_id == ask.person_id,
                Shift.date >= ask.start,
                Shift.date <= ask.end,
                Shift.status == ShiftStatus.SCHEDULED,
            )
        )
    )
    if not mine:
        return RuleResult("min_staffing", True)
    cells: set[tuple[int, date, str, str]] = {(row[0], row[1], row[2], row[3]) for row in mine}
    unit_ids = {c[0] for c in cells}
    minimum = {
        (r.unit_id, r.shift_type_code, r.role_code, r.weekday): r.minimum
        for r in session.scalars(
            select(StaffingRequirement).where(StaffingRequirement.unit_id.in_(unit_ids))
        )
    }
    others = [
        row
        for row in session.execute(
            select(
                Shift.person_id, Shift.unit_id, Shift.date, Shift.shift_type_code, Shift.role_code
            ).where(
                Shift.unit_id.in_(unit_ids),
                Shift.date >= ask.start,
                Shift.date <= ask.end,
                Shift.status == ShiftStatus.SCHEDULED,
            )
        )
        if tuple(row[1:]) in cells and row[0] != ask.person_id
    ]
    absent = _absent(session, {r[0] for r in others if r[0] is not None}, ask)
    present = Counter(tuple(r[1:]) for r in others if r[0] is None or (r[0], r[2]) not in absent)
    short = []
    for cell in sorted(cells, key=lambda c: (c[1], c[2])):
        unit_id, day, shift_type, role = cell
        need = minimum.get((unit_id, shift_type, role, day.weekday()), 0)
        if present[cell] < need:
            short.append((cell, present[cell], need))
    if not short:
        return RuleResult("min_staffing", True)
    names = {
        u.id: (u.name, h.name)
        for u, h in session.execute(
            select(Unit, Home).join(Home, Home.id == Unit.home_id).where(Unit.id.in_(unit_ids))
        )
    }
    parts = []
    for (unit_id, day, shift_type, role), have, need in short[:MAX_DAYS_NAMED]:
        unit, home = names[unit_id]
        parts.append(
            f"{_day(day)} {SHIFT_WORDS.get(shift_type, shift_type)} ({role}, {unit} "
            f"at {home}) would have {have} of the {need} needed"
        )
    more = len(short) - MAX_DAYS_NAMED
    tail = f" and {more} more shift{'s' if more > 1 else ''}" if more > 0 else ""
    return RuleResult("min_staffing", False, "minimum staffing: " + "; ".join(parts) + tail)


def _absent(session: Session, person_ids: set[int], ask: LeaveAsk) -> set[tuple[int, date]]:
    """(person, day) off in the request's days: approved or awaiting leave, or sickness."""
    if not person_ids:
        return set()
    ids = list(person_ids)
    absent: set[tuple[int, date]] = set()
    leave = select(
        LeaveRequest.person_id, LeaveRequest.start_date, LeaveRequest.end_date, LeaveRequest.id
    ).where(
        LeaveRequest.person_id.in_(ids),
        LeaveRequest.status.in_(HOLDING),
        LeaveRequest.start_date <= ask.end,
        LeaveRequest.end_date >= ask.start,
    )
    sick = select(
        SicknessAbsence.person_id,
        SicknessAbsence.start_date,
        SicknessAbsence.end_date,
        SicknessAbsence.id,
    ).where(
        SicknessAbsence.person_id.in_(ids),
        SicknessAbsence.start_date <= ask.end,
        SicknessAbsence.end_date >= ask.start,
    )
    for is_leave, query in ((True, leave), (False, sick)):
        for pid, s, e, row_id in session.execute(query):
            if is_leave and row_id == ask.ref:
                continue
            for d in daterange(max(s, ask.start), min(e, ask.end)):
                absent.add((pid, d))
    return absent


def balance_rule(session: Session, ask: LeaveAsk, rules: LeaveRules, today: date) -> RuleResult:
    """Leave drawn from the yearly entitlement must fit what is left, counting leave already
    approved or awaiting a decision."""
    if not rules.check_balance or ask.leave_type not in rules.balance_types:
        return RuleResult("balance", True)
    for year in range(ask.start.year, ask.end.year + 1):
        wanted = days_in_year(ask.start, ask.end, year)
        bal = leave_balance(
            session, ask.person_id, year, today, rules.balance_types, exclude_request_id=ask.ref
        )
        left = bal.remaining_if_pending_approved
        if left is None:
            return RuleResult("balance", False, f"no leave entitlement is recorded for {year}")
        if wanted > left:
            return RuleResult(
                "balance",
                False,
                f"it needs {_n(wanted)} day{'s' if wanted != 1 else ''} of "
                f"{year} leave but only {_n(max(left, 0))} "
                f"{'is' if left == 1 else 'are'} left",
            )
    return RuleResult("balance", True)


def _n(value: float) -> str:
    return f"{value:g}"
