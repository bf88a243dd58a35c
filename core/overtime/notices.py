"""Who hears about a request and what every notification carries."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import (
    Channel,
    CoverageRequest,
    OutboundMessage,
    Person,
    PersonKind,
)
from core.overtime.commands import ref_of
from core.overtime.eligibility import ShiftSpec
from core.uow import UnitOfWork


def _shift_payload(
    req: CoverageRequest, spec: ShiftSpec, home: str, zone: ZoneInfo
) -> dict[str, Any]:
    start = spec.starts_at.astimezone(zone)
    end = spec.ends_at.astimezone(zone)
    deadline = req.deadline_at.astimezone(zone)
    return {
        "ref": ref_of(req.id),
        "request_id": req.id,
        "role": spec.role,
        "shift_type": spec.shift_type,
        "date": spec.date.isoformat(),
        "day": f"{spec.date:%a} {spec.date.day} {spec.date:%b}",
        "times": f"{start:%H:%M}-{end:%H:%M}",
        "home": home,
        "reply_by": f"{deadline:%a} {deadline:%H:%M}",
    }


def _managers(session: Session, req: CoverageRequest) -> list[Person]:
    """Who hears about this request: whoever asked (a manager or the head of service) and the
    home's own managers, each once."""
    people: list[Person] = []
    if req.created_by_id is not None:
        asker = session.get(Person, req.created_by_id)
        if asker is not None and asker.kind in (PersonKind.MANAGER, PersonKind.HEAD):
            people.append(asker)
    for manager in session.scalars(
        select(Person)
        .where(
            Person.kind == PersonKind.MANAGER,
            Person.home_id == req.home_id,
            Person.active.is_(True),
        )
        .order_by(Person.id)
    ):
        if all(p.id != manager.id for p in people):
            people.append(manager)
    return people


def _tell_managers(
    uow: UnitOfWork,
    req: CoverageRequest,
    kind: str,
    payload: dict[str, Any],
    channel_post: bool = True,
) -> None:
    for manager in _managers(uow.session, req):
        uow.notify(
            OutboundMessage(
                person_id=manager.id,
                kind=kind,
                payload=payload,
                channel=Channel.SLACK if manager.slack_user_id else Channel.SMS,
            )
        )
    if channel_post:
        uow.notify(
            OutboundMessage(
                home_channel_id=req.home_id, channel=Channel.SLACK, kind=kind, payload=payload
            )
        )
