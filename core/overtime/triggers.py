"""Outreach that starts by itself: sickness reports and rota gaps."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select

from core.errors import InvalidInput, NotFound
from core.models import (
    Channel,
    CoverageRequest,
    Home,
    OutboundMessage,
    Person,
    PersonKind,
    RequestStatus,
    Shift,
    ShiftStatus,
    SicknessAbsence,
    Unit,
)
from core.overtime.commands import ReportSickness, RequestCover, RequestSummary, SicknessResult
from core.overtime.config import settings_for
from core.overtime.records import request_summary
from core.overtime.request import open_request
from core.staffing import staffing_gaps
from core.uow import Actor

if TYPE_CHECKING:
    from core.app import Core

# ---- sickness and gaps ----------------------------------------------------------------

# Built once (bind parameters; cache keys kept): every sickness report runs these.
_PERSON_NAME = select(Person.id, Person.full_name).where(Person.id == bindparam("person_id"))
_SHIFTS = (
    select(Shift)
    .where(
        Shift.person_id == bindparam("person_id"),
        Shift.date >= bindparam("start"),
        Shift.date <= bindparam("end"),
        Shift.status == ShiftStatus.SCHEDULED,
    )
    .order_by(Shift.starts_at)
)
_SHIFTS_OF_TYPE = _SHIFTS.where(Shift.shift_type_code == bindparam("type"))


def report_sickness(core: Core, cmd: ReportSickness) -> SicknessResult:
    """Record a sickness absence against the person's rostered shift(s) on those dates and,
    per configuration, open a coverage request for each (first wave sent at once)."""
    settings = settings_for(core)
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        person = session.execute(_PERSON_NAME, {"person_id": cmd.person_id}).first()
        if person is None:
            raise NotFound("Unknown person.")
        actor = Actor(person.full_name, person.id)
        days = {"person_id": person.id, "start": cmd.start, "end": cmd.end}
        if cmd.shift_type:
            shifts = list(session.scalars(_SHIFTS_OF_TYPE, {**days, "type": cmd.shift_type}))
        else:
            shifts = list(session.scalars(_SHIFTS, days))
        reported = (
            set(
                session.scalars(
                    select(SicknessAbsence.shift_id).where(
                        SicknessAbsence.shift_id.in_([s.id for s in shifts])
                    )
                )
            )
            if shifts
            else set()
        )
        new_shifts = [s for s in shifts if s.id not in reported]
        result = SicknessResult([], [], already_reported=len(shifts) - len(new_shifts))
        if not shifts:
            absence = SicknessAbsence(
                person_id=person.id,
                start_date=cmd.start,
                end_date=cmd.end,
                shift_id=None,
                reason=cmd.reason,
                reported_at=now,
            )
            session.add(absence)
            session.flush()
            uow.audit(
                actor,
                "sickness.reported",
                "sickness_absence",
                absence.id,
                after={"start": cmd.start, "end": cmd.end, "shift_id": None},
            )
        for shift in new_shifts:
            absence = SicknessAbsence(
                person_id=person.id,
                start_date=shift.date,
                end_date=shift.date,
                shift_id=shift.id,
                reason=cmd.reason,
                reported_at=now,
            )
            session.add(absence)
            session.flush()
            uow.audit(
                actor,
                "sickness.reported",
                "sickness_absence",
                absence.id,
                after={
                    "date": shift.date,
                    "shift_id": shift.id,
                    "shift_type": shift.shift_type_code,
                },
            )
            unit = session.get(Unit, shift.unit_id)
            assert unit is not None
            result.shifts.append(
                {
                    "date": shift.date,
                    "shift_type": shift.shift_type_code,
                    "home": unit.home.name,
                    "unit": unit.name,
                    "starts_at": shift.starts_at,
                }
            )
            opened = None
            if settings.sickness_opens_request and shift.starts_at > now:
                opened = open_request(
                    uow,
                    RequestCover(
                        home_id=unit.home_id,
                        date=shift.date,
                        shift_type=shift.shift_type_code,
                        role=shift.role_code,
                        source="sickness",
                        unit_id=unit.id,
                        send=settings.sickness_send,
                    ),
                    Actor.system("sickness report"),
                    settings,
                    core.zone,
                )
            start, end = shift.starts_at.astimezone(core.zone), shift.ends_at.astimezone(core.zone)
            payload: dict[str, Any] = {
                "name": person.full_name,
                "role": shift.role_code,
                "shift_type": shift.shift_type_code,
                "date": shift.date.isoformat(),
                "day": f"{shift.date:%a} {shift.date.day} {shift.date:%b}",
                "times": f"{start:%H:%M}-{end:%H:%M}",
                "home": unit.home.name,
                "ref": None,
                "asked": 0,
            }
            if opened is not None and opened.request is not None:
                result.requests.append(opened.request)
                payload.update(
                    ref=opened.request.ref,
                    request_id=opened.request.id,
                    status=opened.request.status,
                    asked=len(opened.contacted),
                )
            # the home's manager hears either way (with the request, if one was opened)
            for manager in session.scalars(
                select(Person)
                .where(
                    Person.kind == PersonKind.MANAGER,
                    Person.home_id == unit.home_id,
                    Person.active.is_(True),
                )
                .order_by(Person.id)
            ):
                uow.notify(
                    OutboundMessage(
                        person_id=manager.id,
                        kind="ot.sickness",
                        payload=payload,
                        channel=Channel.SLACK if manager.slack_user_id else Channel.SMS,
                    )
                )
        uow.commit()
        result.requests = [request_summary(session, r.id) for r in result.requests]
        return result


def cover_gaps(
    core: Core,
    start: date,
    end: date,
    home_ids: frozenset[int] | None = None,
    send: bool = True,
    actor: Actor | None = None,
) -> list[RequestSummary]:
    """Open a coverage request for every rota gap from start to end that has none yet
    (the scheduler's daily gap job calls this). Returns the requests opened."""
    settings = settings_for(core)
    actor = actor or Actor.system("scheduler")
    opened: list[int] = []
    with core.uow() as uow:
        session = uow.session
        units = {(u.home_id, u.name): u.id for u in session.scalars(select(Unit))}
        homes = {h.name: h.id for h in session.scalars(select(Home))}
        for gap in staffing_gaps(session, start, end, home_ids):
            home_id = homes[gap.home]
            unit_id = units[(home_id, gap.unit)]
            pending = (
                session.scalar(
                    select(func.count(CoverageRequest.id)).where(
                        CoverageRequest.unit_id == unit_id,
                        CoverageRequest.date == gap.date,
                        CoverageRequest.shift_type_code == gap.shift_type,
                        CoverageRequest.role_code == gap.role,
                        CoverageRequest.status == RequestStatus.PENDING,
                    )
                )
                or 0
            )
            for _ in range(gap.short - pending):
                try:
                    result = open_request(
                        uow,
                        RequestCover(
                            home_id=home_id,
                            date=gap.date,
                            shift_type=gap.shift_type,
                            role=gap.role,
                            source="gap",
                            unit_id=unit_id,
                            send=send,
                        ),
                        actor,
                        settings,
                        core.zone,
                    )
                except InvalidInput:
                    break  # the shift has started: too late for outreach
                if result.request is not None:
                    opened.append(result.request.id)
        uow.commit()
        return [request_summary(session, rid) for rid in opened]
