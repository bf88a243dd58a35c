"""Who may be offered a shift, and for everyone who may not, why.

Rules (each exclusion carries a code and a sentence): right role; opted in and reachable;
willing to work at that home, that shift type and that kind of day; not on approved leave or
off sick; no overlapping shift; the minimum rest before and after; at most the weekly hours in
any 7 days including this shift; the minimum notice; not already asked for this request; and
the daily and weekly caps on offers; no mandatory training for the role lapsed
(``mandatory_training``). Data is loaded in a handful of set-based queries.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Text, bindparam, func, select, type_coerce
from sqlalchemy.orm import Session

from core.directory import check_role, check_shift_type
from core.errors import NotFound
from core.models import (
    Channel,
    Home,
    LeaveRequest,
    LeaveStatus,
    OvertimePreference,
    Person,
    PersonKind,
    Shift,
    ShiftStatus,
    ShiftType,
    SicknessAbsence,
    TrainingRecord,
)
from core.overtime.config import OvertimeSettings
from core.overtime.history import PersonHistory, load_offer_caps, load_offer_history
from core.timeutil import daterange, local_date, shift_window

SHIFT_WORDS = {"early": "earlies", "late": "lates", "night": "nights", "long_day": "long days"}
RULES = (
    "role",
    "opted_out",
    "unreachable",
    "home",
    "shift_type",
    "day_kind",
    "notice",
    "on_leave",
    "sick",
    "overlap",
    "rest",
    "max_hours",
    "already_asked",
    "daily_cap",
    "weekly_cap",
    "training",
)


@dataclass(frozen=True)
class ShiftSpec:
    """The shift being covered, with its real start and end instants."""

    home_id: int
    home_name: str
    date: date
    shift_type: str
    role: str
    starts_at: datetime
    ends_at: datetime
    hours: float
    unit_id: int | None = None
    request_id: int | None = None

    @property
    def day_kind(self) -> str:
        return "weekend" if self.date.weekday() >= 5 else "weekday"


def shift_spec(
    session: Session,
    zone: ZoneInfo,
    home_id: int,
    day: date,
    shift_type: str,
    role: str,
    unit_id: int | None = None,
    request_id: int | None = None,
) -> ShiftSpec:
    home = session.get(Home, home_id)
    if home is None:
        raise NotFound("Unknown home.")
    code = check_shift_type(session, shift_type)
    role_code = check_role(session, role)
    st = session.get(ShiftType, code)
    assert st is not None
    starts, ends = shift_window(day, st.start_time, st.end_time, zone)
    return ShiftSpec(
        home.id, home.name, day, code, role_code, starts, ends, st.paid_hours, unit_id, request_id
    )


@dataclass(frozen=True)
class Exclusion:
    code: str  # one of RULES
    text: str  # says why, about this person, in plain words


@dataclass(slots=True)
class Candidate:
    """One person measured against one shift."""

    person_id: int
    name: str
    role: str | None
    home_id: int | None
    channel: Channel
    quiet_start: str
    quiet_end: str
    pref_home_ids: Sequence[int] | None
    reasons: list[Exclusion] = field(default_factory=list)
    hours_7d: float = 0.0  # most hours already worked in a 7-day window holding the shift
    # filled in for people who reach the time rules (everyone eligible has one)
    history: PersonHistory = field(default=None)  # type: ignore[assignment]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    def exclude(self, code: str, text: str) -> None:
        self.reasons.append(Exclusion(code, text))


def _day_kind_text(kinds: Sequence[str]) -> str:
    return (
        "only does weekends"
        if tuple(kinds) == ("weekend",)
        else (
            "only does weekdays" if tuple(kinds) == ("weekday",) else "does not do that kind of day"
        )
    )


def _hours_text(hours: float) -> str:
    return f"{hours:g}h"


_OPTED_OUT = Exclusion("opted_out", "has opted out of overtime")
_UNREACHABLE = Exclusion("unreachable", "has stopped texts and has no Slack")


def evaluate(
    session: Session,
    spec: ShiftSpec,
    now: datetime,
    settings: OvertimeSettings,
    zone: ZoneInfo,
    person_ids: list[int] | None = None,
    homes: dict[int, str] | None = None,
    with_other_roles: bool = True,
    full_history: bool = True,
) -> list[Candidate]:
    """Every active member of staff (or those given) measured against the shift.

    Cheap rules (role, preferences, notice) run for everyone; the rules that need shifts,
    absences and offers run only for people who passed them, in one query each. With
    ``full_history=False`` those people's ``history`` holds only what the rules need (the
    offer caps and "already asked"); the ranking reads the rest for the eligible only."""
    # bulk reads below go through the connection, on plain columns (no ORM rows, no
    # per-value type conversion, and no autoflush)
    session.flush()
    if homes is None:
        homes = {h.id: h.name for h in session.scalars(select(Home))}
    params: dict[str, Any] = {}
    if person_ids is not None:
        query, params = _pool_query("ids"), {"ids": list(person_ids)}
    elif not with_other_roles:
        # other roles are only counted: the pool is the role's staff, narrowed in SQL
        query, params = _pool_query("role"), {"role": spec.role}
    else:
        query = _pool_query("all")
    if spec.starts_at <= now:
        notice: Exclusion | None = Exclusion("notice", "the shift has already started")
    elif spec.starts_at - now < timedelta(hours=settings.min_notice_hours):
        left = (spec.starts_at - now).total_seconds() / 3600
        notice = Exclusion(
            "notice",
            f"the shift starts in {left:.1f}h; minimum notice is "
            f"{_hours_text(settings.min_notice_hours)}",
        )
    else:
        notice = None
    # the preferences recur (a few hundred kinds among thousands of people): each one's
    # parsed list and the reason it gives are worked out once per ranking, not per person
    by_homes: dict[Any, tuple[tuple[int, ...] | None, Exclusion | None]] = {}
    by_types: dict[Any, Exclusion | None] = {}
    by_days: dict[Any, Exclusion | None] = {}
    reach: dict[tuple[Any, ...], Channel | None] = {}
    role_reasons: dict[str | None, Exclusion] = {}
    candidates: list[Candidate] = []
    append = candidates.append
    rows: Any = session.connection().execute(query, params).all()
    for (
        pid,
        name,
        role,
        home_id,
        has_slack,
        sms_ok,
        opted,
        raw_homes,
        raw_types,
        raw_days,
        pref_channel,
        q_start,
        q_end,
    ) in rows:
        how = (pref_channel, has_slack, sms_ok)
        channel = reach.get(how, _UNKNOWN)
        if channel is _UNKNOWN:
            channel = reach[how] = _reach_by(pref_channel, bool(has_slack), bool(sms_ok))
        key = _hashable(raw_homes)
        homes_rule = by_homes.get(key)
        if homes_rule is None:
            homes_rule = by_homes[key] = _homes_rule(spec, homes, raw_homes)
        pref_homes, home_reason = homes_rule
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
        append(c)
        reasons = c.reasons
        if role != spec.role:
            if role not in role_reasons:
                role_reasons[role] = Exclusion(
                    "role",
                    f"is {_article(role)} {role or 'non-clinical'}, not "
                    f"{_article(spec.role)} {spec.role}",
                )
            reasons.append(role_reasons[role])
            continue
        if not opted:
            reasons.append(_OPTED_OUT)
        elif channel is None:
            reasons.append(_UNREACHABLE)
        if home_reason is not None:
            reasons.append(home_reason)
        if raw_types is not None:
            key = _hashable(raw_types)
            if key not in by_types:
                by_types[key] = _types_rule(spec, raw_types)
            if by_types[key] is not None:
                reasons.append(by_types[key])  # type: ignore[arg-type]
        if raw_days is not None:
            key = _hashable(raw_days)
            if key not in by_days:
                by_days[key] = _days_rule(spec, raw_days)
            if by_days[key] is not None:
                reasons.append(by_days[key])  # type: ignore[arg-type]
        if notice is not None:
            reasons.append(notice)
    mandatory = sorted(
        set(settings.mandatory_training.get(spec.role, []))
        | set(settings.mandatory_training.get("*", []))
    )
    if mandatory:
        _training_rule(session, spec, mandatory, [c for c in candidates if c.role == spec.role])
    _time_rules(
        session,
        spec,
        now,
        settings,
        zone,
        [c for c in candidates if not c.reasons],
        full_history=full_history,
    )
    return candidates


@functools.cache
def _pool_query(by: str) -> Any:  # a Select, built once
    """The staff to measure, on plain columns: ``by`` "ids" (given people), "role" (the
    role's staff) or "all". Built once: the values are bound at each execution."""
    # the JSON lists come back as text and are parsed here: most are "null" (any), and the
    # generic JSON result processing was a third of the ranking's time at full scale
    query = (
        select(
            Person.id,
            Person.full_name,
            Person.role_code,
            Person.home_id,
            Person.slack_user_id.is_not(None),
            Person.sms_opted_out_at.is_(None),
            OvertimePreference.opted_in,
            type_coerce(OvertimePreference.home_ids, Text),
            type_coerce(OvertimePreference.shift_types, Text),
            type_coerce(OvertimePreference.day_kinds, Text),
            type_coerce(OvertimePreference.channel, Text),
            OvertimePreference.quiet_start,
            OvertimePreference.quiet_end,
        )
        .outerjoin(OvertimePreference, OvertimePreference.person_id == Person.id)
        .where(Person.kind == PersonKind.STAFF, Person.active.is_(True))
        .order_by(Person.id)
    )
    if by == "ids":
        return query.where(Person.id.in_(bindparam("ids", expanding=True)))
    if by == "role":
        return query.where(Person.role_code == bindparam("role"))
    return query


def _hashable(raw: Any) -> Any:
    # SQLite hands the JSON over as text; PostgreSQL's driver as a parsed list
    return tuple(raw) if isinstance(raw, list) else raw


_UNKNOWN: Any = object()


def _homes_rule(
    spec: ShiftSpec, homes: dict[int, str], raw: Any
) -> tuple[tuple[int, ...] | None, Exclusion | None]:
    """The homes someone does overtime at (None: any) and the reason it gives, if any."""
    pref_homes: tuple[int, ...] | None = _json_list(raw)
    if pref_homes is not None and spec.home_id not in pref_homes:
        text = "only does overtime at " + ", ".join(homes.get(h, "?") for h in pref_homes)
        return pref_homes, Exclusion("home", text)
    return pref_homes, None


def _types_rule(spec: ShiftSpec, raw: Any) -> Exclusion | None:
    pref_types: tuple[str, ...] | None = _json_list(raw)
    if pref_types is not None and spec.shift_type not in pref_types:
        words = ", ".join(SHIFT_WORDS.get(t, t) for t in pref_types)
        return Exclusion("shift_type", "only does " + words)
    return None


def _days_rule(spec: ShiftSpec, raw: Any) -> Exclusion | None:
    pref_days: tuple[str, ...] | None = _json_list(raw)
    if pref_days is not None and spec.day_kind not in pref_days:
        return Exclusion("day_kind", _day_kind_text(pref_days))
    return None


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


def _json_list(value: Any) -> tuple[Any, ...] | None:
    if value is None:
        return None
    if isinstance(value, list):  # PostgreSQL's driver hands JSON over already parsed
        return tuple(value)
    return _parse_list(value)


@functools.lru_cache(maxsize=512)
def _parse_list(text: str) -> tuple[Any, ...] | None:
    # the same few lists ('[2]', '["night"]') recur across hundreds of people
    parsed = json.loads(text)
    return tuple(parsed) if isinstance(parsed, list) else None


def _article(word: str | None) -> str:
    return "an" if word and word[0] in "AEFHILMNORSX" else "a"


def _reach(
    pref: Channel | str | None, slack_id: str | None, sms_out: datetime | None
) -> Channel | None:
    """The channel an offer goes by: the preferred one if usable, else the other, else none."""
    wanted = Channel(pref) if pref else Channel.SMS
    usable = {Channel.SLACK: slack_id is not None, Channel.SMS: sms_out is None}
    if usable[wanted]:
        return wanted
    other = Channel.SMS if wanted == Channel.SLACK else Channel.SLACK
    return other if usable[other] else None


def _reach_by(pref: str | None, has_slack: bool, sms_ok: bool) -> Channel | None:
    """``_reach`` from the stored channel text and whether Slack and texts are usable."""
    wanted = Channel(pref) if pref else Channel.SMS
    usable = {Channel.SLACK: has_slack, Channel.SMS: sms_ok}
    if usable[wanted]:
        return wanted
    other = Channel.SMS if wanted == Channel.SLACK else Channel.SLACK
    return other if usable[other] else None


def _time_rules(
    session: Session,
    spec: ShiftSpec,
    now: datetime,
    settings: OvertimeSettings,
    zone: ZoneInfo,
    pool: list[Candidate],
    full_history: bool = True,
) -> None:
    """Leave, sickness, overlap, rest, weekly hours, already asked and the offer caps."""
    if not pool:
        return
    ids = [c.person_id for c in pool]
    first_day, last_day = spec.date, local_date(spec.ends_at - timedelta(seconds=1), zone)
    on_leave, sick = _absences(session, ids, first_day, last_day)
    rest = timedelta(hours=settings.min_rest_hours)
    shifts, starts, ends = _neighbour_shifts(session, spec, ids)
    history = (
        load_offer_history(session, ids, now, spec.request_id)
        if full_history
        else load_offer_caps(session, ids, now, spec.request_id)
    )
    zero = timedelta(0)
    for c in pool:
        c.history = history.get(c.person_id, PersonHistory())
        pid = c.person_id
        if pid in on_leave:
            c.exclude("on_leave", "is on approved leave")
        if pid in sick:
            c.exclude("sick", "is off sick")
        theirs = shifts.get(pid, ())
        for s, e, _hours, code, day in theirs:
            if s < ends and e > starts:
                day = _as_date(day)
                c.exclude(
                    "overlap",
                    f"is already working the {code.replace('_', ' ')} on "
                    f"{day:%a} {day.day} {day:%b}",
                )
                break
        else:
            for s, e, _hours, code, day in theirs:
                gap_before = starts - e
                gap_after = s - ends
                if zero <= gap_before < rest or zero <= gap_after < rest:
                    gap = gap_before if gap_before >= zero else gap_after
                    when = "after" if gap_before >= zero else "before"
                    day = _as_date(day)
                    c.exclude(
                        "rest",
                        f"would have only {gap.total_seconds() / 3600:.1f}h rest "
                        f"{when} their {code.replace('_', ' ')} on "
                        f"{day:%a} {day.day} {day:%b} (minimum "
                        f"{_hours_text(settings.min_rest_hours)})",
                    )
                    break
        c.hours_7d = _most_hours(starts, [(s, h) for s, _e, h, _c, _d in theirs]) if theirs else 0.0
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


Neighbour = tuple[datetime, datetime, float, str, Any]  # start, end, paid hours, type, day


def _neighbour_shifts(
    session: Session, spec: ShiftSpec, ids: list[int]
) -> tuple[dict[int, list[Neighbour]], datetime, datetime]:
    """Each person's scheduled shifts from a week before the shift to a week after it, in
    one query per 900 people, oldest first, and the shift's own start and end to compare
    them with. SQLite keeps instants as text: they are parsed here (and compared as naive
    UTC), which is several times cheaper than the generic column conversion."""
    week = timedelta(days=7)
    window = {
        "until": spec.ends_at + week,
        # no shift lasts a day: this lower bound lets the index do the work
        "after": spec.starts_at - week - timedelta(days=1),
        "ends_after": spec.starts_at - week,
    }
    query = _neighbour_query()
    text = session.get_bind().dialect.name == "sqlite"
    parse = datetime.fromisoformat
    starts, ends = spec.starts_at, spec.ends_at
    if text:
        starts = starts.astimezone(UTC).replace(tzinfo=None)
        ends = ends.astimezone(UTC).replace(tzinfo=None)
    shifts: dict[int, list[Neighbour]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        rows: Any = session.connection().execute(query, {**window, "ids": chunk}).all()
        for pid, s, e, hours, code, day in rows:
            if text:
                s, e = parse(s), parse(e)
            shifts[pid].append((s, e, hours, code, day))
    return shifts, starts, ends


@functools.cache
def _neighbour_query() -> Any:  # a Select, built once
    return (
        select(
            Shift.person_id,
            type_coerce(Shift.starts_at, Text),
            type_coerce(Shift.ends_at, Text),
            ShiftType.paid_hours,
            Shift.shift_type_code,
            type_coerce(Shift.date, Text),
        )
        .join(ShiftType, ShiftType.code == Shift.shift_type_code)
        .where(
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.starts_at < bindparam("until"),
            Shift.starts_at > bindparam("after"),
            Shift.ends_at > bindparam("ends_after"),
            Shift.person_id.in_(bindparam("ids", expanding=True)),
        )
        .order_by(Shift.person_id, Shift.starts_at, Shift.id)
    )


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def max_hours_in_week(spec: ShiftSpec, others: list[tuple[datetime, float]]) -> float:
    """The most hours (by shift start) already worked in any 7-day window that also holds
    this shift. Windows start at a shift's start, which is where a maximum is reached."""
    return _most_hours(spec.starts_at, others)


def _most_hours(start: datetime, others: list[tuple[datetime, float]]) -> float:
    week = timedelta(days=7)
    starts = [start] + [s for s, _ in others if start - week < s <= start]
    best = 0.0
    for w in starts:
        best = max(best, sum(h for s, h in others if w <= s < w + week and s != start))
    return best


def _absences(
    session: Session, ids: list[int], first: date, last: date
) -> tuple[set[int], set[int]]:
    on_leave: set[int] = set()
    sick: set[int] = set()
    days = set(daterange(first, last))
    leave, sickness = _absence_queries()
    conn = session.connection()
    for chunk_start in range(0, len(ids), 900):
        window = {"first": first, "last": last, "ids": ids[chunk_start : chunk_start + 900]}
        for pid, s, e in conn.execute(leave, window):
            if days & set(daterange(max(s, first), min(e, last))):
                on_leave.add(pid)
        for pid, _s, _e in conn.execute(sickness, window):
            sick.add(pid)
    return on_leave, sick


@functools.cache
def _absence_queries() -> tuple[Any, Any]:
    """Approved leave and sickness overlapping the days, for given people; built once."""
    ids: Any = bindparam("ids", expanding=True)
    leave = select(LeaveRequest.person_id, LeaveRequest.start_date, LeaveRequest.end_date).where(
        LeaveRequest.status == LeaveStatus.APPROVED,
        LeaveRequest.start_date <= bindparam("last"),
        LeaveRequest.end_date >= bindparam("first"),
        LeaveRequest.person_id.in_(ids),
    )
    sickness = select(
        SicknessAbsence.person_id, SicknessAbsence.start_date, SicknessAbsence.end_date
    ).where(
        SicknessAbsence.start_date <= bindparam("last"),
        SicknessAbsence.end_date >= bindparam("first"),
        SicknessAbsence.person_id.in_(ids),
    )
    return leave, sickness


HARD_RULES = ("on_leave", "sick", "overlap", "rest", "max_hours")


def clashes(
    session: Session,
    spec: ShiftSpec,
    person_id: int,
    now: datetime,
    settings: OvertimeSettings,
    zone: ZoneInfo,
) -> list[Exclusion]:
    """The rules that keep a person safe (leave, sickness, overlap, rest, weekly hours),
    checked again for one person when they say yes, whatever their preferences now."""
    c = Candidate(
        person_id, "", None, None, Channel.SMS, "22:00", "07:00", None, history=PersonHistory()
    )
    _time_rules(session, spec, now, settings, zone, [c], full_history=False)
    return [r for r in c.reasons if r.code in HARD_RULES]


def describe(candidate: Candidate) -> str:
    return "; ".join(r.text for r in candidate.reasons)


def as_json(candidate: Candidate) -> dict[str, Any]:
    return {
        "name": candidate.name,
        "role": candidate.role,
        "reasons": [{"rule": r.code, "why": r.text} for r in candidate.reasons],
    }
