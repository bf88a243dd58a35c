"""Dashboard page render times at paper scale (5 homes, 42 units, 821 staff, ~109,000 shifts).

    python bench/dash_bench.py [--db FILE | --url URL [--build]] [--runs 30] [--json]

Without --db or --url, builds the paper-scale demo with ``staffbot init --demo --scale
paper`` into a temporary SQLite file (with its forecasts); with --db, works on a temporary
copy of FILE; with --url (e.g. PostgreSQL), on that database itself (--build first loads the
paper-scale demo into it, replacing what is there).
Each page is fetched through the whole web app in-process (routing, session check, the read
model, Jinja2 and the SVG charts) as the head of service (group pages) or Claire Docherty
(one home), and p50/p95 are printed per page. Goal: p95 under 300 ms for every page.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from core.app import Core
from core.clock import ManualClock
from core.config import Settings
from core.db import make_engine, make_session_factory, upgrade
from core.models import Home, Person
from core.overtime import RequestCover, request_cover
from core.secrets import new_secret_key
from core.signin import issue_link
from core.staffing import staffing_gaps
from core.uow import Actor

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TODAY = date(2026, 1, 14)
ZONE = ZoneInfo("Europe/London")
GOAL_MS = 300.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def build(url: str) -> None:
    env = dict(os.environ, STAFFBOT_DATABASE_URL=url, STAFFBOT_NOW=f"{TODAY.isoformat()}T09:00")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "init",
            "--demo",
            "--scale",
            "paper",
            "--today",
            TODAY.isoformat(),
            "--force",
        ],
        env=env,
        check=True,
    )
    print(f"built the paper-scale demo in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def make_engine_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).get_backend_name()


def sign_in(client: TestClient, core: Core, name: str) -> None:
    with core.uow() as uow:
        person = uow.session.execute(select(Person.id).where(Person.full_name == name)).scalar_one()
        link = issue_link(uow, person, Actor.system("dash bench"), "cli")
        uow.commit()
    response = client.post(f"/dash/signin/{link.token}", follow_redirects=False)
    assert response.status_code == 303, response.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="an existing paper-scale SQLite file")
    parser.add_argument("--url", help="a database URL to use as it is (e.g. PostgreSQL)")
    parser.add_argument("--build", action="store_true", help="with --url: load the demo first")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="JSON on stdout")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dash-bench-"))
    db = work / "paper.db"
    try:
        if args.url:
            url = args.url
            if args.build:
                build(url)
        else:
            url = f"sqlite:///{db}"
            if args.db:
                shutil.copy(args.db, db)
            else:
                build(url)
        upgrade(url)
        engine = make_engine(url)
        start = datetime(2026, 1, 14, 9, 0, tzinfo=ZONE)
        settings = Settings(database_url=url)
        if not settings.secret_key:  # a copied demo without its key file: any key will do
            settings = Settings(database_url=url, secret_key=new_secret_key())
        core = Core(
            engine=engine,
            session_factory=make_session_factory(engine),
            clock=ManualClock(start),
            settings=settings,
        )
        with core.uow() as uow:
            vg = uow.session.execute(
                select(Home.id).where(Home.name == "Victoria Gardens")
            ).scalar_one()
            gap = staffing_gaps(
                uow.session, TODAY + timedelta(days=1), TODAY + timedelta(days=7), frozenset({vg})
            )[0]
            person = uow.session.execute(
                select(Person.id).where(Person.full_name == "Sarah MacKenzie")
            ).scalar_one()
        opened = request_cover(
            core,
            RequestCover(home_id=vg, date=gap.date, shift_type=gap.shift_type, role=gap.role),
            Actor.system("dash bench"),
        )
        assert opened.request is not None
        req = opened.request.id

        from bot.web import create_app

        app = create_app(core)
        head, manager = TestClient(app), TestClient(app)
        sign_in(head, core, "Graham Kerr")
        sign_in(manager, core, "Claire Docherty")
        ranking = f"date={(TODAY + timedelta(days=2)).isoformat()}&shift_type=night&role=RN"
        pages = [
            ("overview (group)", head, "/dash/"),
            ("overview (home)", manager, "/dash/"),
            ("ranking", manager, f"/dash/homes/{vg}/ranking?{ranking}"),
            ("request", manager, f"/dash/requests/{req}"),
            ("request ranking", manager, f"/dash/requests/{req}/ranking"),
            ("fairness 90 d (group)", head, "/dash/fairness?days=90"),
            ("fairness 365 d (group)", head, "/dash/fairness?days=365"),
            ("person", manager, f"/dash/people/{person}"),
            ("forecast", manager, f"/dash/homes/{vg}/forecast"),
            ("api overview (group)", head, "/api/v1/overview"),
            ("api fairness 365 d", head, "/api/v1/fairness?days=365"),
        ]
        rows = []
        for name, client, path in pages:
            for _ in range(2):  # warm: templates compiled, caches filled
                assert client.get(path).status_code == 200, (name, path)
            times, cpu = [], []
            for _ in range(args.runs):
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                assert response.status_code == 200
            rows.append(
                {
                    "page": name,
                    "path": path,
                    "runs": args.runs,
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(percentile(times, 0.95), 1),
                    # CPU time of this process: what the page costs on an idle machine
                    "cpu_p50_ms": round(statistics.median(cpu), 1),
                    "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
                    "bytes": len(response.content),
                }
            )
        engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"load average {load:.1f} on {os.cpu_count()} CPUs (wall times include waiting for "
        "a CPU; cpu = this process's own CPU time)"
    )
    print(f"{'page':26} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8} {'KB':>6}")
    for r in rows:
        flag = "" if r["p95_ms"] < GOAL_MS else "  over the goal"
        print(
            f"{r['page']:26} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['cpu_p50_ms']:8.1f} "
            f"{r['cpu_p95_ms']:8.1f} {r['bytes'] / 1024:6.0f}{flag}"
        )
    print(f"database: {make_engine_name(url)}")
    print(f"worst p95: {max(r['p95_ms'] for r in rows):.1f} ms (goal < {GOAL_MS:.0f} ms)")


if __name__ == "__main__":
    main()
