"""The head of service's "who's short tomorrow?": the group-wide one-day gaps query.

    python bench/gaps_bench.py --db FILE | --url URL [--runs 60] [--days 28]

Point it at a database already holding the demo (`staffbot init --demo --scale paper` or
`--scale paper10`). Times staffing_gaps for every home (the head of service's scope) on
"tomorrow" and on each of the next --days days, and prints p50/p95. A fingerprint of every
row over those days is printed too, so two runs (before and after a change) can be compared
for identical answers. Goal: p95 <= 100 ms at ten times paper scale.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from core.db import make_engine, make_session_factory
from core.demo_clock import stored_demo_clock
from core.models import Home, Shift
from core.staffing import staffing_gaps
from core.timeutil import tz

ZONE = tz("Europe/London")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="an SQLite file holding the demo")
    ap.add_argument("--url", help="a database URL holding the demo")
    ap.add_argument("--runs", type=int, default=60, help="timed runs of 'tomorrow'")
    ap.add_argument("--days", type=int, default=28, help="days ahead also timed once each")
    ap.add_argument(
        "--today",
        type=date.fromisoformat,
        help="the day asked from (default: the demo's own clock)",
    )
    args = ap.parse_args()
    if not (args.db or args.url):
        ap.error("give --db or --url")
    url = args.url or f"sqlite:///{Path(args.db).resolve()}"
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        homes = session.scalar(select(func.count(Home.id)))
        shifts = session.scalar(select(func.count(Shift.id)))
        clock = stored_demo_clock(session)
    today = args.today or (clock.astimezone(ZONE).date() if clock else date(2026, 1, 14))
    print(
        f"database: {engine.url.render_as_string(hide_password=True)} "
        f"({homes} homes, {shifts} shifts)"
    )
    tomorrow = today + timedelta(days=1)
    with sessions() as session:
        staffing_gaps(session, tomorrow, tomorrow)  # warm-up
    timings: list[float] = []
    cpu: list[float] = []
    for _ in range(args.runs):
        with sessions() as session:  # a fresh session per question, as in chat
            t0, c0 = time.perf_counter(), time.process_time()
            rows = staffing_gaps(session, tomorrow, tomorrow)
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    print(
        f"tomorrow ({tomorrow}), all homes, {args.runs} runs: {len(rows)} gaps - "
        f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
        f"max {max(timings):.1f} ms (goal <= 100 ms) -> "
        f"{'OK' if percentile(timings, 0.95) <= 100 else 'over goal'}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"CPU time: p50 {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms "
        f"(1-minute load average {load:.1f} on {os.cpu_count()} CPUs)"
    )
    digest = hashlib.sha256()
    each: list[float] = []
    total = 0
    for i in range(args.days):
        day = today + timedelta(days=i)
        with sessions() as session:
            t0 = time.perf_counter()
            rows = staffing_gaps(session, day, day)
            each.append((time.perf_counter() - t0) * 1000)
        total += len(rows)
        for row in rows:
            digest.update(repr(row.to_json()).encode())
    with sessions() as session:
        t0 = time.perf_counter()
        week = staffing_gaps(session, today, today + timedelta(days=6))
        week_ms = (time.perf_counter() - t0) * 1000
    for row in week:
        digest.update(repr(row.to_json()).encode())
    print(
        f"each of the next {args.days} days once: p50 {statistics.median(each):.1f} ms, "
        f"p95 {percentile(each, 0.95):.1f} ms; {total} gaps in all"
    )
    print(f"the whole week from {today}: {len(week)} gaps in {week_ms:.1f} ms")
    print(f"fingerprint of every answer: {digest.hexdigest()[:16]}")
    engine.dispose()


if __name__ == "__main__":
    main()
