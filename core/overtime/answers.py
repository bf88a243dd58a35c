"""YES and NO from staff: the first YES wins (a row lock on the request and on the person,
conditional updates, and the partial unique index allowing one ACCEPTED offer per request),
declines with their reasons."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.models import (
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
from core.overtime.commands import AcceptOffer, AnswerResult, DeclineOffer, ref_of
from core.overtime.config import OvertimeSettings, settings_for
from core.overtime.eligibility import ShiftSpec, clashes
from core.overtime.notices import _shift_payload, _tell_managers
from core.overtime.records import _lock_request, _reload_offer, _spec, _summary, request_summary
from core.overtime.request import pick_unit
from core.overtime.waves import _bring_wave_forward
from core.uow import Actor, UnitOfWork

# ---- answers --------------------------------------------------------------------------


def _open_offers(session: Session, person_id: int) -> list[Offer]:
    return list(
        session.scalars(
            select(Offer)
            .join(CoverageRequest, CoverageRequest.id == Offer.request_id)
            .where(
                Offer.person_id == person_id,
                Offer.response == OfferResponse.SENT,
                CoverageRequest.status == RequestStatus.PENDING,
            )
            .order_by(CoverageRequest.starts_at, Offer.id)
        )
    )


def _pick_offer(
    session: Session, person_id: int, ref: int | None, now: datetime
) -> tuple[Offer | None, AnswerResult | None]:
    """The offer a YES or NO answers, or why none can be picked."""
    if ref is not None:
        offer = session.scalars(
            select(Offer).where(Offer.person_id == person_id, Offer.request_id == ref)
        ).first()
        if offer is None:
            exists = session.get(CoverageRequest, ref) is not None
            return None, AnswerResult("not_offered" if exists else "no_such_request")
        return offer, None
    open_offers = _open_offers(session, person_id)
    if len(open_offers) > 1:
        return None, AnswerResult(
            "ambiguous",
            open_requests=[
                _summary(session, session.get(CoverageRequest, o.request_id))  # type: ignore[arg-type]
                for o in open_offers
            ],
        )
    if open_offers:
        return open_offers[0], None
    # nothing open: the latest offer still relevant (its shift not long gone), to say why
    latest = session.scalars(
        select(Offer)
        .join(CoverageRequest, CoverageRequest.id == Offer.request_id)
        .where(Offer.person_id == person_id, CoverageRequest.starts_at > now - timedelta(hours=12))
        .order_by(Offer.contacted_at.desc(), Offer.id.desc())
    ).first()
    if latest is None:
        return None, AnswerResult("no_offers")
    return latest, None


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
        person = session.scalars(
            select(Person).where(Person.id == cmd.person_id).with_for_update(key_share=True)
        ).one()
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
            uow.audit(
                actor,
                "overtime.offer_clash",
                "offer",
                offer.id,
                before={"response": before},
                after={"response": "WITHDRAWN", "why": problems[0].text},
            )
            uow.commit()
            return AnswerResult("clash", _summary(session, req), clash=problems[0].text)
        filled = session.execute(
            update(CoverageRequest)
            .where(CoverageRequest.id == req.id, CoverageRequest.status == RequestStatus.PENDING)
            .values(
                status=RequestStatus.FILLED,
                filled_by_id=person.id,
                filled_at=now,
                closed_at=now,
                next_wave_at=None,
                version=CoverageRequest.version + 1,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        taken = (
            session.execute(
                update(Offer)
                .where(
                    Offer.id == offer.id,
                    Offer.response.in_(
                        (OfferResponse.SENT, OfferResponse.DECLINED, OfferResponse.NO_RESPONSE)
                    ),
                )
                .values(response=OfferResponse.ACCEPTED, responded_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if filled == 1
            else 0
        )
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


def _complete_fill(
    uow: UnitOfWork,
    req: CoverageRequest,
    offer: Offer,
    person: Person,
    spec: ShiftSpec,
    actor: Actor,
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
        after={"request": ref_of(req.id), "score": offer.score},
    )
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
        {**base, "name": person.full_name, "minutes": round(minutes), "asked": asked},
        channel_post=False,
    )


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
            OfferResponse.SENT,
            OfferResponse.NO_RESPONSE,
        ):
            if req.status == RequestStatus.FILLED and req.filled_by_id == person.id:
                return AnswerResult("already_yours", _summary(session, req))
            return AnswerResult(
                "closed" if req.status != RequestStatus.CANCELLED else "cancelled",
                _summary(session, req),
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
        return AnswerResult("declined", _summary(session, req), ask_reason=reason is None)


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
        uow.audit(
            Actor(person.full_name if person else "?", person_id),
            "overtime.decline_reason",
            "offer",
            offer.id,
            after={"reason_given": True},
        )
        uow.commit()
        return ref_of(offer.request_id)
