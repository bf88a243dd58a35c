"""Opening coverage requests (duplicates, the unit, the first wave) and cancelling them."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.errors import InvalidInput, NotAllowed, NotFound
from core.models import (
    CoverageRequest,
    Home,
    Offer,
    OfferResponse,
    OutboundMessage,
    RequestStatus,
    Shift,
    ShiftStatus,
    StaffingRequirement,
    Unit,
)
from core.overtime.commands import (
    CancelRequest,
    OutreachResult,
    RequestCover,
    RequestSummary,
    ref_of,
)
from core.overtime.config import OvertimeSettings, settings_for
from core.overtime.eligibility import ShiftSpec, shift_spec
from core.overtime.notices import _shift_payload
from core.overtime.ranking import rank_shift
from core.overtime.records import _spec, _summary, request_summary
from core.overtime.waves import send_wave
from core.staffing import on_shift, staffing_gaps
from core.uow import Actor, UnitOfWork

if TYPE_CHECKING:
    from core.app import Core

# ---- creating requests and sending waves ----------------------------------------------


def request_cover(core: Core, cmd: RequestCover, actor: Actor) -> OutreachResult:
    """Create a coverage request and, with ``send``, text the first wave at once."""
    settings = settings_for(core)
    with core.uow() as uow:
        result = open_request(uow, cmd, actor, settings, core.zone)
        uow.commit()
        if result.request is not None:
            result.request = request_summary(uow.session, result.request.id)
        return result


def open_request(
    uow: UnitOfWork, cmd: RequestCover, actor: Actor, settings: OvertimeSettings, zone: ZoneInfo
) -> OutreachResult:
    """The same, inside the caller's transaction (sickness reports and gaps use it)."""
    session, now = uow.session, uow.now()
    profile = cmd.profile or settings.profile
    settings.weights(profile)  # an unknown profile fails here, before anything is written
    if cmd.wave_size is not None and cmd.wave_size < 1:
        raise InvalidInput("The number of people to contact must be at least 1.")
    if cmd.count < 1 or cmd.count > 20:
        raise InvalidInput("The number of people wanted must be from 1 to 20.")
    spec = shift_spec(session, zone, cmd.home_id, cmd.date, cmd.shift_type, cmd.role)
    if spec.starts_at <= now:
        raise InvalidInput(f"That {spec.shift_type.replace('_', ' ')} shift has already started.")
    # one writer at a time opens requests for a home (FOR NO KEY UPDATE on PostgreSQL, the
    # write lock on SQLite): two managers asking at once cannot both open one slot
    session.execute(
        update(Home)
        .where(Home.id == spec.home_id)
        .values(id=Home.id)
        .execution_options(synchronize_session=False)
    )
    policy = (
        "fixed" if cmd.wave_size is not None or settings.wave_policy != "urgency" else ("urgency")
    )
    hours_away = (spec.starts_at - now).total_seconds() / 3600
    if policy == "urgency":
        wave_size = int(settings.band_for(hours_away)["wave_size"]) or 0
    else:
        wave_size = cmd.wave_size or settings.wave_size
    duplicate = session.scalars(
        select(CoverageRequest).where(
            CoverageRequest.home_id == spec.home_id,
            CoverageRequest.date == spec.date,
            CoverageRequest.shift_type_code == spec.shift_type,
            CoverageRequest.role_code == spec.role,
            CoverageRequest.status == RequestStatus.PENDING,
            *([CoverageRequest.unit_id == cmd.unit_id] if cmd.unit_id else []),
        )
    ).first()
    if duplicate is not None and cmd.source == "manager" and not cmd.extra:
        ranking = rank_shift(session, spec, now, settings, zone, profile)
        return OutreachResult(None, ranking, duplicate_of=_summary(session, duplicate))
    if cmd.source == "manager" and not cmd.extra:
        covered = covered_by(session, spec, cmd.unit_id)
        if covered is not None:
            ranking = rank_shift(session, spec, now, settings, zone, profile)
            return OutreachResult(None, ranking, covered_by=covered)
    unit_id = cmd.unit_id or pick_unit(session, spec)
    deadline = max(
        spec.starts_at - timedelta(hours=settings.deadline_hours),
        min(now + timedelta(minutes=30), spec.starts_at),
    )
    req = CoverageRequest(
        home_id=spec.home_id,
        unit_id=unit_id,
        date=spec.date,
        shift_type_code=spec.shift_type,
        role_code=spec.role,
        status=RequestStatus.PENDING,
        source=cmd.source,
        created_by_id=cmd.requested_by_id,
        created_at=now,
        starts_at=spec.starts_at,
        deadline_at=deadline,
        next_wave_at=now if cmd.send else None,
        wave=0,
        wave_size=wave_size,
        min_score=cmd.min_score,
        profile=profile,
        version=0,
        slots=cmd.count,
        extra=cmd.extra,
        wave_policy=policy,
    )
    session.add(req)
    session.flush()
    uow.audit(
        actor,
        "overtime.request_opened",
        "coverage_request",
        req.id,
        after={
            "ref": ref_of(req.id),
            "home_id": req.home_id,
            "unit_id": unit_id,
            "date": req.date,
            "shift_type": req.shift_type_code,
            "role": req.role_code,
            "source": req.source,
            "wave_size": wave_size,
            "min_score": cmd.min_score,
            "profile": profile,
            "deadline_at": deadline,
            "slots": cmd.count,
            "extra": cmd.extra,
            "wave_policy": policy,
        },
    )
    if not cmd.send:
        ranking = rank_shift(session, _spec(session, req, zone), now, settings, zone, profile)
        return OutreachResult(_summary(session, req), ranking)
    wave = send_wave(uow, req, settings, zone, actor)
    return OutreachResult(_summary(session, req), wave.ranking, wave.contacted, wave.deferred)


def covered_by(session: Session, spec: ShiftSpec, unit_id: int | None = None) -> list[str] | None:
    """Who covers this shift when the rota already meets its need (overtime and agency shifts
    included); None when the rota is short, or the shift has no minimum to meet."""
    needed = session.scalar(
        select(func.count(StaffingRequirement.unit_id))
        .join(Unit, Unit.id == StaffingRequirement.unit_id)
        .where(
            Unit.home_id == spec.home_id,
            StaffingRequirement.shift_type_code == spec.shift_type,
            StaffingRequirement.role_code == spec.role,
            StaffingRequirement.weekday == spec.date.weekday(),
            StaffingRequirement.minimum > 0,
            *([StaffingRequirement.unit_id == unit_id] if unit_id else []),
        )
    )
    if not needed:
        return None
    gaps = staffing_gaps(
        session, spec.date, spec.date, frozenset({spec.home_id}), spec.shift_type, spec.role
    )
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        gaps = [g for g in gaps if unit is None or g.unit == unit.name]
    if gaps:
        return None
    rows = on_shift(
        session, spec.date, spec.date, frozenset({spec.home_id}), spec.shift_type, spec.role
    )
    return [r.name + (" (overtime)" if str(r.kind) == "overtime" else "") for r in rows]


def pick_unit(session: Session, spec: ShiftSpec) -> int | None:
    """The unit a home-level request is for: one short of this shift and role that day,
    else one that staffs it, else the home's first unit."""
    units = {
        u.name: u.id
        for u in session.scalars(select(Unit).where(Unit.home_id == spec.home_id).order_by(Unit.id))
    }
    for gap in staffing_gaps(
        session, spec.date, spec.date, frozenset({spec.home_id}), spec.shift_type, spec.role
    ):
        if gap.unit in units:
            return units[gap.unit]
    staffed = session.scalar(
        select(StaffingRequirement.unit_id)
        .join(Unit, Unit.id == StaffingRequirement.unit_id)
        .where(
            Unit.home_id == spec.home_id,
            StaffingRequirement.shift_type_code == spec.shift_type,
            StaffingRequirement.role_code == spec.role,
        )
        .order_by(StaffingRequirement.unit_id)
        .limit(1)
    )
    return staffed or next(iter(units.values()), None)


def cancel_request(core: Core, cmd: CancelRequest, actor: Actor) -> RequestSummary:
    """Stop an outreach (the manager of that home or the head of service). Everyone still
    holding an offer is told it is no longer needed; a filled shift is taken back."""
    if cmd.scope is not None:
        cmd.scope.require_manager("cancel overtime requests")
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        req = session.scalars(
            select(CoverageRequest)
            .where(CoverageRequest.id == cmd.ref)
            .with_for_update(key_share=True)
        ).first()
        if req is None:
            raise NotFound(f"There is no overtime request {ref_of(cmd.ref)}.")
        if cmd.scope is not None and not cmd.scope.can_see_home(req.home_id):
            raise NotAllowed(
                f"Only the manager of that home or the head of service can cancel {ref_of(req.id)}."
            )
        if req.status == RequestStatus.CANCELLED:
            raise InvalidInput(f"{ref_of(req.id)} is already cancelled.")
        before = str(req.status)
        spec = _spec(session, req, uow.zone)
        home = session.get(Home, req.home_id)
        base = _shift_payload(req, spec, home.name if home else "", uow.zone)
        told = []
        for offer in session.scalars(
            select(Offer).where(
                Offer.request_id == req.id,
                Offer.response.in_((OfferResponse.SENT, OfferResponse.ACCEPTED)),
            )
        ):
            if offer.response == OfferResponse.SENT:
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
        for shift in session.scalars(
            select(Shift).where(
                Shift.coverage_request_id == req.id, Shift.status == ShiftStatus.SCHEDULED
            )
        ):
            shift.status = ShiftStatus.CANCELLED
            uow.audit(
                actor, "shift.cancelled", "shift", shift.id, after={"request": ref_of(req.id)}
            )
        req.status, req.closed_at, req.next_wave_at = RequestStatus.CANCELLED, now, None
        req.version += 1
        uow.audit(
            actor,
            "overtime.request_cancelled",
            "coverage_request",
            req.id,
            before={"status": before},
            after={"status": "CANCELLED", "told": told},
        )
        uow.commit()
        return _summary(session, req)
