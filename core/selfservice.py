"""Self-service questions and their permission rules: a person's own leave (see it, cancel
it), who is off sick or on leave, and when a named colleague works.

The rules:
- anyone sees and cancels their own leave; a request waiting for a decision is cancelled at
  once; approved leave is cancelled at once when it starts at least ``SELF_CANCEL_NOTICE_DAYS``
  from today, otherwise the cancellation is sent to the person's manager to decide;
- who is off sick / on leave, and another person's shifts, are for managers, for the homes
  they manage (a head of service: every home); staff are told so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from core.app import Core
from core.directory import find_home
from core.errors import NotAllowed, NotFound
from core.leave import CancelLeave, LeaveView, cancel_leave, list_leave
from core.models import (
    Channel,
    Home,
    LeaveRequest,
    LeaveStatus,
    OutboundMessage,
    Person,
    PersonKind,
    Shift,
    ShiftStatus,
    ShiftType,
    SicknessAbsence,
    Unit,
)
from core.permissions import Scope
from core.uow import Actor

if TYPE_CHECKING:
    from core.overtime.preferences import PreferenceView

SELF_CANCEL_NOTICE_DAYS = 7  # approved leave nearer than this needs the manager's say
HOLDING = (LeaveStatus.PENDING, LeaveStatus.MANUAL_REVIEW, LeaveStatus.APPROVED)


# ---- own leave ------------------------------------------------------------------------------


def my_leave(core: Core, person_id: int, today: date | None = None) -> list[LeaveView]:
    """The person's leave that is still to come or under way, and anything decided in the
    last 30 days, soonest first (cancelled requests left out)."""
    today = today or core.today()
    with core.uow() as uow:
        rows = list_leave(uow.session, person_id=person_id)
    keep = [
        r
        for r in rows
        if r.status != LeaveStatus.CANCELLED and r.end_date >= today - timedelta(days=30)
    ]
    return sorted(keep, key=lambda r: (r.start_date, r.ref))


@dataclass(frozen=True)
class CancelOutcome:
    """``cancelled``: done; ``sent``: the manager decides; ``choose``: several match (options);
    ``none``: nothing of theirs to cancel; ``cancelled_for``: a manager cancelled the request
    named (``cancel_leave_asked``)."""

    outcome: str
    request: LeaveView | None = None
    options: tuple[LeaveView, ...] = ()
    managers: tuple[str, ...] = ()
    days_back: float = 0.0


def _matching(
    rows: list[LeaveView], ref: int | None, day: date | None, today: date
) -> list[LeaveView]:
    open_rows = [r for r in rows if r.status in HOLDING and r.end_date >= today]
    if ref is not None:
        return [r for r in open_rows if r.ref == ref]
    if day is not None:
        return [r for r in open_rows if r.start_date <= day <= r.end_date]
    return open_rows


def cancel_my_leave(
    core: Core, person_id: int, actor: Actor, ref: int | None = None, day: date | None = None
) -> CancelOutcome:
    """Cancel one of the person's own requests (named by ref or by a day it covers; the only
    open one when neither is given)."""
    today = core.today()
    with core.uow() as uow:
        rows = list_leave(uow.session, person_id=person_id)
    found = _matching(rows, ref, day, today)
    if not found:
        return CancelOutcome("none")
    if len(found) > 1:
        return CancelOutcome("choose", options=tuple(found))
    request = found[0]
    notice = (request.start_date - today).days
    if request.status == LeaveStatus.APPROVED and notice < SELF_CANCEL_NOTICE_DAYS:
        return _send_to_manager(core, person_id, request, actor)
    decision = cancel_leave(core, CancelLeave(request.ref), actor=actor)
    back = request.days if request.status == LeaveStatus.APPROVED else 0.0
    return CancelOutcome("cancelled", request=decision.request, days_back=back)


def cancel_leave_asked(
    core: Core, scope: Scope, actor: Actor, ref: int | None = None, day: date | None = None
) -> CancelOutcome:
    """Leave cancelled as asked in chat. A manager naming a request by ref cancels it at once
    (one of their home's, or their own: ``cancelled_for``, with the request); anyone else, or
    a manager naming no ref, cancels their own by ``cancel_my_leave``'s rules."""
    if scope.is_manager and ref is not None:
        done = cancel_leave(core, CancelLeave(int(ref)), actor=actor, scope=scope)
        return CancelOutcome("cancelled_for", request=done.request)
    return cancel_my_leave(core, scope.person_id, actor, ref=int(ref) if ref else None, day=day)


def _managers(session: Any, person: Person) -> list[Person]:
    query = select(Person).where(
        Person.active.is_(True),
        or_(
            Person.kind == PersonKind.HEAD,
            (Person.kind == PersonKind.MANAGER) & (Person.home_id == person.home_id),
        ),
    )
    people = list(session.scalars(query.order_by(Person.kind, Person.id)))
    own = [p for p in people if p.kind == PersonKind.MANAGER]
    return own or people


def _send_to_manager(core: Core, person_id: int, request: LeaveView, actor: Actor) -> CancelOutcome:
    with core.uow() as uow:
        s = uow.session
        person = s.get(Person, person_id)
        assert person is not None
        managers = _managers(s, person)
        span = _span(request.start_date, request.end_date)
        for m in managers:
            text = (
                f"{person.full_name} asks to cancel their approved {request.leave_type} "
                f"leave {span} (ref {request.ref}): it starts in under "
                f"{SELF_CANCEL_NOTICE_DAYS} days. Reply 'cancel leave {request.ref}' to "
                "cancel it."
            )
            channel = Channel.SLACK if m.slack_user_id else Channel.SMS
            uow.notify(
                OutboundMessage(
                    person_id=m.id, channel=channel, kind="text", payload={"text": text}
                )
            )
        uow.audit(
            actor,
            "leave.cancel_requested",
            "leave_request",
            request.ref,
            after={"status": str(request.status), "sent_to": [m.full_name for m in managers]},
        )
        uow.commit()
    return CancelOutcome("sent", request=request, managers=tuple(m.full_name for m in managers))


def _span(start: date, end: date) -> str:
    def day(d: date) -> str:
        return f"{d:%a} {d.day} {d:%b}"

    return day(start) if start == end else f"{day(start)} to {day(end)}"


# ---- managers: who is away, when does someone work -----------------------------------------


@dataclass(frozen=True)
class AbsenceRow:
    name: str
    home: str | None
    kind: str  # "sick" / "leave"
    start_date: date
    end_date: date
    leave_type: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "home": self.home,
            "kind": self.kind,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "leave_type": self.leave_type,
        }


def absences(
    core: Core,
    scope: Scope,
    start: date,
    end: date,
    kind: str | None = None,
    home_id: int | None = None,
    *,
    home: str | None = None,
) -> list[AbsenceRow]:
    """Who is off sick (``kind="sick"``), on approved leave (``"leave"``) or either between
    two days, in the homes the manager may see (or the one asked about, by id or by ``home``
    name as chat names it). Health details are not included."""
    rows: list[AbsenceRow] = []
    with core.uow() as uow:
        s = uow.session
        if home is not None:
            home_id = find_home(s, home).id
        homes = scope.homes_to_query(home_id)  # NotAllowed for staff
        if kind in (None, "sick"):
            q = (
                select(SicknessAbsence, Person, Home)
                .join(Person, Person.id == SicknessAbsence.person_id)
                .outerjoin(Home, Home.id == Person.home_id)
                .where(SicknessAbsence.start_date <= end, SicknessAbsence.end_date >= start)
            )
            if homes is not None:
                q = q.where(Person.home_id.in_(homes))
            seen: dict[tuple[int, date, date], AbsenceRow] = {}
            for a, p, h in s.execute(q.order_by(SicknessAbsence.start_date, Person.full_name)):
                key = (p.id, a.start_date, a.end_date)
                seen.setdefault(
                    key,
                    AbsenceRow(
                        p.full_name, h.name if h else None, "sick", a.start_date, a.end_date
                    ),
                )
            rows.extend(seen.values())
        if kind in (None, "leave"):
            q2 = (
                select(LeaveRequest, Person, Home)
                .join(Person, Person.id == LeaveRequest.person_id)
                .outerjoin(Home, Home.id == Person.home_id)
                .where(
                    LeaveRequest.status == LeaveStatus.APPROVED,
                    LeaveRequest.start_date <= end,
                    LeaveRequest.end_date >= start,
                )
            )
            if homes is not None:
                q2 = q2.where(Person.home_id.in_(homes))
            for r, p, h in s.execute(q2.order_by(LeaveRequest.start_date, Person.full_name)):
                rows.append(
                    AbsenceRow(
                        p.full_name,
                        h.name if h else None,
                        "leave",
                        r.start_date,
                        r.end_date,
                        str(r.leave_type),
                    )
                )
    return rows


@dataclass(frozen=True)
class PersonShift:
    date: date
    shift_type: str
    home: str
    unit: str
    starts_at: Any
    ends_at: Any


@dataclass(frozen=True)
class PersonRota:
    name: str
    first_name: str
    shifts: list[PersonShift]
    away: list[AbsenceRow]


def person_rota(core: Core, scope: Scope, name: str, start: date, end: date) -> PersonRota:
    """A named colleague's shifts (and absences) between two days, for a manager of their
    home; staff may only ask about themselves."""
    with core.uow() as uow:
        s = uow.session
        person = _one_person(s, name)
        if person.id != scope.person_id:
            if not scope.is_manager:
                raise NotAllowed(
                    "Only managers can see a colleague's shifts; you can ask about your own."
                )
            if not scope.can_see_person(person):
                raise NotAllowed("You can only see the shifts of staff at your own home.")
        q = (
            select(Shift, Unit, Home)
            .join(Unit, Unit.id == Shift.unit_id)
            .join(Home, Home.id == Unit.home_id)
            .where(
                Shift.person_id == person.id,
                Shift.date >= start,
                Shift.date <= end,
                Shift.status == ShiftStatus.SCHEDULED,
            )
            .order_by(Shift.starts_at)
        )
        shifts = [
            PersonShift(sh.date, sh.shift_type_code, h.name, u.name, sh.starts_at, sh.ends_at)
            for sh, u, h in s.execute(q)
        ]
        away: list[AbsenceRow] = []
        for a in s.scalars(
            select(SicknessAbsence).where(
                SicknessAbsence.person_id == person.id,
                SicknessAbsence.start_date <= end,
                SicknessAbsence.end_date >= start,
            )
        ):
            away.append(AbsenceRow(person.full_name, None, "sick", a.start_date, a.end_date))
        for r in s.scalars(
            select(LeaveRequest).where(
                LeaveRequest.person_id == person.id,
                LeaveRequest.status == LeaveStatus.APPROVED,
                LeaveRequest.start_date <= end,
                LeaveRequest.end_date >= start,
            )
        ):
            away.append(
                AbsenceRow(
                    person.full_name, None, "leave", r.start_date, r.end_date, str(r.leave_type)
                )
            )
        return PersonRota(person.full_name, person.first_name, shifts, away)


def _one_person(session: Any, name: str) -> Person:
    wanted = name.strip().lower()
    people = list(
        session.scalars(
            select(Person).where(Person.active.is_(True), func.lower(Person.full_name) == wanted)
        )
    )
    if not people:
        people = list(
            session.scalars(
                select(Person).where(
                    Person.active.is_(True),
                    or_(
                        func.lower(Person.first_name) == wanted,
                        func.lower(Person.last_name) == wanted,
                    ),
                )
            )
        )
    if not people:
        raise NotFound(f"I can't find anyone called {name.strip()}.")
    if len(people) > 1:
        names = ", ".join(p.full_name for p in people[:5])
        raise NotFound(f"More than one person is called {name.strip()} ({names}): which one?")
    return people[0]


def person_names(core: Core) -> list[tuple[int, str, str, str]]:
    """(id, full name, first name, last name) of everyone active: for spotting a colleague
    named in a message."""
    with core.uow() as uow:
        return [
            (p.id, p.full_name, p.first_name, p.last_name)
            for p in uow.session.scalars(select(Person).where(Person.active.is_(True)))
        ]


def open_offers(core: Core, person_id: int) -> list[Any]:
    """The overtime offers this person can still answer (RequestSummary each), soonest first."""
    from core.models import CoverageRequest, Offer, OfferResponse, RequestStatus
    from core.overtime.records import request_summary

    with core.uow() as uow:
        s = uow.session
        ids = list(
            s.scalars(
                select(CoverageRequest.id)
                .join(Offer, Offer.request_id == CoverageRequest.id)
                .where(
                    Offer.person_id == person_id,
                    Offer.response == OfferResponse.SENT,
                    CoverageRequest.status == RequestStatus.PENDING,
                )
                .order_by(CoverageRequest.starts_at, Offer.id)
            )
        )
        return [request_summary(s, i) for i in ids]


def home_names(core: Core) -> list[str]:
    """Every home's name (so a home named in a message is not taken for a person)."""
    with core.uow() as uow:
        return list(uow.session.scalars(select(Home.name)))


# ---- overtime preferences, exactly as said ---------------------------------------------------


@dataclass(frozen=True)
class PreferencesAsSaid:
    """``shown``: nothing to change was said (``after`` is ``before``); ``refused``: the
    change would leave no overtime at all (nothing changed); ``changed``: applied (``after``
    may equal ``before`` when it changed nothing)."""

    outcome: str
    before: PreferenceView
    after: PreferenceView


def change_preferences_as_said(
    core: Core,
    person_id: int,
    actor: Actor,
    *,
    homes: Sequence[str] = (),
    maybe_homes: Sequence[str] = (),
    shift_types: Sequence[str] = (),
    day_kinds: Sequence[str] = (),
    said_shift_types: Sequence[str] = (),
    said_day_kinds: Sequence[str] = (),
    negated: bool = False,
    only: bool = False,
    opt_in: bool = False,
) -> PreferencesAsSaid:
    """Change a person's own overtime preferences as a message said them.

    ``homes`` are homes named for sure (an unknown one is NotFound); ``maybe_homes`` are
    phrases that may name a home (skipped when they do not). The shift types and day kinds
    are the ones stated; when no home, shift type or day kind was stated, the ones the words
    mention (``said_...``) are used. ``negated`` removes what was named, ``only`` makes it
    the whole list, otherwise it is added; a list covering everything becomes "any"; a
    change that would leave an empty list is refused. ``opt_in`` puts the person back on the
    overtime list."""
    from core.overtime import ChangePreferences, change_preferences, view_preferences

    with core.uow() as uow:
        s = uow.session
        before = view_preferences(s, person_id)
        home_ids = _home_ids(s, homes, maybe_homes)
        shifts, kinds = list(shift_types), list(day_kinds)
        if not (home_ids or shifts or kinds):  # "no nights for a while": the words themselves
            shifts, kinds = list(said_shift_types), list(said_day_kinds)
        if not (home_ids or shifts or kinds or opt_in):
            return PreferencesAsSaid("shown", before, before)
        all_homes = list(s.scalars(select(Home.id).order_by(Home.id)))
        all_types = list(s.scalars(select(ShiftType.code).order_by(ShiftType.start_time)))
        current_homes = (
            [h.id for h in s.scalars(select(Home)) if h.name in before.homes]
            if before.homes is not None
            else all_homes
        )
        current_types = before.shift_types if before.shift_types is not None else all_types
        current_kinds = before.day_kinds if before.day_kinds is not None else ["weekday", "weekend"]
        fields: dict[str, Any] = {}
        for key, named, cur, every in (
            ("home_ids", home_ids, current_homes, all_homes),
            ("shift_types", shifts, current_types, all_types),
            ("day_kinds", kinds, current_kinds, ["weekday", "weekend"]),
        ):
            if not named:
                continue
            if negated:
                left = [x for x in cur if x not in named]
                fields[key] = left if set(left) != set(every) else None
            elif only:
                fields[key] = list(named)
            else:
                merged = list(cur) + [x for x in named if x not in cur]
                fields[key] = None if set(merged) >= set(every) else merged
        if any(value == [] for value in fields.values()):
            return PreferencesAsSaid("refused", before, before)
        change = ChangePreferences(
            person_id, opted_in=True if opt_in else None, add=False, **fields
        )
        after = change_preferences(uow, change, actor)
        uow.commit()
    return PreferencesAsSaid("changed", before, after)


def _home_ids(session: Any, homes: Sequence[str], maybe_homes: Sequence[str]) -> list[int]:
    ids: list[int] = []
    for name in homes:
        hid = find_home(session, str(name)).id
        if hid not in ids:
            ids.append(hid)
    for phrase in maybe_homes:
        try:
            hid = find_home(session, phrase).id
        except NotFound:
            continue
        if hid not in ids:
            ids.append(hid)
    return ids
