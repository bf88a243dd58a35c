"""An independent check of a rota against the rules, straight from their definitions.

It shares no code with the CP-SAT model: it walks the assignments in time order, measures
real gaps between shifts, sums hours in each 7-day window, counts runs and weekends. Tests
run it over every draft, and the shortfall diagnosis uses it to say why each person who could
have worked a short shift did not (``reasons_for``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from core.rota.problem import Assignment, Cover, Mode, Problem, Staff


@dataclass(frozen=True)
class Violation:
    rule: str
    staff: str | None
    day: int | None
    text: str


def _modes(problem: Problem, modes: Iterable[Mode]) -> set[str]:
    wanted = set(modes)
    names = (
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
    return {n for n in names if problem.rules.rule(n).mode in wanted}


def check(
    problem: Problem,
    assignments: list[Assignment],
    modes: Iterable[Mode] = (Mode.HARD,),
    skip_cover: bool = False,
) -> list[Violation]:
    """Every breach of a rule whose mode is in ``modes`` (hard rules by default)."""
    rules = _modes(problem, modes)
    out: list[Violation] = []
    staff = {s.key: s for s in problem.staff}
    shifts = {s.code: s for s in problem.shifts}
    mine: dict[str, list[Assignment]] = defaultdict(list)
    fixed_keys = {(f.staff, f.day, f.shift, f.unit) for f in problem.fixed if f.staff}
    for a in assignments:
        mine[a.staff].append(a)
        s = staff.get(a.staff)
        if s is None:
            out.append(Violation("unknown", a.staff, a.day, f"{a.staff} is not on the staff"))
            continue
        fixed = (a.staff, a.day, a.shift, a.unit) in fixed_keys
        if a.unit not in s.units and not fixed:
            out.append(Violation("unit", a.staff, a.day, f"{a.staff} cannot work in {a.unit}"))
        if not 0 <= a.day < problem.days:
            out.append(Violation("horizon", a.staff, a.day, "outside the horizon"))
    # a person's own shifts: one a day, then the rules over their sequence
    for f in problem.fixed:
        if f.staff and (f.staff, f.day, f.shift, f.unit) not in {
            (a.staff, a.day, a.shift, a.unit) for a in mine.get(f.staff, [])
        }:
            out.append(Violation("fixed", f.staff, f.day, f"{f.staff} lost a {f.label} shift"))
    absent = {(a.staff, a.day): a.reason for a in problem.absences}
    for s in problem.staff:
        if s.key in mine:
            out.extend(_person(problem, s, mine[s.key], absent, fixed_keys, rules, shifts))
        elif "contracted_hours" in rules and s.min_minutes > 0:
            # a contract minimum binds those the rota gives no shift too
            out.append(
                Violation(
                    "contracted_hours",
                    s.key,
                    None,
                    f"{s.key}: 0 h, allowed {s.min_minutes / 60:g}-{s.max_minutes / 60:g}",
                )
            )
    if "cover" in rules and not skip_cover:
        out.extend(_cover(problem, assignments, staff))
    if "backup" in rules:
        working = {(a.staff, a.day) for a in assignments}
        for b in problem.backups:
            for d in range(problem.days):
                if (b.covered, d) not in working and (b.backup, d) not in working:
                    out.append(
                        Violation("backup", b.backup, d, f"{b.backup} off while {b.covered} is off")
                    )
    return out


def _cover(
    problem: Problem, assignments: list[Assignment], staff: dict[str, Staff]
) -> list[Violation]:
    count: Counter[tuple[int, str, str, str]] = Counter()
    fixed_keys = {(f.staff, f.day, f.shift, f.unit) for f in problem.fixed if f.staff}
    for a in assignments:
        if (a.staff, a.day, a.shift, a.unit) in fixed_keys:
            continue
        count[(a.day, a.unit, a.shift, staff[a.staff].role)] += 1
    for f in problem.fixed:
        count[(f.day, f.unit, f.shift, f.role)] += 1
    out = []
    for c in problem.cover:
        have = count[(c.day, c.unit, c.shift, c.role)]
        if have < c.required:
            out.append(
                Violation(
                    "cover",
                    None,
                    c.day,
                    f"day {c.day} {c.unit} {c.shift} {c.role}: {have} of {c.required}",
                )
            )
    return out


def _person(
    problem: Problem,
    s: Staff,
    items: list[Assignment],
    absent: dict[tuple[str, int], str],
    fixed_keys: set[tuple[str, int, str, str]],
    rules: set[str],
    shifts: dict,
) -> list[Violation]:  # type: ignore[type-arg]
    out: list[Violation] = []
    k = s.key
    per_day = Counter(a.day for a in items)
    for d, n in per_day.items():
        if n > 1:
            out.append(Violation("one_a_day", k, d, f"{k} works {n} shifts on day {d}"))
    items = sorted(items, key=lambda a: (a.day, shifts[a.shift].start_minute))
    worked = {a.day for a in items}
    # what the person works just outside the horizon, on the days known there
    outside = [
        (d, code)
        for d, code in problem.outside.get(k, [])
        if not 0 <= d < problem.days
        and -problem.outside_days <= d < problem.days + problem.outside_days
    ]
    first_known, end_known = -problem.outside_days, problem.days + problem.outside_days
    worked_all = worked | {d for d, _ in outside}

    def touches(first: int, last: int) -> bool:  # a span of days meets the horizon
        return first <= problem.days - 1 and last >= 0

    r = problem.rules
    if "absence" in rules:
        for a in items:
            if (k, a.day) in absent and (k, a.day, a.shift, a.unit) not in fixed_keys:
                out.append(Violation("absence", k, a.day, f"{k} works while {absent[(k, a.day)]}"))
    if "rest" in rules:
        seq = sorted(
            [(d, code, False) for d, code in outside] + [(a.day, a.shift, True) for a in items],
            key=lambda t: (t[0], shifts[t[1]].start_minute),
        )
        explicit = problem.forbidden_successors
        for (d1, s1, in1), (d2, s2, in2) in zip(seq, seq[1:], strict=False):
            if not (in1 or in2):
                continue  # both outside the horizon: not the draft's doing
            if explicit is not None:
                if d2 == d1 + 1 and (s1, s2) in explicit:
                    out.append(Violation("rest", k, d2, f"{k}: {s2} after {s1}"))
                continue
            end = d1 * 1440 + shifts[s1].start_minute + shifts[s1].minutes
            begin = d2 * 1440 + shifts[s2].start_minute
            if begin - end < r.rest_hours * 60:
                out.append(
                    Violation(
                        "rest", k, d2, f"{k}: {(begin - end) / 60:.1f} h rest before the {s2}"
                    )
                )
    if "max_48h" in rules:
        hours: defaultdict[int, float] = defaultdict(float)
        inside_hours: defaultdict[int, float] = defaultdict(float)
        for a in items:
            hours[a.day] += shifts[a.shift].paid_hours
            inside_hours[a.day] += shifts[a.shift].paid_hours
        for d, code in outside:
            hours[d] += shifts[code].paid_hours
        # every 7-day window of known days that meets the horizon, where the draft adds hours
        for d in range(first_known, end_known - 6):
            if not touches(d, d + 6) or not sum(inside_hours[dd] for dd in range(d, d + 7)):
                continue
            total = sum(hours[dd] for dd in range(d, d + 7))
            if total > r.max_hours_7d + 1e-9:
                out.append(Violation("max_48h", k, d, f"{k}: {total:g} h in 7 days"))
    runs = _runs(worked_all, first_known, end_known)
    if "max_consecutive" in rules and s.max_consecutive is not None:
        for first, last in runs:
            if touches(first, last) and last - first + 1 > s.max_consecutive:
                out.append(
                    Violation("max_consecutive", k, last, f"{k}: {last - first + 1} days in a row")
                )
    if "min_consecutive" in rules and s.min_consecutive:
        for first, last in runs:
            if not touches(first, last):
                continue
            edge = first == first_known or last == end_known - 1
            if edge and r.edge_runs_exempt:
                continue
            if last - first + 1 < s.min_consecutive:
                out.append(
                    Violation("min_consecutive", k, first, f"{k}: a run of {last - first + 1} days")
                )
    if "min_days_off" in rules and s.min_days_off:
        for (_, end1), (start2, _) in zip(runs, runs[1:], strict=False):
            off = start2 - end1 - 1
            if touches(end1, start2) and off < s.min_days_off:
                out.append(Violation("min_days_off", k, end1 + 1, f"{k}: {off} days off"))
    if "max_weekends" in rules and s.max_weekends is not None:
        # a weekend of the horizon is worked if either of its days is, in the horizon or
        # not; the draft breaks the rule if the weekends it adds take the count over
        done = added = 0
        for g in problem.weekends():
            sat = g[0] - (problem.weekday(g[0]) - 5)
            if any(d in worked_all and d not in g for d in (sat, sat + 1)):
                done += 1
            elif any(d in worked for d in g):
                added += 1
        if added and done + added > s.max_weekends:
            out.append(Violation("max_weekends", k, None, f"{k}: {done + added} weekends"))
    if "contracted_hours" in rules:
        minutes = sum(round(shifts[a.shift].paid_hours * 60) for a in items)
        if not s.min_minutes <= minutes <= s.max_minutes:
            out.append(
                Violation(
                    "contracted_hours",
                    k,
                    None,
                    f"{k}: {minutes / 60:g} h, allowed {s.min_minutes / 60:g}-"
                    f"{s.max_minutes / 60:g}",
                )
            )
    if "max_shift_type" in rules:
        per_type = Counter(a.shift for a in items)
        for code, cap in s.max_shifts:
            if per_type[code] > cap:
                out.append(
                    Violation(
                        "max_shift_type",
                        k,
                        None,
                        f"{k}: {per_type[code]} {code} shifts, at most {cap}",
                    )
                )
    return out


def _runs(worked: set[int], begin: int, end: int) -> list[tuple[int, int]]:
    """Runs of worked days (first, last) among days begin..end-1."""
    runs = []
    d = begin
    while d < end:
        if d in worked:
            first = d
            while d + 1 < end and d + 1 in worked:
                d += 1
            runs.append((first, d))
        d += 1
    return runs


# ---- why a short shift could not be filled ---------------------------------------------

PHRASES = {
    "rest": "needs 11 h rest",
    "max_48h": "at 48 h",
    "max_consecutive": "at the most days in a row",
    "min_days_off": "needs the days off",
    "max_weekends": "at the most weekends",
    "contracted_hours": "at contracted hours",
    "max_shift_type": "at the most of these shifts",
    "min_consecutive": "would work a too-short run",
    "one_a_day": "already on",
}


def reasons_for(problem: Problem, assignments: list[Assignment], cover: Cover) -> list[str]:
    """For each person of the shift's role and unit who is not on it: why not."""
    names = {
        a.staff
        for a in assignments
        if a.day == cover.day and a.shift == cover.shift and a.unit == cover.unit
    }
    absent = {(a.staff, a.day): a.reason for a in problem.absences}
    on_day = {a.staff: a for a in assignments if a.day == cover.day}
    reasons = []
    for s in problem.staff:
        if s.role != cover.role or cover.unit not in s.units or s.key in names:
            continue
        if (s.key, cover.day) in absent:
            reasons.append(f"{s.key} {absent[(s.key, cover.day)]}")
            continue
        if s.max_of(cover.shift) == 0:
            continue  # never works this shift type: not a reason a manager can act on
        if s.key in on_day:
            other = on_day[s.key]
            where = "" if other.unit == cover.unit else f" in {other.unit}"
            reasons.append(f"{s.key} on the {other.shift}{where}")
            continue
        trial = [a for a in assignments if a.staff == s.key]
        before = {(v.rule, v.day, v.text) for v in check(problem, trial, skip_cover=True)}
        trial.append(Assignment(s.key, cover.day, cover.shift, cover.unit))
        after = [
            v
            for v in check(problem, trial, skip_cover=True)
            if (v.rule, v.day, v.text) not in before
        ]
        rules = list(dict.fromkeys(v.rule for v in after))
        if rules:
            reasons.append(f"{s.key} {PHRASES.get(rules[0], rules[0])}")
    return reasons
