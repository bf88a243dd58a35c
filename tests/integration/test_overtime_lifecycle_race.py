"""The lifecycle's guarantees under concurrency, on SQLite and PostgreSQL: two managers asking
for one slot at once open one request; a request for two people takes exactly two of many
simultaneous YES replies; simultaneous claims of an open shift leave one winner; a withdrawal
racing a YES never leaves the shift double-booked."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from core.models import CoverageRequest, Offer, OfferResponse, RequestStatus, Shift, ShiftStatus
from core.overtime import (
    AcceptOffer,
    ClaimShift,
    RequestCover,
    WithdrawOffer,
    accept_offer,
    claim_shift,
    request_cover,
    withdraw_offer,
)
from core.uow import Actor
from tests.integration.test_overtime_race import (
    FAR,
    all_at_once,
    free_people,
    open_quiet_request,
    plant_offers,
    race_core,  # noqa: F401  (fixture)
)
from tests.integration.test_overtime_support import home_id


def test_two_managers_at_once_open_one_request(race_core):  # noqa: F811
    core = race_core
    home = home_id(core, "Meadowburn")

    def ask():
        return request_cover(
            core,
            RequestCover(home_id=home, date=FAR, shift_type="night", role="RN", send=False),
            Actor.system("test"),
        )

    for _round in range(3):
        results = all_at_once([ask for _ in range(6)])
        opened = [r for r in results if r.request is not None]
        assert len(opened) <= 1
        with core.uow() as uow:
            pending = uow.session.scalar(
                select(func.count(CoverageRequest.id)).where(
                    CoverageRequest.home_id == home,
                    CoverageRequest.date == FAR,
                    CoverageRequest.shift_type_code == "night",
                    CoverageRequest.status == RequestStatus.PENDING,
                )
            )
        assert pending == 1
        assert all(r.duplicate_of is not None for r in results if r.request is None)


def test_a_request_for_two_takes_exactly_two_of_many_yes(race_core):  # noqa: F811
    core = race_core
    req = request_cover(
        core,
        RequestCover(
            home_id=home_id(core), date=FAR, shift_type="night", role="RN", send=False, count=2
        ),
        Actor.system("test"),
    ).request
    people = free_people(core, req.id, 20)
    plant_offers(core, req.id, people)
    results = all_at_once(
        [lambda pid=pid: accept_offer(core, AcceptOffer(pid, req.id)) for pid in people]
    )
    assert Counter(r.outcome for r in results) == {"accepted": 2, "filled": 18}
    with core.uow() as uow:
        s = uow.session
        slots = sorted(
            s.scalars(
                select(Offer.slot).where(
                    Offer.request_id == req.id, Offer.response == OfferResponse.ACCEPTED
                )
            )
        )
        assert slots == [1, 2]
        shifts = s.scalar(
            select(func.count(Shift.id)).where(
                Shift.coverage_request_id == req.id, Shift.status == ShiftStatus.SCHEDULED
            )
        )
        assert shifts == 2
        assert s.get(CoverageRequest, req.id).status == RequestStatus.FILLED


def test_simultaneous_claims_of_an_open_shift_leave_one_winner(race_core):  # noqa: F811
    core = race_core
    req = open_quiet_request(core, "Hawthorn House")
    people = free_people(core, req.id, 12)
    results = all_at_once(
        [lambda pid=pid: claim_shift(core, ClaimShift(pid, req.id)) for pid in people]
    )
    outcomes = Counter(r.outcome for r in results)
    assert outcomes["accepted"] == 1
    assert set(outcomes) <= {"accepted", "filled", "not_eligible"}
    with core.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count(Shift.id)).where(
                    Shift.coverage_request_id == req.id, Shift.status == ShiftStatus.SCHEDULED
                )
            )
            == 1
        )


def test_a_withdrawal_racing_yeses_never_double_books(race_core):  # noqa: F811
    core = race_core
    req = open_quiet_request(core, "Orchard Grove")
    people = free_people(core, req.id, 8)
    plant_offers(core, req.id, people)
    first = people[0]
    assert accept_offer(core, AcceptOffer(first, req.id)).outcome == "accepted"
    jobs = [lambda: withdraw_offer(core, WithdrawOffer(first, req.id, reason="unwell"))]
    jobs += [lambda pid=pid: accept_offer(core, AcceptOffer(pid, req.id)) for pid in people[1:]]
    all_at_once(jobs)
    with core.uow() as uow:
        s = uow.session
        booked = list(
            s.scalars(
                select(Shift.person_id).where(
                    Shift.coverage_request_id == req.id, Shift.status == ShiftStatus.SCHEDULED
                )
            )
        )
        accepted = list(
            s.scalars(
                select(Offer.person_id).where(
                    Offer.request_id == req.id, Offer.response == OfferResponse.ACCEPTED
                )
            )
        )
    assert first not in booked and len(booked) <= 1 and sorted(booked) == sorted(accepted)
