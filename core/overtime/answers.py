"""YES and NO from staff: each YES takes a free place (a row lock on the request and on the
person, conditional updates, and the partial unique index allowing one ACCEPTED offer per
place), declines with their reasons, withdrawals after a YES, open shifts picked up by staff,
and the manager reopening outreach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, bindparam, func, or_, select, update
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
    RequestStatus,
    Shift,
    ShiftKind,
    ShiftStatus,
)
from core.overtime.commands import (
    AcceptOffer,
    AnswerResult,
    ClaimShift,
    DeclineOffer,
    ReopenRequest,
    RequestSummary,
    WithdrawOffer,
    ref_of,
)
from core.overtime.config import OvertimeSettings, settings_for
from core.overtime.eligibility import ShiftSpec, clashes, evaluate
from core.overtime.notices import _shift_payload, _tell_managers
from core.overtime.records import (
    _brief,
    _lock_request,
    _reload_offer,
    _spec,
    _summary,
    request_brief,
)
from core.overtime.request import pick_unit
from core.overtime.waves import _bring_wave_forward, send_wave
from core.uow import Actor, UnitOfWork

if TYPE_CHECKING:
    from core.app import Core

# ---- answers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Answerer:
    """The person answering, as the answer needs them (their row is locked)."""

    id: int
    full_name: str


# The statements every YES and NO runs, built once (bind parameters; their cache keys kept)
# on the tables' columns: plain rows, without the ORM's statement machinery.
_PEOPLE = cast(Table, Person.__table__).c
_OFFERS = cast(Table, Offer.__table__).c
_REQUESTS = cast(Table, CoverageRequest.__table__).c
_LOCK_PERSON = (
    select(_PEOPLE.id, _PEOPLE.full_name)
    .where(_PEOPLE.id == bindparam("person_id"))
    .with_for_update(key_share=True)
)
_PERSON_NAME = select(_PEOPLE.id, _PEOPLE.full_name).where(_PEOPLE.id == bindparam("person_id"))
_IS_OPEN = and_(_OFFERS.response == OfferResponse.SENT, _REQUESTS.status == RequestStatus.PENDING)
_RECENT = _REQUESTS.starts_at > bindparam("cutoff")
_OFFER_ROWS = (
    select(
        _OFFERS.id,
        _OFFERS.request_id,
        _OFFERS.response,
        _OFFERS.contacted_at,
        _REQUESTS.starts_at,
        _IS_OPEN.label("open"),
        _RECENT.label("recent"),
    )
    .select_from(
        cast(Table, Offer.__table__).join(
            cast(Table, CoverageRequest.__table__), _REQUESTS.id == _OFFERS.request_id
        )
    )
    .where(_OFFERS.person_id == bindparam("person_id"), or_(_IS_OPEN, _RECENT))
    .order_by(_REQUESTS.starts_at, _OFFERS.id)
)
_OFFER_FOR_REF = select(_OFFERS.id, _OFFERS.request_id, _OFFERS.response).where(
    _OFFERS.person_id == bindparam("person_id"), _OFFERS.request_id == bindparam("ref")
)
_REQUEST_EXISTS = select(_REQUESTS.id).where(_REQUESTS.id == bindparam("ref"))


def _lock_person(session: Session, person_id: int) -> _Answerer:
    """Lock the person's row (one answer at a time per person: a second YES to an overlapping
    shift waits here and then sees the first one's shift) and read only their name."""
    row = session.execute(_LOCK_PERSON, {"person_id": person_id}).one()
    return _Answerer(row.id, row.full_name)


@dataclass(frozen=True)
class _Picked:
    offer_id: int
    request_id: int
    response: OfferResponse


def _offer_rows(session: Session, person_id: int, now: datetime) -> list[Any]:
    """The person's offers a bare YES or NO may answer, as columns: the open ones (SENT, the
    request PENDING) and any whose shift is not long gone (``recent``: it started less than
    12 hours ago, or is still to come), in one statement."""
    return list(
        session.execute(
            _OFFER_ROWS, {"person_id": person_id, "cutoff": now - timedelta(hours=12)}
        ).all()
    )


def _open_rows(rows: list[Any]) -> list[Any]:
    """The open offers among ``_offer_rows``, soonest shift first."""
    return [r for r in rows if r.open]


def _pick_offer(
    session: Session,
    person_id: int,
    ref: int | None,
    now: datetime,
    rows: list[Any] | None = None,
) -> tuple[_Picked | None, AnswerResult | None]:
    """The offer a YES or NO answers, or why none can be picked."""
    if ref is not None:
        hit = session.execute(_OFFER_FOR_REF, {"person_id": person_id, "ref": ref}).first()
        if hit is None:
            exists = session.scalar(_REQUEST_EXISTS, {"ref": ref})
            return None, AnswerResult("not_offered" if exists is not None else "no_such_request")
        return _Picked(hit.id, hit.request_id, hit.response), None
    if rows is None:
        rows = _offer_rows(session, person_id, now)
    open_offers = _open_rows(rows)
    if len(open_offers) > 1:
        return None, AnswerResult(
            "ambiguous",
            open_requests=[
                _brief(session, session.get(CoverageRequest, o.request_id))  # type: ignore[arg-type]
                for o in open_offers
            ],
        )
    if open_offers:
        o = open_offers[0]
        return _Picked(o.id, o.request_id, o.response), None
    # nothing open: the latest offer still relevant (its shift not long gone), to say why
    recent = [r for r in rows if r.recent]
    if not recent:
        return None, AnswerResult("no_offers")
    latest = max(recent, key=lambda r: (r.contacted_at, r.id))
    return _Picked(latest.id, latest.request_id, latest.response), None


def accept_offer(core: Core, cmd: AcceptOffer) -> AnswerResult:
    """A YES. Each one takes a free place of the request until all are taken; later ones are
    told it is filled.

    Locks the person (so two overlapping offers cannot both be accepted by them), then the
    request; re-checks overlap, rest, leave and sickness under the lock; then takes the lowest
    free place with a conditional update, and moves the request PENDING -> FILLED when the last
    place goes. The partial unique index on (request, place) for accepted offers is the last
    line of defence. The answer carries a ``RequestBrief`` (no offer list)."""
    settings = settings_for(core)
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        person = _lock_person(session, cmd.person_id)
        picked, early = _pick_offer(session, person.id, cmd.ref, now)
        if early is not None:
            return early
        assert picked is not None
        req = _lock_request(session, picked.request_id)
        offer = _reload_offer(session, picked.offer_id)
        return _accept_locked(uow, req, offer, person, settings, core.zone)


def claim_shift(core: Core, cmd: ClaimShift) -> AnswerResult:
    """Someone picks up an open request ("I'll take the Saturday night", YES 42 without an
    offer): the same eligibility and rest rules as an offer (but no offer caps or notice), and
    the same first-come places as a YES."""
    settings = settings_for(core)
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        person = _lock_person(session, cmd.person_id)
        if session.scalar(_REQUEST_EXISTS, {"ref": cmd.ref}) is None:
            return AnswerResult("no_such_request")
        req = _lock_request(session, cmd.ref)
        offer_id = session.scalar(
            select(Offer.id).where(Offer.request_id == req.id, Offer.person_id == person.id)
        )
        if offer_id is None:
            if req.status != RequestStatus.PENDING:
                return _closed_outcome(session, req, person.id)
            spec = _spec(session, req, core.zone)
            problem, channel = claim_check(session, spec, person.id, now, settings, core.zone)
            if problem is not None:
                return AnswerResult("not_eligible", _brief(session, req), clash=problem)
            offer = Offer(
                request_id=req.id,
                person_id=person.id,
                wave=0,
                score=0.0,
                breakdown={"claimed": True},
                channel=channel,
                response=OfferResponse.SENT,
                contacted_at=now,
                reason_asked=False,
                delivery_status="delivered",  # they asked for it: nothing to deliver
            )
            session.add(offer)
            session.flush()
            uow.audit(
                Actor(person.full_name, person.id),
                "overtime.shift_claimed",
                "offer",
                offer.id,
                after={"request": ref_of(req.id)},
            )
        else:
            offer = _reload_offer(session, offer_id)
        return _accept_locked(uow, req, offer, person, settings, core.zone)


CLAIM_IGNORES = ("notice", "daily_cap", "weekly_cap", "already_asked")


def claim_check(
    session: Session,
    spec: ShiftSpec,
    person_id: int,
    now: datetime,
    settings: OvertimeSettings,
    zone: ZoneInfo,
) -> tuple[str | None, Channel]:
    """Why this person may not pick up this shift (None: they may), and how to reach them."""
    found = evaluate(session, spec, now, settings, zone, person_ids=[person_id])
    if not found:
        return "are not on the staff list for it", Channel.SMS
    reasons = [r for r in found[0].reasons if r.code not in CLAIM_IGNORES]
    return (reasons[0].text if reasons else None), found[0].channel


def _closed_outcome(session: Session, req: CoverageRequest, person_id: int) -> AnswerResult:
    if req.status == RequestStatus.FILLED:
        return AnswerResult("filled", _brief(session, req))
    if req.status == RequestStatus.CANCELLED:
        return AnswerResult("cancelled", _brief(session, req))
    return AnswerResult("closed", _brief(session, req))


def _accept_locked(
    uow: UnitOfWork,
    req: CoverageRequest,
    offer: Offer,
    person: _Answerer,
    settings: OvertimeSettings,
    zone: ZoneInfo,
) -> AnswerResult:
    session, now = uow.session, uow.now()
    if offer.response == OfferResponse.ACCEPTED:
        return AnswerResult("already_yours", _brief(session, req))
    if req.status != RequestStatus.PENDING or offer.response == OfferResponse.WITHDRAWN:
        return _closed_outcome(session, req, person.id)
    held = set(
        session.scalars(
            select(Offer.slot).where(
                Offer.request_id == req.id, Offer.response == OfferResponse.ACCEPTED
            )
        )
    )
    free = [n for n in range(1, (req.slots or 1) + 1) if n not in held]
    if not free:
        return AnswerResult("filled", _brief(session, req))
    actor = Actor(person.full_name, person.id)
    spec = _spec(session, req, zone)
    problems = clashes(session, spec, person.id, now, settings, zone)
    if problems:
        before = str(offer.response)
        offer.response, offer.responded_at = OfferResponse.WITHDRAWN, now
        offer.reason = "could not take it: " + problems[0].text
        _bring_wave_forward(session, req, now)
        uow.audit(
            actor,
            "overtime.offer_clash",
            "offer",
            offer.id,
            before={"response": before},
            after={"response": "WITHDRAWN", "why": problems[0].text},
        )
        uow.commit()
        return AnswerResult("clash", _brief(session, req), clash=problems[0].text)
    last = len(free) == 1
    taken = session.execute(
        update(Offer)
        .where(
            Offer.id == offer.id,
            Offer.response.in_(
                (OfferResponse.SENT, OfferResponse.DECLINED, OfferResponse.NO_RESPONSE)
            ),
        )
        .values(response=OfferResponse.ACCEPTED, responded_at=now, slot=free[0])
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    values: dict[str, Any] = {"version": CoverageRequest.version + 1}
    if req.filled_by_id is None or not held:
        values["filled_by_id"] = person.id
    if last:
        values.update(status=RequestStatus.FILLED, filled_at=now, closed_at=now, next_wave_at=None)
    moved = session.execute(
        update(CoverageRequest)
        .where(CoverageRequest.id == req.id, CoverageRequest.status == RequestStatus.PENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if moved != 1 or taken != 1:
        uow.rollback()
        return AnswerResult("filled", request_brief(session, req.id))
    session.refresh(req)
    session.refresh(offer)
    try:
        _complete_fill(uow, req, offer, person, spec, actor, last)
        uow.commit()
    except IntegrityError:
        uow.rollback()  # someone else's YES reached the unique index first
        return AnswerResult("filled", request_brief(session, req.id))
    return AnswerResult("accepted", _brief(session, req))


def _complete_fill(
    uow: UnitOfWork,
    req: CoverageRequest,
    offer: Offer,
    person: _Answerer,
    spec: ShiftSpec,
    actor: Actor,
    last: bool = True,
) -> None:
    session, now = uow.session, uow.now()
    shift = Shift(
        unit_id=req.unit_id or pick_unit(session, spec),
        person_id=person.id,
        role_code=req.role_code,
        shift_type_code=req.shift_type_code,
        date=req.date,
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        kind=ShiftKind.OVERTIME,
        status=ShiftStatus.SCHEDULED,
        coverage_request_id=req.id,
    )
    session.add(shift)
    session.flush()  # the partial unique index speaks here if two YESes raced
    home = session.get(Home, req.home_id)
    base = _shift_payload(req, spec, home.name if home else "", uow.zone)
    others: list[Offer] = []
    if last:
        others = list(
            session.scalars(
                select(Offer)
                .where(
                    Offer.request_id == req.id,
                    Offer.response == OfferResponse.SENT,
                    Offer.id != offer.id,
                )
                .with_for_update()
            )
        )
    for other in others:
        other.response = OfferResponse.WITHDRAWN
        uow.notify(
            OutboundMessage(
                person_id=other.person_id,
                channel=other.channel,
                kind="ot.filled",
                payload=base,
                offer_id=other.id,
            )
        )
    minutes = (now - req.created_at).total_seconds() / 60
    uow.audit(
        actor,
        "overtime.offer_accepted",
        "offer",
        offer.id,
        after={"request": ref_of(req.id), "score": offer.score, "slot": offer.slot},
    )
    holders = [
        name
        for name, _slot in session.execute(
            select(Person.full_name, Offer.slot)
            .join(Offer, Offer.person_id == Person.id)
            .where(Offer.request_id == req.id, Offer.response == OfferResponse.ACCEPTED)
            .order_by(Offer.slot)
        )
    ]
    if last:
        uow.audit(
            actor,
            "overtime.request_filled",
            "coverage_request",
            req.id,
            before={"status": "PENDING"},
            after={
                "status": "FILLED",
                "filled_by_id": person.id,
                "time_to_fill_minutes": round(minutes, 1),
                "withdrawn": [o.person_id for o in others],
                "slots": req.slots,
            },
        )
    uow.audit(
        actor,
        "shift.created",
        "shift",
        shift.id,
        after={
            "kind": "overtime",
            "person_id": person.id,
            "request": ref_of(req.id),
            "date": req.date,
            "shift_type": req.shift_type_code,
        },
    )
    asked = session.scalar(select(func.count(Offer.id)).where(Offer.request_id == req.id))
    _tell_managers(
        uow,
        req,
        "ot.filled_manager",
        {
            **base,
            "name": person.full_name,
            "minutes": round(minutes),
            "asked": asked,
            "slots": req.slots or 1,
            "filled": holders,
            "complete": last,
        },
    )


def withdraw_offer(core: Core, cmd: WithdrawOffer) -> AnswerResult:
    """Someone who said YES pulls out: their shift leaves the rota, the offer becomes
    WITHDRAWN with the reason, the home's manager hears at once, and outreach reopens for the
    time left (closer than ``withdraw_manager_hours`` to the start, the manager decides)."""
    settings = settings_for(core)
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        person = _lock_person(session, cmd.person_id)
        held = held_offers(session, person.id, now, cmd.ref, cmd.start, cmd.end, cmd.shift_type)
        if not held:
            return AnswerResult("nothing_to_withdraw")
        if len(held) > 1:
            return AnswerResult(
                "ambiguous_withdraw",
                open_requests=[_brief(session, r) for _o, r in held],
            )
        offer, req = held[0]
        req = _lock_request(session, req.id)
        offer = _reload_offer(session, offer.id)
        if offer.response != OfferResponse.ACCEPTED:
            return AnswerResult("nothing_to_withdraw", _brief(session, req))
        return _withdraw_locked(uow, req, offer, person, cmd.reason, settings, core.zone)


def held_offers(
    session: Session,
    person_id: int,
    now: datetime,
    ref: int | None = None,
    start: date | None = None,
    end: date | None = None,
    shift_type: str | None = None,
) -> list[tuple[Offer, CoverageRequest]]:
    """The overtime shifts this person has said YES to and not yet worked."""
    query = (
        select(Offer, CoverageRequest)
        .join(CoverageRequest, CoverageRequest.id == Offer.request_id)
        .where(
            Offer.person_id == person_id,
            Offer.response == OfferResponse.ACCEPTED,
            CoverageRequest.starts_at > now,
            CoverageRequest.status.in_((RequestStatus.FILLED, RequestStatus.PENDING)),
        )
        .order_by(CoverageRequest.starts_at)
    )
    if ref is not None:
        query = query.where(CoverageRequest.id == ref)
    if start is not None:
        query = query.where(CoverageRequest.date >= start, CoverageRequest.date <= (end or start))
    if shift_type:
        query = query.where(CoverageRequest.shift_type_code == shift_type)
    return [(o, r) for o, r in session.execute(query).all()]


def _withdraw_locked(
    uow: UnitOfWork,
    req: CoverageRequest,
    offer: Offer,
    person: _Answerer,
    reason: str | None,
    settings: OvertimeSettings,
    zone: ZoneInfo,
) -> AnswerResult:
    session, now = uow.session, uow.now()
    actor = Actor(person.full_name, person.id)
    reason = (reason or "").strip()[:500] or None
    offer.response, offer.responded_at, offer.slot = OfferResponse.WITHDRAWN, now, None
    offer.reason = reason or "withdrew after accepting"
    for shift in session.scalars(
        select(Shift).where(
            Shift.coverage_request_id == req.id,
            Shift.person_id == person.id,
            Shift.status == ShiftStatus.SCHEDULED,
        )
    ):
        shift.status = ShiftStatus.CANCELLED
        uow.audit(actor, "shift.cancelled", "shift", shift.id, after={"request": ref_of(req.id)})
    session.flush()
    before = str(req.status)
    hours_left = (req.starts_at - now).total_seconds() / 3600
    manager_decides = hours_left <= settings.withdraw_manager_hours
    remaining = session.scalars(
        select(Offer.person_id)
        .where(Offer.request_id == req.id, Offer.response == OfferResponse.ACCEPTED)
        .order_by(Offer.slot)
    ).first()
    req.status, req.filled_at, req.closed_at = RequestStatus.PENDING, None, None
    req.filled_by_id = remaining
    req.deadline_at = max(req.deadline_at, min(now + timedelta(minutes=30), req.starts_at))
    req.next_wave_at = None if manager_decides else now
    req.version += 1
    uow.audit(
        actor,
        "overtime.offer_withdrawn",
        "offer",
        offer.id,
        before={"response": "ACCEPTED", "request_status": before},
        after={
            "response": "WITHDRAWN",
            "request": ref_of(req.id),
            "reason_given": reason is not None,
            "reopened": not manager_decides,
        },
    )
    spec = _spec(session, req, zone)
    home = session.get(Home, req.home_id)
    payload = {
        **_shift_payload(req, spec, home.name if home else "", zone),
        "name": person.full_name,
        "reopened": not manager_decides,
        "manager_decides": manager_decides,
        "hours_left": round(hours_left, 1),
    }
    # the reason itself stays with the offer (sealed at rest, shown in the request's status
    # to its managers): outbox payloads are stored in clear, so they only say one was given
    _tell_managers(uow, req, "ot.withdrawn", {**payload, "reason_given": reason is not None})
    if not manager_decides:
        reoffer_told_filled(uow, req, zone, exclude=person.id)
        send_wave(uow, req, settings, zone, Actor.system("withdrawal"))
    uow.commit()
    return AnswerResult(
        "withdrawn",
        _brief(session, req),
        reopened=not manager_decides,
        manager_decides=manager_decides,
    )


def reoffer_told_filled(
    uow: UnitOfWork,
    req: CoverageRequest,
    zone: ZoneInfo,
    exclude: int | None,
    also_exclude: set[int] | None = None,
) -> list[int]:
    """People who were told "filled" when someone took the shift are asked again when it
    comes back: they were free then. (Their YES is checked against their rota as usual.)"""
    session, now = uow.session, uow.now()
    spec = _spec(session, req, zone)
    home = session.get(Home, req.home_id)
    base = _shift_payload(req, spec, home.name if home else "", zone)
    again = []
    for offer in session.scalars(
        select(Offer).where(
            Offer.request_id == req.id,
            Offer.response == OfferResponse.WITHDRAWN,
            Offer.reason.is_(None),  # withdrawn by the fill, not by the person or a clash
            Offer.responded_at.is_(None),
        )
    ):
        if offer.person_id == exclude or offer.person_id in (also_exclude or set()):
            continue
        offer.response, offer.contacted_at, offer.delivery_status = (
            OfferResponse.SENT,
            now,
            "queued",
        )
        person = session.get(Person, offer.person_id)
        uow.notify(
            OutboundMessage(
                person_id=offer.person_id,
                channel=offer.channel,
                kind="ot.offer",
                payload={
                    **base,
                    "first_name": person.full_name.split()[0] if person else "",
                    "again": True,
                },
                offer_id=offer.id,
            )
        )
        again.append(offer.person_id)
    if again:
        uow.audit(
            Actor.system("withdrawal"),
            "overtime.offered_again",
            "coverage_request",
            req.id,
            after={"people": again},
        )
    return again


def reopen_request(core: Core, cmd: ReopenRequest, actor: Actor) -> RequestSummary:
    """The manager puts a shift back out after a late withdrawal (or an unfilled request
    whose shift has not started): the next wave goes now. With a ``scope``, only a manager of
    the home (or the head of service)."""
    if cmd.scope is not None:
        cmd.scope.require_manager("reopen overtime requests")
    settings = settings_for(core)
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        if session.get(CoverageRequest, cmd.ref) is None:
            raise NotFound(f"There is no overtime request {ref_of(cmd.ref)}.")
        req = _lock_request(session, cmd.ref)
        if cmd.scope is not None and not cmd.scope.can_see_home(req.home_id):
            raise NotAllowed(
                f"Only the manager of that home or the head of service can reopen {ref_of(req.id)}."
            )
        if req.status not in (RequestStatus.PENDING, RequestStatus.UNFILLED):
            raise InvalidInput(f"{ref_of(req.id)} is {str(req.status).lower()}: nothing to reopen.")
        if req.starts_at <= now:
            raise InvalidInput(f"{ref_of(req.id)}'s shift has already started.")
        before = str(req.status)
        req.status, req.closed_at = RequestStatus.PENDING, None
        req.deadline_at = max(req.deadline_at, min(now + timedelta(minutes=30), req.starts_at))
        req.next_wave_at = now
        req.version += 1
        uow.audit(
            actor,
            "overtime.request_reopened",
            "coverage_request",
            req.id,
            before={"status": before},
            after={"status": "PENDING", "deadline_at": req.deadline_at},
        )
        withdrawer = session.scalars(
            select(Offer.person_id).where(
                Offer.request_id == req.id,
                Offer.response == OfferResponse.WITHDRAWN,
                Offer.responded_at.is_not(None),
            )
        ).all()
        reoffer_told_filled(uow, req, uow.zone, exclude=None, also_exclude=set(withdrawer))
        send_wave(uow, req, settings, uow.zone, actor)
        uow.commit()
        return _summary(session, req)


def decline_offer(core: Core, cmd: DeclineOffer) -> AnswerResult:
    """A NO: recorded (with the reason if given, else one is asked for, once); if nobody asked
    is left to answer, the next wave goes at once."""
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        found = session.execute(_PERSON_NAME, {"person_id": cmd.person_id}).first()
        if found is None:
            raise NotFound("Unknown person.")
        person = _Answerer(found.id, found.full_name)
        rows = None
        if cmd.ref is None:
            rows = _offer_rows(session, person.id, now)
            if not _open_rows(rows):
                # nothing waiting for an answer: a NO is about a shift they already took
                held = held_offers(session, person.id, now)
                if len(held) > 1:
                    return AnswerResult(
                        "ambiguous_withdraw", open_requests=[_brief(session, r) for _o, r in held]
                    )
        picked, early = _pick_offer(session, person.id, cmd.ref, now, rows)
        if early is not None:
            return early
        assert picked is not None
        offer_id, request_id = picked.offer_id, picked.request_id
        if cmd.ref is None and picked.response != OfferResponse.SENT:
            held = held_offers(session, person.id, now)
            if held:
                offer_id, request_id = held[0][0].id, held[0][0].request_id
        req = _lock_request(session, request_id)
        offer = _reload_offer(session, offer_id)
        if offer.response == OfferResponse.ACCEPTED and req.starts_at > now:
            # a NO from someone who said YES is a withdrawal, never "see you then"
            return _withdraw_locked(
                uow, req, offer, person, cmd.reason, settings_for(core), core.zone
            )
        if offer.response == OfferResponse.DECLINED:
            return AnswerResult("already_declined", _brief(session, req))
        if req.status != RequestStatus.PENDING or offer.response not in (
            OfferResponse.SENT,
            OfferResponse.NO_RESPONSE,
        ):
            if req.status == RequestStatus.FILLED and req.filled_by_id == person.id:
                return AnswerResult("already_yours", _brief(session, req))
            return AnswerResult(
                "closed" if req.status != RequestStatus.CANCELLED else "cancelled",
                _brief(session, req),
            )
        before = str(offer.response)
        reason = (cmd.reason or "").strip()[:500] or None
        offer.response, offer.responded_at = OfferResponse.DECLINED, now
        offer.reason, offer.reason_asked = reason, reason is None
        session.flush()
        _bring_wave_forward(session, req, now)
        uow.audit(
            Actor(person.full_name, person.id),
            "overtime.offer_declined",
            "offer",
            offer.id,
            before={"response": before},
            after={
                "response": "DECLINED",
                "request": ref_of(req.id),
                "reason_given": reason is not None,
            },
        )
        uow.commit()
        return AnswerResult("declined", _brief(session, req), ask_reason=reason is None)


def awaiting_reason(
    session: Session, person_id: int, now: datetime, settings: OvertimeSettings
) -> Offer | None:
    """The declined offer whose reason we asked for, if the person's last message was that
    NO (so the next free-text message is the answer)."""
    last_in = session.scalars(
        select(ConversationEntry.intent)
        .where(ConversationEntry.person_id == person_id, ConversationEntry.direction == "in")
        .order_by(ConversationEntry.id.desc())
        .limit(1)
    ).first()
    if last_in != "ot.decline":
        return None
    return session.scalars(
        select(Offer)
        .where(
            Offer.person_id == person_id,
            Offer.response == OfferResponse.DECLINED,
            Offer.reason_asked.is_(True),
            Offer.reason.is_(None),
            Offer.responded_at >= now - timedelta(hours=settings.reason_window_hours),
        )
        .order_by(Offer.responded_at.desc(), Offer.id.desc())
    ).first()


def record_decline_reason(core: Core, person_id: int, text: str) -> str | None:
    """Take ``text`` as the reason for the person's last NO, if one was asked for.
    Returns the request's reference, or None when no reason was awaited."""
    settings = settings_for(core)
    with core.uow() as uow:
        offer = awaiting_reason(uow.session, person_id, uow.now(), settings)
        if offer is None or not text.strip():
            return None
        offer.reason = text.strip()[:500]
        person = uow.session.get(Person, person_id)
        uow.audit(
            Actor(person.full_name if person else "?", person_id),
            "overtime.decline_reason",
            "offer",
            offer.id,
            after={"reason_given": True},
        )
        uow.commit()
        return ref_of(offer.request_id)
