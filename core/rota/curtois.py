"""Curtois' nurse-rostering benchmark instances (1-24) as a :class:`Problem`.

The file format, in short: comma-separated sections (``SECTION_HORIZON``, ``SECTION_SHIFTS``,
``SECTION_STAFF``, ``SECTION_DAYS_OFF``, ``SECTION_SHIFT_ON_REQUESTS``,
``SECTION_SHIFT_OFF_REQUESTS``, ``SECTION_COVER``), ``#`` comments, day 0 a Monday. The
benchmark's objective is the weighted sum of unmet shift requests and of cover below
(weight per person short) and above (per person over) each day's target; every other rule
is hard. Runs of work touching the horizon's edges are exempt from the minimum run length
(see docs/rota.md for why).
"""

from __future__ import annotations

from collections import defaultdict

from core.rota.problem import (
    Absence,
    Cover,
    Mode,
    Problem,
    Request,
    Rule,
    Rules,
    ShiftDef,
    Staff,
    Weights,
)

UNIT = "ward"
ROLE = "nurse"


def benchmark_rules(time_limit: float = 60.0, workers: int = 2, lns_after: float = 0.4) -> Rules:
    """The benchmark's reading: cover soft with its own weights, no product goals. The whole
    model gets ``lns_after`` of the time, the neighbourhood search the rest (1.0: none)."""
    return Rules(
        cover=Rule(Mode.SOFT, 100),
        max_48h=Rule.off(),
        rest=Rule.hard(),
        weights=Weights(
            cost=0,
            fairness_nights=0,
            fairness_weekends=0,
            preferences=0,
            continuity=0,
            over_cover=0,
        ),
        time_limit=time_limit,
        workers=workers,
        edge_runs_exempt=True,
        lns_after=lns_after,
    )


def parse(text: str, rules: Rules | None = None) -> Problem:
    sections: dict[str, list[list[str]]] = defaultdict(list)
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            continue
        sections[current].append([f.strip() for f in line.split(",")])
    days = int(sections["SECTION_HORIZON"][0][0])
    shifts, forbidden = [], set()
    for row in sections["SECTION_SHIFTS"]:
        code, minutes = row[0], int(row[1])
        shifts.append(ShiftDef(code, 0, minutes, minutes / 60))
        if len(row) > 2 and row[2]:
            for nxt in row[2].split("|"):
                if nxt:
                    forbidden.add((code, nxt))
    staff = []
    for row in sections["SECTION_STAFF"]:
        key = row[0]
        caps = []
        for part in row[1].split("|"):
            if part:
                code, n = part.split("=")
                caps.append((code, int(n)))
        staff.append(
            Staff(
                key=key,
                role=ROLE,
                units=(UNIT,),
                max_minutes=int(row[2]),
                min_minutes=int(row[3]),
                max_consecutive=int(row[4]),
                min_consecutive=int(row[5]),
                min_days_off=int(row[6]),
                max_weekends=int(row[7]),
                max_shifts=tuple(caps),
            )
        )
    absences = [
        Absence(row[0], int(d), "day off")
        for row in sections["SECTION_DAYS_OFF"]
        for d in row[1:]
        if d
    ]
    requests = [
        Request(r[0], int(r[1]), r[2], True, int(r[3]))
        for r in sections["SECTION_SHIFT_ON_REQUESTS"]
    ]
    requests += [
        Request(r[0], int(r[1]), r[2], False, int(r[3]))
        for r in sections["SECTION_SHIFT_OFF_REQUESTS"]
    ]
    cover = [
        Cover(int(r[0]), UNIT, r[1], ROLE, int(r[2]), int(r[3]), int(r[4]))
        for r in sections["SECTION_COVER"]
    ]
    return Problem(
        days=days,
        shifts=shifts,
        staff=staff,
        cover=cover,
        first_weekday=0,
        absences=absences,
        requests=requests,
        forbidden_successors=forbidden,
        rules=rules or benchmark_rules(),
    )
