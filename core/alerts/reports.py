"""What each alert says, as plain data (the bot renders the words): the daily gap report,
the forecast alert, training about to lapse and the weekly overtime and fairness summary.
Each reads inside the caller's transaction and returns a JSON-able payload."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.forecasting import forecast_for, unit_days_at_risk
from core.models import (
    CoverageRequest,
    Home,
    Offer,
    OfferResponse,
    Person,
    PersonKind,
    RequestStatus,
    TrainingRecord,
)
from core.overtime import agency_totals, find_requests, overtime_fairness
from core.staffing import staffing_gaps
from core.timeutil import local_instant

# ---- training ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingDue:
    """A member of staff's course whose latest certificate lapses on ``expires_on``."""

    name: str
    role: str | None
    home: str
    course: str
    expires_on: date

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["expires_on"] = self.expires_on.isoformat()
        return data


def training_expiring(
    session: Session, home_ids: Iterable[int] | None, start: date, end: date
) -> list[TrainingDue]:
    """Active staff (of these homes; None: all) whose mandatory training lapses from start to
    end inclusive, soonest first. Only each person's latest record of a course counts: a
    renewed certificate supersedes the old one."""
    latest = (
        select(
            TrainingRecord.person_id,
            TrainingRecord.course,
            func.max(TrainingRecord.expires_on).label("expires_on"),
        )
        .group_by(TrainingRecord.person_id, TrainingRecord.course)
        .subquery()
    )
    query = (
        select(Person.full_name, Person.role_code, Home.name, latest.c.course, latest.c.expires_on)
        .join(latest, latest.c.person_id == Person.id)
        .join(Home, Home.id == Person.home_id)
        .where(
            Person.active.is_(True),
            Person.kind == PersonKind.STAFF,
            latest.c.expires_on >= start,
            latest.c.expires_on <= end,
        )
        .order_by(latest.c.expires_on, Home.id, Person.full_name, latest.c.course)
    )
    if home_ids is not None:
        query = query.where(Person.home_id.in_(list(home_ids)))
    return [TrainingDue(n, r, h, c, e) for n, r, h, c, e in session.execute(query)]


def training_alert(session: Session, home_id: int, today: date, days: int) -> dict[str, Any] | None:
    """Training at this home lapsing within ``days`` (today included); None if nothing."""
    home = session.get(Home, home_id)
    until = today + timedelta(days=days)
    items = training_expiring(session, {home_id}, today, until)
    if home is None or not items:
        return None
    return {
        "home": home.name,
        "days": days,
        "from": today.isoformat(),
        "until": until.isoformat(),
        "items": [i.to_json() for i in items],
    }


# ---- daily gap report --------------------------------------------------------------------


def open_outreach(session: Session, home_id: int, today: date) -> list[dict[str, Any]]:
    """Overtime requests still looking for someone, for shifts from today on."""
    requests = find_requests(
        session,
        frozenset({home_id}),
        day=today,
        end=today + timedelta(days=366),
        statuses=[str(RequestStatus.PENDING)],
        limit=50,
    )
    return [
        {
            "ref": r.ref,
            "date": r.date.isoformat(),
            "shift_type": r.shift_type,
            "role": r.role,
            "unit": r.unit,
            "asked": len(r.offers),
            "declined": r.count(str(OfferResponse.DECLINED)),
            "wave": r.wave,
        }
        for r in sorted(requests, key=lambda r: (r.date, r.starts_at, r.id))
    ]


def daily_gap_report(session: Session, home_id: int, today: date) -> dict[str, Any]:
    """Gaps at one home today and tomorrow, and its open overtime outreach."""
    home = session.get(Home, home_id)
    if home is None:
        raise ValueError(f"no home {home_id}")
    tomorrow = today + timedelta(days=1)
    rows = staffing_gaps(session, today, tomorrow, frozenset({home_id}))
    return {
        "home": home.name,
        "date": today.isoformat(),
        "today": [r.to_json() for r in rows if r.date == today],
        "tomorrow": [r.to_json() for r in rows if r.date == tomorrow],
        "outreach": open_outreach(session, home_id, today),
    }


# ---- forecast alert ----------------------------------------------------------------------


def forecast_alert(
    session: Session, home_id: int, start: date, end: date, threshold: float
) -> tuple[dict[str, Any] | None, bool]:
    """Unit-days from start to end at risk by the one forecast-risk rule
    (``core.forecasting.unit_days_at_risk``: the point prediction exceeds the shifts rostered
    by at least ``threshold``, rota published): (payload or None, whether any forecast is
    stored). Chat calls the same days at risk."""
    rows = forecast_for(session, {home_id}, start, end)
    if not rows:
        return None, False
    flagged = unit_days_at_risk(rows, threshold)
    if not flagged:
        return None, True
    home = session.get(Home, home_id)
    return {
        "home": home.name if home else rows[0].home,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "threshold": threshold,
        "days": [r.to_json() for r in flagged],
        "expected_short": round(sum(r.expected_short for r in flagged), 1),
        "days_at_risk": len({r.date for r in flagged}),
    }, True


# ---- weekly overtime and fairness summary ------------------------------------------------


def weekly_summary(session: Session, start: date, end: date, zone: ZoneInfo) -> dict[str, Any]:
    """The week from start to end (local days) for every home: overtime requests opened in
    it and how they ended, offers and answers, time to fill, fairness over the 90 days to
    ``end``, and the gaps in the seven days after ``end``."""
    homes = {h.id: h.name for h in session.scalars(select(Home).order_by(Home.id))}
    opened = list(
        session.scalars(
            select(CoverageRequest).where(
                CoverageRequest.created_at >= local_instant(start, time(0), zone),
                CoverageRequest.created_at < local_instant(end + timedelta(days=1), time(0), zone),
            )
        )
    )
    status = Counter(str(r.status) for r in opened)
    by_home: dict[str, Counter[str]] = defaultdict(Counter)
    for r in opened:
        by_home[homes.get(r.home_id, "?")][str(r.status)] += 1
    fill_minutes = [
        (r.filled_at - r.created_at).total_seconds() / 60 for r in opened if r.filled_at is not None
    ]
    responses: Counter[str] = Counter()
    if opened:
        responses.update(
            str(resp)
            for resp in session.scalars(
                select(Offer.response).where(Offer.request_id.in_([r.id for r in opened]))
            )
        )
    fairness = overtime_fairness(session, end, 90)
    first = end + timedelta(days=1)
    gaps_by_home: Counter[str] = Counter()
    for g in staffing_gaps(session, first, first + timedelta(days=6)):
        gaps_by_home[g.home] += g.short
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "requests": {
            "opened": len(opened),
            "filled": status.get("FILLED", 0),
            "unfilled": status.get("UNFILLED", 0),
            "cancelled": status.get("CANCELLED", 0),
            "pending": status.get("PENDING", 0),
            "agency": status.get("AGENCY", 0),
        },
        # agency shifts booked for shifts in the week, and what they cost
        "agency": agency_totals(session, start, end).to_json(),
        "by_home": {h: dict(c) for h, c in sorted(by_home.items())},
        "median_fill_minutes": round(statistics.median(fill_minutes), 1) if fill_minutes else None,
        "offers": sum(responses.values()),
        "accepted": responses.get("ACCEPTED", 0),
        "declined": responses.get("DECLINED", 0),
        "no_response": responses.get("NO_RESPONSE", 0),
        "fairness": fairness.to_json(),
        "gaps_next_week": {
            "from": first.isoformat(),
            "to": (first + timedelta(days=6)).isoformat(),
            "total": sum(gaps_by_home.values()),
            "by_home": dict(sorted(gaps_by_home.items())),
        },
    }
