"""Reading requests (summaries, search, the preview ranking) and the row locks and shift
specs the writers share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import outbox
from core.errors import NotFound
from core.models import (
    CoverageRequest,
    Home,
    Offer,
    OfferResponse,
    OutboundMessage,
    Person,
    RequestStatus,
    Unit,
)
from core.overtime.commands import OfferSummary, RequestSummary, ref_of
from core.overtime.config import settings_for
from core.overtime.eligibility import ShiftSpec, shift_spec
from core.overtime.ranking import Ranking, rank_shift

# ---- reading --------------------------------------------------------------------------


def request_summary(session: Session, request_id: int) -> RequestSummary:
    req = session.get(CoverageRequest, request_id)
    if req is None:
        raise NotFound(f"There is no overtime request {ref_of(request_id)}.")
    return _summary(session, req)


def _summary(session: Session, req: CoverageRequest) -> RequestSummary:
    names = dict(
        session.execute(
            select(Person.id, Person.full_name)
            .join(Offer, Offer.person_id == Person.id)
            .where(Offer.request_id == req.id)
        ).all()
    )
    filled_by = None
    if req.filled_by_id is not None:
        filled_by = names.get(req.filled_by_id) or session.scalar(
            select(Person.full_name).where(Person.id == req.filled_by_id)
        )
    rows = list(
        session.scalars(
            select(Offer).where(Offer.request_id == req.id).order_by(Offer.contacted_at, Offer.id)
        )
    )
    filled = [
        names.get(o.person_id, "?")
        for o in sorted(rows, key=lambda o: (o.slot or 0, o.responded_at or o.contacted_at))
        if o.response == OfferResponse.ACCEPTED
    ]
    if filled:
        filled_by = filled[0]
    elif req.status != RequestStatus.FILLED:
        filled_by = None
    people = {
        pid: name
        for pid, name in session.execute(
            select(Person.id, Person.full_name).where(
                Person.id.in_([i for i in (req.created_by_id, req.agency_booked_by_id) if i])
            )
        )
    }
    agency = None
    if req.agency_name is not None:
        agency = {
            "agency": req.agency_name,
            "cost": req.agency_cost,
            "booked_by": people.get(req.agency_booked_by_id or 0),
        }
    states = _delivery(session, [o.id for o in rows])
    offers = [
        OfferSummary(
            o.person_id,
            names.get(o.person_id, "?"),
            str(o.response),
            o.contacted_at,
            o.responded_at,
            o.wave,
            o.score,
            str(o.channel),
            o.reason,
            o.delivery_status,
            states.get(o.id),
        )
        for o in rows
    ]
    home = session.get(Home, req.home_id)
    unit = session.get(Unit, req.unit_id) if req.unit_id else None
    return RequestSummary(
        req.id,
        ref_of(req.id),
        str(req.status),
        req.home_id,
        home.name if home else "?",
        unit.name if unit else None,
        req.date,
        req.shift_type_code,
        req.role_code,
        req.starts_at,
        req.deadline_at,
        req.next_wave_at,
        req.wave,
        req.wave_size,
        req.profile,
        req.source,
        req.created_at,
        filled_by,
        req.filled_at if req.status == RequestStatus.FILLED else None,
        offers,
        slots=req.slots or 1,
        filled=filled,
        extra=bool(req.extra),
        wave_policy=req.wave_policy or "fixed",
        agency=agency,
        requested_by=people.get(req.created_by_id or 0),
    )


def _delivery(session: Session, offer_ids: list[int]) -> dict[int, dict[str, str | None]]:
    """``{offer id: {state, error}}`` from the outbox (the latest offer message of each)."""
    if not offer_ids:
        return {}
    latest = dict(
        session.execute(
            select(OutboundMessage.offer_id, func.max(OutboundMessage.id))
            .where(OutboundMessage.offer_id.in_(offer_ids), OutboundMessage.kind == "ot.offer")
            .group_by(OutboundMessage.offer_id)
        ).all()
    )
    reader = getattr(outbox, "delivery_states", None)
    if reader is None or not latest:
        return {}
    states = reader(session, latest.values())
    return {
        offer_id: {"state": states[mid][0], "error": states[mid][1]}
        for offer_id, mid in latest.items()
        if offer_id is not None and mid in states
    }


def find_requests(
    session: Session,
    home_ids: frozenset[int] | None = None,
    day: date | None = None,
    end: date | None = None,
    shift_type: str | None = None,
    statuses: Iterable[str] | None = None,
    limit: int = 10,
) -> list[RequestSummary]:
    """Recent requests, newest first, narrowed by home, date range, shift type and status."""
    query = select(CoverageRequest).order_by(
        CoverageRequest.created_at.desc(), CoverageRequest.id.desc()
    )
    if home_ids is not None:
        query = query.where(CoverageRequest.home_id.in_(home_ids))
    if day is not None:
        query = query.where(CoverageRequest.date >= day, CoverageRequest.date <= (end or day))
    if shift_type:
        query = query.where(CoverageRequest.shift_type_code == shift_type)
    if statuses:
        query = query.where(CoverageRequest.status.in_(list(statuses)))
    return [_summary(session, r) for r in session.scalars(query.limit(limit))]


def preview_cover(
    core: Any, home_id: int, day: date, shift_type: str, role: str, profile: str | None = None
) -> Ranking:
    """Who would be asked, best first, and who is left out and why. Nothing is sent."""
    settings = settings_for(core)
    with core.uow() as uow:
        spec = shift_spec(uow.session, core.zone, home_id, day, shift_type, role)
        return rank_shift(uow.session, spec, uow.now(), settings, core.zone, profile)


def _spec(session: Session, req: CoverageRequest, zone: ZoneInfo) -> ShiftSpec:
    return shift_spec(
        session,
        zone,
        req.home_id,
        req.date,
        req.shift_type_code,
        req.role_code,
        unit_id=req.unit_id,
        request_id=req.id,
    )


def _lock_request(session: Session, request_id: int) -> CoverageRequest:
    # FOR NO KEY UPDATE: serialises writers of this request without blocking inserts of
    # offers and shifts that merely reference it
    return session.scalars(
        select(CoverageRequest)
        .where(CoverageRequest.id == request_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).one()


def _reload_offer(session: Session, offer_id: int) -> Offer:
    return session.scalars(
        select(Offer)
        .where(Offer.id == offer_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
