"""Who may open which dashboard: the core's permissions (core.permissions), asked page by page.

A manager sees their own home, the head of service every home, staff only their own record.
Every page and every API call goes through one of these checks; the web layer decides nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotAllowed, NotFound
from core.models import CoverageRequest, Home, Person
from core.permissions import Scope, scope_for


def viewer(session: Session, person_id: int) -> Scope:
    """The signed-in person's scope (NotAllowed when they can no longer sign in)."""
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise NotAllowed("This sign-in is no longer valid.")
    return scope_for(person)


def require_home(session: Session, scope: Scope, home_id: int) -> Home:
    """A home the viewer manages (or any home, for the head of service)."""
    if not scope.is_manager:
        raise NotAllowed("Home dashboards are for managers; you can see your own record.")
    home = session.get(Home, home_id)
    if home is None:
        raise NotFound("There is no such home.")
    if not scope.can_see_home(home.id):
        raise NotAllowed("You can only see your own home.")
    return home


def require_person(session: Session, scope: Scope, person_id: int) -> Person:
    """Someone the viewer may look at: themselves, or staff of a home they manage."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("There is no such person.")
    if not scope.can_see_person(person):
        raise NotAllowed(
            "You can only see your own record."
            if not scope.is_manager
            else "You can only see your own home's staff."
        )
    return person


def require_request(session: Session, scope: Scope, request_id: int) -> CoverageRequest:
    """An overtime request at a home the viewer manages."""
    if not scope.is_manager:  # before the look-up: staff learn nothing of what exists
        raise NotAllowed("Overtime requests are for managers; you can see your own record.")
    req = session.get(CoverageRequest, request_id)
    if req is None:
        raise NotFound("There is no such overtime request.")
    require_home(session, scope, req.home_id)
    return req


def visible_homes(session: Session, scope: Scope, home_id: int | None = None) -> list[Home]:
    """The homes a manager's page covers: the one asked for (if theirs) or all of theirs."""
    if home_id is not None:
        return [require_home(session, scope, home_id)]
    ids = scope.homes_to_query(None)
    homes = session.scalars(select(Home).order_by(Home.name))
    return [h for h in homes if ids is None or h.id in ids]
