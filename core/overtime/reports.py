"""How evenly overtime is spread (Gini of overtime hours among willing staff) and one
person's overtime record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.models import (
    CoverageRequest,
    Home,
    Offer,
    OvertimePreference,
    Person,
    PersonKind,
    Shift,
    ShiftKind,
    ShiftStatus,
    ShiftType,
)
from core.overtime.history import PersonHistory, load_offer_history
from core.overtime.preferences import PreferenceView, view_preferences


def gini(values: list[float]) -> float:
    """0 when everyone has the same, towards 1 when one person has it all."""
    xs = sorted(v for v in values if v >= 0)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return (2 * weighted) / (n * total) - (n + 1) / n


@dataclass
class FairnessReport:
    days: int
    start: date
    end: date
    homes: list[str]
    gini: float
    willing: int
    with_overtime: int
    total_hours: float
    hours: dict[str, float]  # name -> overtime hours, willing staff only, most first
    top: list[tuple[str, float]] = field(default_factory=list)
    all_homes: bool = False  # asked across every home (``fairness_for``), not some homes

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "homes": self.homes,
            "gini": round(self.gini, 3),
            "willing_staff": self.willing,
            "with_overtime": self.with_overtime,
            "total_hours": self.total_hours,
            "top": [{"name": n, "hours": h} for n, h in self.top],
        }


def overtime_fairness(
    session: Session, today: date, days: int = 90, home_ids: frozenset[int] | None = None
) -> FairnessReport:
    """Overtime hours worked in the last ``days`` by each opted-in member of staff of these
    homes (zeros count: someone willing and never asked is part of the unfairness)."""
    start = today - timedelta(days=days)
    people = (
        select(Person.id, Person.full_name)
        .join(OvertimePreference, OvertimePreference.person_id == Person.id)
        .where(
            Person.kind == PersonKind.STAFF,
            Person.active.is_(True),
            OvertimePreference.opted_in.is_(True),
        )
    )
    if home_ids is not None:
        people = people.where(Person.home_id.in_(home_ids))
    names = dict(session.execute(people).all())
    hours = {pid: 0.0 for pid in names}
    worked = (
        select(Shift.person_id, func.sum(ShiftType.paid_hours))
        .join(ShiftType, ShiftType.code == Shift.shift_type_code)
        .where(
            Shift.kind == ShiftKind.OVERTIME,
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= start,
            Shift.date <= today,
            Shift.person_id.is_not(None),
        )
        .group_by(Shift.person_id)
    )
    for pid, total in session.execute(worked):
        if pid in hours:
            hours[pid] = float(total or 0)
    home_names = [
        h.name
        for h in session.scalars(select(Home).order_by(Home.id))
        if home_ids is None or h.id in home_ids
    ]
    by_name = {names[p]: h for p, h in sorted(hours.items(), key=lambda kv: (-kv[1], kv[0]))}
    top = [(n, h) for n, h in by_name.items() if h > 0][:5]
    return FairnessReport(
        days,
        start,
        today,
        home_names,
        gini(list(hours.values())),
        len(hours),
        sum(1 for h in hours.values() if h > 0),
        round(sum(hours.values()), 1),
        by_name,
        top,
    )


@dataclass
class OvertimeProfile:
    person_id: int
    name: str
    role: str | None
    home: str | None
    preferences: PreferenceView
    history: PersonHistory
    days: int
    hours_window: float
    shifts_window: int
    recent: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        h = self.history
        return {
            "name": self.name,
            "role": self.role,
            "home": self.home,
            "preferences": self.preferences.to_json(),
            "offers": h.offers,
            "accepted": h.accepted,
            "declined": h.declined,
            "no_response": h.no_response,
            "acceptance_rate": h.acceptance_raw(),
            "avg_response_minutes": round(h.avg_response_s / 60, 1)
            if h.avg_response_s is not None
            else None,
            "last_contacted": h.last_contacted.isoformat() if h.last_contacted else None,
            "overtime_shifts": h.ot_shifts,
            "overtime_hours": h.ot_hours_total,
            "last_overtime": h.last_ot.isoformat() if h.last_ot else None,
            "window_days": self.days,
            "hours_in_window": self.hours_window,
            "shifts_in_window": self.shifts_window,
            "recent": self.recent,
        }


def overtime_profile(
    session: Session, person_id: int, now: datetime, today: date, days: int = 90
) -> OvertimeProfile:
    """One person's overtime record, all derived from offers and shifts."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("Unknown person.")
    history = load_offer_history(session, [person_id], now).get(person_id, PersonHistory())
    rows = list(
        session.execute(
            select(Shift.date, ShiftType.paid_hours)
            .join(ShiftType, ShiftType.code == Shift.shift_type_code)
            .where(
                Shift.person_id == person_id,
                Shift.kind == ShiftKind.OVERTIME,
                Shift.status == ShiftStatus.SCHEDULED,
                Shift.date <= today,
            )
        )
    )
    history.ot_shifts = len(rows)
    history.ot_hours_total = float(sum(h for _, h in rows))
    history.last_ot = max((d for d, _ in rows), default=None)
    start = today - timedelta(days=days)
    in_window = [h for d, h in rows if d >= start]
    recent = [
        {
            "ref": f"OT{rid}",
            "date": d.isoformat(),
            "shift_type": st,
            "response": str(resp),
            "reason": reason,
        }
        for rid, d, st, resp, reason in session.execute(
            select(
                Offer.request_id,
                CoverageRequest.date,
                CoverageRequest.shift_type_code,
                Offer.response,
                Offer.reason,
            )
            .join(CoverageRequest, CoverageRequest.id == Offer.request_id)
            .where(Offer.person_id == person_id)
            .order_by(Offer.contacted_at.desc())
            .limit(5)
        )
    ]
    return OvertimeProfile(
        person.id,
        person.full_name,
        person.role_code,
        person.home.name if person.home else None,
        view_preferences(session, person_id),
        history,
        days,
        float(sum(in_window)),
        len(in_window),
        recent,
    )
