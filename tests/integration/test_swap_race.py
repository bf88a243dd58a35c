"""Swaps under concurrency, on SQLite and PostgreSQL (threads, each its own session): every
colleague asked saying YES to one give-away at once leaves one taker; a swap and an overtime
acceptance racing for the same person and time never double-book them, and neither shift
is filled twice."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.app import Core
from core.clock import ManualClock
from core.config import Settings
from core.db import make_engine, make_session_factory
from core.models import Offer, OfferResponse, Person, Shift, ShiftStatus, ShiftType, Unit
from core.overtime import AcceptOffer, accept_offer
from core.swaps.models import AskResponse, Swap, SwapAsk, SwapStatus
from core.swaps.service import RequestSwap, answer_swap, request_swap
from core.timeutil import shift_window
from tests.conftest import DEMO_TODAY, requires_pg
from tests.integration.test_overtime_race import open_quiet_request, plant_offers
from tests.integration.test_overtime_support import NINE

FAR = DEMO_TODAY + timedelta(days=35)  # past the published rota: nobody is rostered
SATURDAY = DEMO_TODAY + timedelta(days=10)  # Sat 24 Jan: Tom Baxter's late


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=requires_pg)])
def race_core(request):
    url = request.getfixturevalue("demo_url" if request.param == "sqlite" else "pg_demo_url")
    engine = make_engine(url, pool_size=25, max_overflow=30, pool_timeout=60)
    core = Core(
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=ManualClock(NINE),
        settings=Settings(database_url=url),
    )
    yield core
    engine.dispose()


def pid(core, name: str) -> int:
    with core.uow() as uow:
        return uow.session.scalars(select(Person.id).where(Person.full_name == name)).one()


def all_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list = []

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def test_everyone_saying_yes_to_a_giveaway_at_once_leaves_one_taker(race_core):
    core = race_core
    tom = pid(core, "Tom Baxter")
    asked = request_swap(core, RequestSwap(tom, SATURDAY, "late"))
    assert asked.result == "asked" and len(asked.asked) >= 3
    ref = asked.swap.ref
    people = [pid(core, name) for name in asked.asked]
    results = all_at_once([lambda p=p: answer_swap(core, p, ref, yes=True) for p in people])
    outcomes = Counter(r.result for r in results)
    assert outcomes == {"approved": 1, "gone": len(people) - 1}, outcomes
    winner = people[[r.result for r in results].index("approved")]
    with core.uow() as uow:
        s = uow.session
        swap = s.get(Swap, ref)
        assert swap.status == SwapStatus.APPROVED and swap.to_person_id == winner
        assert s.get(Shift, swap.shift_id).person_id == winner
        responses = Counter(
            a.response for a in s.scalars(select(SwapAsk).where(SwapAsk.swap_id == ref))
        )
        assert responses == {AskResponse.ACCEPTED: 1, AskResponse.GONE: len(people) - 1}
        # nobody ends up on two lates that Saturday, and Tom is off it
        holders = list(
            s.scalars(
                select(Shift.person_id).where(
                    Shift.date == SATURDAY,
                    Shift.shift_type_code == "late",
                    Shift.person_id.in_(people + [tom]),
                )
            )
        )
        assert holders.count(winner) == 1 and tom not in holders


def _night_for(core, name: str, day) -> int:
    """Give ``name`` a night at their own unit on ``day`` (past the published rota)."""
    with core.uow() as uow:
        s = uow.session
        person = s.scalars(select(Person).where(Person.full_name == name)).one()
        st = s.get(ShiftType, "night")
        starts, ends = shift_window(day, st.start_time, st.end_time, core.zone)
        shift = Shift(
            unit_id=person.unit_id or s.scalars(select(Unit.id)).first(),
            person_id=person.id,
            role_code=person.role_code,
            shift_type_code="night",
            date=day,
            starts_at=starts,
            ends_at=ends,
        )
        s.add(shift)
        uow.commit()
        return shift.id


def test_a_swap_racing_an_overtime_yes_for_the_same_person_never_double_books(race_core):
    core = race_core
    sarah, jennifer = pid(core, "Sarah MacKenzie"), pid(core, "Jennifer Ross")
    outcomes = []
    for i in range(5):
        day = FAR + timedelta(days=2 * i)
        shift_id = _night_for(core, "Sarah MacKenzie", day)
        asked = request_swap(core, RequestSwap(sarah, day, "night", "Jennifer Ross"))
        assert asked.result == "asked", asked.reasons
        req = open_quiet_request(core, "Orchard Grove", day, "night")  # the same hours
        plant_offers(core, req.id, [jennifer])
        swap_answer, ot_answer = all_at_once(
            [
                lambda r=asked.swap.ref: answer_swap(core, jennifer, r, yes=True),
                lambda r=req.id: accept_offer(core, AcceptOffer(jennifer, r)),
            ]
        )
        pair = (swap_answer.result, ot_answer.outcome)
        assert pair in {("approved", "clash"), ("refused", "accepted")}, (i, pair)
        outcomes.append(pair)
        with core.uow() as uow:
            s = uow.session
            mine = s.scalar(
                select(func.count(Shift.id)).where(
                    Shift.person_id == jennifer,
                    Shift.date == day,
                    Shift.status == ShiftStatus.SCHEDULED,
                )
            )
            assert mine == 1, (i, pair)  # one night, never two
            accepted = s.scalar(
                select(func.count(Offer.id)).where(
                    Offer.request_id == req.id, Offer.response == OfferResponse.ACCEPTED
                )
            )
            assert accepted == (1 if pair[1] == "accepted" else 0)
            night = s.get(Shift, shift_id)
            assert night.person_id == (jennifer if pair[0] == "approved" else sarah)
    assert outcomes  # both orders are possible; each is safe
