"""Large neighbourhood search over a solved CP-SAT model of a rota.

Starts from a rota that satisfies the whole model and frees a block of it at a time (days,
people, or both), solving that block exactly with the rest held fixed; it keeps every
better rota, so what it returns satisfies the whole model.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from core.rota.problem import Rules

if TYPE_CHECKING:
    from core.rota.solver import _Model, _Progress


def params(solver: cp_model.CpSolver, rules: Rules, time_limit: float) -> None:
    solver.parameters.num_workers = max(1, rules.workers)
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.linearization_level = rules.linearization
    for name in rules.subsolvers:
        solver.parameters.subsolvers.append(name)


class Best:
    """The best rota found by the neighbourhood search, read like a solver's answer."""

    def __init__(self, solution: list[int], objective: float, bound: float) -> None:
        self.solution = solution
        self.objective = objective
        self.bound = bound

    def Value(self, v: Any) -> int:  # noqa: N802 (the solver's name for it)
        return int(v) if isinstance(v, int) else self.solution[v.Index()]

    def ObjectiveValue(self) -> float:  # noqa: N802
        return self.objective

    def BestObjectiveBound(self) -> float:  # noqa: N802
        return self.bound


def lns(
    model: _Model,
    rules: Rules,
    best: Best,
    progress: _Progress,
    started: float,
    time_limit: float,
) -> None:
    """Large neighbourhood search: free a block of the rota (some days for everyone, some
    people for every day, or some people for some days), keep the rest as it is, solve that
    exactly, keep the better rota; the block grows while it is solved to optimality and
    shrinks while it is not. Every rota it keeps satisfies the whole model."""
    p = model.p
    rng = random.Random(0)
    cells: dict[tuple[str, int], list[int]] = defaultdict(list)
    for (k, d, _sh, _u), v in model.x.items():
        cells[(k, d)].append(v.Index())
    keys = [s.key for s in p.staff]
    kinds = ("days", "staff", "block")
    shares = dict.fromkeys(kinds, 0.25)  # each kind's block size, as a share
    turn = 0
    while True:
        left = time_limit - (time.perf_counter() - started)
        gap = best.objective - best.bound
        if left < 0.5 or gap <= 1e-9 or gap <= rules.gap_target * abs(best.objective):
            return
        kind = kinds[turn % len(kinds)]
        share = shares[kind]
        turn += 1
        # half the time, centre a block of days on a day the best rota is short or over
        short = [p.cover[i].day for i, v in model.under.items() if best.Value(v) > 0] + [
            d for d, v in model.excess_days if best.Value(v) > 0
        ]

        def start_of(width: int, short: list[int] = short) -> int:
            if short and rng.random() < 0.5:
                centre = rng.choice(short)
                return min(max(0, centre - width // 2), max(0, p.days - width))
            return rng.randrange(0, max(1, p.days - width + 1))

        if kind == "days":
            width = max(2, round(p.days * share))
            first = start_of(width)
            free = {(k, d) for k in keys for d in range(first, first + width)}
        elif kind == "staff":
            n = max(2, round(len(keys) * share))
            free = {(k, d) for k in rng.sample(keys, min(n, len(keys))) for d in range(p.days)}
        else:
            n = max(2, round(len(keys) * min(1.0, share * 2)))
            width = max(3, round(p.days * min(1.0, share * 2)))
            first = start_of(width)
            people = rng.sample(keys, min(n, len(keys)))
            free = {(k, d) for k in people for d in range(first, first + width)}
        sub = model.m.clone()
        proto = sub.Proto()
        for cell, indices in cells.items():
            if cell in free:
                continue
            for i in indices:
                var = proto.variables[i]
                if len(var.domain) == 2 and var.domain[0] != var.domain[1]:
                    var.domain[0] = var.domain[1] = best.solution[i]
        proto.solution_hint.vars.extend(range(len(best.solution)))
        proto.solution_hint.values.extend(best.solution)
        solver = cp_model.CpSolver()
        params(solver, rules, min(left, rules.lns_step))
        status = solver.Solve(sub)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            value = solver.ObjectiveValue()
            if value < best.objective - 1e-9:
                best.solution = list(solver.ResponseProto().solution)
                best.objective = value
                progress.best = value
                progress.best_at = time.perf_counter() - progress.started
        # a block solved to optimality in time: try a bigger one next; else a smaller one
        shares[kind] = (
            min(0.8, share * 1.15) if status == cp_model.OPTIMAL else max(0.05, share / 1.3)
        )
