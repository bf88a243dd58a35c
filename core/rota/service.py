"""Draft rotas: solve one for a home and horizon, store it, show it, publish it.

The draft document (``document``) is what ``staffbot rota generate/show --json`` prints:
``{ref, home, from, to, status, objective, bound, gap_pct, seconds, assignments,
shortfalls}``, plus ``summary`` (cost, coverage and fairness against the current rota) and
``published``. Publishing writes the draft's shifts in one unit of work, audited, after
checking that nothing the draft was solved from has changed since.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from core.app import Core
from core.directory import find_home
from core.errors import InvalidInput, NotAllowed, NotFound, StaffbotError
from core.models import (
    EmploymentType,
    Home,
    Person,
    Shift,
    ShiftKind,
    ShiftStatus,
    ShiftType,
    StaffingRequirement,
    Unit,
)
from core.permissions import Scope
from core.rota.check import reasons_for
from core.rota.config import RotaSettings
from core.rota.inputs import HomeProblem, describe_changes, is_confirmed, load_problem
from core.rota.models import RotaDraft

if TYPE_CHECKING:  # OR-Tools (and the pandas it imports) loads only when a rota is solved
    from core.rota.solver import Solution
from core.staffing import absent_days
from core.timeutil import shift_window
from core.uow import Actor

MAX_DAYS = 56


class DraftOutdated(StaffbotError):
    """The draft was solved from inputs that have since changed."""

    def __init__(self, ref: int, changes: list[str]) -> None:
        self.ref = ref
        self.changes = changes
        shown = "; ".join(changes[:5]) + (
            f"; and {len(changes) - 5} more" if len(changes) > 5 else ""
        )
        super().__init__(f"Draft {ref} is out of date: {shown}. Generate a new draft.")


@dataclass(frozen=True)
class PublishResult:
    ref: int
    published: bool
    shifts_added: int
    shifts_removed: int
    home: str
    start: date
    end: date

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "published": self.published,
            "shifts_added": self.shifts_added,
            "shifts_removed": self.shifts_removed,
        }


def parse_ref(ref: object) -> int:
    """12, "12", "R12", "rota 12", "draft #12" -> 12."""
    if isinstance(ref, int):
        return ref
    found = re.search(r"\d+", str(ref or ""))
    if not found:
        raise InvalidInput(f"{ref!r} is not a draft reference; drafts are numbered, e.g. 3.")
    return int(found.group())


def check_horizon(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput("The rota's end is before its start.")
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput("A rota covers at most 8 weeks (56 days).")


def generate(
    core: Core,
    home: str | int,
    start: date,
    end: date,
    actor: Actor,
    scope: Scope | None = None,
    time_limit: float | None = None,
    settings: RotaSettings | None = None,
) -> dict[str, Any]:
    """Solve and store a draft rota; return its document. The real rota is unchanged."""
    check_horizon(start, end)
    settings = settings or core.settings.rota
    with core.uow() as uow:
        home_row = (
            uow.session.get(Home, home) if isinstance(home, int) else find_home(uow.session, home)
        )
        if home_row is None:
            raise NotFound(f"No home {home!r}.")
        if scope is not None and not scope.can_see_home(home_row.id):
            raise NotAllowed("You can only make rotas for your own home.")
        hp = load_problem(uow.session, home_row, start, end, settings, time_limit)
        current = _current_rota(uow.session, hp)
    from core.rota.solver import solve

    solution = solve(hp.problem)
    doc = _document(hp, solution)
    doc["summary"] = _summary(hp, solution, current, settings)
    with core.uow() as uow:
        draft = RotaDraft(
            home_id=hp.home.id,
            start_date=start,
            end_date=end,
            status=solution.status,
            objective=solution.objective,
            bound=solution.bound,
            gap_pct=solution.gap_pct,
            seconds=solution.seconds,
            created_at=uow.now(),
            created_by_id=actor.person_id,
            created_by=actor.label,
            inputs=hp.snapshot,
            result=doc,
            shifts_added=0,
            shifts_removed=0,
        )
        uow.session.add(draft)
        uow.session.flush()
        uow.audit(
            actor,
            "rota.generated",
            "rota_draft",
            draft.id,
            after={
                "home": hp.home.name,
                "from": start,
                "to": end,
                "status": solution.status,
                "assignments": len(solution.assignments),
                "shortfalls": len(solution.shortfalls),
            },
        )
        uow.commit()
        ref = draft.id
    doc["ref"] = ref
    return {"ref": ref, **{k: v for k, v in doc.items() if k != "ref"}}


def show(core: Core, ref: object, scope: Scope | None = None) -> dict[str, Any]:
    with core.uow() as uow:
        draft = _draft(uow.session, parse_ref(ref), scope)
        return _stored(draft)


def latest(core: Core, scope: Scope) -> int | None:
    """The newest unpublished draft the person may see."""
    with core.uow() as uow:
        query = (
            select(RotaDraft.id)
            .where(RotaDraft.published_at.is_(None))
            .order_by(RotaDraft.id.desc())
        )
        if scope.home_ids is not None:
            query = query.where(RotaDraft.home_id.in_(scope.home_ids))
        return uow.session.scalars(query.limit(1)).first()


def publish(
    core: Core,
    ref: object,
    actor: Actor,
    scope: Scope | None = None,
    settings: RotaSettings | None = None,
) -> PublishResult:
    """Write the draft as the rota, in one unit of work: the home's unconfirmed shifts in the
    horizon that the draft does not keep are cancelled, its new shifts added."""
    settings = settings or core.settings.rota
    number = parse_ref(ref)
    with core.uow() as uow:
        session = uow.session
        draft = _draft(session, number, scope)
        # one publish at a time per home (PostgreSQL: the home's row is locked until commit),
        # so two overlapping drafts cannot both pass the check below and both write
        home = session.get(Home, draft.home_id, with_for_update=True)
        assert home is not None
        session.refresh(draft)
        if draft.published_at is not None:
            raise InvalidInput(f"Draft {number} was already published.")
        if not draft.result.get("assignments"):
            raise InvalidInput(f"Draft {number} has no rota to publish ({draft.status}).")
        fresh = load_problem(session, home, draft.start_date, draft.end_date, settings)
        changes = describe_changes(session, draft.inputs, fresh.snapshot)
        if changes:
            raise DraftOutdated(number, _published_since(session, draft) + changes)
        units = {u.name: u for u in session.scalars(select(Unit).where(Unit.home_id == home.id))}
        types = {t.code: t for t in session.scalars(select(ShiftType))}
        people = {
            p.full_name: p for p in session.scalars(select(Person).where(Person.home_id == home.id))
        }
        wanted: Counter[tuple[int | None, date, str, int, str]] = Counter()
        for a in draft.result["assignments"]:
            person = people[a["name"]]
            wanted[
                (
                    person.id,
                    date.fromisoformat(a["date"]),
                    a["shift_type"],
                    units[a["unit"]].id,
                    a["role"],
                )
            ] += 1
        existing = list(
            session.scalars(
                select(Shift).where(
                    Shift.unit_id.in_([u.id for u in units.values()]),
                    Shift.status == ShiftStatus.SCHEDULED,
                    Shift.date >= draft.start_date,
                    Shift.date <= draft.end_date,
                )
            )
        )
        removed = 0
        for sh in existing:
            if is_confirmed(sh):
                continue
            key = (sh.person_id, sh.date, sh.shift_type_code, sh.unit_id, sh.role_code)
            if sh.person_id is not None and wanted[key] > 0:
                wanted[key] -= 1  # already in the rota as drafted: keep it
                continue
            sh.status = ShiftStatus.CANCELLED
            removed += 1
        added = 0
        confirmed = {(sh.person_id, sh.date) for sh in existing if is_confirmed(sh)}
        for (pid, day, code, unit_id, role), n in wanted.items():
            if (pid, day) in confirmed:
                continue  # a fixed input, already there
            t = types[code]
            starts, ends = shift_window(day, t.start_time, t.end_time, core.zone)
            for _ in range(n):
                session.add(
                    Shift(
                        unit_id=unit_id,
                        person_id=pid,
                        role_code=role,
                        shift_type_code=code,
                        date=day,
                        starts_at=starts,
                        ends_at=ends,
                        kind=ShiftKind.REGULAR,
                        status=ShiftStatus.SCHEDULED,
                    )
                )
                added += 1
        draft.published_at = uow.now()
        draft.published_by_id = actor.person_id
        draft.shifts_added, draft.shifts_removed = added, removed
        uow.audit(
            actor,
            "rota.published",
            "rota_draft",
            number,
            before={"status": draft.status},
            after={
                "home": home.name,
                "from": draft.start_date,
                "to": draft.end_date,
                "shifts_added": added,
                "shifts_removed": removed,
            },
        )
        uow.commit()
        return PublishResult(
            number, True, added, removed, home.name, draft.start_date, draft.end_date
        )


def _published_since(session: Any, draft: RotaDraft) -> list[str]:
    """Drafts for overlapping dates at the same home published since this one was made."""
    rows = session.scalars(
        select(RotaDraft)
        .where(
            RotaDraft.home_id == draft.home_id,
            RotaDraft.id != draft.id,
            RotaDraft.published_at.is_not(None),
            RotaDraft.published_at >= draft.created_at,
            RotaDraft.start_date <= draft.end_date,
            RotaDraft.end_date >= draft.start_date,
        )
        .order_by(RotaDraft.id)
    )
    return [
        f"draft {d.id} ({d.start_date.isoformat()} to {d.end_date.isoformat()}) was published "
        "since, for overlapping dates"
        for d in rows
    ]


# ---- documents ---------------------------------------------------------------------------


def _draft(session: Any, ref: int, scope: Scope | None) -> RotaDraft:
    draft = session.get(RotaDraft, ref)
    if draft is None:
        raise NotFound(f"No draft rota {ref}.")
    if scope is not None and not scope.can_see_home(draft.home_id):
        raise NotAllowed("That draft is for another home.")
    return draft


def _stored(draft: RotaDraft) -> dict[str, Any]:
    doc = dict(draft.result)
    doc["ref"] = draft.id
    doc["published"] = draft.published_at is not None
    return {"ref": draft.id, **{k: v for k, v in doc.items() if k != "ref"}}


def _document(hp: HomeProblem, solution: Solution) -> dict[str, Any]:
    p = hp.problem
    role = {s.key: s.role for s in p.staff}
    assignments = [
        {
            "name": a.staff,
            "role": role[a.staff],
            "unit": a.unit,
            "date": (hp.start + timedelta(days=a.day)).isoformat(),
            "shift_type": a.shift,
        }
        for a in solution.assignments
    ]
    shortfalls = []
    for sf in solution.shortfalls:
        c = sf.cover
        shortfalls.append(
            {
                "date": (hp.start + timedelta(days=c.day)).isoformat(),
                "unit": c.unit,
                "shift_type": c.shift,
                "role": c.role,
                "required": c.required,
                "possible": sf.possible,
                "reasons": reasons_for(p, solution.assignments, c),
            }
        )
    return {
        "ref": None,
        "home": hp.home.name,
        "from": hp.start.isoformat(),
        "to": hp.end.isoformat(),
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "gap_pct": solution.gap_pct,
        "seconds": solution.seconds,
        "assignments": assignments,
        "shortfalls": shortfalls,
        "breaches": [
            {
                "rule": b.rule,
                "name": b.staff,
                "date": None if b.day is None else (hp.start + timedelta(days=b.day)).isoformat(),
                "amount": b.amount,
            }
            for b in solution.breaches
        ],
        "relaxed": list(solution.relaxed),
        "published": False,
    }


def _current_rota(session: Any, hp: HomeProblem) -> list[dict[str, Any]]:
    """The home's scheduled shifts in the horizon, present (not on leave or sick)."""
    unit_names = {u.id: n for n, u in hp.units.items()}
    rows = list(
        session.scalars(
            select(Shift).where(
                Shift.unit_id.in_(list(unit_names)),
                Shift.status == ShiftStatus.SCHEDULED,
                Shift.date >= hp.start,
                Shift.date <= hp.end,
            )
        )
    )
    away = absent_days(session, [s.person_id for s in rows if s.person_id], hp.start, hp.end)
    names = dict(
        session.execute(
            select(Person.id, Person.full_name).where(
                Person.id.in_({s.person_id for s in rows if s.person_id})
            )
        ).all()
    )
    return [
        {
            "name": names.get(s.person_id) if s.person_id else None,
            "role": s.role_code,
            "unit": unit_names[s.unit_id],
            "date": s.date.isoformat(),
            "shift_type": s.shift_type_code,
            "kind": str(s.kind),
        }
        for s in rows
        if s.person_id is None or (s.person_id, s.date) not in away
    ]


def _summary(
    hp: HomeProblem, solution: Solution, current: list[dict[str, Any]], settings: RotaSettings
) -> dict[str, Any]:
    """Cost, coverage and fairness of the draft, and of the current rota for the same days."""
    draft_rows = [
        {
            "name": a.staff,
            "role": next(s.role for s in hp.problem.staff if s.key == a.staff),
            "unit": a.unit,
            "date": (hp.start + timedelta(days=a.day)).isoformat(),
            "shift_type": a.shift,
            "kind": "regular",
        }
        for a in solution.assignments
    ]
    fixed_rows = [
        {
            "name": f.staff,
            "role": f.role,
            "unit": f.unit,
            "date": (hp.start + timedelta(days=f.day)).isoformat(),
            "shift_type": f.shift,
            "kind": f.label,
        }
        for f in hp.problem.fixed
        if f.staff is None
    ]
    return {
        "draft": _measure(hp, draft_rows + fixed_rows, settings) if draft_rows else None,
        "current": _measure(hp, current, settings) if current else None,
    }


def _measure(hp: HomeProblem, rows: list[dict[str, Any]], settings: RotaSettings) -> dict[str, Any]:
    paid = {s.code: s.paid_hours for s in hp.problem.shifts}
    nights = {s.code for s in hp.problem.shifts if s.night}
    people = hp.people
    weeks = hp.problem.days / 7
    role_rate: dict[str, list[float]] = defaultdict(list)
    for p in people.values():
        role_rate[str(p.role_code)].append(p.hourly_rate)
    hours: defaultdict[str, float] = defaultdict(float)
    cost = 0.0
    for r in rows:
        h = paid[r["shift_type"]]
        person = people.get(r["name"]) if r["name"] else None
        if person is None:  # agency (or someone from another home): agency rates
            rates = role_rate.get(r["role"]) or [20.0]
            cost += h * sum(rates) / len(rates) * settings.agency_multiplier
            continue
        hours[person.full_name] += h
        mult = settings.bank_multiplier if person.employment_type == EmploymentType.BANK else 1.0
        cost += h * person.hourly_rate * mult
    for name, h in hours.items():
        person = people[name]
        if person.employment_type != EmploymentType.BANK:
            extra = h - person.contracted_hours * weeks
            if extra > 0:
                cost += extra * person.hourly_rate * (settings.overtime_multiplier - 1)
    count = Counter((r["date"], r["unit"], r["shift_type"], r["role"]) for r in rows)
    required = short = 0
    for c in hp.problem.cover:
        day = (hp.start + timedelta(days=c.day)).isoformat()
        required += c.required
        short += max(0, c.required - count[(day, c.unit, c.shift, c.role)])
    night_counts = Counter(
        r["name"] for r in rows if r["name"] in people and r["shift_type"] in nights
    )
    weekend_counts: Counter[str] = Counter()
    seen = set()
    for r in rows:
        worked = date.fromisoformat(r["date"])
        if r["name"] in people and worked.weekday() >= 5:
            key = (r["name"], worked.isocalendar()[:2])
            if key not in seen:
                seen.add(key)
                weekend_counts[r["name"]] += 1

    def spread(counts: Counter[str], role_filter: set[str]) -> dict[str, int]:
        values = [counts.get(n, 0) for n, p in people.items() if p.role_code in role_filter]
        return {"most": max(values, default=0), "fewest": min(values, default=0)}

    night_roles = {c.role for c in hp.problem.cover if c.shift in nights}
    return {
        "cost": round(cost, 2),
        "shifts": len(rows),
        "required": required,
        "short": short,
        "nights": spread(night_counts, night_roles),
        "weekends": spread(weekend_counts, {str(p.role_code) for p in people.values()}),
    }


def gaps_total(core: Core, home_id: int, start: date, end: date) -> int:
    """Shifts short of the minimum in the current rota (for the publish reply)."""
    from core.staffing import staffing_gaps

    with core.uow() as uow:
        rows = staffing_gaps(uow.session, start, end, frozenset({home_id}))
    return sum(r.short for r in rows)


def requirements_exist(core: Core, home_id: int) -> bool:
    with core.uow() as uow:
        return (
            uow.session.scalars(
                select(StaffingRequirement.id)
                .join(Unit, Unit.id == StaffingRequirement.unit_id)
                .where(Unit.home_id == home_id)
                .limit(1)
            ).first()
            is not None
        )
