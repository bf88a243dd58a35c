"""Explainable ranking: a 0-100 score per eligible person, with the points each component gave
and why. Weights come from the configured profile ("balanced" or "reliability").

Each component is a value in [0, 1] times its weight. People with no overtime history get
the pool's average for the components that estimate behaviour (acceptance by a Bayesian
prior, activity, experience, speed), so a newcomer is neither starved nor favoured.
"""

from __future__ import annotations

import functools
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from core.models import Channel, Home, Person, PersonKind
from core.overtime.config import OvertimeSettings
from core.overtime.eligibility import Candidate, ShiftSpec, evaluate
from core.overtime.history import PersonHistory, load_offer_history, load_overtime_worked
from core.timeutil import local_date

LABELS = {
    "acceptance_rate": "acceptance rate",
    "recent_overtime": "recent overtime",
    "experience": "overtime experience",
    "not_contacted_recently": "not asked recently",
    "availability": "availability",
    "fairness": "fair share of overtime",
    "home_preference": "home preference",
    "response_speed": "response speed",
    "cost": "cost",
}


@dataclass(frozen=True)
class Component:
    name: str
    weight: float
    value: float  # 0..1
    why: str

    @property
    def points(self) -> float:
        return self.weight * self.value


@dataclass
class RankedCandidate:
    person_id: int
    name: str
    role: str
    home: str
    score: float
    components: list[Component]
    channel: Channel
    quiet_start: str
    quiet_end: str
    history: PersonHistory
    acceptance: float  # the smoothed acceptance estimate
    shift_cost: float | None = None  # hourly rate x (1 + premium) x paid hours, if known

    @property
    def breakdown(self) -> dict[str, float]:
        return {c.name: round(c.points, 1) for c in self.components}

    def explained(self) -> dict[str, Any]:
        """What is stored with an offer: the score and every component's reason."""
        return {
            c.name: {
                "points": round(c.points, 2),
                "weight": c.weight,
                "value": round(c.value, 3),
                "why": c.why,
            }
            for c in self.components
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "home": self.home,
            "score": self.score,
            "breakdown": self.breakdown,
            "acceptance_rate": round(self.acceptance, 3),
            "last_overtime": self.history.last_ot.isoformat() if self.history.last_ot else None,
            "shift_cost": round(self.shift_cost, 2) if self.shift_cost is not None else None,
        }


@dataclass
class Ranking:
    spec: ShiftSpec
    profile: str
    weights: dict[str, float]
    eligible: list[RankedCandidate]
    excluded: list[Candidate]  # the right role, left out, each with reasons
    other_roles: int  # staff with a different role (not listed one by one)
    elapsed_ms: float = 0.0
    prior: float = 0.5
    notes: list[str] = field(default_factory=list)

    def above(self, min_score: float) -> list[RankedCandidate]:
        return [c for c in self.eligible if c.score >= min_score]

    def exclusion_counts(self) -> Counter[str]:
        return Counter(r.code for c in self.excluded for r in c.reasons[:1])


def _clip(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def rank_shift(
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
    # the pool is the role's staff (narrowed in SQL); the time rules and their offer counts
    # run only for those the preferences let through, the full history for the eligible
    candidates = evaluate(
        session,
        spec,
        now,
        settings,
        zone,
        homes=homes,
        with_other_roles=False,
        full_history=False,
    )
    eligible = [c for c in candidates if c.eligible]
    excluded = [c for c in candidates if not c.eligible]
    other_roles_query, rates_query = _ranking_queries()
    conn = session.connection()
    other_roles = conn.execute(other_roles_query, {"role": spec.role}).scalar() or 0
    today = local_date(now, zone)
    by_person = {c.person_id: PersonHistory() for c in eligible}
    # the offer caps came with the time rules: the rest of the history is read for the
    # eligible only
    caps = {c.person_id: c.history for c in eligible}
    load_offer_history(session, by_person, now, spec.request_id, into=by_person, caps=caps)
    load_overtime_worked(
        session, by_person, today, settings.recent_days, settings.fairness_days, into=by_person
    )
    for c in eligible:
        c.history = by_person[c.person_id]
    ids = [c.person_id for c in eligible]
    rates = dict(conn.execute(rates_query, {"ids": ids}).all()) if eligible else {}
    ranked, prior = score_candidates(eligible, spec, now, settings, weights, homes, rates)
    elapsed = (time.perf_counter() - started) * 1000
    return Ranking(spec, name, weights, ranked, excluded, other_roles, elapsed, prior)


@functools.cache
def _ranking_queries() -> tuple[Any, Any]:
    """The count of the other roles' staff and the hourly rates; built once."""
    other_roles = select(func.count(Person.id)).where(
        Person.kind == PersonKind.STAFF,
        Person.active.is_(True),
        or_(Person.role_code.is_(None), Person.role_code != bindparam("role")),
    )
    rates = select(Person.id, Person.hourly_rate).where(
        Person.id.in_(bindparam("ids", expanding=True))
    )
    return other_roles, rates


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
    scaled = [(n, w * 100 / total_weight) for n, w in weights.items() if w]  # once, not per person
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
        components = [Component(n, w, _clip(values[n][0]), values[n][1]) for n, w in scaled]
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


def last_overtime_label(day: date | None) -> str:
    return day.isoformat() if day else "never"
