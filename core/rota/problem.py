"""A rostering problem as plain data: who, which shifts, what cover, which rules.

Nothing here knows about the database: ``core.rota.inputs`` builds a problem from a home's
staff and requirements, ``bench/rota_bench.py`` builds one from a Curtois benchmark file, and
``core.rota.solver`` solves either the same way. Days are indices 0..days-1 from ``start``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class Mode(StrEnum):
    HARD = "hard"
    SOFT = "soft"  # may be broken, at ``weight`` per unit of breach
    OFF = "off"


@dataclass(frozen=True)
class Rule:
    mode: Mode = Mode.HARD
    weight: int = 1000  # objective units per unit of breach when soft

    @staticmethod
    def hard() -> Rule:
        return Rule(Mode.HARD)

    @staticmethod
    def soft(weight: int) -> Rule:
        return Rule(Mode.SOFT, weight)

    @staticmethod
    def off() -> Rule:
        return Rule(Mode.OFF, 0)


# every rule the model knows, by the name configuration and reasons use
RULE_NAMES = (
    "cover",
    "absence",
    "rest",
    "max_48h",
    "max_consecutive",
    "min_consecutive",
    "min_days_off",
    "max_weekends",
    "contracted_hours",
    "max_shift_type",
    "backup",
)


@dataclass(frozen=True)
class Weights:
    """Soft goals: objective units per unit (cost per pound, the rest per occurrence)."""

    cost: int = 1  # per pound of pay, at each person's rate x their employment's multiplier
    fairness_nights: int = 20  # per night above a person's fair share
    fairness_weekends: int = 20  # per weekend worked above a fair share
    preferences: int = 15  # per shift worked against a preference (requests carry their own)
    continuity: int = 10  # per shift worked outside the person's own unit
    over_cover: int = 5  # per person on a shift beyond its minimum


@dataclass(frozen=True)
class Rules:
    """Which rules bind, how hard, and the solver's budget."""

    cover: Rule = field(default_factory=Rule.hard)
    absence: Rule = field(default_factory=Rule.hard)  # approved leave, sickness, days off
    rest: Rule = field(default_factory=Rule.hard)  # 11 h between shifts (forbidden successors)
    max_48h: Rule = field(default_factory=Rule.hard)  # <= 48 h in any 7 consecutive days
    max_consecutive: Rule = field(default_factory=Rule.hard)
    min_consecutive: Rule = field(default_factory=Rule.hard)
    min_days_off: Rule = field(default_factory=Rule.hard)
    max_weekends: Rule = field(default_factory=Rule.hard)
    contracted_hours: Rule = field(default_factory=Rule.hard)
    max_shift_type: Rule = field(default_factory=Rule.hard)
    backup: Rule = field(default_factory=Rule.hard)  # X works whenever Y is off
    weights: Weights = field(default_factory=Weights)
    rest_hours: float = 11.0
    max_hours_7d: float = 48.0
    # runs of work touching the horizon's first or last day are exempt from min_consecutive
    # (the unseen days around the horizon may extend them)
    edge_runs_exempt: bool = True
    time_limit: float = 20.0
    gap_target: float = 0.0  # stop once within this fraction of the proven bound
    workers: int = 2
    # CP-SAT's linearization_level: 2 puts clauses (cover of one) into the LP too, which
    # proves a home's month optimal in seconds
    linearization: int = 2
    # CP-SAT's named full-search workers; () is its own portfolio
    subsolvers: tuple[str, ...] = ("max_lp", "pseudo_costs")
    # neighbourhood search (core/rota/lns.py): the whole model is solved for this share of the
    # time limit first; if it is not proven optimal by then, the rest of the time improves
    # the best rota block by block, ``lns_step`` seconds at most per block (1.0: never)
    lns_after: float = 1.0
    lns_step: float = 3.0
    # objective units per person short on a shift when cover is soft for diagnosis
    shortfall_weight: int = 100_000

    def rule(self, name: str) -> Rule:
        value = getattr(self, name)
        assert isinstance(value, Rule)
        return value


@dataclass(frozen=True)
class ShiftDef:
    code: str
    start_minute: int  # local minutes after midnight
    minutes: int  # length (a shift may run past midnight)
    paid_hours: float
    night: bool = False  # counts for night fairness


@dataclass(frozen=True)
class Staff:
    key: str  # unique: the person's full name in the product, an id in the benchmark
    role: str
    units: tuple[str, ...]  # units they may work in; the first is their own
    min_minutes: int = 0
    max_minutes: int = 10**9
    contract_minutes: int = 0  # above this, hours cost overtime
    rate: float = 0.0  # pounds per hour (already x the employment's multiplier)
    overtime_rate: float = 0.0  # pounds per hour above contract
    max_shifts: tuple[tuple[str, int], ...] = ()  # per shift type; absent = no limit
    max_consecutive: int | None = None
    min_consecutive: int | None = None
    min_days_off: int | None = None
    max_weekends: int | None = None
    preferred_shifts: frozenset[str] | None = None  # None: no preference
    person_id: int | None = None
    employment: str = "permanent"

    def max_of(self, shift: str) -> int | None:
        return dict(self.max_shifts).get(shift)


@dataclass(frozen=True)
class Cover:
    day: int
    unit: str
    shift: str
    role: str
    required: int
    # the benchmark's per-cover weights when cover is soft (None: the rule's weight)
    under_weight: int | None = None
    over_weight: int | None = None


@dataclass(frozen=True)
class Absence:
    staff: str
    day: int
    reason: str  # "on leave", "off sick", "day off", "working at Hawthorn House"


@dataclass(frozen=True)
class Fixed:
    """An already confirmed shift the rota must keep (accepted overtime, an agency booking,
    an approved swap). ``staff`` None is an agency worker: cover only."""

    staff: str | None
    day: int
    unit: str
    shift: str
    role: str
    label: str = "confirmed"


@dataclass(frozen=True)
class Request:
    """A wish: ``on`` True wants the shift (or any shift, shift None) that day; False wants
    it off. Breaking it costs ``weight``."""

    staff: str
    day: int
    shift: str | None
    on: bool
    weight: int


@dataclass(frozen=True)
class Backup:
    """``backup`` works every day ``covered`` is off."""

    backup: str
    covered: str


@dataclass
class Problem:
    days: int
    shifts: list[ShiftDef]
    staff: list[Staff]
    cover: list[Cover]
    start: date | None = None
    first_weekday: int = 0  # weekday of day 0 (0 Monday)
    absences: list[Absence] = field(default_factory=list)
    fixed: list[Fixed] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    backups: list[Backup] = field(default_factory=list)
    # (shift, next day's shift) pairs nobody may work; None: derived from rest_hours
    forbidden_successors: set[tuple[str, str]] | None = None
    # shifts people already work just outside the horizon, as (day, shift) with day < 0
    # before day 0 and day >= days after the last day; complete for ``outside_days`` days on
    # each side (days further out are unknown). They count for rest, hours in 7 days, days in
    # a row, days off between runs and weekends across the horizon's edges.
    outside: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    outside_days: int = 0
    rules: Rules = field(default_factory=Rules)

    def shift(self, code: str) -> ShiftDef:
        return next(s for s in self.shifts if s.code == code)

    def weekday(self, day: int) -> int:
        return (self.first_weekday + day) % 7

    def date_of(self, day: int) -> date | None:
        return None if self.start is None else self.start + timedelta(days=day)

    def weekends(self) -> list[list[int]]:
        """Day indices of each (partial) weekend in the horizon: Saturday and Sunday."""
        groups: dict[int, list[int]] = {}
        for d in range(self.days):
            if self.weekday(d) in (5, 6):
                # the Saturday that starts this weekend, as a key
                sat = d - (self.weekday(d) - 5)
                groups.setdefault(sat, []).append(d)
        return [groups[k] for k in sorted(groups)]

    def known(self, day: int) -> bool:
        """Whether day (an index, possibly outside the horizon) is inside or known."""
        return -self.outside_days <= day < self.days + self.outside_days

    def outside_of(self, staff: str) -> dict[int, list[str]]:
        """The person's shifts outside the horizon, by day index."""
        out: dict[int, list[str]] = {}
        for day, code in self.outside.get(staff, []):
            if not 0 <= day < self.days and self.known(day):
                out.setdefault(day, []).append(code)
        return out

    def weekend_of(self, day: int) -> list[int]:
        """Both days (indices, possibly outside the horizon) of the weekend day falls in."""
        sat = day - (self.weekday(day) - 5)
        return [sat, sat + 1]

    def successors_forbidden(self) -> set[tuple[str, str]]:
        if self.forbidden_successors is not None:
            return self.forbidden_successors
        return rest_conflicts(self.shifts, self.rules.rest_hours)


def rest_conflicts(shifts: list[ShiftDef], rest_hours: float) -> set[tuple[str, str]]:
    """(s, t) where t on the next day starts less than rest_hours after s ends."""
    out = set()
    for s in shifts:
        for t in shifts:
            gap = 24 * 60 + t.start_minute - (s.start_minute + s.minutes)
            if gap < rest_hours * 60:
                out.add((s.code, t.code))
    return out


@dataclass(frozen=True)
class Assignment:
    """One person on one shift in one unit on one day of the horizon (what a solution is made
    of; the checker reads these without the solver)."""

    staff: str
    day: int
    shift: str
    unit: str
