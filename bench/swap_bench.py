"""Swap auto-approval on the paper-scale organisation: a generated year of swap requests.

    python bench/swap_bench.py [--seed 1] [--requests 1500] [--json]

Builds the paper-scale demo (5 homes, 42 units, 821 staff; as ``staffbot init --demo --scale
paper``) into a temporary SQLite file and replays a year of swap requests against the rota of
the year before the demo's day (14 Jan 2025 to 13 Jan 2026), in the order they would have
been made, with the clock set to each moment:

- who asks: a random member of staff, about one of their shifts that year, asked 6 hours to
  three weeks before it starts
- what: 45% a shift offered to a named colleague of the same home and role, 35% a straight
  swap for one of that colleague's shifts within a week of it, 20% a give-away to anyone
  eligible
- answers: a named colleague says YES four times in five, 1-8 hours later; for a give-away
  one of those asked says YES, 1-8 hours later; the manager decides a swap in review 2-24
  hours after that, approving three in four (the core re-checks the safety rules)

Prints the share approved automatically (of the swaps a colleague said YES to, and of all
requests), each outcome's count, the time of each automatic decision (p50/p95), why swaps
went to the manager or were refused, and the number of unsafe approvals found by an
independent checker (below: it recomputes overlap, rest, weekly hours, leave, sickness and
role from the raw tables for every approved swap, without the product's rule code; goal 0).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from core.app import Core
from core.clock import ManualClock
from core.config import Settings
from core.db import make_engine, make_session_factory, upgrade
from core.demo import build_demo
from core.errors import StaffbotError
from core.models import (
    AuditEntry,
    LeaveRequest,
    LeaveStatus,
    Person,
    PersonKind,
    Shift,
    ShiftStatus,
    ShiftType,
    SicknessAbsence,
)
from core.permissions import scope_for
from core.secrets import new_secret_key
from core.swaps.config import swap_rules
from core.swaps.models import Swap, SwapAsk, SwapStatus
from core.swaps.service import (
    AUTO_APPROVED,
    DecideSwap,
    RequestSwap,
    answer_swap,
    decide_swap,
    request_swap,
)
from core.timeutil import tz

TODAY = date(2026, 1, 14)
YEAR_START, YEAR_END = date(2025, 1, 14), date(2026, 1, 13)
ZONE = tz("Europe/London")
REST_H, WEEK_H = 11.0, 48.0  # the checker's own limits (the product's defaults)


def build(folder: Path) -> str:
    url = f"sqlite:///{folder / 'paper.db'}"
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        build_demo(session, TODAY, "paper", ZONE)
        session.commit()
    engine.dispose()
    return url


def plan(core: Core, rng: random.Random, count: int) -> list[dict]:
    """The year's requests, ordered by when they are made."""
    with core.read() as uow:
        s = uow.session
        staff = {
            p.id: p
            for p in s.scalars(select(Person).where(Person.kind == PersonKind.STAFF, Person.active))
        }
        shifts: dict[int, list[tuple[date, str, datetime]]] = defaultdict(list)
        for person_id, day, code, starts in s.execute(
            select(Shift.person_id, Shift.date, Shift.shift_type_code, Shift.starts_at).where(
                Shift.date >= YEAR_START,
                Shift.date <= YEAR_END,
                Shift.status == ShiftStatus.SCHEDULED,
                Shift.person_id.is_not(None),
            )
        ):
            if person_id in staff:
                shifts[person_id].append((day, code, starts))
    team: dict[tuple[int | None, str | None], list[int]] = defaultdict(list)
    for p in staff.values():
        team[(p.home_id, p.role_code)].append(p.id)
    asks: list[dict[str, Any]] = []
    people = [pid for pid in staff if shifts.get(pid)]
    while len(asks) < count:
        pid = rng.choice(people)
        day, code, starts = rng.choice(shifts[pid])
        notice = timedelta(hours=rng.choice([6, 12, 20, 30, 48, 72, 120, 240, 336, 504]))
        at = starts - notice
        if at.date() < YEAR_START:
            continue
        p = staff[pid]
        mates = [m for m in team[(p.home_id, p.role_code)] if m != pid]
        roll = rng.random()
        ask: dict[str, Any] = {
            "at": at,
            "person": pid,
            "day": day,
            "shift_type": code,
            "colleague": None,
            "other_day": None,
            "other_shift_type": None,
        }
        if roll < 0.8 and mates:
            mate = rng.choice(mates)
            ask["colleague"] = staff[mate].full_name
            if roll >= 0.45:
                near = [
                    (d, c)
                    for d, c, _s in shifts.get(mate, [])
                    if abs((d - day).days) <= 7 and d != day
                ]
                if not near:
                    continue
                ask["other_day"], ask["other_shift_type"] = rng.choice(near)
        asks.append(ask)
    asks.sort(key=lambda a: a["at"])
    return asks


def replay(core: Core, asks: list[dict], rng: random.Random) -> dict:
    clock = core.clock
    assert isinstance(clock, ManualClock)
    results: Counter[str] = Counter()
    why: Counter[str] = Counter()
    decision_ms: list[float] = []
    with core.read() as uow:
        manager_of = {
            p.home_id: scope_for(p)
            for p in uow.session.scalars(select(Person).where(Person.kind == PersonKind.MANAGER))
        }
    for ask in asks:
        clock.set(ask["at"])
        try:
            out = request_swap(
                core,
                RequestSwap(
                    ask["person"],
                    ask["day"],
                    ask["shift_type"],
                    ask["colleague"],
                    ask["other_day"],
                    ask["other_shift_type"],
                ),
            )
        except StaffbotError:
            results["not_asked"] += 1  # the shift was already in a swap, or changed hands
            continue
        if out.result != "asked":
            results[out.result] += 1
            for c in out.checks:
                if not c.passed:
                    why[c.rule] += 1
            continue
        v = out.swap
        assert v is not None
        clock.set(ask["at"] + timedelta(hours=rng.uniform(1, 8)))
        if v.to_id is not None and rng.random() > 0.8:
            answer_swap(core, v.to_id, v.ref, yes=False)
            results["declined"] += 1
            continue
        with core.read() as uow:
            asked = list(
                uow.session.scalars(select(SwapAsk.person_id).where(SwapAsk.swap_id == v.ref))
            )
        taker = v.to_id if v.to_id is not None else rng.choice(asked)
        started = time.perf_counter()
        answer = answer_swap(core, taker, v.ref, yes=True)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.result == "approved":
            decision_ms.append(elapsed)
        results[answer.result] += 1
        for c in answer.checks:
            if not c.passed:
                why[c.rule] += 1
        if answer.result == "review":
            clock.set(clock.now() + timedelta(hours=rng.uniform(2, 24)))
            scope = manager_of.get(v.home_id)
            if scope is None:
                continue
            try:
                decide_swap(core, DecideSwap(rng.random() < 0.75, ref=v.ref, reason="bench"), scope)
            except StaffbotError:
                results["review_not_decided"] += 1
    return {"results": results, "why": why, "decision_ms": decision_ms}


def check(core: Core) -> tuple[int, int, list[str]]:
    """Independent checker: for every approved swap, each receiver's shift against their final
    rota (overlap, rest, 48h in any 7 days), leave and sickness, and role. Plain reads; no
    product rule code. Returns (approved swaps checked, unsafe ones, examples)."""
    rules = swap_rules(core)
    unsafe, checked = 0, 0
    examples: list[str] = []
    with core.read() as uow:
        s = uow.session
        hours = {t.code: t.paid_hours for t in s.scalars(select(ShiftType))}
        auto = {
            int(e)
            for e in s.scalars(
                select(AuditEntry.entity_id).where(AuditEntry.action == AUTO_APPROVED)
            )
            if e is not None
        }
        for swap in s.scalars(select(Swap).where(Swap.status == SwapStatus.APPROVED)):
            checked += 1
            moves = [(swap.shift_id, swap.to_person_id)]
            if swap.other_shift_id:
                moves.append((swap.other_shift_id, swap.from_person_id))
            problems = []
            for shift_id, person_id in moves:
                shift = s.get(Shift, shift_id)
                person = s.get(Person, person_id)
                assert shift is not None and person is not None
                if shift.person_id != person_id:
                    continue  # changed hands again later (checked as that swap)
                if (
                    person.role_code != shift.role_code
                    and person.role_code not in rules.higher_roles.get(shift.role_code, [])
                ):
                    problems.append("role")
                others = list(
                    s.execute(
                        select(Shift.starts_at, Shift.ends_at, Shift.shift_type_code).where(
                            Shift.person_id == person_id,
                            Shift.id != shift_id,
                            Shift.status == ShiftStatus.SCHEDULED,
                            Shift.starts_at > shift.starts_at - timedelta(days=8),
                            Shift.starts_at < shift.ends_at + timedelta(days=8),
                        )
                    )
                )
                for a, b, _c in others:
                    if a < shift.ends_at and b > shift.starts_at:
                        problems.append("overlap")
                    elif timedelta(0) <= shift.starts_at - b < timedelta(hours=REST_H) or timedelta(
                        0
                    ) <= a - shift.ends_at < timedelta(hours=REST_H):
                        problems.append("rest")
                mine = [(a, hours[c]) for a, _b, c in others] + [
                    (shift.starts_at, hours[shift.shift_type_code])
                ]
                for w, _h in mine:
                    window = sum(h for a, h in mine if w <= a < w + timedelta(days=7))
                    if w <= shift.starts_at < w + timedelta(days=7) and window > WEEK_H:
                        problems.append("48h")
                        break
                if s.scalar(
                    select(LeaveRequest.id)
                    .where(
                        LeaveRequest.person_id == person_id,
                        LeaveRequest.status == LeaveStatus.APPROVED,
                        LeaveRequest.start_date <= shift.date,
                        LeaveRequest.end_date >= shift.date,
                    )
                    .limit(1)
                ):
                    problems.append("leave")
                if s.scalar(
                    select(SicknessAbsence.id)
                    .where(
                        SicknessAbsence.person_id == person_id,
                        SicknessAbsence.start_date <= shift.date,
                        SicknessAbsence.end_date >= shift.date,
                    )
                    .limit(1)
                ):
                    problems.append("sick")
            if problems:
                unsafe += 1
                if len(examples) < 5:
                    how = "auto" if swap.id in auto else "manager"
                    examples.append(f"swap {swap.id} ({how}): {sorted(set(problems))}")
    return checked, unsafe, examples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, default=1500)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    # the temporary database's phones and reasons are sealed under a throwaway key
    os.environ.setdefault("STAFFBOT_SECRET_KEY", new_secret_key())
    folder = Path(tempfile.mkdtemp(prefix="swap-bench-"))
    try:
        t0 = time.perf_counter()
        url = build(folder)
        built = time.perf_counter() - t0
        engine = make_engine(url)
        core = Core(
            engine=engine,
            session_factory=make_session_factory(engine),
            clock=ManualClock(datetime(2025, 1, 14, 9, tzinfo=ZONE)),
            settings=Settings(database_url=url),
        )
        rng = random.Random(args.seed)
        asks = plan(core, rng, args.requests)
        t1 = time.perf_counter()
        run = replay(core, asks, rng)
        replayed = time.perf_counter() - t1
        checked, unsafe, examples = check(core)
        with core.read() as uow:
            auto = len(
                list(
                    uow.session.scalars(
                        select(AuditEntry.id).where(AuditEntry.action == AUTO_APPROVED)
                    )
                )
            )
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results, ms = run["results"], sorted(run["decision_ms"])
    summary = {
        "database": "sqlite",
        "scale": "paper",
        "requests": len(asks),
        "auto_approved": auto,
        "auto_share_of_requests": round(auto / len(asks), 3) if asks else 0.0,
        "auto_share_of_accepted": round(auto / max(1, results["approved"] + results["review"]), 3),
        "outcomes": dict(results),
        "failed_rules": dict(run["why"].most_common()),
        "decision_ms_p50": round(statistics.median(ms), 1) if ms else None,
        "decision_ms_p95": round(ms[int(0.95 * (len(ms) - 1))], 1) if ms else None,
        "approved_checked": checked,
        "unsafe_approvals": unsafe,
        "unsafe_examples": examples,
        "build_seconds": round(built, 1),
        "replay_seconds": round(replayed, 1),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    for key, value in summary.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
