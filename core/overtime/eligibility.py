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
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Text, func, select, type_coerce
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
from core.overtime.history import PersonHistory, load_offer_history
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


def evaluate(
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
    _time_rules(session, spec, now, settings, zone, [c])
    return [r for r in c.reasons if r.code in HARD_RULES]


def describe(candidate: Candidate) -> str:
    return "; ".join(r.text for r in candidate.reasons)


def as_json(candidate: Candidate) -> dict[str, Any]:
    return {
        "name": candidate.name,
        "role": candidate.role,
        "reasons": [{"rule": r.code, "why": r.text} for r in candidate.reasons],
    }
