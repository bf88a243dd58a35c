"""What chat asks about forecasts and training, as services: each opens its own read unit of
work (inside one inbound message it joins the message's), makes the permission decision and
applies the core's one forecast-risk rule, and returns plain typed values the handler words.

- ``forecast_scope(core, scope, home)``: the homes a manager's question covers, and their name
- ``stored_forecasts(core, home_ids, start, end)``: stored forecasts, with each home's days
  judged by the risk rule (``home_days``)
- ``demand_totals(core, home_ids, since, until)``: shifts worked a day, for the chart
- ``training_due(core, scope, home, start, end)``: mandatory training lapsing, and how much
  already has
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.alerts.reports import TrainingDue, training_expiring
from core.directory import find_home, unit_labels
from core.forecasting import (
    ForecastDay,
    demand_history,
    forecast_for,
    shifts_short,
    unit_days_at_risk,
)
from core.models import Home
from core.permissions import Scope

if TYPE_CHECKING:
    from core.app import Core


# ---- scope ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeScope:
    """The homes a manager's question covers (None: every home) and how to name them."""

    home_ids: frozenset[int] | None
    name: str  # "all homes", or the homes' names


def forecast_scope(core: Core, scope: Scope, home: str | None = None) -> HomeScope:
    """The home asked about (as chat names it) if the manager may see it, else every home
    they manage. Managers only (``Scope.homes_to_query``)."""
    with core.read() as uow:
        return _home_scope(uow.session, scope, home)


def _home_scope(session: Session, scope: Scope, home: str | None) -> HomeScope:
    requested = find_home(session, home).id if home else None
    home_ids = scope.homes_to_query(requested)
    if home_ids is None:
        return HomeScope(None, "all homes")
    names = dict(session.execute(select(Home.id, Home.name).where(Home.id.in_(home_ids))).all())
    return HomeScope(home_ids, ", ".join(names[h] for h in sorted(home_ids) if h in names))


# ---- forecasts and the risk rule -----------------------------------------------------------


@dataclass(frozen=True)
class HomeDay:
    """A home's units added up for one day. A unit is at risk by the core's one rule
    (``core.forecasting.unit_days_at_risk``: its expected demand above the rota by the alert
    threshold, on a published rota); ``short`` adds up those units' expected whole shifts
    short. (Adding units' 80% bounds gives a range a little wider than the total's own.)"""

    date: date
    home: str
    prediction: float
    lower: float
    upper: float
    rostered: int
    short: int
    units_short: list[tuple[str, int]]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["units_short"] = [{"unit": u, "short": n} for u, n in self.units_short]
        data["at_risk"] = self.short > 0
        return data


def home_days(rows: list[ForecastDay], threshold: float) -> list[HomeDay]:
    """Unit-day forecasts added up per home and day, in the order the homes first appear,
    each day's at-risk units (and their whole shifts short) by the one rule."""
    grouped: dict[tuple[date, str], list[ForecastDay]] = defaultdict(list)
    for r in rows:
        grouped[(r.date, r.home)].append(r)
    risky = {(r.date, r.home, r.unit_id) for r in unit_days_at_risk(rows, threshold)}
    out = []
    for (day, home), units in grouped.items():
        short = [(u.unit, shifts_short(u)) for u in units if (u.date, u.home, u.unit_id) in risky]
        out.append(
            HomeDay(
                day,
                home,
                sum(u.prediction for u in units),
                sum(u.lower for u in units),
                sum(u.upper for u in units),
                sum(u.rostered for u in units),
                sum(n for _, n in short),
                short,
            )
        )
    homes_order = {name: i for i, name in enumerate(dict.fromkeys(r.home for r in rows))}
    out.sort(key=lambda d: (homes_order[d.home], d.date))
    return out


@dataclass(frozen=True)
class ForecastView:
    """Stored forecasts for the units in scope, each home's days judged by the risk rule, and
    the units that have none."""

    rows: list[ForecastDay]
    days: list[HomeDay]
    threshold: float  # the forecast alert's: answers call a day at risk exactly when it would
    missing: list[str] = field(default_factory=list)  # "Home / Unit" without a forecast
    deferred: bool = False  # a home has nothing stored for these days yet: the nightly fit will


def stored_forecasts(
    core: Core, home_ids: frozenset[int] | None, start: date, end: date
) -> ForecastView:
    """The stored forecasts from start to end for these homes (None: every home). Nothing is
    fitted here: the scheduler fits every unit nightly. A home with nothing stored has not
    been fitted yet (``deferred``); a unit without a forecast while the rest of its home has
    one has too little history (``missing``)."""
    threshold = float(core.settings.alerts.forecast_threshold)
    with core.read() as uow:
        units = unit_labels(uow.session, home_ids)
        rows = forecast_for(uow.session, home_ids, start, end)
    have = {r.unit_id for r in rows}
    missing = [name for uid, (_, name) in units.items() if uid not in have]
    # a home with nothing stored has not been fitted yet: part of the scope would mislead
    homes_fitted = {home for uid, (home, _) in units.items() if uid in have}
    not_fitted = {home for home, _ in units.values()} - homes_fitted
    return ForecastView(
        rows, home_days(rows, threshold), threshold, missing, deferred=bool(not_fitted)
    )


def demand_totals(
    core: Core, home_ids: frozenset[int] | None, since: date, until: date
) -> list[tuple[date, float]]:
    """Shifts worked a day across these homes' units from ``since`` to the day before
    ``until``, by day (the history a forecast chart shows)."""
    with core.read() as uow:
        unit_ids = list(unit_labels(uow.session, home_ids))
        history = demand_history(uow.session, unit_ids, until=until)
    totals: dict[date, float] = defaultdict(float)
    for series in history.values():
        for day, n in series:
            if day >= since:
                totals[day] += n
    return sorted(totals.items())


# ---- training ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingReport:
    """Mandatory training lapsing from ``start`` to ``end`` in scope, and (when the period
    starts today or earlier) how many records have already lapsed."""

    scope: HomeScope
    start: date
    end: date
    items: list[TrainingDue]
    lapsed: int


def training_due(
    core: Core, scope: Scope, home: str | None, start: date, end: date
) -> TrainingReport:
    """Whose mandatory training lapses from start to end, at the home asked about or every
    home the manager may see. Managers only."""
    today = core.today()
    with core.read() as uow:
        session = uow.session
        where = _home_scope(session, scope, home)
        items = training_expiring(session, where.home_ids, start, end)
        lapsed = (
            len(
                training_expiring(
                    session, where.home_ids, date(1900, 1, 1), today - timedelta(days=1)
                )
            )
            if start <= today
            else 0
        )
    return TrainingReport(where, start, end, items, lapsed)
