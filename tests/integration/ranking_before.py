"""The ranking as it was before issue 19 (commit c299dea), frozen: the oracle the faster
ranking is compared with (tests/integration/test_ranking_same.py) and the "before" that
bench/ranking_bench.py --before times in the same run.

The reading of the pool, every rule, the history aggregates and the scoring are copied; the
data classes and the small text helpers are shared with core/overtime, which did not
change them. Delete this module, and the comparison, when
the ranking is meant to change.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Text, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from core.models import (
    Channel,
    CoverageRequest,
    Home,
    LeaveRequest,
    LeaveStatus,
    Offer,
    OfferResponse,
    OvertimePreference,
    Person,
    PersonKind,
    RequestStatus,
    Shift,
    ShiftStatus,
    ShiftType,
    SicknessAbsence,
    TrainingRecord,
)
from core.overtime.config import OvertimeSettings
from core.overtime.eligibility import (
    SHIFT_WORDS,
    Candidate,
    ShiftSpec,
    _article,
    _day_kind_text,
    _hours_text,
    _json_list,
    _reach,
)
from core.overtime.history import RESOLVED, PersonHistory, _as_utc, _chunks, seconds_between
from core.overtime.ranking import Component, RankedCandidate, Ranking
from core.timeutil import daterange, local_date


def fingerprint(ranking: Ranking) -> bytes:
    """Every part of a ranking anyone sees, as bytes: the same bytes, the same ranking."""
    parts: list[object] = [ranking.profile, ranking.other_roles, ranking.prior, ranking.weights]
    for c in ranking.eligible:
        parts.append(
            (
                c.person_id,
                c.name,
                c.role,
                c.home,
                c.score,
                str(c.channel),
                c.quiet_start,
                c.quiet_end,
                c.acceptance,
                c.shift_cost,
                [(k.name, k.weight, k.value, k.why) for k in c.components],
                c.explained(),
                c.to_json(),
                c.history,
            )
        )
    for x in ranking.excluded:
        parts.append(
            (
                x.person_id,
                x.name,
                x.role,
                x.home_id,
                str(x.channel),
                x.quiet_start,
                x.quiet_end,
                x.pref_home_ids,
                x.hours_7d,
                [(r.code, r.text) for r in x.reasons],
            )
        )
    return repr(parts).encode()


def evaluate_before(
    session: Session,
    spec: ShiftSpec,
    now: datetime,
    settings: OvertimeSettings,
    zone: ZoneInfo,
    person_ids: list[int] | None = None,
    homes: dict[int, str] | None = None,
    with_other_roles: bool = True,
) -> list[Candidate]:
    """Every active member of staff (or those given) measured against the shift.

    Cheap rules (role, preferences, notice) run for everyone; the rules that need shifts,
    absences and offers run only for people who passed them, in one query each."""
    # bulk reads below go through the connection (no ORM row overhead, and no autoflush)
    session.flush()
    if homes is None:
        homes = {h.id: h.name for h in session.scalars(select(Home))}
    # the JSON lists come back as text and are parsed here: most are "null" (any), and the
    # generic JSON result processing was a third of the ranking's time at full scale
    query = (
        select(
            Person.id,
            Person.full_name,
            Person.role_code,
            Person.home_id,
            Person.slack_user_id,
            Person.sms_opted_out_at,
            OvertimePreference.opted_in,
            type_coerce(OvertimePreference.home_ids, Text),
            type_coerce(OvertimePreference.shift_types, Text),
            type_coerce(OvertimePreference.day_kinds, Text),
            OvertimePreference.channel,
            OvertimePreference.quiet_start,
            OvertimePreference.quiet_end,
        )
        .outerjoin(OvertimePreference, OvertimePreference.person_id == Person.id)
        .where(Person.kind == PersonKind.STAFF, Person.active.is_(True))
        .order_by(Person.id)
    )
    if person_ids is not None:
        query = query.where(Person.id.in_(person_ids))
    elif not with_other_roles:
        # other roles are only counted: skip reading their preferences
        query = query.where(Person.role_code == spec.role)
    short_notice = spec.starts_at - now < timedelta(hours=settings.min_notice_hours)
    started = spec.starts_at <= now
    home_texts: dict[tuple[int, ...], str] = {}
    candidates: list[Candidate] = []
    for (
        pid,
        name,
        role,
        home_id,
        slack_id,
        sms_out,
        opted,
        raw_homes,
        raw_types,
        raw_days,
        pref_channel,
        q_start,
        q_end,
    ) in session.connection().execute(query):
        pref_homes: tuple[int, ...] | None = _json_list(raw_homes)
        pref_types: tuple[str, ...] | None = _json_list(raw_types)
        pref_days: tuple[str, ...] | None = _json_list(raw_days)
        channel = _reach(pref_channel, slack_id, sms_out)
        c = Candidate(
            pid,
            name,
            role,
            home_id,
            channel or Channel.SMS,
            q_start or "22:00",
            q_end or "07:00",
            pref_homes,
        )
        candidates.append(c)
        if role != spec.role:
            c.exclude(
                "role",
                f"is {_article(role)} {role or 'non-clinical'}, not "
                f"{_article(spec.role)} {spec.role}",
            )
            continue
        if not opted:
            c.exclude("opted_out", "has opted out of overtime")
        elif channel is None:
            c.exclude("unreachable", "has stopped texts and has no Slack")
        if pref_homes is not None and spec.home_id not in pref_homes:
            if pref_homes not in home_texts:
                home_texts[pref_homes] = "only does overtime at " + ", ".join(
                    homes.get(h, "?") for h in pref_homes
                )
            c.exclude("home", home_texts[pref_homes])
        if pref_types is not None and spec.shift_type not in pref_types:
            c.exclude(
                "shift_type", "only does " + ", ".join(SHIFT_WORDS.get(t, t) for t in pref_types)
            )
        if pref_days is not None and spec.day_kind not in pref_days:
            c.exclude("day_kind", _day_kind_text(pref_days))
        if started:
            c.exclude("notice", "the shift has already started")
        elif short_notice:
            left = (spec.starts_at - now).total_seconds() / 3600
            c.exclude(
                "notice",
                f"the shift starts in {left:.1f}h; minimum notice is "
                f"{_hours_text(settings.min_notice_hours)}",
            )
    mandatory = sorted(
        set(settings.mandatory_training.get(spec.role, []))
        | set(settings.mandatory_training.get("*", []))
    )
    if mandatory:
        _training_rule(session, spec, mandatory, [c for c in candidates if c.role == spec.role])
    _time_rules(session, spec, now, settings, zone, [c for c in candidates if c.eligible])
    return candidates


def _training_rule(
    session: Session, spec: ShiftSpec, courses: list[str], candidates: list[Candidate]
) -> None:
    """Mandatory training for the role lapsed by the shift's day excludes (the latest record
    of each course counts: a renewal supersedes the old certificate)."""
    by_id = {c.person_id: c for c in candidates}
    if not by_id:
        return
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.connection().execute(
            select(
                TrainingRecord.person_id, TrainingRecord.course, func.max(TrainingRecord.expires_on)
            )
            .where(TrainingRecord.person_id.in_(chunk), TrainingRecord.course.in_(courses))
            .group_by(TrainingRecord.person_id, TrainingRecord.course)
        )
        for pid, course, expires in rows:
            if expires is not None and expires < spec.date:
                by_id[pid].exclude(
                    "training", f"has {course} training that lapsed on {expires:%d %b %Y}"
                )


def _time_rules(
    session: Session,
    spec: ShiftSpec,
    now: datetime,
    settings: OvertimeSettings,
    zone: ZoneInfo,
    pool: list[Candidate],
) -> None:
    """Leave, sickness, overlap, rest, weekly hours, already asked and the offer caps."""
    if not pool:
        return
    ids = [c.person_id for c in pool]
    first_day, last_day = spec.date, local_date(spec.ends_at - timedelta(seconds=1), zone)
    on_leave, sick = _absences(session, ids, first_day, last_day)
    week = timedelta(days=7)
    rest = timedelta(hours=settings.min_rest_hours)
    shifts: dict[int, list[tuple[datetime, datetime, float, str, date]]] = defaultdict(list)
    shift_query = (
        select(
            Shift.person_id,
            Shift.starts_at,
            Shift.ends_at,
            ShiftType.paid_hours,
            Shift.shift_type_code,
            Shift.date,
        )
        .join(ShiftType, ShiftType.code == Shift.shift_type_code)
        .where(
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.starts_at < spec.ends_at + week,
            # no shift lasts a day: this lower bound lets the index do the work
            Shift.starts_at > spec.starts_at - week - timedelta(days=1),
            Shift.ends_at > spec.starts_at - week,
        )
    )
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        for pid, s, e, hours, code, day in session.connection().execute(
            shift_query.where(Shift.person_id.in_(chunk))
        ):
            if pid is not None:  # the IN filter leaves out open shifts; mypy cannot see it
                shifts[pid].append((s, e, hours, code, day))
    history = load_offer_history(session, ids, now, spec.request_id)
    for c in pool:
        c.history = history.get(c.person_id, PersonHistory())
        pid = c.person_id
        if pid in on_leave:
            c.exclude("on_leave", "is on approved leave")
        if pid in sick:
            c.exclude("sick", "is off sick")
        theirs = shifts.get(pid, [])
        for s, e, _hours, code, day in theirs:
            if s < spec.ends_at and e > spec.starts_at:
                c.exclude(
                    "overlap",
                    f"is already working the {code.replace('_', ' ')} on "
                    f"{day:%a} {day.day} {day:%b}",
                )
                break
        else:
            for s, e, _hours, code, day in theirs:
                gap_before = spec.starts_at - e
                gap_after = s - spec.ends_at
                if timedelta(0) <= gap_before < rest or timedelta(0) <= gap_after < rest:
                    gap = gap_before if gap_before >= timedelta(0) else gap_after
                    when = "after" if gap_before >= timedelta(0) else "before"
                    c.exclude(
                        "rest",
                        f"would have only {gap.total_seconds() / 3600:.1f}h rest "
                        f"{when} their {code.replace('_', ' ')} on "
                        f"{day:%a} {day.day} {day:%b} (minimum "
                        f"{_hours_text(settings.min_rest_hours)})",
                    )
                    break
        c.hours_7d = max_hours_in_week(spec, [(s, h) for s, _e, h, _c, _d in theirs])
        if c.hours_7d + spec.hours > settings.max_hours_7d:
            c.exclude(
                "max_hours",
                f"would work {c.hours_7d + spec.hours:g}h in 7 days "
                f"(maximum {_hours_text(settings.max_hours_7d)})",
            )
        h = c.history
        if h.asked_for_request:
            c.exclude("already_asked", "has already been asked for this shift")
        if h.offers_24h >= settings.max_offers_per_day:
            c.exclude(
                "daily_cap",
                f"has had {h.offers_24h} offers in the last 24 hours "
                f"(limit {settings.max_offers_per_day})",
            )
        elif h.offers_7d >= settings.max_offers_per_week:
            c.exclude(
                "weekly_cap",
                f"has had {h.offers_7d} offers in the last 7 days "
                f"(limit {settings.max_offers_per_week})",
            )


def max_hours_in_week(spec: ShiftSpec, others: list[tuple[datetime, float]]) -> float:
    """The most hours (by shift start) already worked in any 7-day window that also holds
    this shift. Windows start at a shift's start, which is where a maximum is reached."""
    week = timedelta(days=7)
    starts = [spec.starts_at] + [
        s for s, _ in others if spec.starts_at - week < s <= spec.starts_at
    ]
    best = 0.0
    for w in starts:
        best = max(best, sum(h for s, h in others if w <= s < w + week and s != spec.starts_at))
    return best


def _absences(
    session: Session, ids: list[int], first: date, last: date
) -> tuple[set[int], set[int]]:
    on_leave: set[int] = set()
    sick: set[int] = set()
    days = set(daterange(first, last))
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        for pid, s, e in session.connection().execute(
            select(LeaveRequest.person_id, LeaveRequest.start_date, LeaveRequest.end_date).where(
                LeaveRequest.status == LeaveStatus.APPROVED,
                LeaveRequest.start_date <= last,
                LeaveRequest.end_date >= first,
                LeaveRequest.person_id.in_(chunk),
            )
        ):
            if days & set(daterange(max(s, first), min(e, last))):
                on_leave.add(pid)
        for pid, _s, _e in session.connection().execute(
            select(
                SicknessAbsence.person_id, SicknessAbsence.start_date, SicknessAbsence.end_date
            ).where(
                SicknessAbsence.start_date <= last,
                SicknessAbsence.end_date >= first,
                SicknessAbsence.person_id.in_(chunk),
            )
        ):
            sick.add(pid)
    return on_leave, sick


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


def rank_shift_before(
    session: Session,
    spec: ShiftSpec,
    now: datetime,
    settings: OvertimeSettings,
    zone: ZoneInfo,
    profile: str | None = None,
) -> Ranking:
    """Eligibility for everyone, then scores for the eligible, best first."""
    started = time.perf_counter()
    name = profile or settings.profile
    weights = settings.weights(name)
    if settings.cost_weight > 0:
        weights = {**weights, "cost": settings.cost_weight}
    homes = {h.id: h.name for h in session.scalars(select(Home))}
    candidates = evaluate_before(
        session, spec, now, settings, zone, homes=homes, with_other_roles=False
    )
    eligible = [c for c in candidates if c.eligible]
    excluded = [c for c in candidates if not c.eligible]
    other_roles = (
        session.scalar(
            select(func.count(Person.id)).where(
                Person.kind == PersonKind.STAFF,
                Person.active.is_(True),
                or_(Person.role_code.is_(None), Person.role_code != spec.role),
            )
        )
        or 0
    )
    today = local_date(now, zone)
    by_person = {c.person_id: c.history for c in eligible}
    load_overtime_worked(
        session, by_person, today, settings.recent_days, settings.fairness_days, into=by_person
    )
    rates = (
        dict(
            session.execute(
                select(Person.id, Person.hourly_rate).where(
                    Person.id.in_([c.person_id for c in eligible])
                )
            ).all()
        )
        if eligible
        else {}
    )
    ranked, prior = score_candidates(eligible, spec, now, settings, weights, homes, rates)
    elapsed = (time.perf_counter() - started) * 1000
    return Ranking(spec, name, weights, ranked, excluded, other_roles, elapsed, prior)


def _clip(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def score_candidates(
    eligible: list[Candidate],
    spec: ShiftSpec,
    now: datetime,
    settings: OvertimeSettings,
    weights: dict[str, float],
    homes: dict[int, str],
    rates: dict[int, float] | None = None,
) -> tuple[list[RankedCandidate], float]:
    histories = [c.history for c in eligible]
    resolved = sum(h.resolved for h in histories)
    prior = _clip(sum(h.accepted for h in histories) / resolved) if resolved else 0.5
    prior = min(0.85, max(0.15, prior))
    known = [h for h in histories if h.has_history]
    mean_recent = _mean([_recent(h) for h in known], 0.3)
    mean_exp = _mean([_experience(h) for h in known], 0.3)
    speeds = [_speed(h) for h in known if h.avg_response_s is not None]
    mean_speed = _mean(speeds, 0.5)
    most_hours = max((h.ot_hours_window for h in histories), default=0.0)
    k = settings.prior_strength
    room = max(1.0, settings.max_hours_7d - spec.hours)
    total_weight = sum(weights.values())
    ranked: list[RankedCandidate] = []
    for c in eligible:
        h = c.history
        values: dict[str, tuple[float, str]] = {}
        acceptance = (h.accepted + k * prior) / (h.resolved + k)
        values["acceptance_rate"] = (
            acceptance,
            (
                f"{h.accepted}/{h.resolved} offers accepted"
                if h.resolved
                else f"no offers yet: assumed {prior:.0%} like the pool"
            ),
        )
        if h.has_history:
            values["recent_overtime"] = (
                _recent(h),
                (f"{h.ot_recent} overtime shifts in {settings.recent_days} days"),
            )
            values["experience"] = (_experience(h), f"{h.ot_shifts} overtime shifts worked")
        else:
            values["recent_overtime"] = (mean_recent, "no history: pool average")
            values["experience"] = (mean_exp, "no history: pool average")
        if h.last_contacted is None:
            values["not_contacted_recently"] = (1.0, "never asked before")
        else:
            hours = (now - h.last_contacted).total_seconds() / 3600
            values["not_contacted_recently"] = (_clip(hours / 168), _ago(hours))
        values["availability"] = (
            _clip(1 - c.hours_7d / room),
            f"{c.hours_7d:g}h already worked in the 7 days around it",
        )
        values["fairness"] = (
            1.0 - h.ot_hours_window / most_hours if most_hours else 1.0,
            f"{h.ot_hours_window:g}h overtime in {settings.fairness_days} days"
            + (f" (most in pool {most_hours:g}h)" if most_hours else ""),
        )
        values["home_preference"] = _home_value(c, spec, homes)
        if h.avg_response_s is not None:
            values["response_speed"] = (
                _speed(h),
                (f"answers in {h.avg_response_s / 3600:.1f}h on average"),
            )
        else:
            values["response_speed"] = (mean_speed, "no replies yet: pool average")
        rate = (rates or {}).get(c.person_id) or 0.0
        shift_cost = rate * (1 + settings.overtime_premium) * spec.hours if rate else None
        values["cost"] = cost_value(rate, settings)
        components = [
            Component(n, w * 100 / total_weight, _clip(values[n][0]), values[n][1])
            for n, w in weights.items()
            if w
        ]
        score = round(sum(comp.points for comp in components), 1)
        ranked.append(
            RankedCandidate(
                c.person_id,
                c.name,
                c.role or "",
                homes.get(c.home_id or 0, ""),
                score,
                components,
                c.channel,
                c.quiet_start,
                c.quiet_end,
                h,
                acceptance,
                shift_cost,
            )
        )
    # ties: fewer overtime hours lately first, then the longer since last asked, then by id
    ranked.sort(
        key=lambda r: (
            -r.score,
            r.history.ot_hours_window,
            r.history.last_contacted or datetime.min.replace(tzinfo=now.tzinfo),
            r.person_id,
        )
    )
    return ranked, prior


def cost_value(rate: float, settings: OvertimeSettings) -> tuple[float, str]:
    """Cheaper than the agency scores higher: 1 - overtime rate / agency rate (0..1)."""
    if not rate:
        return 0.5, "hourly rate not recorded"
    ot_rate = rate * (1 + settings.overtime_premium)
    agency = settings.agency_hourly_cost
    value = _clip(1 - ot_rate / agency) if agency > 0 else 0.0
    return value, (
        f"£{ot_rate:.2f}/h with the overtime premium against the agency's £{agency:.2f}/h"
    )


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default


def _recent(h: PersonHistory) -> float:
    return h.ot_recent / (h.ot_recent + 2)


def _experience(h: PersonHistory) -> float:
    return 1 - math.exp(-h.ot_shifts / 6)


def _speed(h: PersonHistory) -> float:
    return math.exp(-(h.avg_response_s or 0) / 3600 / 3)


def _ago(hours: float) -> str:
    if hours < 48:
        return f"last asked {hours:.0f}h ago"
    return f"last asked {hours / 24:.0f} days ago"


def _home_value(c: Candidate, spec: ShiftSpec, homes: dict[int, str]) -> tuple[float, str]:
    if c.home_id == spec.home_id:
        return 1.0, "their own home"
    if c.pref_home_ids is not None and spec.home_id in c.pref_home_ids:
        return 0.6, f"named {spec.home_name} as a home they cover"
    return 0.4, f"works at {homes.get(c.home_id or 0, 'another home')}; open to any home"
