"""Ranked waves of offers: sending the next one, bringing it forward, closing a request
nobody can fill, the scheduler's ``advance_outreach``, and undeliverable offers.

State lives in the database (``next_wave_at``, ``deadline_at``, offers), so
``advance_outreach`` can run in two processes at once and after a restart without sending
anything twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from core import outbox
from core.delivery_health import channel_paused
from core.models import (
    Channel,
    CoverageRequest,
    Home,
    Offer,
    OfferResponse,
    OutboundMessage,
    RequestStatus,
)
from core.overtime.commands import NEXT_STEP, OPEN
from core.overtime.config import OvertimeSettings, settings_for
from core.overtime.eligibility import ShiftSpec
from core.overtime.notices import _shift_payload, _tell_managers
from core.overtime.preferences import in_quiet_hours
from core.overtime.ranking import RankedCandidate, Ranking, rank_shift
from core.overtime.records import _lock_request, _spec
from core.timeutil import local_instant, parse_hhmm
from core.uow import Actor, UnitOfWork

if TYPE_CHECKING:
    from core.app import Core


@dataclass
class Wave:
    ranking: Ranking
    contacted: list[RankedCandidate]
    deferred: list[RankedCandidate]


def send_wave(
    uow: UnitOfWork, req: CoverageRequest, settings: OvertimeSettings, zone: ZoneInfo, actor: Actor
) -> Wave:
    """Offer the shift to the next best people not yet asked; schedule what comes next.

    People in their quiet hours are deferred (asked when their quiet hours end) unless the
    shift starts within ``quiet_override_hours``. With nobody left and nobody still able to
    answer, the request is closed as UNFILLED and the manager told."""
    session, now = uow.session, uow.now()
    spec = _spec(session, req, zone)
    profile = req.profile
    if req.wave_policy == "urgency":
        band = settings.band_for((spec.starts_at - now).total_seconds() / 3600)
        profile = str(band.get("profile") or profile)
        if band.get("offer_caps", 1) == 0:
            # a same-day gap: the daily and weekly offer caps do not hold anyone back
            settings = settings.model_copy(
                update={"max_offers_per_day": 10_000, "max_offers_per_week": 10_000}
            )
    ranking = rank_shift(session, spec, now, settings, zone, profile)
    pool = ranking.above(req.min_score)
    urgent = spec.starts_at - now <= timedelta(hours=settings.quiet_override_hours)
    local_now = now.astimezone(zone).strftime("%H:%M")
    sendable = [
        c for c in pool if urgent or not in_quiet_hours(local_now, c.quiet_start, c.quiet_end)
    ]
    # while a channel's provider is failing account-wide, its people wait for the next wave
    # (asked once it recovers) rather than being texted into the void
    paused = {ch for ch in (Channel.SMS, Channel.SLACK) if channel_paused(session, ch)}
    if paused:
        sendable = [c for c in sendable if c.channel not in paused]
    deferred = [c for c in pool if c not in sendable]
    size, interval_minutes = wave_plan(req, spec.starts_at, now, settings)
    places = open_places(session, req)
    size = len(sendable) if size <= 0 else max(size, places)
    chosen = sendable[:size]
    remaining = len(sendable) - len(chosen) + len(deferred)
    if chosen:
        req.wave += 1
    home = session.get(Home, req.home_id)
    payload_base = _shift_payload(req, spec, home.name if home else "", zone)
    for cand in chosen:
        offer = Offer(
            request_id=req.id,
            person_id=cand.person_id,
            wave=req.wave,
            score=cand.score,
            breakdown={
                "profile": ranking.profile,
                "score": cand.score,
                "components": cand.explained(),
            },
            channel=cand.channel,
            response=OfferResponse.SENT,
            contacted_at=now,
            reason_asked=False,
            delivery_status="queued",
        )
        session.add(offer)
        session.flush()
        uow.notify(
            OutboundMessage(
                person_id=cand.person_id,
                channel=cand.channel,
                kind="ot.offer",
                payload={**payload_base, "first_name": cand.name.split()[0]},
                offer_id=offer.id,
            )
        )
    still_open = (
        session.scalar(
            select(func.count(Offer.id)).where(Offer.request_id == req.id, Offer.response.in_(OPEN))
        )
        or 0
    )
    if chosen:
        uow.audit(
            actor,
            "overtime.wave_sent",
            "coverage_request",
            req.id,
            after={
                "wave": req.wave,
                "offered": [{"person_id": c.person_id, "score": c.score} for c in chosen],
                "deferred_quiet_hours": [c.person_id for c in deferred],
                "eligible": len(ranking.eligible),
            },
        )
    if not chosen and not deferred and not still_open:
        close_unfilled(
            uow, req, actor, "nobody left to ask" if req.wave else "nobody is eligible", ranking
        )
        return Wave(ranking, [], [])
    upcoming = now + timedelta(minutes=interval_minutes)
    if deferred and len(sendable) <= len(chosen):
        quiet_over = min(_quiet_end(now, c.quiet_end, zone) for c in deferred)
        upcoming = min(upcoming, quiet_over) if chosen or still_open else quiet_over
    if paused and any(c.channel in paused for c in deferred):
        upcoming = min(upcoming, now + timedelta(minutes=5))  # try again soon
    # a next wave only when there is someone to ask and time to ask them before offers close;
    # otherwise the deadline (or the last answer) closes the request
    if remaining and upcoming < req.deadline_at:
        req.next_wave_at = upcoming
    else:
        req.next_wave_at = None
        if chosen:
            _tell_exhausted(uow, req, spec, ranking, actor, still_open, remaining)
    req.version += 1
    return Wave(ranking, chosen, deferred)


def wave_plan(
    req: CoverageRequest, starts_at: datetime, now: datetime, settings: OvertimeSettings
) -> tuple[int, float]:
    """People to ask in the next wave (0: everyone eligible) and minutes to the one after."""
    if req.wave_policy == "urgency":
        band = settings.band_for((starts_at - now).total_seconds() / 3600)
        return int(band["wave_size"]), float(band["interval_minutes"])
    return req.wave_size, settings.wave_interval_minutes


def open_places(session: Session, req: CoverageRequest) -> int:
    """Places still to fill: people wanted less those holding one."""
    held = (
        session.scalar(
            select(func.count(Offer.id)).where(
                Offer.request_id == req.id, Offer.response == OfferResponse.ACCEPTED
            )
        )
        or 0
    )
    return max(0, (req.slots or 1) - held)


def next_steps(ranking: Ranking | None) -> dict[str, Any]:
    """What the manager can do when nobody is left to ask: staff of other homes who would be
    eligible but have not opted in for this one, and the agency."""
    cross = []
    if ranking is not None:
        cross = [
            c.name
            for c in ranking.excluded
            if c.reasons and all(r.code == "home" for r in c.reasons)
        ]
    return {"cross_home": cross, "agency": True, "next_step": NEXT_STEP}


def _tell_exhausted(
    uow: UnitOfWork,
    req: CoverageRequest,
    spec: ShiftSpec,
    ranking: Ranking,
    actor: Actor,
    waiting: int,
    remaining: int,
) -> None:
    """Everyone who can be asked has been: the manager and the home's channel hear at once."""
    session = uow.session
    asked = session.scalar(select(func.count(Offer.id)).where(Offer.request_id == req.id)) or 0
    home = session.get(Home, req.home_id)
    payload = {
        **_shift_payload(req, spec, home.name if home else "", uow.zone),
        "asked": asked,
        "waiting": waiting,
        "why": "no time for another wave" if remaining else "everyone eligible has been asked",
        "places": open_places(session, req),
        **next_steps(ranking),
    }
    uow.audit(
        actor,
        "overtime.outreach_exhausted",
        "coverage_request",
        req.id,
        after={"asked": asked, "waiting": waiting, "why": payload["why"]},
    )
    _tell_managers(uow, req, "ot.exhausted", payload)


def _quiet_end(now: datetime, quiet_end: str, zone: ZoneInfo) -> datetime:
    local = now.astimezone(zone)
    at = local_instant(local.date(), parse_hhmm(quiet_end), zone)
    return (
        at
        if at > now
        else local_instant(local.date() + timedelta(days=1), parse_hhmm(quiet_end), zone)
    )


def close_unfilled(
    uow: UnitOfWork, req: CoverageRequest, actor: Actor, why: str, ranking: Ranking | None = None
) -> None:
    """No cover found (nobody left, or the deadline passed): silence becomes NO_RESPONSE and
    the manager is told, with the next step."""
    session, now = uow.session, uow.now()
    silent = list(
        session.scalars(
            select(Offer).where(Offer.request_id == req.id, Offer.response == OfferResponse.SENT)
        )
    )
    reader = getattr(outbox, "delivery_states", None)
    undelivered: set[int] = set()
    if reader is not None and silent:
        ids = dict(
            session.execute(
                select(OutboundMessage.id, OutboundMessage.offer_id).where(
                    OutboundMessage.offer_id.in_([o.id for o in silent]),
                    OutboundMessage.kind == "ot.offer",
                )
            ).all()
        )
        for mid, (state, _error) in reader(session, ids.keys()).items():
            offer_id = ids.get(mid)
            if offer_id is not None and state in ("QUEUED", "FAILED", "SUPPRESSED"):
                undelivered.add(offer_id)
    for offer in silent:
        if offer.id in undelivered:
            # never reached them: not their silence
            offer.response, offer.reason = OfferResponse.WITHDRAWN, "offer never delivered"
        else:
            offer.response = OfferResponse.NO_RESPONSE
    before = str(req.status)
    req.status = RequestStatus.UNFILLED
    req.closed_at, req.next_wave_at = now, None
    req.version += 1
    counts = dict(
        session.execute(
            select(Offer.response, func.count())
            .where(Offer.request_id == req.id)
            .group_by(Offer.response)
        ).all()
    )
    asked = sum(counts.values())
    uow.audit(
        actor,
        "overtime.request_unfilled",
        "coverage_request",
        req.id,
        before={"status": before},
        after={
            "status": "UNFILLED",
            "why": why,
            "asked": asked,
            "no_response": [o.person_id for o in silent],
        },
    )
    home = session.get(Home, req.home_id)
    spec = _spec(session, req, uow.zone)
    payload = {
        **_shift_payload(req, spec, home.name if home else "", uow.zone),
        "why": why,
        "asked": asked,
        "declined": int(counts.get(OfferResponse.DECLINED, 0)),
        "no_response": int(counts.get(OfferResponse.NO_RESPONSE, 0)),
        "excluded": len(ranking.excluded) if ranking else None,
        "places": open_places(session, req),
        **next_steps(ranking),
    }
    _tell_managers(uow, req, "ot.unfilled", payload)


def advance_outreach(core: Core) -> int:
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
            query = (
                select(CoverageRequest)
                .where(
                    CoverageRequest.status == RequestStatus.PENDING,
                    or_(CoverageRequest.next_wave_at <= now, CoverageRequest.deadline_at <= now),
                )
                .order_by(CoverageRequest.deadline_at, CoverageRequest.id)
                .limit(1)
                .with_for_update(skip_locked=True, key_share=True)
                .execution_options(populate_existing=True)
            )
            if done:
                query = query.where(CoverageRequest.id.not_in(done))
            req = session.scalars(query).first()
            if req is None:
                return advanced
            done.add(req.id)
            claimed = session.execute(
                update(CoverageRequest)
                .where(
                    CoverageRequest.id == req.id,
                    CoverageRequest.version == req.version,
                    CoverageRequest.status == RequestStatus.PENDING,
                )
                .values(version=CoverageRequest.version + 1)
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
            if claimed != 1:
                continue  # another process got there first
            session.refresh(req)
            if req.deadline_at <= now:
                close_unfilled(uow, req, actor, "the deadline passed")
            else:
                send_wave(uow, req, settings, core.zone, actor)
            uow.commit()
            advanced += 1


def _bring_wave_forward(session: Session, req: CoverageRequest, now: datetime) -> None:
    """When nobody asked can still answer, the next wave need not wait for its time."""
    if req.status != RequestStatus.PENDING:
        return
    waiting = (
        session.scalar(
            select(func.count(Offer.id)).where(
                Offer.request_id == req.id, Offer.response == OfferResponse.SENT
            )
        )
        or 0
    )
    if not waiting:
        req.next_wave_at = now
        req.version += 1


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
        uow.audit(
            Actor.system("delivery"),
            "overtime.offer_undeliverable",
            "offer",
            offer.id,
            before={"response": "SENT"},
            after={"response": "NO_RESPONSE", "delivery_status": "failed"},
        )
