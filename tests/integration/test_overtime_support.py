"""Helpers shared by the overtime tests (no tests here): a demo core on a moveable clock, and
small ways to plant shifts, leave, sickness and offers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from core.app import Core
from core.models import (
    Channel,
    CoverageRequest,
    Home,
    LeaveRequest,
    LeaveStatus,
    LeaveType,
    Offer,
    OfferResponse,
    OutboundMessage,
    Person,
    RequestStatus,
    Shift,
    ShiftKind,
    ShiftStatus,
    ShiftType,
    SicknessAbsence,
    Unit,
)
from core.overtime import RequestCover, request_cover
from core.overtime.config import with_overtime
from core.timeutil import shift_window
from core.uow import Actor
from tests.conftest import DEMO_TODAY, ZONE, local, make_core

FRIDAY = DEMO_TODAY + timedelta(days=2)  # 2026-01-16, the planted RN night gap
NINE = local(DEMO_TODAY, "09:00")


def ot_core(url: str, now: datetime | None = None, **overrides: Any) -> Core:
    core = make_core(url, now=now or NINE)
    if "wave_size" in overrides:  # a wave size set for the test means fixed waves of it
        overrides.setdefault("wave_policy", "fixed")
    return with_overtime(core, **overrides)


def ids(core: Core) -> dict[str, int]:
    with core.uow() as uow:
        return {p.full_name: p.id for p in uow.session.scalars(select(Person))}


def home_id(core: Core, name: str = "Victoria Gardens") -> int:
    with core.uow() as uow:
        return uow.session.scalars(select(Home.id).where(Home.name == name)).one()


def add_shift(
    core: Core, person_id: int, day: date, code: str, kind: ShiftKind = ShiftKind.REGULAR
) -> int:
    with core.uow() as uow:
        s = uow.session
        person = s.get(Person, person_id)
        st = s.get(ShiftType, code)
        unit_id = person.unit_id or s.scalars(select(Unit.id)).first()
        starts, ends = shift_window(day, st.start_time, st.end_time, ZONE)
        shift = Shift(
            unit_id=unit_id,
            person_id=person_id,
            role_code=person.role_code or "HCA",
            shift_type_code=code,
            date=day,
            starts_at=starts,
            ends_at=ends,
            kind=kind,
            status=ShiftStatus.SCHEDULED,
        )
        s.add(shift)
        uow.commit()
        return shift.id


def add_leave(core: Core, person_id: int, start: date, end: date) -> None:
    with core.uow() as uow:
        uow.session.add(
            LeaveRequest(
                person_id=person_id,
                start_date=start,
                end_date=end,
                leave_type=LeaveType.ANNUAL,
                status=LeaveStatus.APPROVED,
                days=1,
                created_at=uow.now(),
            )
        )
        uow.commit()


def add_sickness(core: Core, person_id: int, day: date) -> None:
    with core.uow() as uow:
        uow.session.add(
            SicknessAbsence(
                person_id=person_id, start_date=day, end_date=day, reported_at=uow.now()
            )
        )
        uow.commit()


def clear_absences(core: Core, person_ids: list[int], start: date, end: date) -> None:
    """Demo leave may fall on a test's day; take it away for these people."""
    with core.uow() as uow:
        s = uow.session
        for model in (LeaveRequest, SicknessAbsence):
            for row in s.scalars(
                select(model).where(
                    model.person_id.in_(person_ids),
                    model.start_date <= end,
                    model.end_date >= start,
                )
            ):
                s.delete(row)
        uow.commit()


def add_offers(core: Core, person_id: int, count: int, at: datetime) -> None:
    """Offers (for other, past requests) made to one person at a given time: for the caps."""
    with core.uow() as uow:
        s = uow.session
        for _ in range(count):
            req = CoverageRequest(
                home_id=1,
                date=DEMO_TODAY,
                shift_type_code="early",
                role_code="RN",
                status=RequestStatus.UNFILLED,
                source="manager",
                created_at=at,
                starts_at=at,
                deadline_at=at,
                wave=1,
                wave_size=1,
                min_score=0,
                profile="balanced",
                version=0,
            )
            s.add(req)
            s.flush()
            s.add(
                Offer(
                    request_id=req.id,
                    person_id=person_id,
                    wave=1,
                    score=0,
                    breakdown={},
                    channel=Channel.SMS,
                    response=OfferResponse.NO_RESPONSE,
                    contacted_at=at,
                )
            )
        uow.commit()


def friday_night(core: Core, **kw: Any):  # type: ignore[no-untyped-def]
    """Claire asks for an RN for the planted Friday night gap at Victoria Gardens."""
    people = ids(core)
    claire = people["Claire Docherty"]
    cmd = RequestCover(
        home_id=home_id(core),
        date=FRIDAY,
        shift_type="night",
        role="RN",
        requested_by_id=claire,
        **kw,
    )
    return request_cover(core, cmd, Actor("Claire Docherty", claire))


def outbox(core: Core, kind: str | None = None) -> list[OutboundMessage]:
    with core.uow() as uow:
        query = select(OutboundMessage).order_by(OutboundMessage.id)
        if kind:
            query = query.where(OutboundMessage.kind == kind)
        return _detached(uow, list(uow.session.scalars(query)))


def offers_of(core: Core, request_id: int) -> dict[int, Offer]:
    with core.uow() as uow:
        return _detached(
            uow,
            {
                o.person_id: o
                for o in uow.session.scalars(select(Offer).where(Offer.request_id == request_id))
            },
        )


def request_row(core: Core, request_id: int) -> CoverageRequest:
    with core.uow() as uow:
        return _detached(uow, uow.session.get(CoverageRequest, request_id))


def _detached(uow, value):  # type: ignore[no-untyped-def]
    # the unit of work rolls back on exit, which would expire what we read; keep the values
    uow.session.expunge_all()
    return value
