"""Paper-scale demo build time and the one-day all-homes gaps query.

    python bench/demo_bench.py [--url sqlite:///path.db] [--runs 50] [--scale paper10]

Goals: the build in well under two minutes (paper scale); the gaps query under 100 ms, at
paper scale and at ten times it (--scale paper10 builds in several minutes: to time the
gaps query alone on an existing demo, use bench/gaps_bench.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.db import make_engine, make_session_factory, upgrade  # noqa: E402
from core.demo import build_demo  # noqa: E402
from core.staffing import staffing_gaps  # noqa: E402
from core.timeutil import tz  # noqa: E402

TODAY = date(2026, 1, 14)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--scale", default="paper", choices=["paper", "paper10"])
    args = ap.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/paper.db"

    started = time.perf_counter()
    upgrade(url)
    migrated = time.perf_counter() - started
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    with sessions() as session:
        summary = build_demo(session, TODAY, args.scale, tz("Europe/London"))
        session.commit()
    built = time.perf_counter() - started
    print(f"database: {engine.url.render_as_string(hide_password=True)}")
    print(f"migrations: {migrated:.2f} s")
    print(
        f"{args.scale} demo: {summary.homes} homes, {summary.units} units, {summary.staff} staff,"
        f" {summary.shifts} shifts, {summary.coverage_requests} overtime requests,"
        f" {summary.offers} offers, {summary.leave_requests} leave requests"
    )
    print(f"build time: {built:.1f} s (goal: well under 120 s)")

    timings = []
    for i in range(args.runs):
        day = TODAY + timedelta(days=i % 28)
        with sessions() as session:
            t0 = time.perf_counter()
            rows = staffing_gaps(session, day, day)
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"one-day all-homes gaps query over {args.runs} runs: median "
        f"{statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
        f"(goal < 100 ms); last run found {len(rows)} gaps"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
