"""The rota model on Curtois' nurse-rostering benchmark (Instances 1-24), and on the demo.

    .venv/bin/python bench/rota_bench.py --instances 1-10 --time-limit 60 --json
    .venv/bin/python bench/rota_bench.py --demo "Victoria Gardens" --weeks 4 --time-limit 60
    .venv/bin/python bench/rota_bench.py --demo biggest --scale paper --time-limit 60

Instances are read from bench/data/rostering/ (copies of the public files, see its README)
and mapped onto the same CP-SAT model the product uses (core/rota), with the benchmark's
objective: weighted unmet shift requests plus cover below and above target. Each result is
``{instance, status, objective, best_known, gap_pct, bound, seconds_to_best}``; ``gap_pct``
is the gap to the best known value, (objective - best) / best in %. Every solution is also
checked against the hard rules by the independent checker (``violations``).

``--demo`` solves a home of the demo organisation (built into a temporary SQLite file, or
the file named by STAFFBOT_BENCH_DB) for ``--weeks`` from the Monday after 2026-01-14, with
the product's default rules and weights, and reports the time to a proven optimum or the gap
to the proven bound at the time limit.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.rota import curtois  # noqa: E402
from core.rota.check import check  # noqa: E402
from core.rota.solver import solve  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "rostering"
DEMO_TODAY = date(2026, 1, 14)


def parse_range(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


def best_known() -> dict[str, int]:
    with (DATA / "best_known.csv").open() as fh:
        return {row["instance"]: int(row["best_known_upper"]) for row in csv.DictReader(fh)}


def run_instance(
    number: int, time_limit: float, workers: int, linearization: int = 2, lns_after: float = 0.4
) -> dict[str, Any]:
    name = f"Instance{number}"
    rules = replace(
        curtois.benchmark_rules(time_limit, workers, lns_after), linearization=linearization
    )
    problem = curtois.parse((DATA / f"{name}.txt").read_text(), rules)
    solution = solve(problem, diagnose=False)
    best = best_known().get(name)
    gap = None
    if solution.objective is not None and best:
        gap = round(100.0 * (solution.objective - best) / best, 3)
    violations = check(problem, solution.assignments) if solution.assignments else []
    return {
        "instance": number,
        "status": solution.status,
        "objective": solution.objective,
        "best_known": best,
        "gap_pct": gap,
        "bound": solution.bound,
        "seconds_to_best": solution.seconds_to_best,
        "seconds": solution.seconds,
        "violations": len(violations),
    }


def run_demo(home: str, weeks: int, time_limit: float, scale: str) -> dict[str, Any]:
    from sqlalchemy import func, select

    from core.app import Core
    from core.clock import ManualClock
    from core.config import Settings
    from core.db import make_engine, make_session_factory, upgrade
    from core.demo import build_demo
    from core.directory import find_home
    from core.models import Home, Person
    from core.rota.config import RotaSettings
    from core.rota.inputs import load_problem
    from core.secrets import new_secret_key
    from core.timeutil import local_instant

    # a throwaway demo database: a throwaway key for its phone numbers, unless one is set
    os.environ.setdefault("STAFFBOT_SECRET_KEY", new_secret_key())
    path = os.environ.get("STAFFBOT_BENCH_DB") or str(
        Path(tempfile.mkdtemp()) / f"rota-bench-{scale}.db"
    )
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    zone = ZoneInfo("Europe/London")
    core = Core(
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=ManualClock(local_instant(DEMO_TODAY, time(9), zone)),
        settings=Settings(database_url=url),
    )
    if not Path(path).exists() or Path(path).stat().st_size == 0:
        upgrade(url)
        with core.uow() as uow:
            build_demo(uow.session, DEMO_TODAY, scale, core.zone)
            uow.commit()
    start = DEMO_TODAY + timedelta(days=7 - DEMO_TODAY.weekday())
    end = start + timedelta(days=7 * weeks - 1)
    settings = RotaSettings()
    with core.uow() as uow:
        if home == "biggest":
            counts = uow.session.execute(
                select(Person.home_id, func.count())
                .where(Person.home_id.is_not(None))
                .group_by(Person.home_id)
            ).all()
            home_id = max(counts, key=lambda r: r[1])[0]
            home_row = uow.session.get(Home, home_id)
        else:
            home_row = find_home(uow.session, home)
        assert home_row is not None
        hp = load_problem(uow.session, home_row, start, end, settings, time_limit)
    solution = solve(hp.problem)
    violations = (
        check(hp.problem, solution.assignments, skip_cover=solution.status == "INFEASIBLE")
        if solution.assignments
        else []
    )
    return {
        "home": hp.home.name,
        "scale": scale,
        "staff": len(hp.problem.staff),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "gap_pct": solution.gap_pct,
        "seconds": solution.seconds,
        "seconds_to_best": solution.seconds_to_best,
        "shortfalls": len(solution.shortfalls),
        "violations": len(violations),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instances", default="1-10", help="e.g. 1-10 or 1,3,11-14")
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    ap.add_argument(
        "--linearization",
        type=int,
        default=2,
        help="CP-SAT linearization level for the instances (default 2)",
    )
    ap.add_argument(
        "--lns-after",
        type=float,
        default=0.4,
        help="share of the time for the whole model before the neighbourhood search on the"
        " instances (default 0.4; 1 = no neighbourhood search)",
    )
    ap.add_argument("--demo", default=None, help="a demo home's name, or 'biggest'")
    ap.add_argument("--weeks", type=int, default=4)
    ap.add_argument("--scale", default="small", help="demo scale: small or paper")
    ap.add_argument("--json", action="store_true", help="JSON on stdout")
    args = ap.parse_args()
    if args.demo:
        results = [run_demo(args.demo, args.weeks, args.time_limit, args.scale)]
    else:
        results = []
        for n in parse_range(args.instances):
            row = run_instance(n, args.time_limit, args.workers, args.linearization, args.lns_after)
            results.append(row)
            if not args.json:
                print(
                    f"Instance{n}: {row['status']} {row['objective']} (best {row['best_known']},"
                    f" gap {row['gap_pct']}%, bound {row['bound']}, best found at "
                    f"{row['seconds_to_best']}s, {row['violations']} violations)",
                    flush=True,
                )
    if args.json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
    elif args.demo:
        print(json.dumps(results[0], indent=2))


if __name__ == "__main__":
    main()
