"""What chat asks of overtime, as services: each opens its own unit of work (inside one
inbound message it joins the message's, so a text stays one transaction), makes every
permission decision, and returns plain typed values the handler words.

- ``cover_home(core, scope, home, own_home_id, what)``: the home a manager's cover request
  (or ranking, or agency booking) is for
- ``follow_requests(core, scope, RequestQuery(...))``: the requests a status question means
- ``pending_requests(core, scope, what)``: a manager's open requests (which one to cancel)
- ``fairness_for(core, scope, home, days)``: the fairness report for the homes asked about
- ``profile_for(core, scope, person_id, staff)``: one person's overtime record
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from core.directory import find_home, find_person
from core.errors import NotAllowed
from core.models import Home, Person, RequestStatus
from core.overtime.commands import RequestSummary
from core.overtime.config import settings_for
from core.overtime.records import find_requests, request_summary
from core.overtime.reports import (
    FairnessReport,
    OvertimeProfile,
    overtime_fairness,
    overtime_profile,
)
from core.permissions import Scope
from core.timeutil import local_date

if TYPE_CHECKING:
    from core.app import Core


@dataclass(frozen=True)
class HomeRef:
    id: int
    name: str


def cover_home(
    core: Core, scope: Scope, home: str | None, own_home_id: int | None, what: str
) -> HomeRef | None:
    """The home a manager means (``home`` as chat names it, else their own), or None when
    neither says which. Only managers, and only for homes they manage (``what``: the words
    of the refusal, e.g. "request overtime cover")."""
    scope.require_manager(what)
    with core.read() as uow:
        if home:
            found: Home | None = find_home(uow.session, home)
        elif own_home_id is not None:
            found = uow.session.get(Home, own_home_id)
        else:
            return None
        assert found is not None
        ref = HomeRef(found.id, found.name)
    if not scope.can_see_home(ref.id):
        raise NotAllowed(f"You can only {what} for your own home.")
    return ref


@dataclass(frozen=True)
class RequestQuery:
    """Which requests a status question means: one by reference, else those of a home (or
    every home the manager may see), narrowed by day(s) and shift type."""

    ref: int | None = None
    home: str | None = None
    start: date | None = None
    end: date | None = None
    shift_type: str | None = None


def follow_requests(core: Core, scope: Scope, query: RequestQuery) -> list[RequestSummary]:
    """The requests a manager asks about. Without a day or shift type: the open ones, or the
    five latest when none is open."""
    scope.require_manager("follow overtime requests")
    with core.read() as uow:
        session = uow.session
        if query.ref is not None:
            req = request_summary(session, query.ref)
            if not scope.can_see_home(req.home_id):
                raise NotAllowed("You can only see requests for your own home.")
            return [req]
        requested = find_home(session, query.home).id if query.home else None
        homes = scope.homes_to_query(requested)
        filtered = query.start is not None or bool(query.shift_type)
        found = find_requests(
            session,
            homes,
            query.start,
            query.end,
            query.shift_type,
            None if filtered else [RequestStatus.PENDING],
        )
        if not found and not filtered:
            found = find_requests(session, homes, limit=5)
        return found


def pending_requests(core: Core, scope: Scope, what: str) -> list[RequestSummary]:
    """A manager's open requests (their homes; the head of service: every home)."""
    scope.require_manager(what)
    with core.read() as uow:
        return find_requests(uow.session, scope.home_ids, statuses=[RequestStatus.PENDING])


def fairness_for(
    core: Core, scope: Scope, home: str | None = None, days: int | None = None
) -> FairnessReport:
    """How evenly overtime was shared over the last ``days`` (default: the setting) at the
    home asked about, or every home the manager may see (``all_homes``)."""
    days = int(days or settings_for(core).fairness_days)
    with core.read() as uow:
        requested = find_home(uow.session, home).id if home else None
        homes = scope.homes_to_query(requested)
        report = overtime_fairness(uow.session, core.today(), days, homes)
    return replace(report, all_homes=homes is None)


def profile_for(
    core: Core, scope: Scope, person_id: int, staff: str | None = None
) -> OvertimeProfile:
    """One person's overtime record: ``staff`` as chat names them, else the asker. Staff see
    their own; managers the people of their homes."""
    with core.read() as uow:
        session, now = uow.session, uow.now()
        person = find_person(session, staff) if staff else session.get(Person, person_id)
        assert person is not None
        if not scope.can_see_person(person):
            raise NotAllowed(
                "You can only see your own overtime record."
                if not scope.is_manager
                else "You can only see the overtime record of people in your home."
            )
        return overtime_profile(
            session, person.id, now, local_date(now, core.zone), settings_for(core).fairness_days
        )
