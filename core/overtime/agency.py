"""The agency step: cover booked from an agency for a request or a gap.

A booking records the agency, the cost and who booked it on the request (status AGENCY),
puts an agency shift (no person) in the rota so gaps and reports count it, tells everyone
still holding an offer that it is no longer needed, and is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.errors import InvalidInput, NotAllowed, NotFound
from core.models import (
    CoverageRequest,
    Home,
    Offer,
    OfferResponse,
    OutboundMessage,
    Person,
    RequestStatus,
    Shift,
    ShiftKind,
    ShiftStatus,
)
from core.overtime.commands import BookAgency, RequestSummary, ref_of
from core.overtime.eligibility import shift_spec
from core.overtime.notices import _shift_payload, _tell_managers
from core.overtime.records import _lock_request, _spec, _summary
from core.overtime.request import pick_unit
from core.uow import Actor

if TYPE_CHECKING:
    from core.app import Core

BOOKABLE = (RequestStatus.PENDING, RequestStatus.UNFILLED)


@dataclass(frozen=True)
class AgencyBooking:
    """A recorded agency booking: the request it closed, and how many people still holding
    an offer were told the shift is no longer needed."""

    request: RequestSummary
    told: int


def book_agency(core: Core, cmd: BookAgency, actor: Actor) -> RequestSummary:
    """Record agency cover (``ref``: for that request; else for the gap at home, date, shift,
    role, recorded as a request of its own). Closes the outreach as AGENCY."""
    return record_agency(core, cmd, actor).request


def record_agency(core: Core, cmd: BookAgency, actor: Actor) -> AgencyBooking:
    """``book_agency``, and how many people still asked were told (chat says so). With a
    ``scope``, only a manager of the home (or the head of service) may book."""
    if cmd.scope is not None:
        cmd.scope.require_manager("book agency cover")
    agency = (cmd.agency or "").strip()[:80]
    if not agency:
        raise InvalidInput("Which agency? e.g. 'booked Carewatch for OT42, £320'.")
    if cmd.cost is not None and cmd.cost < 0:
        raise InvalidInput("The cost cannot be negative.")
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        if cmd.ref is not None:
            if session.get(CoverageRequest, cmd.ref) is None:
                raise NotFound(f"There is no overtime request {ref_of(cmd.ref)}.")
            req = _lock_request(session, cmd.ref)
            if cmd.scope is not None and not cmd.scope.can_see_home(req.home_id):
                raise NotAllowed(
                    f"Only the manager of that home or the head of service can book agency "
                    f"cover for {ref_of(req.id)}."
                )
            if req.status not in BOOKABLE:
                raise InvalidInput(
                    f"{ref_of(req.id)} is {str(req.status).lower()}: no agency cover needed."
                )
        else:
            if cmd.home_id is None or cmd.date is None or not cmd.shift_type or not cmd.role:
                raise InvalidInput(
                    "Say which request (e.g. OT42) or which shift: home, day, shift and role."
                )
            if cmd.scope is not None and not cmd.scope.can_see_home(cmd.home_id):
                raise NotAllowed("You can only book agency cover for your own home.")
            spec = shift_spec(session, uow.zone, cmd.home_id, cmd.date, cmd.shift_type, cmd.role)
            session.execute(
                update(Home)
                .where(Home.id == spec.home_id)
                .values(id=Home.id)
                .execution_options(synchronize_session=False)
            )
            open_req = session.scalars(
                select(CoverageRequest)
                .where(
                    CoverageRequest.home_id == spec.home_id,
                    CoverageRequest.date == spec.date,
                    CoverageRequest.shift_type_code == spec.shift_type,
                    CoverageRequest.role_code == spec.role,
                    CoverageRequest.status.in_(BOOKABLE),
                )
                .order_by(CoverageRequest.id.desc())
            ).first()
            if open_req is not None:
                req = _lock_request(session, open_req.id)
            else:
                req = CoverageRequest(
                    home_id=spec.home_id,
                    unit_id=pick_unit(session, spec),
                    date=spec.date,
                    shift_type_code=spec.shift_type,
                    role_code=spec.role,
                    status=RequestStatus.PENDING,
                    source="agency",
                    created_by_id=cmd.booked_by_id,
                    created_at=now,
                    starts_at=spec.starts_at,
                    deadline_at=spec.starts_at,
                    next_wave_at=None,
                    wave=0,
                    wave_size=0,
                    min_score=0,
                    profile="balanced",
                    version=0,
                    slots=1,
                )
                session.add(req)
                session.flush()
        spec = _spec(session, req, uow.zone)
        taken = len(
            list(
                session.scalars(
                    select(Offer.id).where(
                        Offer.request_id == req.id, Offer.response == OfferResponse.ACCEPTED
                    )
                )
            )
        )
        places = max(1, (req.slots or 1) - taken)
        home = session.get(Home, req.home_id)
        base = _shift_payload(req, spec, home.name if home else "", uow.zone)
        told = []
        for offer in session.scalars(
            select(Offer).where(Offer.request_id == req.id, Offer.response == OfferResponse.SENT)
        ):
            offer.response = OfferResponse.WITHDRAWN
            told.append(offer.person_id)
            uow.notify(
                OutboundMessage(
                    person_id=offer.person_id,
                    channel=offer.channel,
                    kind="ot.cancelled",
                    payload=base,
                    offer_id=offer.id,
                )
            )
        shift_ids = []
        for _ in range(places):
            shift = Shift(
                unit_id=req.unit_id or pick_unit(session, spec),
                person_id=None,
                role_code=req.role_code,
                shift_type_code=req.shift_type_code,
                date=req.date,
                starts_at=spec.starts_at,
                ends_at=spec.ends_at,
                kind=ShiftKind.AGENCY,
                status=ShiftStatus.SCHEDULED,
                coverage_request_id=req.id,
            )
            session.add(shift)
            session.flush()
            shift_ids.append(shift.id)
            uow.audit(
                actor,
                "shift.created",
                "shift",
                shift.id,
                after={"kind": "agency", "request": ref_of(req.id), "agency": agency},
            )
        before = str(req.status)
        req.status, req.closed_at, req.next_wave_at = RequestStatus.AGENCY, now, None
        req.agency_name, req.agency_cost, req.agency_booked_by_id = (
            agency,
            cmd.cost,
            cmd.booked_by_id,
        )
        req.version += 1
        uow.audit(
            actor,
            "overtime.agency_booked",
            "coverage_request",
            req.id,
            before={"status": before},
            after={
                "status": "AGENCY",
                "agency": agency,
                "cost": cmd.cost,
                "booked_by_id": cmd.booked_by_id,
                "places": places,
                "told": told,
                "shifts": shift_ids,
            },
        )
        booker = session.get(Person, cmd.booked_by_id) if cmd.booked_by_id else None
        _tell_managers(
            uow,
            req,
            "ot.agency",
            {
                **base,
                "agency": agency,
                "cost": cmd.cost,
                "places": places,
                "booked_by": booker.full_name if booker else actor.label,
            },
        )
        uow.commit()
        return AgencyBooking(_summary(session, req), len(told))


@dataclass(frozen=True)
class AgencyTotals:
    shifts: int
    cost: float
    by_home: dict[str, tuple[int, float]]

    def to_json(self) -> dict[str, Any]:
        return {
            "shifts": self.shifts,
            "cost": round(self.cost, 2),
            "by_home": {
                h: {"shifts": n, "cost": round(c, 2)} for h, (n, c) in self.by_home.items()
            },
        }


def agency_totals(
    session: Session, start: date, end: date, home_ids: frozenset[int] | None = None
) -> AgencyTotals:
    """Agency shifts booked through Staffbot for shifts from start to end, and their cost."""
    query = (
        select(Home.name, CoverageRequest.agency_cost, CoverageRequest.id)
        .join(Home, Home.id == CoverageRequest.home_id)
        .where(
            CoverageRequest.status == RequestStatus.AGENCY,
            CoverageRequest.date >= start,
            CoverageRequest.date <= end,
        )
    )
    if home_ids is not None:
        query = query.where(CoverageRequest.home_id.in_(list(home_ids)))
    rows = list(session.execute(query))
    counts: dict[int, int] = {}
    for (rid,) in session.execute(
        select(Shift.coverage_request_id).where(
            Shift.kind == ShiftKind.AGENCY,
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.coverage_request_id.in_([r[2] for r in rows]),
        )
    ):
        if rid is not None:
            counts[rid] = counts.get(rid, 0) + 1
    by_home: dict[str, tuple[int, float]] = {}
    for home, cost, rid in rows:
        n, c = by_home.get(home, (0, 0.0))
        by_home[home] = (n + counts.get(rid, 1), c + (cost or 0.0))
    return AgencyTotals(
        sum(n for n, _ in by_home.values()), sum(c for _, c in by_home.values()), by_home
    )
