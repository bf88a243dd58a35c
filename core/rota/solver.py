"""The CP-SAT model of a :class:`~core.rota.problem.Problem`.

One Boolean per (person, day, shift, unit) they could work. Every rule is hard, soft (a
penalised breach variable) or off, as ``problem.rules`` says. When the hard rules admit no
rota, the cover minimums are relaxed with a large penalty per missing person, so the answer
says which shifts are short and by how many (``shortfalls``); if even that is impossible,
every rule is relaxed and the breaches are reported.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from core.rota.lns import Best, lns, params
from core.rota.problem import (
    RULE_NAMES,
    Assignment,
    Cover,
    Mode,
    Problem,
    Rule,
    Rules,
    Staff,
)

Var = Any  # cp_model.IntVar; ortools' stubs are partial
Key = tuple[str, int, str, str]  # staff, day, shift, unit


@dataclass(frozen=True)
class Shortfall:
    cover: Cover
    possible: int  # how many the best relaxed rota could place

    @property
    def short(self) -> int:
        return self.cover.required - self.possible


@dataclass(frozen=True)
class Breach:
    """A soft (or, in the last-resort relaxation, hard) rule the rota breaks."""

    rule: str
    staff: str | None
    day: int | None
    amount: int
    penalty: int


@dataclass
class Solution:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    objective: float | None
    bound: float | None
    seconds: float
    seconds_to_best: float | None
    assignments: list[Assignment] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    relaxed: tuple[str, ...] = ()  # rules relaxed to find the shortfalls
    terms: dict[str, int] = field(default_factory=dict)  # objective by part

    @property
    def gap_pct(self) -> float | None:
        """Gap between the rota's objective and the proven bound, in % of the objective."""
        if self.objective is None or self.bound is None:
            return None
        if self.status == "OPTIMAL":
            return 0.0
        denom = max(abs(self.objective), 1e-9)
        return round(100.0 * max(0.0, self.objective - self.bound) / denom, 3)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Remembers when the best rota so far was found."""

    def __init__(self, stop_after: float | None = None) -> None:
        super().__init__()
        self.started = time.perf_counter()
        self.best_at: float | None = None
        self.best: float | None = None
        # hand over to the neighbourhood search at the first rota found after this long
        self.stop_after = stop_after

    def on_solution_callback(self) -> None:
        value = self.ObjectiveValue()
        if self.best is None or value < self.best:
            self.best = value
            self.best_at = time.perf_counter() - self.started
        if self.stop_after is not None and time.perf_counter() - self.started >= self.stop_after:
            self.StopSearch()


class _Model:
    def __init__(self, problem: Problem, rules: Rules) -> None:
        self.p = problem
        self.rules = rules
        self.m: Any = cp_model.CpModel()  # ortools' stubs lack the CamelCase API
        self.x: dict[Key, Var] = {}
        self.terms: dict[str, list[tuple[Var, int]]] = defaultdict(list)
        self.breach_vars: list[tuple[str, str | None, int | None, Var, int]] = []
        self.under: dict[int, Var] = {}  # cover index -> people short
        self.constant: dict[str, int] = defaultdict(int)
        self.excess_days: list[tuple[int, Var]] = []  # (day, people over a shift's minimum)
        self._build()

    # ---- helpers ------------------------------------------------------------------------
    def penalise(self, part: str, var: Var, weight: int) -> None:
        if weight:
            self.terms[part].append((var, weight))

    def breach(self, rule: str, staff: str | None, day: int | None, ub: int, weight: int) -> Var:
        v = (
            self.m.NewIntVar(0, ub, f"breach_{rule}_{staff}_{day}")
            if ub > 1
            else self.m.NewBoolVar(f"breach_{rule}_{staff}_{day}")
        )
        self.breach_vars.append((rule, staff, day, v, weight))
        self.penalise("rules", v, weight)
        return v

    def le(
        self,
        rule: Rule,
        name: str,
        staff: str | None,
        day: int | None,
        expr: Any,
        limit: int,
        ub: int,
    ) -> None:
        """expr <= limit, hard or with a penalised excess."""
        if rule.mode == Mode.OFF:
            return
        if rule.mode == Mode.HARD:
            self.m.Add(expr <= limit)
        else:
            self.m.Add(expr <= limit + self.breach(name, staff, day, max(ub, 1), rule.weight))

    def clause(self, rule: Rule, name: str, staff: str, day: int, lits: list[Any]) -> None:
        """At least one literal true, hard or with a penalised breach."""
        if rule.mode == Mode.OFF:
            return
        if rule.mode == Mode.SOFT:
            lits = lits + [self.breach(name, staff, day, 1, rule.weight)]
        self.m.AddBoolOr(lits)

    # ---- the model ------------------------------------------------------------------------
    def _build(self) -> None:
        p, r, m = self.p, self.rules, self.m
        days = range(p.days)
        absent: dict[tuple[str, int], str] = {(a.staff, a.day): a.reason for a in p.absences}
        covers_by_role: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for c in p.cover:
            covers_by_role[c.role].add((c.unit, c.shift))
        fixed_mine = {(f.staff, f.day): f for f in p.fixed if f.staff is not None}
        self.staff_by_key = {s.key: s for s in p.staff}

        for s in p.staff:
            combos = [
                (u, sh)
                for u in s.units
                for sh in (x.code for x in p.shifts)
                if (u, sh) in covers_by_role.get(s.role, set()) and s.max_of(sh) != 0
            ]
            for d in days:
                f = fixed_mine.get((s.key, d))
                if f is not None:
                    v = m.NewConstant(1)
                    self.x[(s.key, d, f.shift, f.unit)] = v
                    continue
                if (s.key, d) in absent and r.absence.mode == Mode.HARD:
                    continue
                for u, sh in combos:
                    self.x[(s.key, d, sh, u)] = m.NewBoolVar(f"x_{s.key}_{d}_{sh}_{u}")
        by_pd: dict[tuple[str, int], list[Var]] = defaultdict(list)
        by_pds: dict[tuple[str, int, str], list[Var]] = defaultdict(list)
        for (k, d, sh, _u), v in self.x.items():
            by_pd[(k, d)].append(v)
            by_pds[(k, d, sh)].append(v)
        self.by_pds = by_pds

        # one shift a day (structural: always hard)
        self.work: dict[tuple[str, int], Any] = {}
        for s in p.staff:
            for d in days:
                vs = by_pd.get((s.key, d), [])
                if len(vs) > 1:
                    m.AddAtMostOne(vs)
                if not vs:
                    self.work[(s.key, d)] = 0
                elif len(vs) == 1:
                    self.work[(s.key, d)] = vs[0]
                else:
                    w = m.NewBoolVar(f"w_{s.key}_{d}")
                    m.Add(w == sum(vs))
                    self.work[(s.key, d)] = w

        def ws(k: str, d: int, sh: str) -> Any:
            vs = by_pds.get((k, d, sh), [])
            return sum(vs) if vs else 0

        def lit_work(k: str, d: int) -> Any:
            return self.work_on(k, d)

        # absence (soft: working while away costs)
        if r.absence.mode == Mode.SOFT:
            for (k, d), _reason in absent.items():
                if (k, d) in fixed_mine:
                    continue
                w = self.work.get((k, d))
                if w is not None and not isinstance(w, int):
                    self.penalise("rules", w, r.absence.weight)
                    self.breach_vars.append(("absence", k, d, w, r.absence.weight))

        # cover
        fixed_count: dict[tuple[int, str, str, str], int] = defaultdict(int)
        for f in p.fixed:
            fixed_count[(f.day, f.unit, f.shift, f.role)] += 1
        slot_vars: dict[tuple[int, str, str, str], list[Var]] = defaultdict(list)
        for (k, d, sh, u), v in self.x.items():
            st = self.staff_by_key[k]
            if (k, d) in fixed_mine:
                continue  # counted through fixed_count
            slot_vars[(d, u, sh, st.role)].append(v)
        covered_slots = set()
        for i, c in enumerate(p.cover):
            slot = (c.day, c.unit, c.shift, c.role)
            covered_slots.add(slot)
            n = sum(slot_vars.get(slot, [])) + fixed_count.get(slot, 0)
            cap = len(slot_vars.get(slot, [])) + fixed_count.get(slot, 0)
            if r.cover.mode == Mode.HARD:
                m.Add(n >= c.required)
            elif r.cover.mode == Mode.SOFT:
                under = m.NewIntVar(0, c.required, f"under_{i}")
                m.Add(n + under >= c.required)
                self.under[i] = under
                self.penalise(
                    "cover", under, c.under_weight if c.under_weight is not None else r.cover.weight
                )
            over_w = c.over_weight if c.over_weight is not None else r.weights.over_cover
            if over_w and cap > c.required:
                over = m.NewIntVar(0, cap, f"over_{i}")
                m.Add(over >= n - c.required)
                self.penalise("over_cover", over, over_w)
                self.excess_days.append((c.day, over))
        for slot, vs in slot_vars.items():
            if slot not in covered_slots:  # a shift nobody asked for that day
                for v in vs:
                    self.penalise("over_cover", v, r.weights.over_cover)

        forbidden = p.successors_forbidden()
        hours_min = {x.code: int(round(x.paid_hours * 60)) for x in p.shifts}
        weekends = p.weekends()
        for s in p.staff:
            k = s.key
            # rest between shifts
            if r.rest.mode != Mode.OFF:
                for d in range(p.days - 1):
                    for a, b in forbidden:
                        ea, eb = ws(k, d, a), ws(k, d + 1, b)
                        if isinstance(ea, int) or isinstance(eb, int):
                            continue
                        self.le(r.rest, "rest", k, d + 1, ea + eb, 1, 1)
                # across the edges: what the person works the day before and the day after
                around = p.outside_of(k)
                for a, b in forbidden:
                    if a in around.get(-1, []) and not isinstance(ws(k, 0, b), int):
                        self.le(r.rest, "rest", k, 0, ws(k, 0, b), 0, 1)
                    last = p.days - 1
                    if b in around.get(p.days, []) and not isinstance(ws(k, last, a), int):
                        self.le(r.rest, "rest", k, last, ws(k, last, a), 0, 1)
            # hours in any 7 days, counting the shifts just outside the horizon
            if r.max_48h.mode != Mode.OFF:
                cap7 = int(round(r.max_hours_7d * 60))
                around = p.outside_of(k)
                for d in self._windows(7):
                    expr = sum(hours_min[sh] * v for (kk, dd, sh, _u), v in self._of(k, d, 7))
                    if isinstance(expr, int):
                        continue
                    already = sum(
                        hours_min[sh] for dd in range(d, d + 7) for sh in around.get(dd, [])
                    )
                    # hours outside already over the cap: add nothing in this window
                    limit = max(cap7 - already, 0)
                    self.le(r.max_48h, "max_48h", k, d, expr, limit, 7 * 12 * 60)
            # consecutive working days (a run may start before the horizon or end after it)
            if s.max_consecutive is not None and r.max_consecutive.mode != Mode.OFF:
                n = s.max_consecutive
                for d in self._windows(n + 1):
                    expr = sum(lit_work(k, dd) for dd in range(d, d + n + 1))
                    if not isinstance(expr, int):
                        self.le(r.max_consecutive, "max_consecutive", k, d + n, expr, n, 1)
            if s.min_consecutive and s.min_consecutive > 1 and r.min_consecutive.mode != Mode.OFF:
                self._min_runs(k, s.min_consecutive, work_runs=True)
            if s.min_days_off and s.min_days_off > 1 and r.min_days_off.mode != Mode.OFF:
                self._min_runs(k, s.min_days_off, work_runs=False)
            # weekends
            if s.max_weekends is not None and r.max_weekends.mode != Mode.OFF:
                wk = [self._weekend_var(k, group) for group in weekends]
                done = sum(v for v in wk if isinstance(v, int))  # worked already, outside
                wk = [v for v in wk if not isinstance(v, int)]
                if wk:
                    limit = max(s.max_weekends - done, 0)
                    self.le(r.max_weekends, "max_weekends", k, None, sum(wk), limit, len(wk))
            # contracted hours and per-type maxima
            total = sum(hours_min[sh] * v for (kk, _d, sh, _u), v in self.x.items() if kk == k)
            if r.contracted_hours.mode != Mode.OFF and not isinstance(total, int):
                self._range(k, total, s.min_minutes, s.max_minutes, r.contracted_hours)
            elif (
                r.contracted_hours.mode == Mode.HARD
                and s.min_minutes > 0
                and isinstance(total, int)
            ):
                m.Add(m.NewConstant(0) >= 1)  # nothing workable but a minimum to meet
            if r.max_shift_type.mode != Mode.OFF:
                for sh, cap in s.max_shifts:
                    expr = sum(v for (kk, _d, ss, _u), v in self.x.items() if kk == k and ss == sh)
                    if not isinstance(expr, int):
                        self.le(r.max_shift_type, "max_shift_type", k, None, expr, cap, p.days)
        self._backups()
        self._requests(ws)
        self._goals(hours_min)

        objective = []
        for part, items in self.terms.items():
            for v, w in items:
                objective.append(w * v)
            del part
        if objective:
            m.Minimize(sum(objective))

    def work_on(self, k: str, d: int) -> Any:
        """Whether k works on day d: the model's literal inside the horizon, 1 or 0 for a
        known day outside it."""
        if 0 <= d < self.p.days:
            return self.work[(k, d)]
        return 1 if self.p.outside_of(k).get(d) else 0

    def _windows(self, length: int) -> range:
        """First days of the windows of ``length`` days that touch the horizon and lie within
        the known days (the horizon and ``outside_days`` either side)."""
        p = self.p
        lo = max(-p.outside_days, 1 - length)
        hi = min(p.days + p.outside_days, p.days + length - 1) - length
        return range(lo, hi + 1)

    def _of(self, k: str, start: int, length: int) -> Iterable[tuple[Key, Var]]:
        for d in range(max(start, 0), min(start + length, self.p.days)):
            for sh in (x.code for x in self.p.shifts):
                for v in self.by_pds.get((k, d, sh), []):
                    yield (k, d, sh, ""), v

    def _weekend_var(self, k: str, group: list[int]) -> Any:
        """Whether k works the weekend of ``group`` (its days in the horizon); a weekend
        already worked on its day outside the horizon counts as worked."""
        outside = self.p.outside_of(k)
        if any(outside.get(d) for d in self.p.weekend_of(group[0]) if d not in group):
            return 1
        lits = [self.work[(k, d)] for d in group if not isinstance(self.work[(k, d)], int)]
        if not lits:
            return 0
        if len(lits) == 1:
            return lits[0]
        v = self.m.NewBoolVar(f"wk_{k}_{group[0]}")
        self.m.AddMaxEquality(v, lits)
        return v

    def _min_runs(self, k: str, minimum: int, work_runs: bool) -> None:
        """No run (of work, or of days off between work) shorter than ``minimum``."""
        p, r = self.p, self.rules
        rule = r.min_consecutive if work_runs else r.min_days_off
        name = "min_consecutive" if work_runs else "min_days_off"

        def lit(d: int, working: bool) -> Any:
            w = self.work_on(k, d)
            if isinstance(w, int):
                return bool(w) == working  # a constant truth value
            return w if working else w.Not()

        for length in range(1, minimum):
            # runs may start before the horizon or end after it, on known days
            for d in range(-p.outside_days, p.days + p.outside_days - length + 1):
                before, after = d - 1, d + length
                if after < 0 or before > p.days - 1:
                    continue  # the pattern lies wholly outside the horizon
                # days-off runs touching the known days' edge are free; work runs too when
                # edges are exempt
                at_edge = not p.known(before) or not p.known(after)
                if at_edge and (not work_runs or r.edge_runs_exempt):
                    continue
                # forbid: (edge or opposite) before, run inside, (edge or opposite) after
                lits = []
                trivially_true = False
                for dd in range(d, d + length):
                    lt = lit(dd, not work_runs)  # clause literal: the run is broken here
                    if lt is True:
                        trivially_true = True
                    elif lt is not False:
                        lits.append(lt)
                for edge in (before, after):
                    if p.known(edge):
                        lt = lit(edge, work_runs)  # the neighbour continues the run
                        if lt is True:
                            trivially_true = True
                        elif lt is not False:
                            lits.append(lt)
                if trivially_true:
                    continue
                if not lits:
                    if rule.mode == Mode.HARD:
                        self.m.Add(self.m.NewConstant(0) >= 1)
                    continue
                self.clause(rule, name, k, d, lits)

    def _range(self, k: str, total: Any, lo: int, hi: int, rule: Rule) -> None:
        if rule.mode == Mode.HARD:
            self.m.Add(total >= lo)
            self.m.Add(total <= hi)
            return
        # soft: breach counted in hours
        short = self.breach("contracted_hours", k, None, 10_000, rule.weight)
        over = self.breach("contracted_hours", k, None, 10_000, rule.weight)
        self.m.Add(total + 60 * short >= lo)
        self.m.Add(total - 60 * over <= hi)

    def _backups(self) -> None:
        rule = self.rules.backup
        if rule.mode == Mode.OFF:
            return
        for b in self.p.backups:
            for d in range(self.p.days):
                wb, wc = self.work.get((b.backup, d), 0), self.work.get((b.covered, d), 0)
                expr = wb + wc
                if isinstance(expr, int):
                    if expr < 1 and rule.mode == Mode.HARD:
                        self.m.Add(self.m.NewConstant(0) >= 1)
                    continue
                if rule.mode == Mode.HARD:
                    self.m.Add(expr >= 1)
                else:
                    self.m.Add(expr + self.breach("backup", b.backup, d, 1, rule.weight) >= 1)

    def _requests(self, ws: Any) -> None:
        for q in self.p.requests:
            expr = (
                self.work.get((q.staff, q.day), 0)
                if q.shift is None
                else ws(q.staff, q.day, q.shift)
            )
            if isinstance(expr, int):
                if q.on and expr == 0:
                    self.constant["preferences"] += q.weight
                continue
            if q.on:
                v = self.m.NewBoolVar(f"req_on_{q.staff}_{q.day}")
                self.m.Add(v + expr >= 1)  # v: the wish is not met
                self.penalise("preferences", v, q.weight)
            else:
                if isinstance(expr, cp_model.IntVar):
                    self.penalise("preferences", expr, q.weight)
                else:
                    v = self.m.NewBoolVar(f"req_off_{q.staff}_{q.day}")
                    self.m.Add(v >= expr)
                    self.penalise("preferences", v, q.weight)

    def _goals(self, hours_min: dict[str, int]) -> None:
        p, wts, m = self.p, self.rules.weights, self.m
        paid = {x.code: x.paid_hours for x in p.shifts}
        nights = {x.code for x in p.shifts if x.night}
        for (k, d, sh, u), v in self.x.items():
            s = self.staff_by_key[k]
            if wts.cost and s.rate:
                self.penalise("cost", v, wts.cost * int(round(s.rate * paid[sh])))
            if wts.continuity and s.units and u != s.units[0]:
                self.penalise("continuity", v, wts.continuity)
            if wts.preferences and s.preferred_shifts is not None and sh not in s.preferred_shifts:
                self.penalise("preferences", v, wts.preferences)
            del d
        # overtime: hours above contract cost the difference
        if wts.cost:
            for s in p.staff:
                extra = s.overtime_rate - s.rate
                if extra <= 0:
                    continue
                total = sum(
                    hours_min[sh] * v for (kk, _d, sh, _u), v in self.x.items() if kk == s.key
                )
                if isinstance(total, int):
                    continue
                ot = m.NewIntVar(0, p.days * 24, f"ot_{s.key}")
                m.Add(60 * ot >= total - s.contract_minutes)
                self.penalise("cost", ot, wts.cost * int(round(extra)))
        # fairness: nights and weekends above each person's fair share, per role
        by_role: dict[str, list[Staff]] = defaultdict(list)
        for s in p.staff:
            by_role[s.role].append(s)
        for role, people in by_role.items():
            if wts.fairness_nights and nights:
                need = sum(c.required for c in p.cover if c.role == role and c.shift in nights)
                able = [s for s in people if any(s.max_of(n) != 0 for n in nights)]
                if need and able:
                    share = math.ceil(need / len(able))
                    for s in able:
                        expr = sum(
                            v
                            for (kk, _d, sh, _u), v in self.x.items()
                            if kk == s.key and sh in nights
                        )
                        if isinstance(expr, int):
                            continue
                        over = m.NewIntVar(0, p.days, f"fair_n_{s.key}")
                        m.Add(over >= expr - share)
                        self.penalise("fairness", over, wts.fairness_nights)
            if wts.fairness_weekends:
                groups = p.weekends()
                need = 0
                for g in groups:
                    per_day = [
                        sum(c.required for c in p.cover if c.role == role and c.day == d) for d in g
                    ]
                    need += max(per_day) if per_day else 0
                if need and people:
                    share = math.ceil(need / len(people))
                    for s in people:
                        wk = [self._weekend_var(s.key, g) for g in groups]
                        expr = sum(v for v in wk if not isinstance(v, int))
                        if isinstance(expr, int):
                            continue
                        over = m.NewIntVar(0, len(groups), f"fair_w_{s.key}")
                        m.Add(over >= expr - share)
                        self.penalise("fairness", over, wts.fairness_weekends)


def _run(
    problem: Problem, rules: Rules, time_limit: float
) -> tuple[_Model, Any, Any, _Progress, float]:
    model = _Model(problem, rules)
    solver = cp_model.CpSolver()
    # with neighbourhood search, the whole model gets only its share of the time first
    with_lns = rules.lns_after < 1
    params(solver, rules, time_limit)
    if rules.gap_target > 0:
        solver.parameters.relative_gap_limit = rules.gap_target
    # the whole model runs until its share of the time is up and it has a rota (the first
    # rota found after that stops it; so does a timer, once there is one)
    progress = _Progress(time_limit * rules.lns_after if with_lns else None)
    timer = None
    if with_lns:

        def hand_over() -> None:
            if progress.best is not None:
                solver.StopSearch()
            else:
                progress.stop_after = 0.0  # at the first rota

        timer = threading.Timer(time_limit * rules.lns_after, hand_over)
        timer.daemon = True
        timer.start()
    started = time.perf_counter()
    try:
        status = solver.Solve(model.m, progress)
    finally:
        if timer is not None:
            timer.cancel()
    seconds = time.perf_counter() - started
    if status != cp_model.FEASIBLE or rules.lns_after >= 1 or seconds >= time_limit - 0.5:
        return model, solver, status, progress, seconds
    if rules.gap_target > 0 and solver.ObjectiveValue() - solver.BestObjectiveBound() <= (
        rules.gap_target * abs(solver.ObjectiveValue())
    ):
        return model, solver, status, progress, seconds
    best = Best(
        list(solver.ResponseProto().solution),
        solver.ObjectiveValue(),
        solver.BestObjectiveBound(),
    )
    lns(model, rules, best, progress, started, time_limit)
    if best.objective <= best.bound + 1e-9:
        status = cp_model.OPTIMAL  # the search reached the proven bound
    return model, best, status, progress, time.perf_counter() - started


def _read(
    model: _Model,
    solver: cp_model.CpSolver,
    status: Any,
    progress: _Progress,
    seconds: float,
    label: str | None = None,
) -> Solution:
    names = {
        cp_model.OPTIMAL: "OPTIMAL",
        cp_model.FEASIBLE: "FEASIBLE",
        cp_model.INFEASIBLE: "INFEASIBLE",
        cp_model.MODEL_INVALID: "UNKNOWN",
        cp_model.UNKNOWN: "UNKNOWN",
    }
    name = label or names.get(status, "UNKNOWN")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solution(name, None, None, round(seconds, 3), None)
    assignments = [
        Assignment(k, d, sh, u) for (k, d, sh, u), v in model.x.items() if solver.Value(v)
    ]
    assignments.sort(key=lambda a: (a.day, a.unit, a.shift, a.staff))
    shortfalls = []
    for i, under in model.under.items():
        short = solver.Value(under)
        if short > 0:
            c = model.p.cover[i]
            shortfalls.append(Shortfall(c, c.required - short))
    breaches = [
        Breach(rule, k, d, int(solver.Value(v)), w * int(solver.Value(v)))
        for rule, k, d, v, w in model.breach_vars
        if solver.Value(v)
    ]
    terms = {
        part: int(sum(w * solver.Value(v) for v, w in items)) for part, items in model.terms.items()
    }
    for part, value in model.constant.items():
        terms[part] = terms.get(part, 0) + value
    objective = solver.ObjectiveValue() + sum(model.constant.values())
    bound = solver.BestObjectiveBound() + sum(model.constant.values())
    return Solution(
        name,
        objective,
        bound,
        round(seconds, 3),
        None if progress.best_at is None else round(progress.best_at, 3),
        assignments,
        shortfalls,
        breaches,
        terms=terms,
    )


def solve(problem: Problem, diagnose: bool = True) -> Solution:
    """Solve the problem with its rules. If the hard rules admit no rota (proven), find the
    shortfalls by relaxing cover, and failing that every rule."""
    rules = problem.rules
    model, solver, status, progress, seconds = _run(problem, rules, rules.time_limit)
    solution = _read(model, solver, status, progress, seconds)
    if status != cp_model.INFEASIBLE or not diagnose:
        return solution
    total = seconds
    if rules.cover.mode == Mode.HARD:
        relaxed_rules = replace(rules, cover=Rule.soft(rules.shortfall_weight), gap_target=0.0)
        m2, s2, st2, pr2, sec2 = _run(problem, relaxed_rules, rules.time_limit)
        total += sec2
        if st2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = _read(m2, s2, st2, pr2, total, label="INFEASIBLE")
            found.relaxed = ("cover",)
            return found
    # last resort: every hard rule becomes a heavily penalised soft one
    soft: dict[str, Any] = {
        n: Rule.soft(rules.shortfall_weight) for n in RULE_NAMES if rules.rule(n).mode == Mode.HARD
    }
    m3, s3, st3, pr3, sec3 = _run(problem, replace(rules, **soft), rules.time_limit)
    total += sec3
    found = _read(m3, s3, st3, pr3, total, label="INFEASIBLE")
    found.relaxed = tuple(sorted(soft))
    return found
