"""Swap services: ask (a named colleague, or anyone eligible for a give-away), answer YES or
NO, the manager's decision, expiry and lists. Each runs in one unit of work and tells the
people concerned through the outbox, in the same transaction.

Race-proofing: the people whose rotas change are locked (``FOR NO KEY UPDATE``, the lock an
overtime YES takes, so a swap and an overtime acceptance for the same person take turns and
the second sees the first one's shift), then the units the shifts belong to (the lock leave
decisions take, so minimum staffing is judged on a rota nobody else is changing); the swap row
is moved with conditional updates, and a partial unique index allows one accepted ask per
swap. On SQLite every transaction is ``BEGIN IMMEDIATE``, so writers already take turns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.app import Core
from core.directory import find_person_loose
from core.errors import InvalidInput, NotAllowed, NotFound
from core.models import (
    Channel,
    CoverageRequest,
    Offer,
    OfferResponse,
    OutboundMessage,
    Person,
    PersonKind,
    RequestStatus,
    Shift,
    ShiftStatus,
    Unit,
)
from core.overtime.config import settings_for
from core.overtime.eligibility import evaluate as eligibility
from core.permissions import Scope
from core.swaps.config import SwapRules, swap_rules
from core.swaps.models import OPEN, AskResponse, Swap, SwapAsk, SwapKind, SwapStatus
from core.swaps.rules import (
    HARD,
    RuleResult,
    evaluate,
    for_giveaway,
    may_cover,
    shift_words,
    spec_of,
)
from core.uow import Actor, UnitOfWork

RULES_ACTOR = Actor.system("swap rules")
AUTO_APPROVED = "swap.auto_approved"  # the audit action the independent checker replays


# ---- commands and results ------------------------------------------------------------------


@dataclass(frozen=True)
class RequestSwap:
    """``colleague`` None: a give-away to anyone eligible. ``other_day``: the colleague's shift
    the asker takes in return (a swap); without it the shift is given to the colleague."""

    person_id: int
    day: date
    shift_type: str | None = None
    colleague: str | None = None
    other_day: date | None = None
    other_shift_type: str | None = None


@dataclass(frozen=True)
class DecideSwap:
    approve: bool
    ref: int | None = None
    staff: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ShiftView:
    date: date
    home: str
    shift_type: str

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "home": self.home, "shift_type": self.shift_type}

    @property
    def words(self) -> str:
        d = self.date
        return f"{d:%a} {d.day} {d:%b} {self.shift_type.replace('_', ' ')}"


@dataclass(frozen=True)
class SwapView:
    ref: int
    kind: SwapKind
    from_id: int
    from_name: str
    to_id: int | None
    to_name: str | None
    shift: ShiftView
    other_shift: ShiftView | None
    status: SwapStatus
    reason: str | None
    home_id: int
    expires_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The ``staffbot swap list --json`` contract."""
        return {
            "ref": self.ref,
            "kind": str(self.kind),
            "from_name": self.from_name,
            "to_name": self.to_name,
            "shift": self.shift.to_json(),
            "other_shift": self.other_shift.to_json() if self.other_shift else None,
            "status": str(self.status),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class SwapOutcome:
    """What happened: ``result`` is one of asked (waiting for an answer), refused (a safety
    rule failed), approved, review (sent to the manager), declined, cancelled (nobody
    eligible), gone (already taken or closed), none (nothing to answer), clash (this person
    cannot take it after all; the give-away stays open)."""

    result: str
    swap: SwapView | None = None
    checks: list[RuleResult] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.checks if not c.passed and c.reason]


# ---- helpers -------------------------------------------------------------------------------


def _channel(person: Person) -> Channel:
    return Channel.SLACK if person.slack_user_id else Channel.SMS


def _shift_view(session: Session, shift: Shift | None) -> ShiftView | None:
    if shift is None:
        return None
    unit = session.get(Unit, shift.unit_id)
    return ShiftView(shift.date, unit.home.name if unit else "?", shift.shift_type_code)


def _view(session: Session, swap: Swap) -> SwapView:
    asker = session.get(Person, swap.from_person_id)
    to = session.get(Person, swap.to_person_id) if swap.to_person_id else None
    shift = session.get(Shift, swap.shift_id)
    other = session.get(Shift, swap.other_shift_id) if swap.other_shift_id else None
    main = _shift_view(session, shift)
    assert asker is not None and main is not None
    return SwapView(
        swap.id,
        swap.kind,
        asker.id,
        asker.full_name,
        to.id if to else None,
        to.full_name if to else None,
        main,
        _shift_view(session, other),
        swap.status,
        swap.reason,
        swap.home_id,
        swap.expires_at,
    )


def _state(swap: Swap) -> dict[str, Any]:
    return {
        "status": str(swap.status),
        "kind": str(swap.kind),
        "shift_id": swap.shift_id,
        "other_shift_id": swap.other_shift_id,
        "from_person_id": swap.from_person_id,
        "to_person_id": swap.to_person_id,
        "failed_rules": swap.failed_rules,
    }


def _payload(session: Session, swap: Swap, **extra: Any) -> dict[str, Any]:
    view = _view(session, swap)
    asker = session.get(Person, swap.from_person_id)
    data: dict[str, Any] = {
        "ref": swap.id,
        "kind": str(swap.kind),
        "status": str(swap.status),
        "from_name": view.from_name,
        "from_first": asker.first_name if asker else "",
        "to_name": view.to_name,
        "shift": view.shift.to_json(),
        "shift_words": view.shift.words,
        "other_shift": view.other_shift.to_json() if view.other_shift else None,
        "other_words": view.other_shift.words if view.other_shift else None,
        "home": view.shift.home,
        "reason": swap.reason,
    }
    data.update(extra)
    return data


def _notify(uow: UnitOfWork, person: Person, kind: str, payload: dict[str, Any]) -> None:
    """Queue ``kind`` (swap.ask / swap.offer / swap.approved / ...) for one person; the words
    are the bot's (bot.conversation.swaps registers them)."""
    uow.notify(
        OutboundMessage(
            person_id=person.id,
            channel=_channel(person),
            kind=kind,
            payload={**payload, "first_name": person.first_name},
        )
    )


def _lock(session: Session, person_ids: set[int], shifts: list[Shift]) -> None:
    """People (as an overtime YES does), then the shifts' units (as leave does), in id order."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        select(Person.id)
        .where(Person.id.in_(sorted(person_ids)))
        .order_by(Person.id)
        .with_for_update(key_share=True)
    ).all()
    unit_ids = sorted({s.unit_id for s in shifts})
    session.execute(
        select(Unit.id).where(Unit.id.in_(unit_ids)).order_by(Unit.id).with_for_update()
    ).all()


def _reload(session: Session, model: Any, row_id: int) -> Any:
    return session.scalars(
        select(model).where(model.id == row_id).execution_options(populate_existing=True)
    ).one()


def _reviewers(session: Session, home_id: int, exclude: set[int]) -> list[Person]:
    managers = list(
        session.scalars(
            select(Person)
            .where(
                Person.kind == PersonKind.MANAGER,
                Person.home_id == home_id,
                Person.active,
                Person.id.not_in(exclude),
            )
            .order_by(Person.id)
        )
    )
    if managers:
        return managers
    return list(
        session.scalars(
            select(Person)
            .where(Person.kind == PersonKind.HEAD, Person.active, Person.id.not_in(exclude))
            .order_by(Person.id)
        )
    )


def review_actions(ref: int) -> list[dict[str, Any]]:
    """One-tap follow-ups for the manager (Slack buttons)."""
    return [
        {"label": "Approve", "intent": "swap.approve", "slots": {"ref": ref}, "style": "primary"},
        {"label": "Deny", "intent": "swap.deny", "slots": {"ref": ref}, "style": "danger"},
    ]


def _day_words(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _find_shift(
    session: Session, person: Person, day: date, shift_type: str | None, whose: str
) -> Shift:
    query = (
        select(Shift)
        .where(
            Shift.person_id == person.id, Shift.date == day, Shift.status == ShiftStatus.SCHEDULED
        )
        .order_by(Shift.starts_at)
    )
    shifts = list(session.scalars(query))
    if shift_type:
        matching = [s for s in shifts if s.shift_type_code == shift_type]
        if not matching:
            have = (
                " (" + ", ".join(shift_words(s) for s in shifts) + " is on the rota)"
                if shifts
                else ""
            )
            raise InvalidInput(
                f"{whose} no {shift_type.replace('_', ' ')} on {_day_words(day)}{have}."
            )
        shifts = matching
    if not shifts:
        raise InvalidInput(f"{whose} no shift on {_day_words(day)}.")
    if len(shifts) > 1:
        raise InvalidInput(
            f"{whose} {len(shifts)} shifts on {_day_words(day)}: "
            + " and ".join(shift_words(s) for s in shifts)
            + ". Which one?"
        )
    return shifts[0]


def _expiry(rules: SwapRules, now: datetime, shifts: list[Shift]) -> datetime:
    first = min(s.starts_at for s in shifts)
    by_notice = first - timedelta(hours=rules.notice_hours)
    limit = now + timedelta(hours=rules.answer_hours)
    if by_notice > now:
        return min(limit, by_notice)
    return min(limit, first)  # already inside the window: answerable until the shift


def _moves(session: Session, swap: Swap, receiver: Person) -> list[tuple[Shift, Person]]:
    shift = _reload(session, Shift, swap.shift_id)
    moves = [(shift, receiver)]
    if swap.other_shift_id is not None:
        asker = session.get(Person, swap.from_person_id)
        assert asker is not None
        moves.append((_reload(session, Shift, swap.other_shift_id), asker))
    return moves


def _fail_text(checks: list[RuleResult]) -> str:
    return "; ".join(c.reason for c in checks if not c.passed and c.reason)


# ---- services ------------------------------------------------------------------------------


def request_swap(core: Core, cmd: RequestSwap, actor: Actor | None = None) -> SwapOutcome:
    """Record a swap and ask: the named colleague, or (a give-away) up to N eligible
    colleagues of the home. A named colleague who could not safely take the shift is not
    asked: the swap is refused at once with the reason."""
    rules = swap_rules(core)
    ot = settings_for(core)
    with core.uow() as uow:
        s, now = uow.session, uow.now()
        person = s.get(Person, cmd.person_id)
        if person is None or not person.active:
            raise NotFound("No such person.")
        actor = actor or Actor(person.full_name, person.id)
        shift = _find_shift(s, person, cmd.day, cmd.shift_type, "You have")
        if shift.starts_at <= now:
            raise InvalidInput(f"Your {shift_words(shift)} has already started.")
        colleague: Person | None = None
        other: Shift | None = None
        if cmd.colleague:
            colleague = find_person_loose(s, cmd.colleague)
            if colleague.id == person.id:
                raise InvalidInput("That's you: name the colleague you'd like to swap with.")
            if colleague.kind != PersonKind.STAFF or not colleague.active:
                raise InvalidInput(f"{colleague.full_name} is not on the rota.")
        if cmd.other_day is not None:
            if colleague is None:
                raise InvalidInput("Whose shift would you take in return? Name the colleague.")
            other = _find_shift(
                s, colleague, cmd.other_day, cmd.other_shift_type, f"{colleague.first_name} has"
            )
        shifts = [shift] + ([other] if other else [])
        people = {person.id} | ({colleague.id} if colleague else set())
        _lock(s, people, shifts)
        busy = s.scalars(
            select(Swap).where(Swap.shift_id.in_([x.id for x in shifts]), Swap.status.in_(OPEN))
        ).first()
        if busy is not None:
            raise InvalidInput(
                f"That shift is already in swap {busy.id}, still "
                f"{str(busy.status).lower().replace('_', ' ')}."
            )
        unit = s.get(Unit, shift.unit_id)
        assert unit is not None
        swap = Swap(
            kind=SwapKind.SWAP if other else SwapKind.GIVEAWAY,
            status=SwapStatus.PENDING,
            home_id=unit.home_id,
            from_person_id=person.id,
            to_person_id=colleague.id if colleague else None,
            shift_id=shift.id,
            other_shift_id=other.id if other else None,
            created_at=now,
            expires_at=_expiry(rules, now, shifts),
            version=0,
        )
        s.add(swap)
        s.flush()
        uow.audit(actor, "swap.requested", "swap", swap.id, before=None, after=_state(swap))
        if colleague is not None:
            moves: list[tuple[Shift, Person]] = [(shift, colleague)]
            if other is not None:
                moves.append((other, person))
            checks = evaluate(s, moves, now, rules, ot, uow.zone, swap.id)
            hard = [c for c in checks if not c.passed and c.hard]
            if hard:
                before = _state(swap)
                swap.status, swap.decided_at = SwapStatus.DENIED, now
                swap.reason = _fail_text(hard)
                swap.failed_rules = ",".join(c.rule for c in hard)
                after = {**_state(swap), "checks": [c.to_json() for c in checks]}
                uow.audit(RULES_ACTOR, "swap.refused", "swap", swap.id, before=before, after=after)
                view = _view(s, swap)
                uow.commit()
                return SwapOutcome("refused", view, checks)
            s.add(
                SwapAsk(
                    swap_id=swap.id, person_id=colleague.id, response=AskResponse.SENT, asked_at=now
                )
            )
            _notify(uow, colleague, "swap.ask", _payload(s, swap))
            view = _view(s, swap)
            uow.commit()
            return SwapOutcome("asked", view, checks, asked=[colleague.full_name])
        chosen = _giveaway_pool(s, shift, person, now, rules, core)
        if not chosen:
            before = _state(swap)
            swap.status, swap.decided_at = SwapStatus.CANCELLED, now
            swap.reason = "nobody eligible is free to take it"
            uow.audit(
                RULES_ACTOR,
                "swap.nobody_eligible",
                "swap",
                swap.id,
                before=before,
                after=_state(swap),
            )
            view = _view(s, swap)
            uow.commit()
            return SwapOutcome("cancelled", view)
        for colleague in chosen:
            s.add(
                SwapAsk(
                    swap_id=swap.id, person_id=colleague.id, response=AskResponse.SENT, asked_at=now
                )
            )
            _notify(uow, colleague, "swap.offer", _payload(s, swap))
        uow.audit(
            RULES_ACTOR,
            "swap.offered",
            "swap",
            swap.id,
            before=None,
            after={"asked": [c.id for c in chosen]},
        )
        view = _view(s, swap)
        uow.commit()
        return SwapOutcome("asked", view, asked=[c.full_name for c in chosen])


def _giveaway_pool(
    session: Session, shift: Shift, asker: Person, now: datetime, rules: SwapRules, core: Core
) -> list[Person]:
    """Staff of the home who may cover the shift's role and pass the safety rules and the
    training rule, fewest hours that week first."""
    ot = settings_for(core)
    spec = spec_of(session, shift)
    roles = [shift.role_code] + list(rules.higher_roles.get(shift.role_code, []))
    ids = list(
        session.scalars(
            select(Person.id).where(
                Person.kind == PersonKind.STAFF,
                Person.active.is_(True),
                Person.home_id == spec.home_id,
                Person.id != asker.id,
                Person.role_code.in_(roles),
            )
        )
    )
    if not ids:
        return []
    keep = HARD | {"training"}
    found: list[tuple[float, str, int]] = []
    for role in roles:
        for c in eligibility(session, for_giveaway(spec, role), now, ot, core.zone, person_ids=ids):
            if c.role != role:
                continue
            if any(r.code in keep for r in c.reasons):
                continue
            if not may_cover(rules, c.role, shift.role_code):
                continue
            found.append((c.hours_7d, c.name, c.person_id))
    found.sort()
    people = [session.get(Person, pid) for _h, _n, pid in found[: rules.giveaway_asks]]
    return [p for p in people if p is not None]


_ASK_OPEN = case(
    (and_(SwapAsk.response == AskResponse.SENT, Swap.status == SwapStatus.PENDING), 1), else_=0
)
_LAST_ASK = (
    select(SwapAsk.swap_id, SwapAsk.asked_at, _ASK_OPEN)
    .join(Swap, Swap.id == SwapAsk.swap_id)
    .join(Shift, Shift.id == Swap.shift_id)
    .where(
        SwapAsk.person_id == bindparam("person_id"),
        or_(
            _ASK_OPEN == 1,
            and_(SwapAsk.asked_at > bindparam("since"), Shift.starts_at > bindparam("now")),
        ),
    )
    .order_by(_ASK_OPEN.desc(), SwapAsk.asked_at.desc(), SwapAsk.id.desc())
    .limit(1)
)
_LATEST_OFFER = (
    select(func.max(Offer.contacted_at))
    .join(CoverageRequest, CoverageRequest.id == Offer.request_id)
    .where(
        Offer.person_id == bindparam("person_id"),
        Offer.response == OfferResponse.SENT,
        CoverageRequest.status == RequestStatus.PENDING,
    )
)


def answer_target(core: Core, person_id: int, ref: int | None = None) -> int | None:
    """The swap a bare YES or NO from this person answers, or None when it answers something
    else: what they were asked last, between their open swap asks and overtime offers."""
    with core.read() as uow:
        s = uow.session
        if ref is not None:
            hit = s.execute(
                select(SwapAsk.swap_id, SwapAsk.asked_at, SwapAsk.response)
                .join(Swap, Swap.id == SwapAsk.swap_id)
                .where(SwapAsk.person_id == person_id, SwapAsk.swap_id == int(ref))
            ).first()
            if hit is None:
                return None
            offered = s.scalar(
                select(func.count(Offer.id)).where(
                    Offer.person_id == person_id, Offer.request_id == int(ref)
                )
            )
            return None if offered else int(hit[0])
        # One read decides most YES and NO texts (nobody asked them about a swap): their
        # open ask, else one asked lately (its shift still to come) that has gone, to say so.
        # The overtime offers are read only when there is such an ask to weigh them against.
        now = uow.now()
        ask = s.execute(
            _LAST_ASK, {"person_id": person_id, "since": now - timedelta(days=7), "now": now}
        ).first()
        if ask is None:
            return None
        latest_offer = s.scalar(_LATEST_OFFER, {"person_id": person_id})
        swap_id, asked_at, still_open = ask
        if still_open:  # what they were asked last: this swap, or an overtime offer since
            return int(swap_id) if latest_offer is None or asked_at >= latest_offer else None
        return None if latest_offer is not None else int(swap_id)


def answer_swap(core: Core, person_id: int, ref: int, yes: bool) -> SwapOutcome:
    """A YES or NO to swap ``ref``. A YES to a give-away takes it if nobody has (first YES
    wins); then the rules decide: approved (both rotas change now), refused (a safety rule),
    or sent to the manager."""
    rules = swap_rules(core)
    ot = settings_for(core)
    with core.uow() as uow:
        s, now = uow.session, uow.now()
        person = s.get(Person, person_id)
        swap = s.get(Swap, ref)
        if person is None or swap is None:
            raise NotFound(f"There is no swap {ref}.")
        ask = s.scalars(
            select(SwapAsk).where(SwapAsk.swap_id == swap.id, SwapAsk.person_id == person.id)
        ).first()
        if ask is None:
            raise NotAllowed(f"Swap {ref} was not offered to you.")
        shifts = [s.get(Shift, swap.shift_id)] + (
            [s.get(Shift, swap.other_shift_id)] if swap.other_shift_id else []
        )
        _lock(s, {person.id, swap.from_person_id}, [x for x in shifts if x is not None])
        swap = _reload(s, Swap, swap.id)
        ask = _reload(s, SwapAsk, ask.id)
        actor = Actor(person.full_name, person.id)
        if swap.status != SwapStatus.PENDING or ask.response != AskResponse.SENT:
            mine = ask.response == AskResponse.ACCEPTED and swap.to_person_id == person.id
            if ask.response == AskResponse.SENT:
                ask.response, ask.responded_at = AskResponse.GONE, now
            view = _view(s, swap)
            uow.commit()
            return SwapOutcome("already" if mine else "gone", view)
        asker = s.get(Person, swap.from_person_id)
        assert asker is not None
        if not yes:
            return _decline(uow, swap, ask, person, asker, actor)
        taken = s.execute(
            update(SwapAsk)
            .where(SwapAsk.id == ask.id, SwapAsk.response == AskResponse.SENT)
            .values(response=AskResponse.ACCEPTED, responded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        moved = s.execute(
            update(Swap)
            .where(
                Swap.id == swap.id,
                Swap.status == SwapStatus.PENDING,
                or_(Swap.to_person_id.is_(None), Swap.to_person_id == person.id),
            )
            .values(to_person_id=person.id, version=Swap.version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        try:
            s.flush()
        except IntegrityError:
            taken = 0
        if taken != 1 or moved != 1:
            uow.rollback()
            return _gone(core, person.id, swap.id)
        swap = _reload(s, Swap, swap.id)
        ask = _reload(s, SwapAsk, ask.id)
        before = {**_state(swap), "status": str(SwapStatus.PENDING)}
        uow.audit(actor, "swap.accepted", "swap", swap.id, before=None, after={"by": person.id})
        checks = evaluate(s, _moves(s, swap, person), now, rules, ot, uow.zone, swap.id)
        hard = [c for c in checks if not c.passed and c.hard]
        soft = [c for c in checks if not c.passed and not c.hard]
        open_giveaway = _is_open_giveaway(s, swap)
        if hard and open_giveaway:
            # this person cannot take it after all; the give-away stays open for the others
            ask.response = AskResponse.DECLINED
            swap.to_person_id = None
            uow.audit(
                RULES_ACTOR,
                "swap.taker_clash",
                "swap",
                swap.id,
                before=None,
                after={"person_id": person.id, "why": _fail_text(hard)},
            )
            view = _view(s, swap)
            uow.commit()
            return SwapOutcome("clash", view, checks)
        result: str
        if hard:
            swap.status, swap.decided_at = SwapStatus.DENIED, now
            swap.reason, swap.failed_rules = _fail_text(hard), ",".join(c.rule for c in hard)
            action, result = "swap.refused", "refused"
            for who in (asker,):
                _notify(
                    uow, who, "swap.refused", _payload(s, swap, reasons=[c.reason for c in hard])
                )
        elif soft:
            swap.status = SwapStatus.MANUAL_REVIEW
            swap.reason, swap.failed_rules = _fail_text(soft), ",".join(c.rule for c in soft)
            action, result = "swap.sent_for_review", "review"
        else:
            _apply(s, swap, person, asker)
            swap.status, swap.decided_at = SwapStatus.APPROVED, now
            action, result = AUTO_APPROVED, "approved"
        s.flush()
        after = {**_state(swap), "checks": [c.to_json() for c in checks]}
        uow.audit(RULES_ACTOR, action, "swap", swap.id, before=before, after=after)
        reviewers: list[Person] = []
        if result == "review":
            reviewers = _reviewers(s, swap.home_id, {person.id, asker.id})
            for reviewer in reviewers:
                _notify(
                    uow,
                    reviewer,
                    "swap.review",
                    _payload(
                        s,
                        swap,
                        reviewer=reviewer.full_name,
                        reasons=[c.reason for c in soft],
                        actions=review_actions(swap.id),
                    ),
                )
            _notify(
                uow,
                asker,
                "swap.waiting",
                _payload(
                    s,
                    swap,
                    reasons=[c.reason for c in soft],
                    reviewers=[r.full_name for r in reviewers],
                ),
            )
        elif result == "approved":
            _notify(uow, asker, "swap.approved", _payload(s, swap))
        if result in ("approved", "review"):
            _close_others(uow, swap, person.id)
        view = _view(s, swap)
        try:
            uow.commit()
        except IntegrityError:
            uow.rollback()
            return _gone(core, person.id, swap.id)
        return SwapOutcome(result, view, checks, reviewers=[r.full_name for r in reviewers])


def _is_open_giveaway(session: Session, swap: Swap) -> bool:
    """A give-away offered to several people (not one named colleague)."""
    if swap.kind != SwapKind.GIVEAWAY:
        return False
    asked = session.scalar(select(func.count(SwapAsk.id)).where(SwapAsk.swap_id == swap.id))
    return bool(asked and asked > 1)


def _gone(core: Core, person_id: int, swap_id: int) -> SwapOutcome:
    """Somebody else's YES won: record this one as too late."""
    with core.uow() as uow:
        s, now = uow.session, uow.now()
        s.execute(
            update(SwapAsk)
            .where(
                SwapAsk.swap_id == swap_id,
                SwapAsk.person_id == person_id,
                SwapAsk.response == AskResponse.SENT,
            )
            .values(response=AskResponse.GONE, responded_at=now)
            .execution_options(synchronize_session=False)
        )
        swap = s.get(Swap, swap_id)
        assert swap is not None
        view = _view(s, swap)
        uow.commit()
    return SwapOutcome("gone", view)


def _decline(
    uow: UnitOfWork, swap: Swap, ask: SwapAsk, person: Person, asker: Person, actor: Actor
) -> SwapOutcome:
    s, now = uow.session, uow.now()
    ask.response, ask.responded_at = AskResponse.DECLINED, now
    s.flush()
    waiting = s.scalar(
        select(func.count(SwapAsk.id)).where(
            SwapAsk.swap_id == swap.id, SwapAsk.response == AskResponse.SENT
        )
    )
    uow.audit(actor, "swap.declined", "swap", swap.id, before=None, after={"by": person.id})
    if not waiting:
        before = _state(swap)
        swap.status, swap.decided_at = SwapStatus.CANCELLED, now
        swap.reason = (
            f"{person.full_name} said no"
            if swap.to_person_id == person.id
            else "everyone asked said no"
        )
        uow.audit(RULES_ACTOR, "swap.cancelled", "swap", swap.id, before=before, after=_state(swap))
        _notify(uow, asker, "swap.declined", _payload(s, swap, by=person.full_name))
    view = _view(s, swap)
    uow.commit()
    return SwapOutcome("declined", view)


def _apply(session: Session, swap: Swap, receiver: Person, asker: Person) -> None:
    """Both rotas change: the receiver takes the shift, the asker the other one (if any)."""
    shift = _reload(session, Shift, swap.shift_id)
    if shift.person_id != asker.id or shift.status != ShiftStatus.SCHEDULED:
        raise InvalidInput("That shift has changed since the swap was asked; ask again.")
    shift.person_id = receiver.id
    if swap.other_shift_id is not None:
        other = _reload(session, Shift, swap.other_shift_id)
        if other.person_id != receiver.id or other.status != ShiftStatus.SCHEDULED:
            raise InvalidInput("That shift has changed since the swap was asked; ask again.")
        other.person_id = asker.id
    session.flush()


def _close_others(uow: UnitOfWork, swap: Swap, taker_id: int) -> None:
    s, now = uow.session, uow.now()
    for other in s.scalars(
        select(SwapAsk).where(
            SwapAsk.swap_id == swap.id,
            SwapAsk.response == AskResponse.SENT,
            SwapAsk.person_id != taker_id,
        )
    ):
        other.response, other.responded_at = AskResponse.GONE, now
        person = s.get(Person, other.person_id)
        if person is not None:
            _notify(uow, person, "swap.gone", _payload(s, swap))


def _find_for_decision(session: Session, cmd: DecideSwap, scope: Scope) -> Swap:
    if cmd.ref is not None:
        swap = session.get(Swap, int(cmd.ref))
        if swap is None:
            raise NotFound(f"There is no swap {cmd.ref}.")
        return swap
    if not cmd.staff:
        raise InvalidInput("Which swap? Say its number ('approve swap 12') or a name.")
    person = find_person_loose(session, cmd.staff)
    found = list(
        session.scalars(
            select(Swap)
            .where(
                or_(Swap.from_person_id == person.id, Swap.to_person_id == person.id),
                Swap.status == SwapStatus.MANUAL_REVIEW,
            )
            .order_by(Swap.id)
        )
    )
    if not found:
        raise NotFound(f"{person.full_name} has no swap waiting for a decision.")
    if len(found) > 1:
        raise InvalidInput(
            f"{person.full_name} has {len(found)} swaps waiting: "
            + ", ".join(str(x.id) for x in found)
            + ". Which one?"
        )
    return found[0]


def decide_swap(
    core: Core, cmd: DecideSwap, scope: Scope, actor: Actor | None = None
) -> SwapOutcome:
    """The home's manager (or the head of service) approves or denies a swap in review. An
    approval re-checks the safety rules under the locks: an unsafe swap is never made."""
    scope.require_manager("approve or deny swaps")
    rules = swap_rules(core)
    ot = settings_for(core)
    actor = actor or Actor(scope.name, scope.person_id)
    with core.uow() as uow:
        s, now = uow.session, uow.now()
        swap = _find_for_decision(s, cmd, scope)
        if not scope.can_see_home(swap.home_id):
            raise NotAllowed("You can only decide swaps at your own home.")
        if scope.person_id in (swap.from_person_id, swap.to_person_id):
            raise NotAllowed("You can't decide a swap you are part of.")
        if swap.status != SwapStatus.MANUAL_REVIEW:
            raise InvalidInput(
                f"Swap {swap.id} is {str(swap.status).lower().replace('_', ' ')}"
                ", not waiting for a decision."
            )
        assert swap.to_person_id is not None
        shifts = [s.get(Shift, swap.shift_id)] + (
            [s.get(Shift, swap.other_shift_id)] if swap.other_shift_id else []
        )
        _lock(s, {swap.from_person_id, swap.to_person_id}, [x for x in shifts if x])
        swap = _reload(s, Swap, swap.id)
        if swap.status != SwapStatus.MANUAL_REVIEW:
            raise InvalidInput(f"Swap {swap.id} was just decided by someone else.")
        asker = s.get(Person, swap.from_person_id)
        receiver = s.get(Person, swap.to_person_id)
        assert asker is not None and receiver is not None
        before = _state(swap)
        checks: list[RuleResult] = []
        if cmd.approve:
            checks = evaluate(s, _moves(s, swap, receiver), now, rules, ot, uow.zone, swap.id)
            hard = [c for c in checks if not c.passed and c.hard]
            if hard:
                raise InvalidInput(f"Swap {swap.id} can't be approved now: {_fail_text(hard)}.")
            _apply(s, swap, receiver, asker)
            swap.status = SwapStatus.APPROVED
        else:
            swap.status = SwapStatus.DENIED
            swap.reason = (cmd.reason or "").strip() or "no reason given"
        swap.decided_at, swap.decided_by_id = now, scope.person_id
        s.flush()
        uow.audit(
            actor,
            "swap.approved" if cmd.approve else "swap.denied",
            "swap",
            swap.id,
            before=before,
            after={**_state(swap), "checks": [c.to_json() for c in checks]},
        )
        for who in (asker, receiver):
            _notify(uow, who, "swap.decision", _payload(s, swap, decided_by=scope.name))
        view = _view(s, swap)
        uow.commit()
    return SwapOutcome("approved" if cmd.approve else "denied", view, checks)


def expire_swaps(core: Core) -> int:
    """Scheduled: PENDING swaps past their expiry, and swaps still in review when their shift
    starts, become EXPIRED; the asker is told. Returns how many."""
    actor = Actor.system("scheduler")
    with core.uow() as uow:
        s, now = uow.session, uow.now()
        # two scheduler processes: each takes the rows the other has not locked
        due = list(
            s.scalars(
                select(Swap)
                .where(Swap.status == SwapStatus.PENDING, Swap.expires_at <= now)
                .order_by(Swap.id)
                .with_for_update(skip_locked=True)
            )
        )
        due += list(
            s.scalars(
                select(Swap)
                .join(Shift, Shift.id == Swap.shift_id)
                .where(Swap.status == SwapStatus.MANUAL_REVIEW, Shift.starts_at <= now)
                .order_by(Swap.id)
                .with_for_update(of=Swap, skip_locked=True)
            )
        )
        for swap in due:
            before = _state(swap)
            swap.status, swap.decided_at = SwapStatus.EXPIRED, now
            swap.reason = swap.reason or "nobody answered in time"
            for ask in s.scalars(
                select(SwapAsk).where(
                    SwapAsk.swap_id == swap.id, SwapAsk.response == AskResponse.SENT
                )
            ):
                ask.response, ask.responded_at = AskResponse.GONE, now
            uow.audit(actor, "swap.expired", "swap", swap.id, before=before, after=_state(swap))
            asker = s.get(Person, swap.from_person_id)
            if asker is not None:
                _notify(uow, asker, "swap.expired", _payload(s, swap))
        uow.commit()
    return len(due)


def list_swaps(
    session: Session,
    status: SwapStatus | None = None,
    home_ids: frozenset[int] | None = None,
    person_id: int | None = None,
) -> list[SwapView]:
    """Swaps, oldest ref first, optionally by status, homes or person (either side)."""
    query = select(Swap).order_by(Swap.id)
    if status is not None:
        query = query.where(Swap.status == status)
    if home_ids is not None:
        query = query.where(Swap.home_id.in_(home_ids))
    if person_id is not None:
        query = query.where(or_(Swap.from_person_id == person_id, Swap.to_person_id == person_id))
    return [_view(session, swap) for swap in session.scalars(query)]


_SWAPS: Table = cast(Table, Swap.__table__)
_SHIFTS: Table = cast(Table, Shift.__table__)
_SHIFT, _OTHER_SHIFT = _SHIFTS.alias("swap_shift"), _SHIFTS.alias("swap_other_shift")
# Built once, on the tables: every "my shifts" reads it and most people have no swap to show,
# so the common answer (no rows) costs one plain query and no ORM loading.
_SWAPS_FOR = (
    select(_SWAPS.c.id)
    .select_from(
        _SWAPS.join(_SHIFT, _SHIFT.c.id == _SWAPS.c.shift_id).outerjoin(
            _OTHER_SHIFT, _OTHER_SHIFT.c.id == _SWAPS.c.other_shift_id
        )
    )
    .where(
        or_(
            _SWAPS.c.from_person_id == bindparam("person_id"),
            _SWAPS.c.to_person_id == bindparam("person_id"),
        ),
        or_(_SHIFT.c.date >= bindparam("from_day"), _OTHER_SHIFT.c.date >= bindparam("from_day")),
    )
    .order_by(_SWAPS.c.id)
)


def swaps_for(core: Core, person_id: int, from_day: date) -> list[SwapView]:
    """A person's swaps whose shifts are on or after ``from_day`` (for their rota), oldest ref
    first. The days are filtered in the query: their past swaps are never read."""
    with core.read() as uow:
        s = uow.session
        ids = s.scalars(_SWAPS_FOR, {"person_id": person_id, "from_day": from_day}).all()
        swaps = [s.get(Swap, swap_id) for swap_id in ids]
        return [_view(s, swap) for swap in swaps if swap is not None]


def parse_status(value: str) -> SwapStatus:
    wanted = value.strip().upper().replace("-", "_").replace(" ", "_")
    for status in SwapStatus:
        if status.value == wanted:
            return status
    raise InvalidInput(
        f"unknown status {value!r}; use one of: {', '.join(x.value for x in SwapStatus)}."
    )
