"""What a person needs at a glance (the Slack App Home tab draws it): who they are and which
homes they see, their next shifts, and for a manager today's and tomorrow's gaps and the
outreach still looking for someone. Each query opens its own read unit of work and returns
plain values; the permission rules are ``core.permissions``'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from core.directory import person_by_slack
from core.models import Home
from core.permissions import Scope, scope_for

if TYPE_CHECKING:
    from core.app import Core


@dataclass(frozen=True)
class Viewer:
    """A linked, active person looking: their scope and the names of the homes it covers
    (None: every home)."""

    person_id: int
    first_name: str
    scope: Scope
    home_names: tuple[str, ...] | None


@dataclass(frozen=True)
class ShiftAhead:
    date: date
    shift_type: str
    home: str
    unit: str


def viewer_by_slack(core: Core, slack_user_id: str) -> Viewer | None:
    """The active person this Slack account is linked to, or None."""
    with core.read() as uow:
        person = person_by_slack(uow.session, slack_user_id)
        if person is None or not person.active:
            return None
        scope = scope_for(person)
        homes = (
            None
            if scope.home_ids is None
            else tuple(
                h.name for h in (uow.session.get(Home, i) for i in sorted(scope.home_ids)) if h
            )
        )
        return Viewer(person.id, person.first_name, scope, homes)


def shifts_ahead(
    core: Core, person_id: int, today: date, days: int = 14, limit: int = 7
) -> list[ShiftAhead]:
    """The person's next scheduled shifts from ``today`` over ``days`` days, at most ``limit``."""
    from core.staffing import shifts_for_person

    with core.read() as uow:
        shifts = shifts_for_person(uow.session, person_id, today, today + timedelta(days=days - 1))
        return [
            ShiftAhead(s.date, s.shift_type_code, s.unit.home.name, s.unit.name) for s in shifts
        ][:limit]


def gaps_on(core: Core, scope: Scope, days: list[date]) -> dict[date, list[dict[str, Any]]]:
    """Each day's gaps (``core.staffing.staffing_gaps`` rows as JSON) in the homes the
    scope covers."""
    from core.staffing import staffing_gaps

    with core.read() as uow:
        return {
            day: [r.to_json() for r in staffing_gaps(uow.session, day, day, scope.home_ids)]
            for day in days
        }


def outreach_waiting(core: Core, scope: Scope) -> list[dict[str, Any]]:
    """Overtime requests in the scope's homes still waiting for answers (as JSON, with their
    offers)."""
    from core.models import RequestStatus
    from core.overtime import find_requests

    with core.read() as uow:
        return [
            r.to_json()
            for r in find_requests(uow.session, scope.home_ids, statuses=[RequestStatus.PENDING])
        ]
