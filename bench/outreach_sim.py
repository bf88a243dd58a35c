"""Outreach simulation: plain broadcast vs. ranked waves ("balanced", "reliability") vs. waves
sized by urgency ("urgency", bands from core/overtime/config.py), per notice band.

    python bench/outreach_sim.py [--db FILE] [--weeks 4] [--gap-rate 0.07] [--seed 7]
                                 [--strategies broadcast,balanced,urgency] [--json]

World: the paper-scale demo organisation (built into a temporary SQLite file unless --db names
one), cut to a quarter of it - the first 11 of its 42 units (Victoria Gardens and two units
of Hawthorn House); everyone else is made inactive. Over the published rota's next
``--weeks`` weeks, a share of the rostered shifts (``--gap-rate``) fall vacant, on top of
the rota's own gaps. Each gap becomes a coverage request some hours before the shift (never
before the simulation starts): a quarter 3-6 h ahead (sickness on the day), under half
6-48 h, the rest 2-7 days ahead. Results are reported per band of notice (<6h, 6-48h, >48h)
and over all of them. The real core runs everything: eligibility, ranking, waves,
quiet hours, caps, first-YES-wins, deadlines; the clock jumps from one event to the next
(a request, an answer, a due wave or deadline) and the scheduler's ``advance_outreach`` runs
at every step.

How staff answer (the model):
- propensity: each person's latent chance of taking an offer, from their demo history,
  Beta(2, 2)-smoothed: (accepted + 2) / (accepted + declined + 4);
- whether they answer at all: their share of past offers answered, smoothed the same way;
- delay: log-normal around their own average past reply time (45 min when unknown),
  sigma 0.8; an answer that would land after the offer closed is silence;
- fatigue: the chance to accept is multiplied by exp(-overtime hours in the previous 7 days
  / 16), so someone who just did two long days is much less keen;
- notice: replies take x0.4 the time on the day and x1.5 a week out; acceptance is x0.7
  inside 6 h and x1.1 beyond 48 h;
- time of day: an offer that arrives between 22:00 and 07:00 waits until they wake (07:00
  plus up to an hour);
- a person who is told the shift is filled stops there.
Where the figures come from: propensity, answer rate and delay are measured from the demo
organisation's (synthetic) offer history; the notice mix and the notice and time-of-day
modifiers are assumptions chosen to be plausible, not measurements; the issue's reference
points (a worked example filling in 12 minutes, a manager phoning round for 75-120) are
sanity checks, not inputs.
The same person asked about the same shift draws the same random numbers under every
strategy (common random numbers), so differences come from who is asked and when.

Strategies: broadcast (every eligible person texted at once; no offer caps, as a manager
texting the whole list), waves of 5 every 30 minutes ranked by each profile, and the
urgency bands (or variants given as urgency[a/b,c/d,e/f], see ``configure``).
Metrics per band: fill rate; median and p90 minutes to fill; offer texts per filled shift;
Gini of overtime hours (from these requests) among the quarter's willing staff. ``--json``
prints ``[{policy, default, band, fill_rate, median_minutes, p90_minutes, texts_per_fill,
gini}]``, ``default`` true for the policy the product ships with.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import heapq
import json
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, update

from core.app import Core
from core.clock import ManualClock
from core.config import Settings
from core.db import make_engine, make_session_factory, upgrade
from core.demo import build_demo
from core.errors import StaffbotError
from core.models import (
    CoverageRequest,
    Offer,
    OvertimePreference,
    Person,
    PersonKind,
    RequestStatus,
    Shift,
    ShiftKind,
    ShiftStatus,
    ShiftType,
    Unit,
)
from core.overtime import (
    AcceptOffer,
    DeclineOffer,
    RequestCover,
    accept_offer,
    advance_outreach,
    decline_offer,
    gini,
    request_cover,
)
from core.overtime.config import OvertimeSettings
from core.overtime.history import load_offer_history
from core.staffing import staffing_gaps
from core.timeutil import local_instant, tz
from core.uow import Actor

TODAY = date(2026, 1, 14)
ZONE = tz("Europe/London")
UNITS_IN_QUARTER = 11


@dataclass
class Behaviour:
    propensity: float
    answers: float
    delay_hours: float


@dataclass(order=True)
class Answer:
    at: datetime
    seq: int
    person_id: int = field(compare=False)
    request_id: int = field(compare=False)
    yes: bool = field(compare=False)


def build(path: Path) -> None:
    url = f"sqlite:///{path}"
    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        build_demo(session, TODAY, "paper", ZONE)
        session.commit()
    engine.dispose()
    print(f"built the paper-scale demo in {time.perf_counter() - started:.0f} s")


def prepare_world(
    path: Path, weeks: int, gap_rate: float, seed: int
) -> tuple[list[tuple[datetime, int, int, date, str, str]], dict[int, Behaviour], set[int]]:
    """Cut the organisation to a quarter, open the vacancies, read everyone's behaviour.
    Returns the requests to open (when, home, unit, day, shift type, role)."""
    engine = make_engine(f"sqlite:///{path}")
    rng = random.Random(seed)
    end = TODAY + timedelta(days=7 * weeks)
    with make_session_factory(engine)() as s:
        units = list(s.scalars(select(Unit).order_by(Unit.id)))[:UNITS_IN_QUARTER]
        unit_ids = {u.id for u in units}
        home_ids = frozenset(u.home_id for u in units)
        s.execute(
            update(Person)
            .where(Person.kind == PersonKind.STAFF, Person.unit_id.not_in(unit_ids))
            .values(active=False)
        )
        quarter = set(
            s.scalars(
                select(Person.id).where(Person.kind == PersonKind.STAFF, Person.active.is_(True))
            )
        )
        vacated = 0
        for shift in s.scalars(
            select(Shift)
            .where(
                Shift.unit_id.in_(unit_ids),
                Shift.date > TODAY,
                Shift.date <= end,
                Shift.kind == ShiftKind.REGULAR,
                Shift.status == ShiftStatus.SCHEDULED,
            )
            .order_by(Shift.id)
        ):
            if rng.random() < gap_rate:
                shift.status = ShiftStatus.CANCELLED
                vacated += 1
        s.flush()
        plan = []
        start_of_sim = local_instant(TODAY, dtime(9), ZONE)
        st_times = {t.code: t.start_time for t in s.scalars(select(ShiftType))}
        for gap in staffing_gaps(s, TODAY + timedelta(days=1), end, home_ids):
            unit = next((u for u in units if u.name == gap.unit and u.home.name == gap.home), None)
            if unit is None:
                continue
            starts = local_instant(gap.date, dtime.fromisoformat(st_times[gap.shift_type]), ZONE)
            for _ in range(gap.short):
                opened = max(start_of_sim, starts - timedelta(hours=notice_hours(rng)))
                plan.append((opened, unit.home_id, unit.id, gap.date, gap.shift_type, gap.role))
        plan.sort()
        history = load_offer_history(s, quarter, start_of_sim)
        behaviour = {}
        for pid in quarter:
            h = history.get(pid)
            accepted = h.accepted if h else 0
            declined = h.declined if h else 0
            answered = (h.accepted + h.declined) if h else 0
            asked = h.resolved if h else 0
            delay = (h.avg_response_s / 3600) if h and h.avg_response_s else 0.75
            behaviour[pid] = Behaviour(
                (accepted + 2) / (accepted + declined + 4),
                (answered + 2) / (asked + 4) if asked else 0.8,
                delay,
            )
        s.commit()
        print(
            f"quarter: {len(units)} units, {len(quarter)} staff; {vacated} shifts vacated, "
            f"{len(plan)} coverage requests over {weeks} weeks"
        )
    engine.dispose()
    return plan, behaviour, quarter


def notice_hours(rng: random.Random) -> float:
    """How far ahead a vacancy becomes a request: a quarter on the day (sickness called in
    3-6 h before), under half 6-48 h ahead, the rest 2-7 days ahead (leave, known gaps).
    The mix is an assumption for the simulation, not a measurement."""
    u = rng.random()
    if u < 0.25:
        return rng.uniform(3.2, 6.0)
    if u < 0.70:
        return rng.uniform(6.0, 48.0)
    return rng.uniform(48.0, 168.0)


BANDS = ("<6h", "6-48h", ">48h")


def band_of(hours: float) -> str:
    return "<6h" if hours < 6 else "6-48h" if hours <= 48 else ">48h"


def reply_at(contacted: datetime, delay_hours: float, notice: float, z: float) -> datetime:
    """When a reply lands: the person's own delay (log-normal, sigma 0.8), shorter for a
    same-day ask (x0.4: "tonight" gets read now) and longer a week out (x1.5: no hurry); an
    offer that arrives while they sleep (22:00-07:00 local) waits until they wake (07:00 plus
    up to an hour). Assumptions, chosen to be plausible, not measured."""
    factor = 0.4 if notice < 6 else 1.0 if notice <= 48 else 1.5
    local = contacted.astimezone(ZONE)
    start = contacted
    if local.hour >= 22 or local.hour < 7:
        wake_day = local.date() + timedelta(days=1 if local.hour >= 22 else 0)
        wake = local_instant(wake_day, dtime(7), ZONE)
        start = wake + timedelta(minutes=60 * min(1.0, abs(z) / 3))
    return start + timedelta(hours=delay_hours * factor * math.exp(0.8 * z))


def accept_factor(notice: float) -> float:
    """Short notice is harder to say yes to (plans already made): x0.7 inside 6 h; a week
    out slightly easier (x1.1). An assumption, like the rest of the modifiers."""
    return 0.7 if notice < 6 else 1.0 if notice <= 48 else 1.1


def _utc(value: datetime) -> datetime:
    # aggregates over a datetime column come back from SQLite as text
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def draws(key: str) -> tuple[float, float, float]:
    """Three uniforms fixed by (request, person): the same under every strategy."""
    digest = hashlib.sha256(key.encode()).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "big") / 2**32 for i in (0, 4, 8))  # type: ignore[return-value]


def configure(settings: Settings, strategy: str) -> Settings:
    """broadcast: everyone eligible at once, no offer caps (a manager texting the list);
    balanced / reliability: today's fixed waves of 5 every 30 minutes by that profile;
    urgency: the shipped urgency bands (core/overtime/config.py); urgency[a/b,c/d,e/f]:
    bands with wave size / minutes for <6h, 6-48h and beyond (size 0 = everyone; a third
    number 0, as in 0/10/0, lifts the offer caps in that band; a fourth names the ranking
    profile for that band, as in 1/240/1/reliability)."""
    if strategy == "broadcast":
        return settings.with_overtime(
            wave_policy="fixed",
            wave_size=10_000,
            max_offers_per_day=10_000,
            max_offers_per_week=10_000,
        )
    elif strategy in ("balanced", "reliability"):
        return settings.with_overtime(
            wave_policy="fixed", wave_size=5, wave_interval_minutes=30, profile=strategy
        )
    elif strategy.startswith("urgency"):
        overrides: dict = {"wave_policy": "urgency", "profile": "balanced"}
        if "[" in strategy:
            parts = strategy[strategy.index("[") + 1 : -1].split(",")
            limits = (6, 48, 1e9)
            overrides["urgency_bands"] = [
                {
                    "max_hours": lim,
                    "wave_size": float(p.split("/")[0]),
                    "interval_minutes": float(p.split("/")[1]),
                    "offer_caps": float(p.split("/")[2]) if p.count("/") > 1 else 1.0,
                    "profile": p.split("/")[3] if p.count("/") > 2 else None,
                }
                for lim, p in zip(limits, parts, strict=True)
            ]
        return settings.with_overtime(**overrides)
    raise SystemExit(f"unknown strategy {strategy!r}")


def run(
    path: Path, strategy: str, plan, behaviour: dict[int, Behaviour], quarter: set[int], weeks: int
) -> dict[str, dict[str, float]]:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    start = local_instant(TODAY, dtime(9), ZONE)
    clock = ManualClock(start)
    core = Core(
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=clock,
        settings=configure(Settings(database_url=url), strategy),
    )
    pending = list(plan)
    answers: list[Answer] = []
    seen_offer = 0
    seq = 0
    key_of: dict[int, str] = {}
    end = start + timedelta(days=7 * weeks + 1)
    hours_by_type = {}
    with core.uow() as uow:
        hours_by_type = {t.code: t.paid_hours for t in uow.session.scalars(select(ShiftType))}
    recent_ot: dict[int, list[tuple[datetime, float]]] = {}
    opened_ids: list[int] = []
    notice_of: dict[int, float] = {}
    while core.clock.now() < end:
        now = core.clock.now()
        while pending and pending[0][0] <= now:
            _, home_id, unit_id, day, code, role = pending.pop(0)
            try:
                result = request_cover(
                    core,
                    RequestCover(
                        home_id=home_id,
                        date=day,
                        shift_type=code,
                        role=role,
                        unit_id=unit_id,
                        source="gap",
                    ),
                    Actor.system("simulation"),
                )
            except StaffbotError:  # the shift has started: too late, not counted
                continue
            if result.request is not None:
                opened_ids.append(result.request.id)
                notice_of[result.request.id] = (
                    result.request.starts_at - now
                ).total_seconds() / 3600
                key_of[result.request.id] = f"{day}-{code}-{role}-{unit_id}-{len(opened_ids)}"
        advance_outreach(core)
        with core.uow() as uow:
            fresh = list(
                uow.session.execute(
                    select(
                        Offer.id,
                        Offer.person_id,
                        Offer.request_id,
                        Offer.contacted_at,
                        CoverageRequest.deadline_at,
                    )
                    .join(CoverageRequest, CoverageRequest.id == Offer.request_id)
                    .where(Offer.id > seen_offer)
                    .order_by(Offer.id)
                )
            )
            due = uow.session.execute(
                select(
                    func.min(CoverageRequest.next_wave_at), func.min(CoverageRequest.deadline_at)
                ).where(CoverageRequest.status == RequestStatus.PENDING)
            ).one()
        for offer_id, pid, rid, contacted, deadline in fresh:
            seen_offer = max(seen_offer, offer_id)
            b = behaviour.get(pid)
            if b is None or rid not in key_of:
                continue
            u_answer, u_accept, u_delay = draws(f"{key_of[rid]}:{pid}")
            if u_answer > b.answers:
                continue  # silence
            z = statistics.NormalDist().inv_cdf(min(max(u_delay, 1e-6), 1 - 1e-6))
            notice = notice_of[rid]
            at = reply_at(_utc(contacted), b.delay_hours, notice, z)
            if at >= _utc(deadline):
                continue
            week_ago = at - timedelta(days=7)
            tired = sum(h for t, h in recent_ot.get(pid, []) if t >= week_ago)
            yes = u_accept < min(0.98, b.propensity * accept_factor(notice)) * math.exp(-tired / 16)
            seq += 1
            heapq.heappush(answers, Answer(at, seq, pid, rid, yes))
        # jump straight to the next thing that happens (a request, an answer, a wave, a
        # deadline) instead of ticking through quiet minutes
        upcoming = [end] + [_utc(t) for t in due if t is not None]
        if pending:
            upcoming.append(pending[0][0])
        if answers:
            upcoming.append(answers[0].at)
        step_to = max(min(upcoming), now + timedelta(seconds=1))
        clock.set(step_to)
        while answers and answers[0].at <= step_to:
            ans = heapq.heappop(answers)
            if ans.yes:
                outcome = accept_offer(core, AcceptOffer(ans.person_id, ans.request_id)).outcome
                if outcome == "accepted":
                    with core.uow() as uow:
                        req = uow.session.get(CoverageRequest, ans.request_id)
                        assert req is not None
                        recent_ot.setdefault(ans.person_id, []).append(
                            (req.starts_at, hours_by_type[req.shift_type_code])
                        )
            else:
                decline_offer(core, DeclineOffer(ans.person_id, ans.request_id, "sim"))
    with core.uow() as uow:
        s = uow.session
        reqs = list(s.scalars(select(CoverageRequest).where(CoverageRequest.id.in_(opened_ids))))
        texts_of = dict(
            s.execute(
                select(Offer.request_id, func.count(Offer.id))
                .where(Offer.request_id.in_(opened_ids))
                .group_by(Offer.request_id)
            ).all()
        )
        willing = set(
            s.scalars(
                select(OvertimePreference.person_id).where(
                    OvertimePreference.opted_in.is_(True), OvertimePreference.person_id.in_(quarter)
                )
            )
        )
        worked = list(
            s.execute(
                select(Shift.coverage_request_id, Shift.person_id, Shift.shift_type_code).where(
                    Shift.coverage_request_id.in_(opened_ids),
                    Shift.kind == ShiftKind.OVERTIME,
                    Shift.status == ShiftStatus.SCHEDULED,
                )
            )
        )
    engine.dispose()
    band_of_req = {r.id: band_of(notice_of[r.id]) for r in reqs}
    out: dict[str, dict[str, float]] = {}
    for band in (*BANDS, "all"):
        mine = [r for r in reqs if band == "all" or band_of_req[r.id] == band]
        ids = {r.id for r in mine}
        filled = [r for r in mine if r.status == RequestStatus.FILLED]
        minutes = sorted(
            (_utc(r.filled_at) - _utc(r.created_at)).total_seconds() / 60
            for r in filled
            if r.filled_at is not None
        )
        texts = sum(texts_of.get(r.id, 0) for r in mine)
        hours = {pid: 0.0 for pid in willing}
        for req_id, worker, code in worked:
            if req_id in ids and worker is not None and worker in hours:
                hours[worker] += hours_by_type[code]
        out[band] = {
            "requests": len(mine),
            "filled": len(filled),
            "fill_rate": len(filled) / len(mine) if mine else 0.0,
            "median_minutes": statistics.median(minutes) if minutes else float("nan"),
            "p90_minutes": percentile(minutes, 0.9),
            "texts_per_fill": texts / len(filled) if filled else float("nan"),
            "gini": gini(list(hours.values())),
        }
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    pos = q * (len(values) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="a paper-scale demo SQLite file (built if missing); copied")
    ap.add_argument("--weeks", type=int, default=4)
    ap.add_argument("--gap-rate", type=float, default=0.07)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--strategies", default="broadcast,balanced,urgency")
    ap.add_argument("--json", action="store_true", help="the JSON list on stdout, only")
    args = ap.parse_args()
    say = (lambda *a, **k: print(*a, **k, file=sys.stderr)) if args.json else print
    work = Path(tempfile.mkdtemp())
    source = Path(args.db) if args.db else work / "paper.db"
    if not source.exists():
        with contextlib.redirect_stdout(sys.stderr if args.json else sys.stdout):
            build(source)
    world = work / "world.db"
    shutil.copy(source, world)
    with contextlib.redirect_stdout(sys.stderr if args.json else sys.stdout):
        plan, behaviour, quarter = prepare_world(world, args.weeks, args.gap_rate, args.seed)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for strategy in args.strategies.split(";" if "[" in args.strategies else ","):
        copy = work / f"{len(results)}.db"
        shutil.copy(world, copy)
        started = time.perf_counter()
        results[strategy] = run(copy, strategy, plan, behaviour, quarter, args.weeks)
        say(f"  {strategy}: simulated in {time.perf_counter() - started:.0f} s")
    rows = []
    for name, bands in results.items():
        for band, r in bands.items():
            rows.append(
                {
                    "policy": name,
                    "default": name == SHIPPED,
                    "band": band,
                    "fill_rate": round(r["fill_rate"], 4),
                    "median_minutes": _num(r["median_minutes"]),
                    "p90_minutes": _num(r["p90_minutes"]),
                    "texts_per_fill": _num(r["texts_per_fill"]),
                    "gini": round(r["gini"], 4),
                }
            )
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print()
    print(
        f"{'policy':24} {'band':6} {'requests':>8} {'filled':>6} {'fill rate':>9} "
        f"{'median':>7} {'p90':>7} {'texts/fill':>10} {'Gini':>5}"
    )
    for name, bands in results.items():
        for band, r in bands.items():
            mark = "*" if name == SHIPPED else " "
            print(
                f"{name + mark:24} {band:6} {r['requests']:8d} {r['filled']:6d} "
                f"{r['fill_rate']:9.1%} {r['median_minutes']:7.0f} {r['p90_minutes']:7.0f} "
                f"{r['texts_per_fill']:10.1f} {r['gini']:5.2f}"
            )
    print(
        "\n* the policy the product ships with. Minutes from request to the YES that filled "
        "it; texts = offers sent per filled shift; Gini of overtime hours among the "
        "quarter's willing staff from these requests."
    )


def _shipped() -> str:
    """The policy the product ships with (its defaults, not this process's environment)."""
    defaults = OvertimeSettings.model_construct()
    return "urgency" if defaults.wave_policy == "urgency" else defaults.profile


SHIPPED = _shipped()


def _num(value: float) -> float | None:
    return None if value != value else round(value, 1)  # NaN -> null


if __name__ == "__main__":
    main()
