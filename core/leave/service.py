"""Leave services: request (decided at once by the rules), manager decisions, cancellation,
balances and lists. Each runs in one transaction and tells the people concerned through the
outbox, in the same transaction."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.app import Core
from core.directory import find_home
from core.errors import InvalidInput, NotAllowed, NotFound
from core.leave.balance import AWAITING, HOLDING, LeaveBalance, leave_balance, leave_days
from core.leave.config import LeaveRules
from core.leave.rules import LeaveAsk, RuleResult, evaluate
from core.models import (
    Channel,
    Home,
    LeaveRequest,
    LeaveStatus,
    LeaveType,
    OutboundMessage,
    Person,
    PersonKind,
    Shift,
    ShiftStatus,
    Unit,
)
from core.permissions import Scope
from core.uow import Actor, UnitOfWork

RULES_ACTOR = Actor.system("leave rules")
# the audit actions the independent checker replays (core.leave.safety)
AUTO_APPROVED = "leave.auto_approved"


# ---- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestLeave:
    person_id: int
    start_date: date
    end_date: date
    leave_type: LeaveType = LeaveType.ANNUAL


@dataclass(frozen=True)
class DecideLeave:
    """Approve or deny one request, named by ref or by the person (their single open one)."""

    approve: bool
    ref: int | None = None
    staff: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class CancelLeave:
    ref: int


# ---- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveView:
    """One request as plain values."""

    ref: int
    person_id: int
    name: str
    home: str | None
    start_date: date
    end_date: date
    leave_type: LeaveType
    status: LeaveStatus
    reason: str | None
    days: float
    decided_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``staffbot leave list --json`` contract (docs/interfaces.md)."""
        return {
            "ref": self.ref,
            "name": self.name,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "leave_type": str(self.leave_type),
            "status": str(self.status),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class LeaveOutcome:
    """What happened to a new request: its state, every rule's verdict, who was asked."""

    request: LeaveView
    checks: list[RuleResult]
    reviewers: list[str] = field(default_factory=list)
    balance: LeaveBalance | None = None
    decision_ms: float = 0.0

    @property
    def approved(self) -> bool:
        return self.request.status == LeaveStatus.APPROVED

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.checks if not c.passed and c.reason]


@dataclass(frozen=True)
class Decision:
    request: LeaveView
    balance: LeaveBalance | None = None
    notified: bool = False


# ---- helpers -------------------------------------------------------------------------------


def _view(request: LeaveRequest, session: Session) -> LeaveView:
    person = request.person
    decided_by = session.get(Person, request.decided_by_id) if request.decided_by_id else None
    return LeaveView(
        ref=request.id,
        person_id=person.id,
        name=person.full_name,
        home=person.home.name if person.home else None,
        start_date=request.start_date,
        end_date=request.end_date,
        leave_type=request.leave_type,
        status=request.status,
        reason=request.reason,
        days=request.days,
        decided_by=decided_by.full_name if decided_by else None,
    )


def _state(request: LeaveRequest, balance: LeaveBalance | None = None) -> dict[str, Any]:
    state: dict[str, Any] = {
        "status": str(request.status),
        "start_date": request.start_date,
        "end_date": request.end_date,
        "leave_type": str(request.leave_type),
        "days": request.days,
        "reason": request.reason,
    }
    if balance is not None:
        state["balance"] = {
            "year": balance.year,
            "entitlement": balance.entitlement,
            "taken": balance.taken,
            "booked": balance.booked,
            "pending": balance.pending,
            "remaining": balance.remaining,
        }
    return state


def _channel(person: Person) -> Channel:
    return Channel.SLACK if person.slack_user_id else Channel.SMS


def _lock_for(session: Session, person: Person, start: date, end: date) -> None:
    """Serialise decisions that read the same rota: lock the person's unit and every unit they
    are rostered in during the leave (in id order, so two lockers cannot deadlock).

    PostgreSQL: ``SELECT ... FOR UPDATE`` on the unit rows; a second request for the same unit
    waits here until the first commits, then reads its outcome. SQLite needs nothing: every
    transaction starts with BEGIN IMMEDIATE (core.db), so writers already take turns."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    unit_ids = set(
        session.scalars(
            select(Shift.unit_id).where(
                Shift.person_id == person.id,
                Shift.date >= start,
                Shift.date <= end,
                Shift.status == ShiftStatus.SCHEDULED,
            )
        )
    )
    if person.unit_id is not None:
        unit_ids.add(person.unit_id)
    if unit_ids:
        session.execute(
            select(Unit.id).where(Unit.id.in_(unit_ids)).order_by(Unit.id).with_for_update()
        )
    else:  # nobody to staff against (a manager): serialise on the person alone
        session.execute(select(Person.id).where(Person.id == person.id).with_for_update())


def _balance_year(request: LeaveRequest | LeaveAsk | None, today: date) -> int:
    if request is None:
        return today.year
    start = request.start if isinstance(request, LeaveAsk) else request.start_date
    return max(start, today).year


def _reviewers(session: Session, person: Person) -> list[Person]:
    """Who decides: the home's operational manager(s), else the head of service."""
    managers = list(
        session.scalars(
            select(Person)
            .where(
                Person.kind == PersonKind.MANAGER,
                Person.home_id == person.home_id,
                Person.active,
                Person.id != person.id,
            )
            .order_by(Person.id)
        )
    )
    if managers:
        return managers
    return list(
        session.scalars(
            select(Person)
            .where(Person.kind == PersonKind.HEAD, Person.active, Person.id != person.id)
            .order_by(Person.id)
        )
    )


def review_actions(ref: int) -> list[dict[str, Any]]:
    """One-tap follow-ups for a reviewer (rendered as Slack buttons by the channel)."""
    return [
        {"label": "Approve", "intent": "leave.approve", "slots": {"ref": ref}, "style": "primary"},
        {"label": "Deny", "intent": "leave.deny", "slots": {"ref": ref}, "style": "danger"},
    ]


def _span_words(start: date, end: date) -> str:
    def day(d: date) -> str:
        return f"{d:%a} {d.day} {d:%b}"

    return day(start) if start == end else f"{day(start)} to {day(end)}"


def _long_day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _payload(request: LeaveRequest, person: Person, **extra: Any) -> dict[str, Any]:
    data = {
        "ref": request.id,
        "person_id": person.id,
        "name": person.full_name,
        "first_name": person.first_name,
        "home": person.home.name if person.home else None,
        "start_date": request.start_date.isoformat(),
        "end_date": request.end_date.isoformat(),
        "days": request.days,
        "leave_type": str(request.leave_type),
        "status": str(request.status),
        "reason": request.reason,
    }
    data.update(extra)
    return data


def _notify(uow: UnitOfWork, person: Person, kind: str, payload: dict[str, Any]) -> None:
    """Queue ``kind`` (leave.review / leave.decision / leave.cancelled) for one person; the
    words are the bot's (bot.conversation.leave's install() adds them to the registry)."""
    uow.notify(
        OutboundMessage(person_id=person.id, channel=_channel(person), kind=kind, payload=payload)
    )


# ---- services ------------------------------------------------------------------------------


def request_leave(
    core: Core, cmd: RequestLeave, actor: Actor | None = None, rules: LeaveRules | None = None
) -> LeaveOutcome:
    """Record a request and decide it at once: APPROVED when every rule passes, else
    MANUAL_REVIEW with every failed rule's reason and the home's manager told.

    Raises InvalidInput (and records nothing) for days in the past, an end before the start,
    or days that overlap the person's own leave already approved or asked for."""
    started = time.perf_counter()
    rules = rules or core.settings.leave
    today = core.today()
    if cmd.end_date < cmd.start_date:
        raise InvalidInput(
            f"The leave ends ({_long_day(cmd.end_date)}) before it starts "
            f"({_long_day(cmd.start_date)}); please check the dates."
        )
    if cmd.start_date < today:
        raise InvalidInput(
            f"{_long_day(cmd.start_date)} is in the past; leave can only be "
            "asked for from today onwards."
        )
    with core.uow() as uow:
        s = uow.session
        person = s.get(Person, cmd.person_id)
        if person is None or not person.active:
            raise NotFound("No such person.")
        actor = actor or Actor(person.full_name, person.id)
        _lock_for(s, person, cmd.start_date, cmd.end_date)
        clash = s.scalars(
            select(LeaveRequest)
            .where(
                LeaveRequest.person_id == person.id,
                LeaveRequest.status.in_(HOLDING),
                LeaveRequest.start_date <= cmd.end_date,
                LeaveRequest.end_date >= cmd.start_date,
            )
            .order_by(LeaveRequest.start_date)
        ).first()
        if clash is not None:
            state = "approved" if clash.status == LeaveStatus.APPROVED else "awaiting a decision"
            span = _span_words(clash.start_date, clash.end_date)
            raise InvalidInput(
                f"You already have leave {span} (ref {clash.id}, {state}), "
                "which overlaps those days."
            )
        request = LeaveRequest(
            person_id=person.id,
            start_date=cmd.start_date,
            end_date=cmd.end_date,
            leave_type=cmd.leave_type,
            status=LeaveStatus.PENDING,
            days=float(leave_days(cmd.start_date, cmd.end_date)),
            created_at=uow.now(),
        )
        s.add(request)
        s.flush()
        uow.audit(
            actor,
            "leave.requested",
            "leave_request",
            request.id,
            before=None,
            after=_state(request),
        )
        ask = LeaveAsk(
            person.id,
            person.unit_id,
            person.role_code,
            cmd.start_date,
            cmd.end_date,
            cmd.leave_type,
            ref=request.id,
        )
        checks = evaluate(s, ask, rules, today)
        failed = [c for c in checks if not c.passed]
        year = _balance_year(ask, today)
        before_balance = leave_balance(
            s, person.id, year, today, rules.balance_types, exclude_request_id=request.id
        )
        before = _state(request, before_balance)
        reviewers: list[Person] = []
        if failed:
            request.status = LeaveStatus.MANUAL_REVIEW
            request.reason = "; ".join(c.reason for c in failed if c.reason)
            action = "leave.sent_for_review"
            reviewers = _reviewers(s, person)
        else:
            request.status = LeaveStatus.APPROVED
            request.decided_at = uow.now()
            action = AUTO_APPROVED
        s.flush()
        balance = leave_balance(s, person.id, year, today, rules.balance_types)
        after = _state(request, balance)
        after["checks"] = [c.to_json() for c in checks]
        uow.audit(RULES_ACTOR, action, "leave_request", request.id, before=before, after=after)
        for reviewer in reviewers:
            _notify(
                uow,
                reviewer,
                "leave.review",
                _payload(
                    request,
                    person,
                    reviewer=reviewer.full_name,
                    reasons=[c.reason for c in failed if c.reason],
                    actions=review_actions(request.id),
                ),
            )
        view = _view(request, s)
        names = [r.full_name for r in reviewers]
        uow.commit()
    return LeaveOutcome(
        request=view,
        checks=checks,
        reviewers=names,
        balance=balance,
        decision_ms=(time.perf_counter() - started) * 1000,
    )


def _find_open(session: Session, cmd: DecideLeave, scope: Scope) -> LeaveRequest:
    if cmd.ref is not None:
        request = session.get(LeaveRequest, int(cmd.ref))
        if request is None:
            raise NotFound(f"There is no leave request {cmd.ref}.")
        return request
    if not cmd.staff:
        raise InvalidInput(
            "Which request? Say the number (e.g. 'approve leave 123') or the person's name."
        )
    person = session.scalars(
        select(Person).where(func.lower(Person.full_name) == cmd.staff.strip().lower())
    ).first()
    if person is None:
        raise NotFound(f"Nobody called {cmd.staff} in the organisation.")
    if not scope.can_see_person(person):
        raise NotAllowed("You can only decide leave for staff at your own home.")
    open_requests = list(
        session.scalars(
            select(LeaveRequest)
            .where(LeaveRequest.person_id == person.id, LeaveRequest.status.in_(AWAITING))
            .order_by(LeaveRequest.start_date)
        )
    )
    if not open_requests:
        raise NotFound(f"{person.full_name} has no leave waiting for a decision.")
    if len(open_requests) > 1:
        refs = ", ".join(f"{r.id} ({_span_words(r.start_date, r.end_date)})" for r in open_requests)
        raise InvalidInput(
            f"{person.full_name} has {len(open_requests)} requests waiting: "
            f"{refs}. Which one? Say e.g. 'approve leave {open_requests[0].id}'."
        )
    return open_requests[0]


def decide_leave(
    core: Core,
    cmd: DecideLeave,
    scope: Scope,
    actor: Actor | None = None,
    rules: LeaveRules | None = None,
) -> Decision:
    """A manager approves or denies a request awaiting a decision; the requester is told.
    Managers decide for their own home only, the head of service for every home."""
    scope.require_manager("approve or deny leave")
    rules = rules or core.settings.leave
    actor = actor or Actor(scope.name, scope.person_id)
    today = core.today()
    with core.uow() as uow:
        s = uow.session
        request = _find_open(s, cmd, scope)
        person = request.person
        if person.id == scope.person_id:
            raise NotAllowed("You can't decide your own leave request.")
        if not scope.can_see_person(person):
            raise NotAllowed("You can only decide leave for staff at your own home.")
        if request.status not in AWAITING:
            raise InvalidInput(
                f"Leave {request.id} for {person.full_name} is already "
                f"{str(request.status).lower().replace('_', ' ')}."
            )
        _lock_for(s, person, request.start_date, request.end_date)
        s.refresh(request)
        if request.status not in AWAITING:  # decided by someone else while we waited
            raise InvalidInput(
                f"Leave {request.id} was just {str(request.status).lower()} by someone else."
            )
        year = _balance_year(request, today)
        balance_before = leave_balance(s, person.id, year, today, rules.balance_types)
        before = _state(request, balance_before)
        request.status = LeaveStatus.APPROVED if cmd.approve else LeaveStatus.DENIED
        request.decided_at = uow.now()
        request.decided_by_id = scope.person_id
        if not cmd.approve:
            request.reason = (cmd.reason or "").strip() or "no reason given"
        s.flush()
        balance = leave_balance(s, person.id, year, today, rules.balance_types)
        uow.audit(
            actor,
            "leave.approved" if cmd.approve else "leave.denied",
            "leave_request",
            request.id,
            before=before,
            after=_state(request, balance),
        )
        _notify(uow, person, "leave.decision", _payload(request, person, decided_by=scope.name))
        view = _view(request, s)
        uow.commit()
    return Decision(request=view, balance=balance, notified=True)


def cancel_leave(
    core: Core,
    cmd: CancelLeave,
    actor: Actor | None = None,
    scope: Scope | None = None,
    rules: LeaveRules | None = None,
) -> Decision:
    """Cancel a request (approved or awaiting a decision) and give its days back. ``scope``
    None is an administrator (the command line); a person may cancel their own, a manager
    their home's. The requester is told unless they cancelled it themselves."""
    rules = rules or core.settings.leave
    actor = actor or Actor.system("staffbot leave cancel")
    today = core.today()
    with core.uow() as uow:
        s = uow.session
        request = s.get(LeaveRequest, int(cmd.ref))
        if request is None:
            raise NotFound(f"There is no leave request {cmd.ref}.")
        person = request.person
        if scope is not None and not scope.can_see_person(person):
            raise NotAllowed("You can only cancel your own leave, or your home's as a manager.")
        if request.status not in HOLDING:
            raise InvalidInput(
                f"Leave {request.id} is already "
                f"{str(request.status).lower()}; there is nothing to cancel."
            )
        if request.end_date < today:
            raise InvalidInput(
                f"Leave {request.id} ended on {_long_day(request.end_date)}; "
                "leave already taken cannot be cancelled."
            )
        _lock_for(s, person, request.start_date, request.end_date)
        s.refresh(request)
        if request.status not in HOLDING:  # changed by someone else while we waited
            raise InvalidInput(f"Leave {request.id} was just {str(request.status).lower()}.")
        year = _balance_year(request, today)
        balance_before = leave_balance(s, person.id, year, today, rules.balance_types)
        before = _state(request, balance_before)
        held = request.status == LeaveStatus.APPROVED and request.leave_type in rules.balance_types
        request.status = LeaveStatus.CANCELLED
        s.flush()
        balance = leave_balance(s, person.id, year, today, rules.balance_types)
        uow.audit(
            actor,
            "leave.cancelled",
            "leave_request",
            request.id,
            before=before,
            after=_state(request, balance),
        )
        by_self = actor.person_id == person.id
        if not by_self:
            _notify(
                uow,
                person,
                "leave.cancelled",
                _payload(
                    request, person, days_back=request.days if held else 0, cancelled_by=actor.label
                ),
            )
        view = _view(request, s)
        uow.commit()
    return Decision(request=view, balance=balance, notified=not by_self)


def balance_for(
    core: Core, person_id: int, year: int | None = None, rules: LeaveRules | None = None
) -> LeaveBalance:
    """A person's leave balance for a year (this year by default)."""
    rules = rules or core.settings.leave
    today = core.today()
    with core.uow() as uow:
        return leave_balance(uow.session, person_id, year or today.year, today, rules.balance_types)


def list_leave(
    session: Session,
    status: LeaveStatus | None = None,
    home_ids: frozenset[int] | None = None,
    person_id: int | None = None,
    statuses: tuple[LeaveStatus, ...] | None = None,
) -> list[LeaveView]:
    """Leave requests, oldest ref first, optionally by status, homes or person."""
    query = (
        select(LeaveRequest, Person, Home)
        .join(Person, Person.id == LeaveRequest.person_id)
        .outerjoin(Home, Home.id == Person.home_id)
        .order_by(LeaveRequest.id)
    )
    if status is not None:
        query = query.where(LeaveRequest.status == status)
    if statuses is not None:
        query = query.where(LeaveRequest.status.in_(statuses))
    if home_ids is not None:
        query = query.where(Person.home_id.in_(home_ids))
    if person_id is not None:
        query = query.where(LeaveRequest.person_id == person_id)
    return [
        LeaveView(
            ref=r.id,
            person_id=p.id,
            name=p.full_name,
            home=h.name if h else None,
            start_date=r.start_date,
            end_date=r.end_date,
            leave_type=r.leave_type,
            status=r.status,
            reason=r.reason,
            days=r.days,
        )
        for r, p, h in session.execute(query)
    ]


def awaiting_decision(
    core: Core,
    scope: Scope,
    home_id: int | None = None,
    from_day: date | None = None,
    *,
    home: str | None = None,
) -> list[LeaveView]:
    """Requests waiting for a manager (pending or in manual review) in the homes the asker
    manages (or the one home asked about, by id or by ``home`` name as chat names it), soonest
    first; leave that has already started or passed is left out. Managers only."""
    scope.require_manager("see leave waiting for a decision")
    from_day = from_day or core.today()
    with core.read() as uow:
        if home is not None:
            home_id = find_home(uow.session, home).id
        homes = scope.homes_to_query(home_id)
        rows = list_leave(uow.session, home_ids=homes, statuses=AWAITING)
    rows = [r for r in rows if r.end_date >= from_day]
    return sorted(rows, key=lambda r: (r.start_date, r.ref))


def parse_status(value: str) -> LeaveStatus:
    """A status name as typed (any case); InvalidInput naming the accepted ones otherwise."""
    wanted = value.strip().upper().replace("-", "_").replace(" ", "_")
    for status in LeaveStatus:
        if status.value == wanted:
            return status
    raise InvalidInput(
        f"unknown status {value!r}; use one of: {', '.join(s.value for s in LeaveStatus)}."
    )
