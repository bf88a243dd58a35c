"""The read models behind every dashboard page and its JSON API.

Each function takes the viewer's Scope, checks it (core.dashboards.access) and returns plain,
JSON-ready data: the web layer renders the same dict as HTML or returns it as JSON. Nothing
here writes; overtime figures come from core.overtime's own ranking, fairness and history.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.dashboards.access import (
    require_home,
    require_person,
    require_request,
    visible_homes,
)
from core.dashboards.config import DashboardSettings
from core.dashboards.gaps import gaps_between
from core.errors import InvalidInput
from core.forecasting import forecast_for
from core.models import (
    CoverageRequest,
    Home,
    Offer,
    OfferResponse,
    OvertimePreference,
    Person,
    PersonKind,
    RequestStatus,
    Shift,
    ShiftKind,
    ShiftStatus,
    ShiftType,
    Unit,
)
from core.overtime import (
    OvertimeSettings,
    find_requests,
    overtime_fairness,
    overtime_profile,
    rank_shift,
    request_summary,
    shift_spec,
)
from core.overtime.ranking import LABELS
from core.permissions import Scope
from core.timeutil import local_instant

FAIRNESS_DAYS = (30, 365)  # the window the fairness page accepts, in days
OVER_FACTOR = 1.5  # flagged over-used at this many times the willing staff's mean hours
UNDER_FACTOR = 0.5  # flagged under-used at or below this share of the mean
FILL_WINDOWS = (30, 90)


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60, 1)


def viewer_json(scope: Scope, session: Session) -> dict[str, Any]:
    homes = visible_homes(session, scope) if scope.is_manager else []
    return {
        "person_id": scope.person_id,
        "name": scope.name,
        "kind": str(scope.kind),
        "homes": [{"id": h.id, "name": h.name} for h in homes],
        "all_homes": scope.is_manager and scope.home_ids is None,
    }


# ---- overview --------------------------------------------------------------------------------


def overview(
    session: Session,
    scope: Scope,
    now: datetime,
    today: date,
    zone: ZoneInfo,
    settings: DashboardSettings,
    home_id: int | None = None,
) -> dict[str, Any]:
    """One home (or every home the viewer manages): open outreach with its live state, gaps
    for the next 7 days, fill rate and time to fill, agency use and cost, and fairness."""
    if home_id is None and scope.home_ids is not None and len(scope.home_ids) == 1:
        home_id = next(iter(scope.home_ids))  # a manager of one home: that home's overview
    homes = visible_homes(session, scope, home_id)
    ids = frozenset(h.id for h in homes)
    names = {h.id: h.name for h in homes}
    by_name = {h.name: h.id for h in homes}
    end = today + timedelta(days=6)

    gaps = gaps_between(session, today, end, ids)
    per_day: Counter[date] = Counter()
    per_home: Counter[str] = Counter()
    for g in gaps:
        per_day[g.date] += g.short
        per_home[g.home] += g.short
    gap_rows = [dict(g.to_json(), home_id=by_name.get(g.home)) for g in gaps]

    outreach = []
    for r in sorted(
        find_requests(
            session,
            ids,
            day=today,
            end=today + timedelta(days=366),
            statuses=[str(RequestStatus.PENDING)],
            limit=100,
        ),
        key=lambda r: (r.starts_at, r.id),
    ):
        waiting = r.count(str(OfferResponse.SENT))
        outreach.append(
            {
                "id": r.id,
                "ref": r.ref,
                "home": r.home,
                "home_id": r.home_id,
                "unit": r.unit,
                "date": r.date.isoformat(),
                "shift_type": r.shift_type,
                "role": r.role,
                "wave": r.wave,
                "asked": len(r.offers),
                "waiting": waiting,
                "declined": r.count(str(OfferResponse.DECLINED)),
                "no_response": r.count(str(OfferResponse.NO_RESPONSE)),
                "next_wave_at": _iso(r.next_wave_at),
                "deadline_at": _iso(r.deadline_at),
                "open_minutes": _minutes(r.created_at, now),
                # waiting: answers outstanding; next_wave: more people to ask when it is due;
                # exhausted: nobody left to ask (the manager has been told)
                "state": "waiting" if waiting else "next_wave" if r.next_wave_at else "exhausted",
            }
        )

    fill = [_fill_stats(session, ids, now, days) for days in FILL_WINDOWS]
    agency = [_agency_use(session, ids, today, days, settings) for days in FILL_WINDOWS]
    fairness = overtime_fairness(session, today, 90, ids)
    responders = _top_responders(session, ids, now, 90)
    return {
        "scope": "home" if home_id is not None else "group",
        "homes": [{"id": h.id, "name": h.name} for h in homes],
        "home": names[home_id] if home_id is not None else None,
        "home_id": home_id,
        "today": today.isoformat(),
        "now": now.isoformat(),
        "open_outreach": outreach,
        "gaps": {
            "from": today.isoformat(),
            "to": end.isoformat(),
            "total": sum(per_day.values()),
            "by_day": [
                {"date": d.isoformat(), "short": per_day.get(d, 0)}
                for d in (today + timedelta(days=i) for i in range(7))
            ],
            "by_home": [
                {"home": h.name, "home_id": h.id, "short": per_home.get(h.name, 0)} for h in homes
            ],
            "rows": gap_rows,
        },
        "fill": fill,
        "agency": agency,
        "fairness": {
            "days": 90,
            "gini": round(fairness.gini, 3),
            "willing_staff": fairness.willing,
            "with_overtime": fairness.with_overtime,
            "total_hours": fairness.total_hours,
        },
        "top_responders": responders,
    }


def _fill_stats(
    session: Session, home_ids: frozenset[int], now: datetime, days: int
) -> dict[str, Any]:
    since = now - timedelta(days=days)
    rows = session.execute(
        select(CoverageRequest.status, CoverageRequest.created_at, CoverageRequest.filled_at).where(
            CoverageRequest.home_id.in_(home_ids),
            CoverageRequest.created_at >= since,
            CoverageRequest.created_at <= now,
        )
    ).all()
    status = Counter(str(s) for s, _, _ in rows)
    minutes = [(f - c).total_seconds() / 60 for s, c, f in rows if f is not None]
    # a request handed to an agency was not filled by staff: it counts against the fill rate
    decided = status.get("FILLED", 0) + status.get("UNFILLED", 0) + status.get("AGENCY", 0)
    return {
        "days": days,
        "requests": len(rows),
        "filled": status.get("FILLED", 0),
        "unfilled": status.get("UNFILLED", 0),
        "agency": status.get("AGENCY", 0),
        "cancelled": status.get("CANCELLED", 0),
        "pending": status.get("PENDING", 0),
        "fill_rate": round(status.get("FILLED", 0) / decided, 3) if decided else None,
        "median_minutes_to_fill": round(statistics.median(minutes), 1) if minutes else None,
    }


def _agency_use(
    session: Session, home_ids: frozenset[int], today: date, days: int, settings: DashboardSettings
) -> dict[str, Any]:
    start = today - timedelta(days=days)
    rows = session.execute(
        select(Shift.role_code, ShiftType.paid_hours, CoverageRequest.agency_cost)
        .join(ShiftType, ShiftType.code == Shift.shift_type_code)
        .join(Unit, Unit.id == Shift.unit_id)
        .outerjoin(CoverageRequest, CoverageRequest.id == Shift.coverage_request_id)
        .where(
            Unit.home_id.in_(home_ids),
            Shift.kind == ShiftKind.AGENCY,
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= start,
            Shift.date < today,
        )
    ).all()
    # the cost recorded with the booking (agency.book) where there is one; otherwise the
    # role's usual agency rate times the shift's hours
    totals: dict[str, list[float]] = {}
    for role, hours, recorded in rows:
        rate = settings.agency_rate(role)
        entry = totals.setdefault(role, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += float(hours or 0)
        entry[2] += float(recorded) if recorded is not None else float(hours or 0) * rate
    by_role: list[dict[str, Any]] = [
        {
            "role": role,
            "shifts": int(n),
            "hours": hours,
            "rate": settings.agency_rate(role),
            "cost": round(cost, 2),
        }
        for role, (n, hours, cost) in sorted(totals.items())
    ]
    return {
        "days": days,
        "shifts": sum(r["shifts"] for r in by_role),
        "hours": sum(r["hours"] for r in by_role),
        "cost": round(sum(r["cost"] for r in by_role), 2),
        "by_role": by_role,
        "currency": "GBP",
        "estimated": True,
    }


def _top_responders(
    session: Session, home_ids: frozenset[int], now: datetime, days: int, limit: int = 5
) -> list[dict[str, Any]]:
    """Staff of these homes who said yes most often in the window (faster first on ties)."""
    since = now - timedelta(days=days)
    window = (
        Person.home_id.in_(home_ids),
        Offer.contacted_at >= since,
        Offer.contacted_at <= now,
    )
    accepted = func.sum(case((Offer.response == OfferResponse.ACCEPTED, 1), else_=0))
    counts = session.execute(
        select(Offer.person_id, Person.full_name, func.count(), accepted)
        .join(Person, Person.id == Offer.person_id)
        .where(*window)
        .group_by(Offer.person_id, Person.full_name)
    ).all()
    ranked = sorted((int(a or 0), pid, name, int(n)) for pid, name, n, a in counts if a)
    ranked.reverse()
    if not ranked:
        return []
    # everyone tied with the last place shown, so the tie-break (reply speed) is fair
    cut = ranked[min(limit, len(ranked)) - 1][0]
    shortlist = {pid: (a, name, n) for a, pid, name, n in ranked if a >= cut}
    minutes: dict[int, list[float]] = defaultdict(list)
    for pid, contacted, responded in session.execute(
        select(Offer.person_id, Offer.contacted_at, Offer.responded_at)
        .join(Person, Person.id == Offer.person_id)
        .where(*window, Offer.person_id.in_(shortlist), Offer.responded_at.is_not(None))
    ):
        if responded is not None:
            minutes[pid].append((responded - contacted).total_seconds() / 60)
    out = [
        {
            "person_id": pid,
            "name": name,
            "offers": n,
            "accepted": a,
            "median_response_minutes": round(statistics.median(minutes[pid]), 1)
            if minutes[pid]
            else None,
        }
        for pid, (a, name, n) in shortlist.items()
    ]
    out.sort(key=lambda s: (-s["accepted"], s["median_response_minutes"] or 1e9, s["name"]))
    return out[:limit]


# ---- one overtime request and the live ranking ------------------------------------------------


def request_detail(session: Session, scope: Scope, request_id: int) -> dict[str, Any]:
    """An overtime request's live state: every offer, its answer and how long it took."""
    require_request(session, scope, request_id)
    summary = request_summary(session, request_id)
    data = summary.to_json()
    data["home_id"] = summary.home_id
    for offer, row in zip(summary.offers, data["offers"], strict=True):
        row["person_id"] = offer.person_id
        row["response_minutes"] = _minutes(offer.contacted_at, offer.responded_at)
    return data


def ranking(
    session: Session,
    scope: Scope,
    now: datetime,
    zone: ZoneInfo,
    settings: OvertimeSettings,
    home_id: int,
    day: date,
    shift_type: str,
    role: str,
    profile: str | None = None,
    request_id: int | None = None,
) -> dict[str, Any]:
    """Who would be asked for a shift, best first, each score broken down; and everyone of the
    role left out, with why. For an open request the people already asked are left out too."""
    if request_id is not None:
        req = require_request(session, scope, request_id)
        home_id, day, shift_type, role = req.home_id, req.date, req.shift_type_code, req.role_code
        profile = profile or req.profile
    else:
        require_home(session, scope, home_id)
    if profile is not None and profile not in ("balanced", "reliability"):
        raise InvalidInput("profile is balanced or reliability.")
    spec = shift_spec(session, zone, home_id, day, shift_type, role, request_id=request_id)
    result = rank_shift(session, spec, now, settings, zone, profile)
    homes = {h.id: h.name for h in session.scalars(select(Home))}
    home_of = (
        dict(
            session.execute(
                select(Person.id, Person.home_id).where(
                    Person.id.in_(
                        [c.person_id for c in result.eligible]
                        + [c.person_id for c in result.excluded]
                    )
                )
            ).all()
        )
        if (result.eligible or result.excluded)
        else {}
    )

    def can_open(pid: int) -> bool:
        h = home_of.get(pid)
        return pid == scope.person_id or (h is not None and scope.can_see_home(h))

    return {
        "home": spec.home_name,
        "home_id": spec.home_id,
        "date": spec.date.isoformat(),
        "shift_type": spec.shift_type,
        "role": spec.role,
        "request_id": request_id,
        "starts_at": spec.starts_at.isoformat(),
        "hours": spec.hours,
        "profile": result.profile,
        "weights": result.weights,
        "labels": {k: LABELS.get(k, k) for k in result.weights},
        "eligible": [
            {
                "rank": i + 1,
                "person_id": c.person_id,
                "name": c.name,
                "role": c.role,
                "home": c.home,
                "score": c.score,
                "can_open": can_open(c.person_id),
                "components": [
                    {
                        "name": comp.name,
                        "label": LABELS.get(comp.name, comp.name),
                        "points": round(comp.points, 1),
                        "weight": round(comp.weight, 1),
                        "why": comp.why,
                    }
                    for comp in c.components
                ],
            }
            for i, c in enumerate(result.eligible)
        ],
        "excluded": [
            {
                "person_id": c.person_id,
                "name": c.name,
                "home": homes.get(c.home_id or 0, ""),
                "can_open": can_open(c.person_id),
                "reasons": [{"code": r.code, "text": r.text} for r in c.reasons],
            }
            for c in result.excluded
        ],
        "exclusion_counts": dict(result.exclusion_counts().most_common()),
        "other_roles": result.other_roles,
        "elapsed_ms": round(result.elapsed_ms, 1),
    }


# ---- fairness --------------------------------------------------------------------------------


def fairness(
    session: Session,
    scope: Scope,
    now: datetime,
    today: date,
    zone: ZoneInfo,
    days: int = 90,
    home_id: int | None = None,
) -> dict[str, Any]:
    """Overtime hours and offers per willing member of staff over ``days`` (30-365), the Gini
    of the hours, and who is over- or under-used against the willing staff's mean."""
    if not FAIRNESS_DAYS[0] <= days <= FAIRNESS_DAYS[1]:
        raise InvalidInput(f"days is from {FAIRNESS_DAYS[0]} to {FAIRNESS_DAYS[1]}.")
    homes = visible_homes(session, scope, home_id)
    ids = frozenset(h.id for h in homes)
    report = overtime_fairness(session, today, days, ids)
    people = session.execute(
        select(Person.id, Person.full_name, Person.role_code, Home.name)
        .join(OvertimePreference, OvertimePreference.person_id == Person.id)
        .join(Home, Home.id == Person.home_id)
        .where(
            Person.kind == PersonKind.STAFF,
            Person.active.is_(True),
            OvertimePreference.opted_in.is_(True),
            Person.home_id.in_(ids),
        )
    ).all()
    since = local_instant(report.start, time(0), zone)
    offers: dict[int, Counter[str]] = defaultdict(Counter)
    for pid, response, n in session.execute(
        select(Offer.person_id, Offer.response, func.count())
        .join(Person, Person.id == Offer.person_id)
        .where(Person.home_id.in_(ids), Offer.contacted_at >= since, Offer.contacted_at <= now)
        .group_by(Offer.person_id, Offer.response)
    ):
        offers[pid][str(response)] += int(n)
    willing = len(people)
    mean_hours = report.total_hours / willing if willing else 0.0
    total_offers = sum(sum(offers[pid].values()) for pid, *_ in people)
    mean_offers = total_offers / willing if willing else 0.0
    rows: list[dict[str, Any]] = []
    for pid, name, role, home in people:
        hours = report.hours.get(name, 0.0)
        flag = None
        if mean_hours > 0 and hours >= OVER_FACTOR * mean_hours:
            flag = "over"
        elif mean_hours > 0 and hours <= UNDER_FACTOR * mean_hours:
            flag = "under"
        asked = offers[pid]
        rows.append(
            {
                "person_id": pid,
                "name": name,
                "role": role,
                "home": home,
                "hours": hours,
                "offers": sum(asked.values()),
                "accepted": asked.get(str(OfferResponse.ACCEPTED), 0),
                "declined": asked.get(str(OfferResponse.DECLINED), 0),
                "no_response": asked.get(str(OfferResponse.NO_RESPONSE), 0),
                "flag": flag,
            }
        )
    rows.sort(key=lambda r: (-r["hours"], -r["offers"], r["name"]))
    flags = Counter(r["flag"] for r in rows if r["flag"])
    return {
        "days": days,
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "home_id": home_id,
        "homes": [{"id": h.id, "name": h.name} for h in homes],
        "gini": round(report.gini, 3),
        "willing_staff": willing,
        "with_overtime": report.with_overtime,
        "total_hours": report.total_hours,
        "mean_hours": round(mean_hours, 1),
        "mean_offers": round(mean_offers, 1),
        "over_factor": OVER_FACTOR,
        "under_factor": UNDER_FACTOR,
        "over_used": flags.get("over", 0),
        "under_used": flags.get("under", 0),
        "people": rows,
    }


# ---- one person's overtime record ------------------------------------------------------------


def person_record(
    session: Session, scope: Scope, now: datetime, today: date, person_id: int, days: int = 90
) -> dict[str, Any]:
    """Offers (with answers and response times), hours by month and preferences."""
    if not 7 <= days <= 730:
        raise InvalidInput("days is from 7 to 730.")
    person = require_person(session, scope, person_id)
    profile = overtime_profile(session, person.id, now, today, days).to_json()
    start = today - timedelta(days=days)
    offers = []
    minutes: list[float] = []
    for o, req, home in session.execute(
        select(Offer, CoverageRequest, Home)
        .join(CoverageRequest, CoverageRequest.id == Offer.request_id)
        .join(Home, Home.id == CoverageRequest.home_id)
        .where(Offer.person_id == person.id, CoverageRequest.date >= start)
        .order_by(Offer.contacted_at.desc())
    ):
        took = _minutes(o.contacted_at, o.responded_at)
        if took is not None:
            minutes.append(took)
        offers.append(
            {
                "request_id": req.id,
                "ref": f"OT{req.id}",
                "date": req.date.isoformat(),
                "shift_type": req.shift_type_code,
                "role": req.role_code,
                "home": home.name,
                "home_id": home.id,
                "response": str(o.response),
                "contacted_at": _iso(o.contacted_at),
                "responded_at": _iso(o.responded_at),
                "response_minutes": took,
                "score": round(o.score, 1),
                "reason": o.reason,
                "wave": o.wave,
            }
        )
    first_month = date(today.year - 1, today.month, 1)
    months: dict[str, float] = {}
    m = first_month
    while m <= today:
        months[m.strftime("%Y-%m")] = 0.0
        m = date(m.year + (m.month // 12), m.month % 12 + 1, 1)
    for day, hours in session.execute(
        select(Shift.date, ShiftType.paid_hours)
        .join(ShiftType, ShiftType.code == Shift.shift_type_code)
        .where(
            Shift.person_id == person.id,
            Shift.kind == ShiftKind.OVERTIME,
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= first_month,
            Shift.date <= today,
        )
    ):
        key = day.strftime("%Y-%m")
        months[key] = months.get(key, 0.0) + float(hours)
    answers = Counter(o["response"] for o in offers)
    profile.update(
        {
            "person_id": person.id,
            "home_id": person.home_id,
            "kind": str(person.kind),
            "window_days": days,
            "window_from": start.isoformat(),
            "offers_in_window": offers,
            "answers_in_window": dict(answers),
            "median_response_minutes": round(statistics.median(minutes), 1) if minutes else None,
            "hours_by_month": [{"month": k, "hours": v} for k, v in months.items()],
        }
    )
    return profile


# ---- forecast per unit -----------------------------------------------------------------------


def forecast(
    session: Session,
    scope: Scope,
    today: date,
    home_id: int,
    days: int = 28,
    history_days: int = 56,
) -> dict[str, Any]:
    """Each unit's recent demand (shifts worked a day), its stored forecast with the 80% band,
    and the shifts rostered on the forecast days."""
    if not 1 <= days <= 90 or not 7 <= history_days <= 730:
        raise InvalidInput("days is from 1 to 90 and history_days from 7 to 730.")
    home = require_home(session, scope, home_id)
    units = list(session.scalars(select(Unit).where(Unit.home_id == home.id).order_by(Unit.id)))
    rows = forecast_for(session, {home.id}, today, today + timedelta(days=days - 1))
    history = recent_demand(session, [u.id for u in units], today, history_days)
    by_unit: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_unit[r.unit_id].append(r.to_json())
    out = []
    for u in units:
        past = [{"date": d.isoformat(), "shifts": n} for d, n in history.get(u.id, [])]
        out.append(
            {
                "unit_id": u.id,
                "unit": u.name,
                "kind": str(u.kind),
                "character": u.character,
                "history": past,
                "forecast": by_unit[u.id],
                "model_version": by_unit[u.id][0]["model_version"] if by_unit[u.id] else None,
            }
        )
    return {
        "home": home.name,
        "home_id": home.id,
        "from": today.isoformat(),
        "to": (today + timedelta(days=days - 1)).isoformat(),
        "history_days": history_days,
        "has_forecast": bool(rows),
        "units": out,
    }


def recent_demand(
    session: Session, unit_ids: list[int], until: date, days: int
) -> dict[int, list[tuple[date, int]]]:
    """The last ``days`` of ``core.forecasting.demand_history`` (shifts scheduled per unit and
    day before ``until``, no gaps, from the unit's first shift), reading only those days."""
    start = until - timedelta(days=days)
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    for unit_id, day, n in session.execute(
        select(Shift.unit_id, Shift.date, func.count())
        .where(
            Shift.unit_id.in_(unit_ids),
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= start,
            Shift.date < until,
        )
        .group_by(Shift.unit_id, Shift.date)
    ):
        counts[unit_id][day] = int(n)
    out: dict[int, list[tuple[date, int]]] = {}
    for unit_id in unit_ids:
        by_day = counts.get(unit_id, {})
        earlier = session.scalar(
            select(Shift.id)
            .where(
                Shift.unit_id == unit_id,
                Shift.status == ShiftStatus.SCHEDULED,
                Shift.date < start,
            )
            .limit(1)
        )
        first = start if earlier is not None else min(by_day, default=None)
        if first is None:
            out[unit_id] = []
            continue
        out[unit_id] = [
            (first + timedelta(days=i), by_day.get(first + timedelta(days=i), 0))
            for i in range((until - first).days)
        ]
    return out
