"""First YES wins, guaranteed by the database, on SQLite and PostgreSQL: 50 concurrent YES
replies (threads, each its own session) leave one accepted offer and one overtime shift; a
person answering YES to two overlapping requests at once gets at most one of them; two
schedulers racing over a due wave send it once."""

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
from core.models import (
    Channel,
    CoverageRequest,
    Offer,
    OfferResponse,
    Person,
    PersonKind,
    RequestStatus,
    Shift,
)
from core.overtime import (
    AcceptOffer,
    RequestCover,
    accept_offer,
    advance_outreach,
    request_cover,
    settings_for,
    shift_spec,
)
from core.overtime.config import with_overtime
from core.overtime.eligibility import clashes
from core.uow import Actor
from tests.conftest import DEMO_TODAY, requires_pg
from tests.integration.test_overtime_support import NINE, home_id

FAR = DEMO_TODAY + timedelta(days=35)  # past the published rota: nobody is rostered


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


def open_quiet_request(core, home="Victoria Gardens", day=FAR, shift="night"):
    """A request with no offers sent (we plant our own)."""
    return request_cover(
        core,
        RequestCover(
            home_id=home_id(core, home), date=day, shift_type=shift, role="RN", send=False
        ),
        Actor.system("test"),
    ).request


def free_people(core, request_id, count):
    """Staff with no leave, sickness or shift near the request's shift."""
    settings = settings_for(core)
    with core.uow() as uow:
        s = uow.session
        req = s.get(CoverageRequest, request_id)
        spec = shift_spec(s, core.zone, req.home_id, req.date, req.shift_type_code, req.role_code)
        found = []
        for pid in s.scalars(
            select(Person.id).where(Person.kind == PersonKind.STAFF).order_by(Person.id)
        ):
            if not clashes(s, spec, pid, uow.now(), settings, core.zone):
                found.append(pid)
            if len(found) == count:
                return found
    raise AssertionError("not enough free staff")


def plant_offers(core, request_id, people):
    with core.uow() as uow:
        for pid in people:
            uow.session.add(
                Offer(
                    request_id=request_id,
                    person_id=pid,
                    wave=1,
                    score=50.0,
                    breakdown={},
                    channel=Channel.SMS,
                    response=OfferResponse.SENT,
                    contacted_at=uow.now(),
                )
            )
        uow.commit()


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


def test_fifty_simultaneous_yes_leave_one_winner(race_core):
    core = race_core
    req = open_quiet_request(core)
    people = free_people(core, req.id, 50)
    plant_offers(core, req.id, people)
    results = all_at_once(
        [lambda pid=pid: accept_offer(core, AcceptOffer(pid, req.id)) for pid in people]
    )
    outcomes = Counter(r.outcome for r in results)
    assert outcomes == {"accepted": 1, "filled": 49}
    winner = people[[r.outcome for r in results].index("accepted")]
    with core.uow() as uow:
        s = uow.session
        assert (
            s.scalar(
                select(func.count(Offer.id)).where(
                    Offer.request_id == req.id, Offer.response == OfferResponse.ACCEPTED
                )
            )
            == 1
        )
        shifts = list(s.scalars(select(Shift).where(Shift.coverage_request_id == req.id)))
        assert [sh.person_id for sh in shifts] == [winner]
        row = s.get(CoverageRequest, req.id)
        assert row.status == RequestStatus.FILLED and row.filled_by_id == winner
        assert (
            s.scalar(
                select(func.count(Offer.id)).where(
                    Offer.request_id == req.id, Offer.response == OfferResponse.WITHDRAWN
                )
            )
            == 49
        )


def test_overlapping_requests_are_never_both_accepted_by_one_person(race_core):
    core = race_core
    rounds = 6
    for i in range(rounds):
        day = FAR + timedelta(days=2 * i)
        first = open_quiet_request(core, "Victoria Gardens", day, "night")
        second = open_quiet_request(core, "Hawthorn House", day, "long_day")  # 07:30-20:00
        overlapping_night = open_quiet_request(core, "Orchard Grove", day, "night")
        person = free_people(core, first.id, 1)[0]
        for req in (first, second, overlapping_night):
            plant_offers(core, req.id, [person])
        results = all_at_once(
            [
                lambda r=first, p=person: accept_offer(core, AcceptOffer(p, r.id)),
                lambda r=overlapping_night, p=person: accept_offer(core, AcceptOffer(p, r.id)),
            ]
        )
        assert sorted(r.outcome for r in results) == ["accepted", "clash"], i
        with core.uow() as uow:
            nights = uow.session.scalar(
                select(func.count(Shift.id)).where(Shift.person_id == person, Shift.date == day)
            )
            assert nights == 1
        # the long day ends 20:00, under 11h before a 21:45 night: refused too
        assert accept_offer(core, AcceptOffer(person, second.id)).outcome == "clash"


def test_two_schedulers_racing_send_each_offer_once(race_core):
    core = race_core
    core = with_overtime(core, wave_size=2)
    reqs = [
        request_cover(
            core,
            RequestCover(home_id=home_id(core, h), date=FAR, shift_type="night", role="RN"),
            Actor.system("test"),
        ).request
        for h in ("Victoria Gardens", "Hawthorn House", "Meadowburn")
    ]
    core.clock.advance(timedelta(minutes=31))
    all_at_once([lambda: advance_outreach(core) for _ in range(4)])
    with core.uow() as uow:
        for req in reqs:
            waves = Counter(
                uow.session.scalars(select(Offer.wave).where(Offer.request_id == req.id))
            )
            assert max(waves) <= 2 and all(n <= 2 for n in waves.values()), waves
            assert uow.session.get(CoverageRequest, req.id).wave == max(waves)
