"""Overtime history per person, derived from the offers and shifts tables in a few set-based
queries (never one query per person): acceptance, response speed, last contacted, overtime
worked. Nothing here is stored; the history *is* the offers and shifts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.models import CoverageRequest, Offer, OfferResponse, RequestStatus, ShiftType

RESOLVED = (OfferResponse.ACCEPTED, OfferResponse.DECLINED, OfferResponse.NO_RESPONSE)


@dataclass
class PersonHistory:
    offers: int = 0  # every offer ever made to them
    resolved: int = 0  # offers that ended ACCEPTED, DECLINED or NO_RESPONSE
    accepted: int = 0
    declined: int = 0
    no_response: int = 0
    answered: int = 0  # offers with a reply time (for speed)
    avg_response_s: float | None = None
    last_contacted: datetime | None = None
    offers_24h: int = 0
    offers_7d: int = 0
    asked_for_request: bool = False
    ot_shifts: int = 0  # overtime shifts ever worked
    ot_recent: int = 0  # ... in the recent window
    ot_hours_window: float = 0.0  # overtime hours in the fairness window
    ot_hours_total: float = 0.0
    last_ot: date | None = None

    @property
    def has_history(self) -> bool:
        return self.resolved > 0 or self.ot_shifts > 0

    def acceptance_raw(self) -> float | None:
        return self.accepted / self.resolved if self.resolved else None


def seconds_between(start: Any, end: Any, dialect: str) -> Any:
    """SQL for ``end - start`` in seconds, on SQLite and PostgreSQL."""
    if dialect == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _as_utc(value: Any) -> datetime | None:
    # aggregate results skip the column type, so SQLite hands back text
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def load_offer_history(
    session: Session,
    person_ids: Iterable[int],
    now: datetime,
    request_id: int | None = None,
    into: dict[int, PersonHistory] | None = None,
) -> dict[int, PersonHistory]:
    """Per person, in one grouped query: offers, acceptance, response speed, last contact,
    offers in the last 24 hours and 7 days (the caps), and whether asked for a request."""
    result = into if into is not None else {}
    ids = sorted(set(person_ids))
    if not ids:
        return result
    session.flush()  # read through the connection below: pending changes first
    dialect = session.get_bind().dialect.name
    r = Offer.response
    speed = seconds_between(Offer.contacted_at, Offer.responded_at, dialect)
    answered = r.in_((OfferResponse.ACCEPTED, OfferResponse.DECLINED)) & (
        Offer.responded_at.is_not(None)
    )
    columns = [
        Offer.person_id,
        func.count(),
        func.sum(case((r.in_(RESOLVED), 1), else_=0)),
        func.sum(case((r == OfferResponse.ACCEPTED, 1), else_=0)),
        func.sum(case((r == OfferResponse.DECLINED, 1), else_=0)),
        func.sum(case((r == OfferResponse.NO_RESPONSE, 1), else_=0)),
        func.sum(case((answered, 1), else_=0)),
        func.avg(case((answered, speed), else_=None)),
        func.max(Offer.contacted_at),
        func.sum(case((Offer.contacted_at > now - timedelta(hours=24), 1), else_=0)),
        func.sum(case((Offer.contacted_at > now - timedelta(days=7), 1), else_=0)),
        func.max(case((Offer.request_id == (request_id or -1), 1), else_=0)),
    ]
    for chunk in _chunks(ids):
        query = select(*columns).where(Offer.person_id.in_(chunk)).group_by(Offer.person_id)
        for row in session.connection().execute(query):
            h = result.setdefault(row[0], PersonHistory())
            h.offers, h.resolved, h.accepted, h.declined, h.no_response = (
                int(row[1]),
                int(row[2] or 0),
                int(row[3] or 0),
                int(row[4] or 0),
                int(row[5] or 0),
            )
            h.answered = int(row[6] or 0)
            h.avg_response_s = float(row[7]) if row[7] is not None else None
            h.last_contacted = _as_utc(row[8])
            h.offers_24h, h.offers_7d = int(row[9] or 0), int(row[10] or 0)
            h.asked_for_request = bool(row[11])
    return result


def load_overtime_worked(
    session: Session,
    person_ids: Iterable[int],
    today: date,
    recent_days: int,
    fairness_days: int,
    into: dict[int, PersonHistory] | None = None,
) -> dict[int, PersonHistory]:
    """Overtime worked (up to today): totals, recent count, hours in the window, last day.

    Read from the filled coverage requests (each fill made one overtime shift) rather than
    from the shifts table: the requests table is a few thousand rows, where each person's
    shifts are hundreds, and the ranking must stay well under 50 ms at full scale."""
    result = into if into is not None else {}
    ids = sorted(set(person_ids))
    if not ids:
        return result
    session.flush()
    recent_from = today - timedelta(days=recent_days)
    fair_from = today - timedelta(days=fairness_days)
    hours = ShiftType.paid_hours
    req = CoverageRequest
    columns = [
        req.filled_by_id,
        func.count(),
        func.sum(case((req.date >= recent_from, 1), else_=0)),
        func.sum(case((req.date >= fair_from, hours), else_=0.0)),
        func.sum(hours),
        func.max(req.date),
    ]
    for chunk in _chunks(ids):
        query = (
            select(*columns)
            .join(ShiftType, ShiftType.code == req.shift_type_code)
            .where(
                req.status == RequestStatus.FILLED, req.filled_by_id.in_(chunk), req.date <= today
            )
            .group_by(req.filled_by_id)
        )
        for row in session.connection().execute(query):
            h = result.setdefault(row[0], PersonHistory())
            h.ot_shifts, h.ot_recent = int(row[1]), int(row[2] or 0)
            h.ot_hours_window, h.ot_hours_total = float(row[3] or 0), float(row[4] or 0)
            last = row[5]
            h.last_ot = date.fromisoformat(last) if isinstance(last, str) else last
    return result


def load_history(
    session: Session,
    person_ids: Iterable[int],
    now: datetime,
    today: date,
    recent_days: int = 90,
    fairness_days: int = 90,
    request_id: int | None = None,
) -> dict[int, PersonHistory]:
    """Everything above for these people, in two queries."""
    ids = list(person_ids)
    result: dict[int, PersonHistory] = {pid: PersonHistory() for pid in ids}
    load_offer_history(session, ids, now, request_id, into=result)
    load_overtime_worked(session, ids, today, recent_days, fairness_days, into=result)
    return result
