"""Overtime history per person, derived from the offers and shifts tables in a few set-based
queries (never one query per person): acceptance, response speed, last contacted, overtime
worked. Nothing here is stored; the history *is* the offers and shifts."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Text, bindparam, case, func, select, type_coerce
from sqlalchemy.orm import Session

from core.models import CoverageRequest, Offer, OfferResponse, Person, RequestStatus, ShiftType

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
    caps: dict[int, PersonHistory] | None = None,
) -> dict[int, PersonHistory]:
    """Per person: offers, acceptance, response speed, last contact, offers in the last 24
    hours and 7 days (the caps), and whether asked for a request. ``caps``: the caps already
    read for these people (``load_offer_caps``), taken as they are instead of read again.

    In a few small grouped queries, each read from an index alone, rather than one query
    working out every figure for every offer: the answers per response from
    ``ix_offers_person_response``, the speed over the answered offers only, the last contact
    by one index seek per person, and the caps from the last week's offers only."""
    result = into if into is not None else {}
    ids = sorted(set(person_ids))
    if not ids:
        return result
    session.flush()  # read through the connection below: pending changes first
    by_response, speeds, last = _history_queries(session.get_bind().dialect.name)
    counted = {
        OfferResponse.ACCEPTED.value: "accepted",
        OfferResponse.DECLINED.value: "declined",
        OfferResponse.NO_RESPONSE.value: "no_response",
    }
    conn = session.connection()
    seen: set[int] = set()  # people with any offer: the only ones given a history here
    for chunk in _chunks(ids):
        for pid, response, n in conn.execute(by_response, {"ids": chunk}):
            h = result.get(pid)
            if h is None:
                h = result[pid] = PersonHistory()
            if pid not in seen:
                seen.add(pid)
                h.offers = h.resolved = h.accepted = h.declined = h.no_response = 0
                h.answered, h.avg_response_s, h.last_contacted = 0, None, None
                h.offers_24h = h.offers_7d = 0
                h.asked_for_request = False
            n = int(n)
            h.offers += n
            if response in counted:
                h.resolved += n
                setattr(h, counted[response], getattr(h, counted[response]) + n)
        for pid, n, avg in conn.execute(speeds, {"ids": chunk}):
            h = result[pid]
            h.answered = int(n or 0)
            h.avg_response_s = float(avg) if avg is not None else None
        for pid, contacted in conn.execute(last, {"ids": chunk}):
            if contacted is not None:
                result[pid].last_contacted = _as_utc(contacted)
    if caps is None:
        caps = load_offer_caps(session, ids, now, request_id)
    for pid in seen:
        if pid in caps:
            h, known = result[pid], caps[pid]
            h.offers_24h, h.offers_7d = known.offers_24h, known.offers_7d
            h.asked_for_request = known.asked_for_request
    return result


@functools.cache
def _history_queries(dialect: str) -> tuple[Any, Any, Any]:
    """load_offer_history's statements, built once per dialect (values bound at execution):
    the offers per response, the speed of the answered ones, and the last contact."""
    r = Offer.response
    ids: Any = bindparam("ids", expanding=True)
    speed = seconds_between(Offer.contacted_at, Offer.responded_at, dialect)
    answered = r.in_((OfferResponse.ACCEPTED, OfferResponse.DECLINED)) & (
        Offer.responded_at.is_not(None)
    )
    by_response = (
        select(Offer.person_id, type_coerce(r, Text), func.count())
        .where(Offer.person_id.in_(ids))
        .group_by(Offer.person_id, r)
    )
    speeds = (
        select(Offer.person_id, func.count(), func.avg(speed))
        .where(answered, Offer.person_id.in_(ids))
        .group_by(Offer.person_id)
    )
    contacted = (
        select(func.max(Offer.contacted_at))
        .where(Offer.person_id == Person.id)
        .correlate(Person)
        .scalar_subquery()
    )
    last = select(Person.id, contacted).where(Person.id.in_(ids))
    return by_response, speeds, last


@functools.cache
def _caps_queries() -> tuple[Any, Any]:
    since: Any = bindparam("week_ago")
    recent = (
        select(
            Offer.person_id,
            func.sum(case((Offer.contacted_at > bindparam("day_ago"), 1), else_=0)),
            func.count(),
        )
        .where(Offer.contacted_at > since, Offer.person_id.in_(bindparam("ids", expanding=True)))
        .group_by(Offer.person_id)
    )
    asked = select(Offer.person_id).where(Offer.request_id == bindparam("request_id"))
    return recent, asked


def load_offer_caps(
    session: Session,
    person_ids: Iterable[int],
    now: datetime,
    request_id: int | None = None,
) -> dict[int, PersonHistory]:
    """What the eligibility rules need of the offer history, and nothing else: offers in the
    last 24 hours and 7 days (the caps) and whether asked for a request. Only the last week's
    offers (and the request's) are read, so it stays small however long the history is;
    ``load_offer_history`` gives the same counts along with everything else."""
    result: dict[int, PersonHistory] = {}
    ids = sorted(set(person_ids))
    if not ids:
        return result
    session.flush()
    recent, asked = _caps_queries()
    window = {"day_ago": now - timedelta(hours=24), "week_ago": now - timedelta(days=7)}
    conn = session.connection()
    for chunk in _chunks(ids):
        for pid, day, week in conn.execute(recent, {**window, "ids": chunk}):
            h = result[pid] = PersonHistory()
            h.offers_24h, h.offers_7d = int(day or 0), int(week or 0)
    if request_id is not None:
        wanted = set(ids)
        for (pid,) in conn.execute(asked, {"request_id": request_id}):
            if pid in wanted:
                result.setdefault(pid, PersonHistory()).asked_for_request = True
    return result


@functools.cache
def _worked_query() -> Any:
    """load_overtime_worked's statement, built once (values bound at execution)."""
    hours = ShiftType.paid_hours
    req = CoverageRequest
    return (
        select(
            req.filled_by_id,
            func.count(),
            func.sum(case((req.date >= bindparam("recent_from"), 1), else_=0)),
            func.sum(case((req.date >= bindparam("fair_from"), hours), else_=0.0)),
            func.sum(hours),
            func.max(req.date),
        )
        .join(ShiftType, ShiftType.code == req.shift_type_code)
        .where(
            req.status == RequestStatus.FILLED,
            req.filled_by_id.in_(bindparam("ids", expanding=True)),
            req.date <= bindparam("today"),
        )
        .group_by(req.filled_by_id)
    )


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
    window = {
        "recent_from": today - timedelta(days=recent_days),
        "fair_from": today - timedelta(days=fairness_days),
        "today": today,
    }
    query = _worked_query()
    for chunk in _chunks(ids):
        for row in session.connection().execute(query, {**window, "ids": chunk}):
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
