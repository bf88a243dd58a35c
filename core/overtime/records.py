"""Reading requests (summaries, search, the preview ranking) and the row locks and shift
specs the writers share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, func, select
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
from core.overtime.commands import OfferSummary, RequestBrief, RequestSummary, ref_of
from core.overtime.config import settings_for
from core.overtime.eligibility import ShiftSpec, shift_spec
from core.overtime.ranking import Ranking, rank_shift

if TYPE_CHECKING:
    from core.app import Core

# ---- reading --------------------------------------------------------------------------


def request_summary(session: Session, request_id: int) -> RequestSummary:
    req = session.get(CoverageRequest, request_id)
    if req is None:
        raise NotFound(f"There is no overtime request {ref_of(request_id)}.")
    return _summary(session, req)


def _summary(session: Session, req: CoverageRequest) -> RequestSummary:
    """The request with every offer: the offers and their people's names in one statement
    (columns only), the home's and unit's names in another, who asked for it and who booked
    an agency only when someone did, and the offers' delivery states from the outbox."""
    rows = session.execute(
        select(
            Offer.id,
            Offer.person_id,
            Person.full_name,
            Offer.response,
            Offer.contacted_at,
            Offer.responded_at,
            Offer.wave,
            Offer.score,
            Offer.channel,
            Offer.reason,
            Offer.delivery_status,
            Offer.slot,
        )
        .select_from(Offer)
        .outerjoin(Person, Person.id == Offer.person_id)
        .where(Offer.request_id == req.id)
        .order_by(Offer.contacted_at, Offer.id)
    ).all()
    names = {r.person_id: "?" if r.full_name is None else r.full_name for r in rows}
    filled = _holders(rows)
    people = _names(
        session,
        {req.created_by_id, req.agency_booked_by_id}
        | ({req.filled_by_id} if not filled and req.filled_by_id not in names else set()),
    )
    if filled:
        filled_by: str | None = filled[0]
    elif req.status == RequestStatus.FILLED and req.filled_by_id is not None:
        filled_by = names.get(req.filled_by_id) or people.get(req.filled_by_id)
    else:
        filled_by = None
    agency = None
    if req.agency_name is not None:
        agency = {
            "agency": req.agency_name,
            "cost": req.agency_cost,
            "booked_by": people.get(req.agency_booked_by_id or 0),
        }
    states = _delivery(session, [r.id for r in rows])
    offers = [
        OfferSummary(
            r.person_id,
            names[r.person_id],
            str(r.response),
            r.contacted_at,
            r.responded_at,
            r.wave,
            r.score,
            str(r.channel),
            r.reason,
            r.delivery_status,
            states.get(r.id),
        )
        for r in rows
    ]
    home, unit = _place(session, req)
    return RequestSummary(
        req.id,
        ref_of(req.id),
        str(req.status),
        req.home_id,
        home,
        unit,
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


# Built once (bind parameters; cache keys kept), on the tables' columns (plain rows, without
# the ORM's statement machinery): every answer to an offer runs these.
_PEOPLE_T, _OFFERS_T = cast(Table, Person.__table__), cast(Table, Offer.__table__)
_HOMES, _UNITS = cast(Table, Home.__table__).c, cast(Table, Unit.__table__).c
_HOLDERS = (
    select(
        _PEOPLE_T.c.full_name, _OFFERS_T.c.slot, _OFFERS_T.c.responded_at, _OFFERS_T.c.contacted_at
    )
    .select_from(_OFFERS_T.outerjoin(_PEOPLE_T, _PEOPLE_T.c.id == _OFFERS_T.c.person_id))
    .where(
        _OFFERS_T.c.request_id == bindparam("request_id"),
        _OFFERS_T.c.response == OfferResponse.ACCEPTED,
    )
    .order_by(_OFFERS_T.c.contacted_at, _OFFERS_T.c.id)
)
_HOME_NAME = select(_HOMES.name).where(_HOMES.id == bindparam("home_id"))
_HOME_AND_UNIT = select(
    _HOMES.name, select(_UNITS.name).where(_UNITS.id == bindparam("unit_id")).scalar_subquery()
).where(_HOMES.id == bindparam("home_id"))
_UNIT_NAME = select(_UNITS.name).where(_UNITS.id == bindparam("unit_id"))
_LOCK_REQUEST = (
    select(CoverageRequest)
    .where(CoverageRequest.id == bindparam("request_id"))
    .with_for_update(key_share=True)
    .execution_options(populate_existing=True)
)
_RELOAD_OFFER = (
    select(Offer)
    .where(Offer.id == bindparam("offer_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)


def _brief(session: Session, req: CoverageRequest) -> RequestBrief:
    """The request without its offers (what an answer says): two small statements, the
    people holding its places and the home's and unit's names."""
    rows = session.execute(_HOLDERS, {"request_id": req.id}).all()
    filled = _holders(rows, accepted_only=True)
    if filled:
        filled_by: str | None = filled[0]
    elif req.status == RequestStatus.FILLED and req.filled_by_id is not None:
        filled_by = _names(session, {req.filled_by_id}).get(req.filled_by_id)
    else:
        filled_by = None
    home, unit = _place(session, req)
    return RequestBrief(
        req.id,
        ref_of(req.id),
        str(req.status),
        req.home_id,
        home,
        unit,
        req.date,
        req.shift_type_code,
        req.role_code,
        req.starts_at,
        filled_by,
        slots=req.slots or 1,
        filled=filled,
    )


def request_brief(session: Session, request_id: int) -> RequestBrief:
    req = session.get(CoverageRequest, request_id)
    if req is None:
        raise NotFound(f"There is no overtime request {ref_of(request_id)}.")
    return _brief(session, req)


def _holders(rows: Sequence[Any], accepted_only: bool = False) -> list[str]:
    """Who holds the places, in place order (then by when they said yes), from rows of
    offers in contact order."""
    held = [r for r in rows if accepted_only or r.response == OfferResponse.ACCEPTED]
    held.sort(key=lambda r: (r.slot or 0, r.responded_at or r.contacted_at))
    return ["?" if r.full_name is None else r.full_name for r in held]


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in ids if i)
    if not wanted:
        return {}
    return {
        pid: name
        for pid, name in session.execute(
            select(Person.id, Person.full_name).where(Person.id.in_(wanted))
        )
    }


def _place(session: Session, req: CoverageRequest) -> tuple[str, str | None]:
    """The names of the request's home and unit, in one statement."""
    if not req.unit_id:
        return session.scalar(_HOME_NAME, {"home_id": req.home_id}) or "?", None
    row = session.execute(_HOME_AND_UNIT, {"home_id": req.home_id, "unit_id": req.unit_id}).first()
    if row is None:  # no such home: the unit's name alone
        return "?", session.scalar(_UNIT_NAME, {"unit_id": req.unit_id})
    return row[0], row[1]


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
    core: Core, home_id: int, day: date, shift_type: str, role: str, profile: str | None = None
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
    return session.scalars(_LOCK_REQUEST, {"request_id": request_id}).one()


def _reload_offer(session: Session, offer_id: int) -> Offer:
    return session.scalars(_RELOAD_OFFER, {"offer_id": offer_id}).one()
