"""Ranking one shift at paper scale (5 homes, 42 units, 821 staff, ~106,000 shifts).

    python bench/ranking_bench.py [--url URL [--build] | --db FILE] [--runs 60]
                                  [--profile balanced] [--before] [--goal 100]

Builds the paper-scale demo into a temporary SQLite file (about 10 s) unless --url/--db
names an existing one (--build fills an empty database at --url, e.g. PostgreSQL), then
ranks several real shifts - every eligibility rule for all staff of the role, history
aggregates and scores - and prints p50/p95 (wall and CPU) per shift and overall. A database
from `staffbot init --demo` is ranked on its own demo day. Goal: under 50 ms per shift at
paper scale (--goal 100 at paper10, `staffbot init --demo --scale paper10`).

A fingerprint of every ranking (who is eligible, in what order, with every score component
and its reason; everyone left out with every reason) is printed: two runs give the same
fingerprint only if they ranked the same. --before also times the ranking as it was before
issue 19 (tests/integration/ranking_before.py) in the same run, alternating with the
current one, and checks that both give the same fingerprint.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from core.db import make_engine, make_session_factory, upgrade
from core.demo import build_demo
from core.demo_clock import stored_demo_clock
from core.models import Home, Person
from core.overtime import rank_shift, shift_spec
from core.overtime.config import OvertimeSettings
from core.overtime.ranking import Ranking
from core.timeutil import local_instant, tz
from tests.integration.ranking_before import fingerprint, rank_shift_before

TODAY = date(2026, 1, 14)
ZONE = tz("Europe/London")
# (home, days from today, shift type, role): the walkthrough's gap and the largest pools
SHIFTS = [
    ("Victoria Gardens", 2, "night", "RN"),
    ("Hawthorn House", 1, "late", "HCA"),
    ("Orchard Grove", 3, "early", "SSW"),
    ("Meadowburn", 5, "long_day", "HCA"),
    ("Riverside Court", 4, "night", "HCA"),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def build(url: str) -> None:
    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        summary = build_demo(session, TODAY, "paper", ZONE)
        session.commit()
    engine.dispose()
    print(
        f"built the paper-scale demo in {time.perf_counter() - started:.1f} s: "
        f"{summary.staff} staff, {summary.shifts} shifts, {summary.offers} offers"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", help="an existing paper-scale database URL")
    ap.add_argument("--build", action="store_true", help="build the demo at --url first")
    ap.add_argument("--db", help="an SQLite file: built if it does not exist yet")
    ap.add_argument("--runs", type=int, default=60, help="timed runs per shift")
    ap.add_argument("--profile", default="balanced", choices=["balanced", "reliability"])
    ap.add_argument(
        "--before",
        action="store_true",
        help="also time the ranking as it was before issue 19, alternating, and compare",
    )
    ap.add_argument(
        "--goal",
        type=float,
        default=50.0,
        help="p95 goal in ms (50 at paper scale; 100 at paper10)",
    )
    args = ap.parse_args()
    if args.url:
        url = args.url
        if args.build:
            build(url)
    else:
        path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "paper.db"
        url = f"sqlite:///{path}"
        if not path.exists():
            build(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    settings = OvertimeSettings()
    with sessions() as session:
        staff = session.scalar(select(func.count(Person.id)))
        homes = {h.name: h.id for h in session.scalars(select(Home))}
        clock = stored_demo_clock(session)  # a demo from `staffbot init --demo`: its own day
    today = clock.astimezone(ZONE).date() if clock else TODAY
    now = local_instant(today, dtime(9, 0), ZONE)  # the demo's "now": 09:00 on its day
    print(
        f"database: {engine.url.render_as_string(hide_password=True)} ({staff} people, "
        f"day {today}); "
        f"profile {args.profile}; {args.runs} runs per shift after one warm-up"
    )
    rankers = {"after": rank_shift}
    if args.before:
        rankers["before"] = rank_shift_before
    wall: dict[str, list[float]] = {name: [] for name in rankers}
    cpu: dict[str, list[float]] = {name: [] for name in rankers}
    digests = {name: hashlib.sha256() for name in rankers}
    for home, ahead, code, role in SHIFTS:
        timings: dict[str, list[float]] = {name: [] for name in rankers}
        shown: Ranking | None = None
        with sessions() as session:
            spec = shift_spec(session, ZONE, homes[home], today + timedelta(days=ahead), code, role)
            for name, rank in rankers.items():  # warm-up, and what each ranked
                ranking = rank(session, spec, now, settings, ZONE, args.profile)
                digests[name].update(fingerprint(ranking))
                shown = shown if name != "after" else ranking
            for _ in range(args.runs):
                for name, rank in rankers.items():  # alternating: the same load for both
                    t0, c0 = time.perf_counter(), time.process_time()
                    ranking = rank(session, spec, now, settings, ZONE, args.profile)
                    timings[name].append((time.perf_counter() - t0) * 1000)
                    cpu[name].append((time.process_time() - c0) * 1000)
        assert shown is not None
        ranking = shown
        for name in rankers:
            wall[name] += timings[name]
        print(
            f"  {role:3} {code:8} {spec.date} {home:16}: {len(ranking.eligible):3} eligible, "
            f"{len(ranking.excluded):4} left out, {ranking.other_roles:4} other roles - "
            + "; ".join(
                f"{name} p50 {statistics.median(t):6.1f} ms, p95 {percentile(t, 0.95):6.1f} ms"
                for name, t in timings.items()
            )
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for name in rankers:
        p50, p95 = statistics.median(wall[name]), percentile(wall[name], 0.95)
        verdict = "OK" if p95 < args.goal else "over goal"
        print(
            f"{name}: all shifts p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(wall[name]):.1f} "
            f"ms (goal < {args.goal:g} ms) -> {verdict}; CPU p50 "
            f"{statistics.median(cpu[name]):.1f} ms, p95 {percentile(cpu[name], 0.95):.1f} ms"
        )
    # wall time includes waiting for a CPU on a busy machine; CPU time is the work itself
    print(f"1-minute load average {load:.1f} on {os.cpu_count()} CPUs")
    prints = {name: d.hexdigest()[:16] for name, d in digests.items()}
    print("fingerprint of every ranking: " + ", ".join(f"{n} {p}" for n, p in prints.items()))
    if args.before:
        same = prints["before"] == prints["after"]
        print("before and after ranked the same" if same else "DIFFERENT rankings")
        if not same:
            sys.exit(1)
    engine.dispose()


if __name__ == "__main__":
    main()
