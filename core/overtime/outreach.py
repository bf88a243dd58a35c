"""Coverage requests and outreach: ranked waves of offers, the first YES wins, declines and
silence recorded, exhausted or expired requests escalated to the home's manager.

State lives in the database (``next_wave_at``, ``deadline_at``, offers), so the scheduler's
``advance_outreach`` can run in two processes at once and after a restart without sending
anything twice. "First YES wins" is enforced by the database: a row lock on the request (and
on the person, against overlapping shifts), conditional updates, and the partial unique index
allowing one ACCEPTED offer per request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import InvalidInput, NotAllowed, NotFound
from core.models import (
    Channel,
    ConversationEntry,
    CoverageRequest,
    Home,
    Offer,
    OfferResponse,
    OutboundMessage,
    Person,
    PersonKind,
    RequestStatus,
    Shift,
    ShiftKind,
    ShiftStatus,
    SicknessAbsence,
    StaffingRequirement,
    Unit,
)
from core.outbox import FAILURE_HOOKS
from core.overtime.config import OvertimeSettings, settings_for
from core.overtime.eligibility import ShiftSpec, clashes, shift_spec
from core.overtime.preferences import in_quiet_hours
from core.overtime.ranking import RankedCandidate, Ranking, rank_shift
from core.permissions import Scope
from core.staffing import staffing_gaps
from core.timeutil import local_instant, parse_hhmm
from core.uow import Actor, UnitOfWork

log = logging.getLogger(__name__)

OPEN = (OfferResponse.SENT,)
NEXT_STEP = ("book an agency worker, or widen the search to other homes or roles")
_REF = re.compile(r"^\s*(?:ot|#|request\s*)?\s*#?\s*(\d{1,9})\s*$", re.IGNORECASE)


def ref_of(request_id: int) -> str:
    """The short reference staff and managers use: OT42."""
    return f"OT{request_id}"


def parse_ref(value: str | int) -> int:
    """``OT42``, ``#42``, ``42`` -> 42."""
    if isinstance(value, int):
        return value
    match = _REF.match(value or "")
    if not match:
        raise InvalidInput(f"{value!r} is not an overtime reference; use e.g. OT42.")
    return int(match.group(1))


# ---- commands and results -------------------------------------------------------------

@dataclass(frozen=True)
class RequestCover:
    """Find overtime cover for one shift (a manager, a sickness report or a gap)."""

    home_id: int
    date: date
    shift_type: str
    role: str
    requested_by_id: int | None = None
    source: str = "manager"  # manager / sickness / gap
    unit_id: int | None = None
    wave_size: int | None = None  # --max-contacts; default from settings
    min_score: float = 0.0
    profile: str | None = None  # balanced / reliability; default from settings
    send: bool = True  # False: create the request without texting anyone yet


@dataclass(frozen=True)
class AcceptOffer:
    person_id: int
    ref: int | None = None


@dataclass(frozen=True)
class DeclineOffer:
    person_id: int
    ref: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class CancelRequest:
    ref: int
    scope: Scope | None = None  # None: the system itself (no permission check)


@dataclass(frozen=True)
class ReportSickness:
    person_id: int
    start: date
    end: date
    shift_type: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class OfferSummary:
    person_id: int
    name: str
    response: str
    contacted_at: datetime
    responded_at: datetime | None
    wave: int
    score: float
    channel: str
    reason: str | None
    delivery_status: str | None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "response": self.response,
                "contacted_at": self.contacted_at.isoformat(),
                "responded_at": self.responded_at.isoformat() if self.responded_at else None,
                "wave": self.wave, "score": self.score, "channel": self.channel,
                "reason": self.reason, "delivery_status": self.delivery_status}


@dataclass(frozen=True)
class RequestSummary:
    id: int
    ref: str
    status: str
    home_id: int
    home: str
    unit: str | None
    date: date
    shift_type: str
    role: str
    starts_at: datetime
    deadline_at: datetime
    next_wave_at: datetime | None
    wave: int
    wave_size: int
    profile: str
    source: str
    created_at: datetime
    filled_by: str | None
    filled_at: datetime | None
    offers: list[OfferSummary]

    @property
    def time_to_fill(self) -> timedelta | None:
        return self.filled_at - self.created_at if self.filled_at else None

    def count(self, response: str) -> int:
        return sum(1 for o in self.offers if o.response == response)

    def to_json(self) -> dict[str, Any]:
        ttf = self.time_to_fill
        return {
            "ref": self.ref, "id": self.id, "status": self.status, "home": self.home,
            "unit": self.unit, "date": self.date.isoformat(), "shift_type": self.shift_type,
            "role": self.role, "starts_at": self.starts_at.isoformat(),
            "deadline_at": self.deadline_at.isoformat(),
            "next_wave_at": self.next_wave_at.isoformat() if self.next_wave_at else None,
            "wave": self.wave, "wave_size": self.wave_size, "profile": self.profile,
            "source": self.source, "created_at": self.created_at.isoformat(),
            "filled_by": self.filled_by,
            "filled_at": self.filled_at.isoformat() if self.filled_at else None,
            "time_to_fill_minutes": round(ttf.total_seconds() / 60, 1) if ttf else None,
            "offers": [o.to_json() for o in self.offers],
        }


@dataclass
class OutreachResult:
    request: RequestSummary | None
    ranking: Ranking
    contacted: list[RankedCandidate] = field(default_factory=list)
    deferred: list[RankedCandidate] = field(default_factory=list)
    duplicate_of: RequestSummary | None = None


@dataclass
class AnswerResult:
    """What became of a YES or a NO."""

    outcome: str  # accepted, declined, filled, cancelled, closed, already_yours, clash,
    #               ambiguous, no_offers, already_declined
    request: RequestSummary | None = None
    open_requests: list[RequestSummary] = field(default_factory=list)
    clash: str | None = None
    ask_reason: bool = False


@dataclass
class SicknessResult:
    shifts: list[dict[str, Any]]
    requests: list[RequestSummary]
    already_reported: int = 0


# ---- reading --------------------------------------------------------------------------

def request_summary(session: Session, request_id: int) -> RequestSummary:
    req = session.get(CoverageRequest, request_id)
    if req is None:
        raise NotFound(f"There is no overtime request {ref_of(request_id)}.")
    return _summary(session, req)


def _summary(session: Session, req: CoverageRequest) -> RequestSummary:
    names = dict(session.execute(
        select(Person.id, Person.full_name).join(Offer, Offer.person_id == Person.id)
        .where(Offer.request_id == req.id)).all())
    filled_by = None
    if req.filled_by_id is not None:
        filled_by = names.get(req.filled_by_id) or session.scalar(
            select(Person.full_name).where(Person.id == req.filled_by_id))
    offers = [OfferSummary(o.person_id, names.get(o.person_id, "?"), str(o.response),
                           o.contacted_at, o.responded_at, o.wave, o.score, str(o.channel),
                           o.reason, o.delivery_status)
              for o in session.scalars(select(Offer).where(Offer.request_id == req.id)
                                       .order_by(Offer.contacted_at, Offer.id))]
    home = session.get(Home, req.home_id)
    unit = session.get(Unit, req.unit_id) if req.unit_id else None
    return RequestSummary(
        req.id, ref_of(req.id), str(req.status), req.home_id, home.name if home else "?",
        unit.name if unit else None, req.date, req.shift_type_code, req.role_code,
        req.starts_at, req.deadline_at, req.next_wave_at, req.wave, req.wave_size, req.profile,
        req.source, req.created_at, filled_by, req.filled_at, offers)


def find_requests(session: Session, home_ids: frozenset[int] | None = None,
                  day: date | None = None, end: date | None = None,
                  shift_type: str | None = None, statuses: Iterable[str] | None = None,
                  limit: int = 10) -> list[RequestSummary]:
    """Recent requests, newest first, narrowed by home, date range, shift type and status."""
    query = select(CoverageRequest).order_by(CoverageRequest.created_at.desc(),
                                             CoverageRequest.id.desc())
    if home_ids is not None:
        query = query.where(CoverageRequest.home_id.in_(home_ids))
    if day is not None:
        query = query.where(CoverageRequest.date >= day, CoverageRequest.date <= (end or day))
    if shift_type:
        query = query.where(CoverageRequest.shift_type_code == shift_type)
    if statuses:
        query = query.where(CoverageRequest.status.in_(list(statuses)))
    return [_summary(session, r) for r in session.scalars(query.limit(limit))]


def preview_cover(core: Any, home_id: int, day: date, shift_type: str, role: str,
                  profile: str | None = None) -> Ranking:
    """Who would be asked, best first, and who is left out and why. Nothing is sent."""
    settings = settings_for(core)
    with core.uow() as uow:
        spec = shift_spec(uow.session, core.zone, home_id, day, shift_type, role)
        return rank_shift(uow.session, spec, uow.now(), settings, core.zone, profile)


# ---- creating requests and sending waves ----------------------------------------------

def request_cover(core: Any, cmd: RequestCover, actor: Actor) -> OutreachResult:
    """Create a coverage request and, with ``send``, text the first wave at once."""
    settings = settings_for(core)
    with core.uow() as uow:
        result = open_request(uow, cmd, actor, settings, core.zone)
        uow.commit()
        if result.request is not None:
            result.request = request_summary(uow.session, result.request.id)
        return result


def open_request(uow: UnitOfWork, cmd: RequestCover, actor: Actor, settings: OvertimeSettings,
                 zone: ZoneInfo) -> OutreachResult:
    """The same, inside the caller's transaction (sickness reports and gaps use it)."""
    session, now = uow.session, uow.now()
    profile = cmd.profile or settings.profile
    settings.weights(profile)  # an unknown profile fails here, before anything is written
    wave_size = cmd.wave_size or settings.wave_size
    if wave_size < 1:
        raise InvalidInput("The number of people to contact must be at least 1.")
    spec = shift_spec(session, zone, cmd.home_id, cmd.date, cmd.shift_type, cmd.role)
    if spec.starts_at <= now:
        raise InvalidInput(f"That {spec.shift_type.replace('_', ' ')} shift has already "
                           "started.")
    duplicate = session.scalars(select(CoverageRequest).where(
        CoverageRequest.home_id == spec.home_id, CoverageRequest.date == spec.date,
        CoverageRequest.shift_type_code == spec.shift_type,
        CoverageRequest.role_code == spec.role,
        CoverageRequest.status == RequestStatus.PENDING,
        *([CoverageRequest.unit_id == cmd.unit_id] if cmd.unit_id else []))).first()
    if duplicate is not None and cmd.source == "manager":
        ranking = rank_shift(session, spec, now, settings, zone, profile)
        return OutreachResult(None, ranking, duplicate_of=_summary(session, duplicate))
    unit_id = cmd.unit_id or pick_unit(session, spec)
    deadline = max(spec.starts_at - timedelta(hours=settings.deadline_hours),
                   min(now + timedelta(minutes=30), spec.starts_at))
    req = CoverageRequest(
        home_id=spec.home_id, unit_id=unit_id, date=spec.date, shift_type_code=spec.shift_type,
        role_code=spec.role, status=RequestStatus.PENDING, source=cmd.source,
        created_by_id=cmd.requested_by_id, created_at=now, starts_at=spec.starts_at,
        deadline_at=deadline, next_wave_at=now if cmd.send else None, wave=0,
        wave_size=wave_size, min_score=cmd.min_score, profile=profile, version=0)
    session.add(req)
    session.flush()
    uow.audit(actor, "overtime.request_opened", "coverage_request", req.id, after={
        "ref": ref_of(req.id), "home_id": req.home_id, "unit_id": unit_id,
        "date": req.date, "shift_type": req.shift_type_code, "role": req.role_code,
        "source": req.source, "wave_size": wave_size, "min_score": cmd.min_score,
        "profile": profile, "deadline_at": deadline})
    if not cmd.send:
        ranking = rank_shift(session, _spec(session, req, zone), now, settings, zone, profile)
        return OutreachResult(_summary(session, req), ranking)
    wave = send_wave(uow, req, settings, zone, actor)
    return OutreachResult(_summary(session, req), wave.ranking, wave.contacted, wave.deferred)


def pick_unit(session: Session, spec: ShiftSpec) -> int | None:
    """The unit a home-level request is for: one short of this shift and role that day,
    else one that staffs it, else the home's first unit."""
    units = {u.name: u.id for u in session.scalars(
        select(Unit).where(Unit.home_id == spec.home_id).order_by(Unit.id))}
    for gap in staffing_gaps(session, spec.date, spec.date, frozenset({spec.home_id}),
                             spec.shift_type, spec.role):
        if gap.unit in units:
            return units[gap.unit]
    staffed = session.scalar(
        select(StaffingRequirement.unit_id).join(Unit, Unit.id == StaffingRequirement.unit_id)
        .where(Unit.home_id == spec.home_id,
               StaffingRequirement.shift_type_code == spec.shift_type,
               StaffingRequirement.role_code == spec.role)
        .order_by(StaffingRequirement.unit_id).limit(1))
    return staffed or next(iter(units.values()), None)


def _spec(session: Session, req: CoverageRequest, zone: ZoneInfo) -> ShiftSpec:
    return shift_spec(session, zone, req.home_id, req.date, req.shift_type_code, req.role_code,
                      unit_id=req.unit_id, request_id=req.id)


@dataclass
class Wave:
    ranking: Ranking
    contacted: list[RankedCandidate]
    deferred: list[RankedCandidate]


def send_wave(uow: UnitOfWork, req: CoverageRequest, settings: OvertimeSettings,
              zone: ZoneInfo, actor: Actor) -> Wave:
    """Offer the shift to the next best people not yet asked; schedule what comes next.

    People in their quiet hours are deferred (asked when their quiet hours end) unless the
    shift starts within ``quiet_override_hours``. With nobody left and nobody still able to
    answer, the request is closed as UNFILLED and the manager told."""
    session, now = uow.session, uow.now()
    spec = _spec(session, req, zone)
    ranking = rank_shift(session, spec, now, settings, zone, req.profile)
    pool = ranking.above(req.min_score)
    urgent = spec.starts_at - now <= timedelta(hours=settings.quiet_override_hours)
    local_now = now.astimezone(zone).strftime("%H:%M")
    sendable = [c for c in pool
                if urgent or not in_quiet_hours(local_now, c.quiet_start, c.quiet_end)]
    deferred = [c for c in pool if c not in sendable]
    chosen = sendable[:req.wave_size]
    if chosen:
        req.wave += 1
    home = session.get(Home, req.home_id)
    payload_base = _shift_payload(req, spec, home.name if home else "", zone)
    for cand in chosen:
        offer = Offer(request_id=req.id, person_id=cand.person_id, wave=req.wave,
                      score=cand.score, breakdown={"profile": ranking.profile,
                                                   "score": cand.score,
                                                   "components": cand.explained()},
                      channel=cand.channel, response=OfferResponse.SENT, contacted_at=now,
                      reason_asked=False, delivery_status="queued")
        session.add(offer)
        session.flush()
        uow.notify(OutboundMessage(
            person_id=cand.person_id, channel=cand.channel, kind="ot.offer",
            payload={**payload_base, "first_name": cand.name.split()[0]}, offer_id=offer.id))
    still_open = session.scalar(select(func.count(Offer.id)).where(
        Offer.request_id == req.id, Offer.response.in_(OPEN))) or 0
    if chosen:
        uow.audit(actor, "overtime.wave_sent", "coverage_request", req.id, after={
            "wave": req.wave, "offered": [{"person_id": c.person_id, "score": c.score}
                                          for c in chosen],
            "deferred_quiet_hours": [c.person_id for c in deferred],
            "eligible": len(ranking.eligible)})
    if not chosen and not deferred and not still_open:
        close_unfilled(uow, req, actor, "nobody left to ask" if req.wave else
                       "nobody is eligible", ranking)
        return Wave(ranking, [], [])
    interval = timedelta(minutes=settings.wave_interval_minutes)
    upcoming = now + interval
    if deferred and len(sendable) <= len(chosen):
        quiet_over = min(_quiet_end(now, c.quiet_end, zone) for c in deferred)
        upcoming = min(upcoming, quiet_over) if chosen or still_open else quiet_over
    req.next_wave_at = min(upcoming, req.deadline_at)
    req.version += 1
    return Wave(ranking, chosen, deferred)


def _quiet_end(now: datetime, quiet_end: str, zone: ZoneInfo) -> datetime:
    local = now.astimezone(zone)
    at = local_instant(local.date(), parse_hhmm(quiet_end), zone)
    return at if at > now else local_instant(local.date() + timedelta(days=1),
                                             parse_hhmm(quiet_end), zone)


def _shift_payload(req: CoverageRequest, spec: ShiftSpec, home: str, zone: ZoneInfo
                   ) -> dict[str, Any]:
    start = spec.starts_at.astimezone(zone)
    end = spec.ends_at.astimezone(zone)
    deadline = req.deadline_at.astimezone(zone)
    return {"ref": ref_of(req.id), "request_id": req.id, "role": spec.role,
            "shift_type": spec.shift_type, "date": spec.date.isoformat(),
            "day": f"{spec.date:%a} {spec.date.day} {spec.date:%b}",
            "times": f"{start:%H:%M}-{end:%H:%M}", "home": home,
            "reply_by": f"{deadline:%a} {deadline:%H:%M}"}


def _managers(session: Session, req: CoverageRequest) -> list[Person]:
    """Who hears about this request: whoever asked (if a manager), else the home's manager."""
    if req.created_by_id is not None:
        asker = session.get(Person, req.created_by_id)
        if asker is not None and asker.kind in (PersonKind.MANAGER, PersonKind.HEAD):
            return [asker]
    return list(session.scalars(select(Person).where(
        Person.kind == PersonKind.MANAGER, Person.home_id == req.home_id,
        Person.active.is_(True)).order_by(Person.id)))


def _tell_managers(uow: UnitOfWork, req: CoverageRequest, kind: str, payload: dict[str, Any],
                   channel_post: bool = True) -> None:
    for manager in _managers(uow.session, req):
        uow.notify(OutboundMessage(
            person_id=manager.id, kind=kind, payload=payload,
            channel=Channel.SLACK if manager.slack_user_id else Channel.SMS))
    if channel_post:
        uow.notify(OutboundMessage(home_channel_id=req.home_id, channel=Channel.SLACK,
                                   kind=kind, payload=payload))


def close_unfilled(uow: UnitOfWork, req: CoverageRequest, actor: Actor, why: str,
                   ranking: Ranking | None = None) -> None:
    """No cover found (nobody left, or the deadline passed): silence becomes NO_RESPONSE and
    the manager is told, with the next step."""
    session, now = uow.session, uow.now()
    silent = list(session.scalars(select(Offer).where(
        Offer.request_id == req.id, Offer.response == OfferResponse.SENT)))
    for offer in silent:
        offer.response = OfferResponse.NO_RESPONSE
    before = str(req.status)
    req.status = RequestStatus.UNFILLED
    req.closed_at, req.next_wave_at = now, None
    req.version += 1
    counts = dict(session.execute(select(Offer.response, func.count()).where(
        Offer.request_id == req.id).group_by(Offer.response)).all())
    asked = sum(counts.values())
    uow.audit(actor, "overtime.request_unfilled", "coverage_request", req.id,
              before={"status": before},
              after={"status": "UNFILLED", "why": why, "asked": asked,
                     "no_response": [o.person_id for o in silent]})
    home = session.get(Home, req.home_id)
    spec = _spec(session, req, uow.zone)
    payload = {**_shift_payload(req, spec, home.name if home else "", uow.zone),
               "why": why, "asked": asked,
               "declined": int(counts.get(OfferResponse.DECLINED, 0)),
               "no_response": int(counts.get(OfferResponse.NO_RESPONSE, 0)),
               "excluded": len(ranking.excluded) if ranking else None,
               "next_step": NEXT_STEP}
    _tell_managers(uow, req, "ot.unfilled", payload)


def advance_outreach(core: Any) -> int:
    """Scheduled work: send every wave that is due and close every request past its deadline.

    Each request is claimed in its own transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
    the write lock on SQLite) and its version bumped by a conditional update, so two scheduler
    processes never send the same wave. Returns how many requests were advanced."""
    settings = settings_for(core)
    actor = Actor.system("scheduler")
    done: set[int] = set()
    advanced = 0
    while True:
        with core.uow() as uow:
            session, now = uow.session, uow.now()
            query = (select(CoverageRequest)
                     .where(CoverageRequest.status == RequestStatus.PENDING,
                            or_(CoverageRequest.next_wave_at <= now,
                                CoverageRequest.deadline_at <= now))
                     .order_by(CoverageRequest.deadline_at, CoverageRequest.id).limit(1)
                     .with_for_update(skip_locked=True, key_share=True)
                     .execution_options(populate_existing=True))
            if done:
                query = query.where(CoverageRequest.id.not_in(done))
            req = session.scalars(query).first()
            if req is None:
                return advanced
            done.add(req.id)
            claimed = session.execute(
                update(CoverageRequest)
                .where(CoverageRequest.id == req.id, CoverageRequest.version == req.version,
                       CoverageRequest.status == RequestStatus.PENDING)
                .values(version=CoverageRequest.version + 1)
                .execution_options(synchronize_session=False)).rowcount
            if claimed != 1:
                continue  # another process got there first
            session.refresh(req)
            if req.deadline_at <= now:
                close_unfilled(uow, req, actor, "the deadline passed")
            else:
                send_wave(uow, req, settings, core.zone, actor)
            uow.commit()
            advanced += 1


# ---- answers --------------------------------------------------------------------------

def _open_offers(session: Session, person_id: int) -> list[Offer]:
    return list(session.scalars(
        select(Offer).join(CoverageRequest, CoverageRequest.id == Offer.request_id)
        .where(Offer.person_id == person_id, Offer.response == OfferResponse.SENT,
               CoverageRequest.status == RequestStatus.PENDING)
        .order_by(CoverageRequest.starts_at, Offer.id)))


def _pick_offer(session: Session, person_id: int, ref: int | None, now: datetime
                ) -> tuple[Offer | None, AnswerResult | None]:
    """The offer a YES or NO answers, or why none can be picked."""
    if ref is not None:
        offer = session.scalars(select(Offer).where(
            Offer.person_id == person_id, Offer.request_id == ref)).first()
        if offer is None:
            exists = session.get(CoverageRequest, ref) is not None
            return None, AnswerResult("not_offered" if exists else "no_such_request")
        return offer, None
    open_offers = _open_offers(session, person_id)
    if len(open_offers) > 1:
        return None, AnswerResult("ambiguous", open_requests=[
            _summary(session, session.get(CoverageRequest, o.request_id))  # type: ignore[arg-type]
            for o in open_offers])
    if open_offers:
        return open_offers[0], None
    # nothing open: the latest offer still relevant (its shift not long gone), to say why
    latest = session.scalars(
        select(Offer).join(CoverageRequest, CoverageRequest.id == Offer.request_id)
        .where(Offer.person_id == person_id,
               CoverageRequest.starts_at > now - timedelta(hours=12))
        .order_by(Offer.contacted_at.desc(), Offer.id.desc())).first()
    if latest is None:
        return None, AnswerResult("no_offers")
    return latest, None


def _lock_request(session: Session, request_id: int) -> CoverageRequest:
    # FOR NO KEY UPDATE: serialises writers of this request without blocking inserts of
    # offers and shifts that merely reference it
    return session.scalars(select(CoverageRequest).where(CoverageRequest.id == request_id)
                           .with_for_update(key_share=True)
                           .execution_options(populate_existing=True)).one()


def _reload_offer(session: Session, offer_id: int) -> Offer:
    return session.scalars(select(Offer).where(Offer.id == offer_id).with_for_update()
                           .execution_options(populate_existing=True)).one()


def accept_offer(core: Any, cmd: AcceptOffer) -> AnswerResult:
    """A YES. The first one for a request wins the shift; later ones are told it is filled.

    Locks the person (so two overlapping offers cannot both be accepted by them), then the
    request; re-checks overlap, rest, leave and sickness under the lock; then moves the
    request PENDING -> FILLED and the offer -> ACCEPTED with conditional updates. The partial
    unique index on accepted offers is the last line of defence."""
    settings = settings_for(core)
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        # one acceptance at a time per person: a second YES (to an overlapping shift) waits
        # here and then sees the first one's shift when clashes are checked again
        person = session.scalars(select(Person).where(Person.id == cmd.person_id)
                                 .with_for_update(key_share=True)).one()
        offer, early = _pick_offer(session, person.id, cmd.ref, now)
        if early is not None:
            return early
        assert offer is not None
        req = _lock_request(session, offer.request_id)
        offer = _reload_offer(session, offer.id)
        if req.status == RequestStatus.FILLED:
            outcome = "already_yours" if req.filled_by_id == person.id else "filled"
            return AnswerResult(outcome, _summary(session, req))
        if req.status == RequestStatus.CANCELLED:
            return AnswerResult("cancelled", _summary(session, req))
        if req.status == RequestStatus.UNFILLED or offer.response == OfferResponse.WITHDRAWN:
            return AnswerResult("closed", _summary(session, req))
        actor = Actor(person.full_name, person.id)
        spec = _spec(session, req, core.zone)
        problems = clashes(session, spec, person.id, now, settings, core.zone)
        if problems:
            before = str(offer.response)
            offer.response, offer.responded_at = OfferResponse.WITHDRAWN, now
            offer.reason = "could not take it: " + problems[0].text
            _bring_wave_forward(session, req, now)
            uow.audit(actor, "overtime.offer_clash", "offer", offer.id,
                      before={"response": before},
                      after={"response": "WITHDRAWN", "why": problems[0].text})
            uow.commit()
            return AnswerResult("clash", _summary(session, req), clash=problems[0].text)
        filled = session.execute(
            update(CoverageRequest)
            .where(CoverageRequest.id == req.id, CoverageRequest.status == RequestStatus.PENDING)
            .values(status=RequestStatus.FILLED, filled_by_id=person.id, filled_at=now,
                    closed_at=now, next_wave_at=None, version=CoverageRequest.version + 1)
            .execution_options(synchronize_session=False)).rowcount
        taken = session.execute(
            update(Offer)
            .where(Offer.id == offer.id, Offer.response.in_(
                (OfferResponse.SENT, OfferResponse.DECLINED, OfferResponse.NO_RESPONSE)))
            .values(response=OfferResponse.ACCEPTED, responded_at=now)
            .execution_options(synchronize_session=False)).rowcount if filled == 1 else 0
        if filled != 1 or taken != 1:
            uow.rollback()
            return AnswerResult("filled", request_summary(session, req.id))
        session.refresh(req)
        session.refresh(offer)
        try:
            _complete_fill(uow, req, offer, person, spec, actor)
            uow.commit()
        except IntegrityError:
            uow.rollback()  # someone else's YES reached the unique index first
            return AnswerResult("filled", request_summary(session, req.id))
        return AnswerResult("accepted", _summary(session, req))


def _complete_fill(uow: UnitOfWork, req: CoverageRequest, offer: Offer, person: Person,
                   spec: ShiftSpec, actor: Actor) -> None:
    session, now = uow.session, uow.now()
    shift = Shift(unit_id=req.unit_id or pick_unit(session, spec), person_id=person.id,
                  role_code=req.role_code, shift_type_code=req.shift_type_code, date=req.date,
                  starts_at=spec.starts_at, ends_at=spec.ends_at, kind=ShiftKind.OVERTIME,
                  status=ShiftStatus.SCHEDULED, coverage_request_id=req.id)
    session.add(shift)
    session.flush()  # the partial unique index speaks here if two YESes raced
    home = session.get(Home, req.home_id)
    base = _shift_payload(req, spec, home.name if home else "", uow.zone)
    others = list(session.scalars(select(Offer).where(
        Offer.request_id == req.id, Offer.response == OfferResponse.SENT,
        Offer.id != offer.id).with_for_update()))
    for other in others:
        other.response = OfferResponse.WITHDRAWN
        uow.notify(OutboundMessage(person_id=other.person_id, channel=other.channel,
                                   kind="ot.filled", payload=base, offer_id=other.id))
    minutes = (now - req.created_at).total_seconds() / 60
    uow.audit(actor, "overtime.offer_accepted", "offer", offer.id,
              after={"request": ref_of(req.id), "score": offer.score})
    uow.audit(actor, "overtime.request_filled", "coverage_request", req.id,
              before={"status": "PENDING"},
              after={"status": "FILLED", "filled_by_id": person.id,
                     "time_to_fill_minutes": round(minutes, 1),
                     "withdrawn": [o.person_id for o in others]})
    uow.audit(actor, "shift.created", "shift", shift.id,
              after={"kind": "overtime", "person_id": person.id, "request": ref_of(req.id),
                     "date": req.date, "shift_type": req.shift_type_code})
    asked = session.scalar(select(func.count(Offer.id)).where(Offer.request_id == req.id))
    _tell_managers(uow, req, "ot.filled_manager", {
        **base, "name": person.full_name, "minutes": round(minutes), "asked": asked},
        channel_post=False)


def _bring_wave_forward(session: Session, req: CoverageRequest, now: datetime) -> None:
    """When nobody asked can still answer, the next wave need not wait for its time."""
    if req.status != RequestStatus.PENDING:
        return
    waiting = session.scalar(select(func.count(Offer.id)).where(
        Offer.request_id == req.id, Offer.response == OfferResponse.SENT)) or 0
    if not waiting:
        req.next_wave_at = now
        req.version += 1


def decline_offer(core: Any, cmd: DeclineOffer) -> AnswerResult:
    """A NO: recorded (with the reason if given, else one is asked for, once); if nobody asked
    is left to answer, the next wave goes at once."""
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        person = session.get(Person, cmd.person_id)
        if person is None:
            raise NotFound("Unknown person.")
        offer, early = _pick_offer(session, person.id, cmd.ref, now)
        if early is not None:
            return early
        assert offer is not None
        req = _lock_request(session, offer.request_id)
        offer = _reload_offer(session, offer.id)
        if offer.response == OfferResponse.DECLINED:
            return AnswerResult("already_declined", _summary(session, req))
        if req.status != RequestStatus.PENDING or offer.response not in (
                OfferResponse.SENT, OfferResponse.NO_RESPONSE):
            if req.status == RequestStatus.FILLED and req.filled_by_id == person.id:
                return AnswerResult("already_yours", _summary(session, req))
            return AnswerResult("closed" if req.status != RequestStatus.CANCELLED
                                else "cancelled", _summary(session, req))
        before = str(offer.response)
        reason = (cmd.reason or "").strip()[:500] or None
        offer.response, offer.responded_at = OfferResponse.DECLINED, now
        offer.reason, offer.reason_asked = reason, reason is None
        session.flush()
        _bring_wave_forward(session, req, now)
        uow.audit(Actor(person.full_name, person.id), "overtime.offer_declined", "offer",
                  offer.id, before={"response": before},
                  after={"response": "DECLINED", "request": ref_of(req.id),
                         "reason_given": reason is not None})
        uow.commit()
        return AnswerResult("declined", _summary(session, req), ask_reason=reason is None)


def awaiting_reason(session: Session, person_id: int, now: datetime,
                    settings: OvertimeSettings) -> Offer | None:
    """The declined offer whose reason we asked for, if the person's last message was that
    NO (so the next free-text message is the answer)."""
    last_in = session.scalars(select(ConversationEntry.intent).where(
        ConversationEntry.person_id == person_id, ConversationEntry.direction == "in")
        .order_by(ConversationEntry.id.desc()).limit(1)).first()
    if last_in != "ot.decline":
        return None
    return session.scalars(select(Offer).where(
        Offer.person_id == person_id, Offer.response == OfferResponse.DECLINED,
        Offer.reason_asked.is_(True), Offer.reason.is_(None),
        Offer.responded_at >= now - timedelta(hours=settings.reason_window_hours))
        .order_by(Offer.responded_at.desc(), Offer.id.desc())).first()


def record_decline_reason(core: Any, person_id: int, text: str) -> str | None:
    """Take ``text`` as the reason for the person's last NO, if one was asked for.
    Returns the request's reference, or None when no reason was awaited."""
    settings = settings_for(core)
    with core.uow() as uow:
        offer = awaiting_reason(uow.session, person_id, uow.now(), settings)
        if offer is None or not text.strip():
            return None
        offer.reason = text.strip()[:500]
        person = uow.session.get(Person, person_id)
        uow.audit(Actor(person.full_name if person else "?", person_id),
                  "overtime.decline_reason", "offer", offer.id,
                  after={"reason_given": True})
        uow.commit()
        return ref_of(offer.request_id)


def cancel_request(core: Any, cmd: CancelRequest, actor: Actor) -> RequestSummary:
    """Stop an outreach (the manager of that home or the head of service). Everyone still
    holding an offer is told it is no longer needed; a filled shift is taken back."""
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        req = session.scalars(select(CoverageRequest).where(CoverageRequest.id == cmd.ref)
                              .with_for_update(key_share=True)).first()
        if req is None:
            raise NotFound(f"There is no overtime request {ref_of(cmd.ref)}.")
        if cmd.scope is not None and not cmd.scope.can_see_home(req.home_id):
            raise NotAllowed("Only the manager of that home or the head of service can cancel "
                             f"{ref_of(req.id)}.")
        if req.status == RequestStatus.CANCELLED:
            raise InvalidInput(f"{ref_of(req.id)} is already cancelled.")
        before = str(req.status)
        spec = _spec(session, req, uow.zone)
        home = session.get(Home, req.home_id)
        base = _shift_payload(req, spec, home.name if home else "", uow.zone)
        told = []
        for offer in session.scalars(select(Offer).where(
                Offer.request_id == req.id,
                Offer.response.in_((OfferResponse.SENT, OfferResponse.ACCEPTED)))):
            if offer.response == OfferResponse.SENT:
                offer.response = OfferResponse.WITHDRAWN
            told.append(offer.person_id)
            uow.notify(OutboundMessage(person_id=offer.person_id, channel=offer.channel,
                                       kind="ot.cancelled", payload=base, offer_id=offer.id))
        for shift in session.scalars(select(Shift).where(
                Shift.coverage_request_id == req.id, Shift.status == ShiftStatus.SCHEDULED)):
            shift.status = ShiftStatus.CANCELLED
            uow.audit(actor, "shift.cancelled", "shift", shift.id,
                      after={"request": ref_of(req.id)})
        req.status, req.closed_at, req.next_wave_at = RequestStatus.CANCELLED, now, None
        req.version += 1
        uow.audit(actor, "overtime.request_cancelled", "coverage_request", req.id,
                  before={"status": before}, after={"status": "CANCELLED", "told": told})
        uow.commit()
        return _summary(session, req)


def on_message_failed(uow: UnitOfWork, message: OutboundMessage) -> None:
    """Outbox failure hook: an offer that cannot be delivered counts as no response, and the
    next wave is brought forward so outreach moves on."""
    if message.kind != "ot.offer" or message.offer_id is None:
        return
    offer = uow.session.get(Offer, message.offer_id)
    if offer is None:
        return
    req = _lock_request(uow.session, offer.request_id)
    offer.delivery_status = "failed"
    if offer.response == OfferResponse.SENT:
        offer.response = OfferResponse.NO_RESPONSE
        if req.status == RequestStatus.PENDING:
            req.next_wave_at = uow.now()
            req.version += 1
        uow.audit(Actor.system("delivery"), "overtime.offer_undeliverable", "offer", offer.id,
                  before={"response": "SENT"}, after={"response": "NO_RESPONSE",
                                                      "delivery_status": "failed"})


if on_message_failed not in FAILURE_HOOKS:
    FAILURE_HOOKS.append(on_message_failed)


# ---- sickness and gaps ----------------------------------------------------------------

def report_sickness(core: Any, cmd: ReportSickness) -> SicknessResult:
    """Record a sickness absence against the person's rostered shift(s) on those dates and,
    per configuration, open a coverage request for each (first wave sent at once)."""
    settings = settings_for(core)
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        person = session.get(Person, cmd.person_id)
        if person is None:
            raise NotFound("Unknown person.")
        actor = Actor(person.full_name, person.id)
        query = select(Shift).where(Shift.person_id == person.id, Shift.date >= cmd.start,
                                    Shift.date <= cmd.end,
                                    Shift.status == ShiftStatus.SCHEDULED)
        if cmd.shift_type:
            query = query.where(Shift.shift_type_code == cmd.shift_type)
        shifts = list(session.scalars(query.order_by(Shift.starts_at)))
        reported = set(session.scalars(select(SicknessAbsence.shift_id).where(
            SicknessAbsence.shift_id.in_([s.id for s in shifts]))))
        new_shifts = [s for s in shifts if s.id not in reported]
        result = SicknessResult([], [], already_reported=len(shifts) - len(new_shifts))
        if not shifts:
            absence = SicknessAbsence(person_id=person.id, start_date=cmd.start,
                                      end_date=cmd.end, shift_id=None, reason=cmd.reason,
                                      reported_at=now)
            session.add(absence)
            session.flush()
            uow.audit(actor, "sickness.reported", "sickness_absence", absence.id,
                      after={"start": cmd.start, "end": cmd.end, "shift_id": None})
        for shift in new_shifts:
            absence = SicknessAbsence(person_id=person.id, start_date=shift.date,
                                      end_date=shift.date, shift_id=shift.id,
                                      reason=cmd.reason, reported_at=now)
            session.add(absence)
            session.flush()
            uow.audit(actor, "sickness.reported", "sickness_absence", absence.id,
                      after={"date": shift.date, "shift_id": shift.id,
                             "shift_type": shift.shift_type_code})
            unit = session.get(Unit, shift.unit_id)
            assert unit is not None
            result.shifts.append({"date": shift.date, "shift_type": shift.shift_type_code,
                                  "home": unit.home.name, "unit": unit.name,
                                  "starts_at": shift.starts_at})
            opened = None
            if settings.sickness_opens_request and shift.starts_at > now:
                opened = open_request(uow, RequestCover(
                    home_id=unit.home_id, date=shift.date, shift_type=shift.shift_type_code,
                    role=shift.role_code, source="sickness", unit_id=unit.id,
                    send=settings.sickness_send), Actor.system("sickness report"), settings,
                    core.zone)
            start, end = shift.starts_at.astimezone(core.zone), shift.ends_at.astimezone(
                core.zone)
            payload: dict[str, Any] = {
                "name": person.full_name, "role": shift.role_code,
                "shift_type": shift.shift_type_code, "date": shift.date.isoformat(),
                "day": f"{shift.date:%a} {shift.date.day} {shift.date:%b}",
                "times": f"{start:%H:%M}-{end:%H:%M}", "home": unit.home.name,
                "ref": None, "asked": 0}
            if opened is not None and opened.request is not None:
                result.requests.append(opened.request)
                payload.update(ref=opened.request.ref, request_id=opened.request.id,
                               status=opened.request.status, asked=len(opened.contacted))
            # the home's manager hears either way (with the request, if one was opened)
            for manager in session.scalars(select(Person).where(
                    Person.kind == PersonKind.MANAGER, Person.home_id == unit.home_id,
                    Person.active.is_(True)).order_by(Person.id)):
                uow.notify(OutboundMessage(
                    person_id=manager.id, kind="ot.sickness", payload=payload,
                    channel=Channel.SLACK if manager.slack_user_id else Channel.SMS))
        uow.commit()
        result.requests = [request_summary(session, r.id) for r in result.requests]
        return result


def cover_gaps(core: Any, start: date, end: date, home_ids: frozenset[int] | None = None,
               send: bool = True, actor: Actor | None = None) -> list[RequestSummary]:
    """Open a coverage request for every rota gap from start to end that has none yet
    (the scheduler's daily gap job calls this). Returns the requests opened."""
    settings = settings_for(core)
    actor = actor or Actor.system("scheduler")
    opened: list[int] = []
    with core.uow() as uow:
        session = uow.session
        units = {(u.home_id, u.name): u.id for u in session.scalars(select(Unit))}
        homes = {h.name: h.id for h in session.scalars(select(Home))}
        for gap in staffing_gaps(session, start, end, home_ids):
            home_id = homes[gap.home]
            unit_id = units[(home_id, gap.unit)]
            pending = session.scalar(select(func.count(CoverageRequest.id)).where(
                CoverageRequest.unit_id == unit_id, CoverageRequest.date == gap.date,
                CoverageRequest.shift_type_code == gap.shift_type,
                CoverageRequest.role_code == gap.role,
                CoverageRequest.status == RequestStatus.PENDING)) or 0
            for _ in range(gap.short - pending):
                try:
                    result = open_request(uow, RequestCover(
                        home_id=home_id, date=gap.date, shift_type=gap.shift_type,
                        role=gap.role, source="gap", unit_id=unit_id, send=send), actor,
                        settings, core.zone)
                except InvalidInput:
                    break  # the shift has started: too late for outreach
                if result.request is not None:
                    opened.append(result.request.id)
        uow.commit()
        return [request_summary(session, rid) for rid in opened]
