"""Daily staffing demand per unit: history, forecasts, baselines and backtests.

The demand signal is the number of scheduled shifts (regular, overtime and agency) a
unit worked each past day: the history is fully covered, so shifts worked = shifts needed.

Forecasts come from Prophet (yearly and weekly seasonality, Scottish public holidays,
80% intervals), published in whole shifts, with the seasonality mode and an interval
calibration chosen per unit on the 30 days before the forecast origin. They are measured
against two baselines on held-out days: seasonal naive (the same weekday last week) and
the mean of the training window. Model fitting is kept out of database transactions,
because on SQLite a transaction holds the write lock.
"""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core.models import Forecast, Home, Shift, ShiftStatus, Unit
from core.staffing import absent_days
from core.uow import Actor

if TYPE_CHECKING:
    import pandas as pd

    from core.app import Core

log = logging.getLogger(__name__)

MODELS = ("prophet", "seasonal_naive", "mean")
MODES = ("additive", "multiplicative")
INTERVAL_WIDTH = 0.8
# Intervals come from simulated futures; 200 keeps predict fast and the bounds stable enough.
UNCERTAINTY_SAMPLES = 200
YEARLY_ORDER = 6  # the winter shape is smooth; order 10 (Prophet's default) overfits 2 years
MIN_YEARLY_DAYS = 365  # under a year of history, yearly seasonality cannot be told from trend
MIN_TRAIN_DAYS = 56  # fewer days than this and a fold (or a unit) is not fitted
BACKTEST_FOLDS = 4
BACKTEST_HORIZON = 30
HOLIDAY_LABEL = "scottish_public_holiday"
_SEED = 20260114


# ---- the demand signal --------------------------------------------------------------------


def demand_history(
    session: Session, unit_ids: Iterable[int] | None = None, *, until: date
) -> dict[int, list[tuple[date, int]]]:
    """Shifts scheduled on each unit and day, for days strictly before ``until``.

    Each unit's series starts at its first shift and runs without gaps (a day without
    shifts counts 0) to the day before ``until``. Units without shifts get an empty list.
    """
    ids = None if unit_ids is None else sorted(set(unit_ids))
    query = (
        select(Shift.unit_id, Shift.date, func.count())
        .where(Shift.status == ShiftStatus.SCHEDULED, Shift.date < until)
        .group_by(Shift.unit_id, Shift.date)
    )
    unit_query = select(Unit.id)
    if ids is not None:
        query = query.where(Shift.unit_id.in_(ids))
        unit_query = unit_query.where(Unit.id.in_(ids))
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    for unit_id, day, n in session.execute(query):
        counts[unit_id][day] = int(n)
    history: dict[int, list[tuple[date, int]]] = {}
    for unit_id in session.scalars(unit_query.order_by(Unit.id)):
        by_day = counts.get(unit_id)
        if not by_day:
            history[unit_id] = []
            continue
        first = min(by_day)
        history[unit_id] = [
            (first + timedelta(days=i), by_day.get(first + timedelta(days=i), 0))
            for i in range((until - first).days)
        ]
    return history


@dataclass(frozen=True)
class UnitSeries:
    """One unit's demand history, with the names reports need."""

    unit_id: int
    unit: str
    home: str
    character: str
    days: list[date]
    counts: list[int]


def load_unit_series(
    session: Session, until: date, home_ids: Iterable[int] | None = None
) -> list[UnitSeries]:
    """Every unit's (of the given homes') demand history before ``until``, by home and unit."""
    query = select(Unit, Home).join(Home, Unit.home_id == Home.id).order_by(Home.id, Unit.id)
    if home_ids is not None:
        query = query.where(Unit.home_id.in_(list(home_ids)))
    units = list(session.execute(query))
    history = demand_history(session, [u.id for u, _ in units], until=until)
    return [
        UnitSeries(
            u.id,
            u.name,
            h.name,
            u.character,
            [d for d, _ in history[u.id]],
            [n for _, n in history[u.id]],
        )
        for u, h in units
    ]


# ---- baselines and metrics ---------------------------------------------------------------


def seasonal_naive_forecast(values: Sequence[float], horizon: int, season: int = 7) -> list[float]:
    """The last observed ``season`` days repeated: day t+h gets the value of the same weekday
    in the last observed week."""
    if len(values) < season:
        raise ValueError(f"seasonal naive needs at least {season} observations")
    last = list(values[-season:])
    return [float(last[h % season]) for h in range(horizon)]


def mean_forecast(values: Sequence[float], horizon: int) -> list[float]:
    """The mean of the whole training window, for every future day."""
    if not values:
        raise ValueError("the mean forecast needs at least one observation")
    mean = sum(values) / len(values)
    return [float(mean)] * horizon


def accuracy(
    actual: Sequence[float],
    predicted: Sequence[float],
    lower: Sequence[float] | None = None,
    upper: Sequence[float] | None = None,
) -> dict[str, float | None]:
    """MAE, MAPE (%), RMSE and, given bounds, the share of actuals inside [lower, upper].

    MAPE leaves out days whose actual is 0 (it is undefined there); None if all are 0.
    """
    if len(actual) != len(predicted) or not actual:
        raise ValueError("actual and predicted must be non-empty and of equal length")
    errors = [a - p for a, p in zip(actual, predicted, strict=True)]
    mae = sum(abs(e) for e in errors) / len(errors)
    rmse = math.sqrt(sum(e * e for e in errors) / len(errors))
    pct = [abs(e) / abs(a) for a, e in zip(actual, errors, strict=True) if a != 0]
    mape = 100.0 * sum(pct) / len(pct) if pct else None
    coverage = None
    if lower is not None and upper is not None:
        inside = [lo <= a <= hi for a, lo, hi in zip(actual, lower, upper, strict=True)]
        coverage = sum(inside) / len(inside)
    return {"mae": mae, "mape": mape, "rmse": rmse, "coverage": coverage}


# ---- Prophet -----------------------------------------------------------------------------


def _prophet_class() -> Any:
    # Imported on first use: Prophet pulls in pandas, cmdstanpy and plotting on import.
    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)  # "plotly missing" noise
    from cmdstanpy.utils import get_logger
    from prophet import Prophet

    # cmdstanpy installs its own INFO handler on first use; two lines per fit otherwise
    get_logger().setLevel(logging.WARNING)
    # e.g. "yearly seasonality with under 2 years of history": known, and why we validate
    logging.getLogger("prophet").setLevel(logging.ERROR)
    return Prophet


def prophet_version() -> str:
    _prophet_class()  # the first import of prophet must go through the log settings
    import prophet

    return str(prophet.__version__)


def scottish_holidays_frame(start: date, end: date) -> pd.DataFrame:
    """Scottish public holidays (holidays' GB/SCT calendar) between start and end, as a
    Prophet holidays frame.

    All days share one label: two years of history hold each holiday about twice, too few
    to estimate a separate effect for each, while their pooled effect is well measured.
    """
    import holidays as holidays_lib
    import pandas as pd

    calendar = holidays_lib.country_holidays(
        "GB", subdiv="SCT", years=range(start.year, end.year + 1)
    )
    days = sorted(d for d in calendar if start <= d <= end)
    return pd.DataFrame(
        {"holiday": HOLIDAY_LABEL, "ds": pd.to_datetime(days), "lower_window": 0, "upper_window": 0}
    )


@dataclass
class IntervalForecast:
    """Prophet's forecast for consecutive days: its mean and raw 80% interval."""

    days: list[date]
    mean: list[float]
    lower: list[float]
    upper: list[float]
    mode: str
    yearly: bool

    def whole_shifts(self, scale: float = 1.0) -> DemandForecast:
        """The published forecast: whole shifts, with the interval's half-widths scaled by
        ``scale`` (see ``interval_scale``) and widened where needed to hold the prediction.

        Demand is a count of shifts. On integer counts the median, not the mean, minimises
        absolute error, and with symmetric noise the median is the mean rounded to a whole
        shift; the band always contains the number of shifts it is published with."""
        prediction, lower, upper = [], [], []
        for m, lo, hi in zip(self.mean, self.lower, self.upper, strict=True):
            p = max(0.0, float(math.floor(m + 0.5)))
            prediction.append(p)
            lower.append(max(0.0, min(m - scale * (m - lo), p)))
            upper.append(max(m + scale * (hi - m), p))
        return DemandForecast(list(self.days), prediction, lower, upper, self.mode, scale)


@dataclass
class DemandForecast:
    """Whole-shift predictions with a calibrated 80% interval, ready to store or score."""

    days: list[date]
    prediction: list[float]
    lower: list[float]
    upper: list[float]
    mode: str
    scale: float


def prophet_forecast(
    days: Sequence[date],
    counts: Sequence[float],
    horizon: int,
    mode: str = "additive",
    seed: int = _SEED,
) -> IntervalForecast:
    """Fit Prophet (MAP) on a daily series and forecast the ``horizon`` days after it.

    Yearly and weekly seasonality (yearly only with at least a year of history), Scottish
    public holidays, linear trend; the mean and interval are clipped at 0.
    """
    import numpy as np
    import pandas as pd

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if len(days) < MIN_TRAIN_DAYS:
        raise ValueError(f"Prophet needs at least {MIN_TRAIN_DAYS} days of history")
    future_days = [days[-1] + timedelta(days=i + 1) for i in range(horizon)]
    yearly = (days[-1] - days[0]).days + 1 >= MIN_YEARLY_DAYS
    model = _prophet_class()(
        growth="linear",
        seasonality_mode=mode,
        yearly_seasonality=YEARLY_ORDER if yearly else False,
        weekly_seasonality=3,
        daily_seasonality=False,
        holidays=scottish_holidays_frame(days[0], future_days[-1]),
        interval_width=INTERVAL_WIDTH,
        uncertainty_samples=UNCERTAINTY_SAMPLES,
    )
    # Interval sampling draws from numpy's global generator: seed it for repeatable bounds
    # and put the caller's state back afterwards.
    state = np.random.get_state()
    with warnings.catch_warnings():
        # Prophet 1.5 calls pandas APIs that pandas 3 deprecates; not ours to act on
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="prophet")
        model.fit(
            pd.DataFrame({"ds": pd.to_datetime(list(days)), "y": np.asarray(counts, dtype=float)})
        )
        np.random.seed(seed)
        try:
            frame = model.predict(pd.DataFrame({"ds": pd.to_datetime(future_days)}))
        finally:
            np.random.set_state(state)
    mean = np.clip(frame["yhat"].to_numpy(), 0, None)
    lower = np.minimum(np.clip(frame["yhat_lower"].to_numpy(), 0, None), mean)
    upper = np.maximum(frame["yhat_upper"].to_numpy(), mean)
    return IntervalForecast(
        future_days, mean.tolist(), lower.tolist(), upper.tolist(), mode, yearly
    )


def interval_scale(actual: Sequence[float], forecast: IntervalForecast) -> float:
    """How much the raw interval's half-widths must be stretched (or shrunk) for 80% of
    ``actual`` to fall inside: split-conformal calibration on a held-out window.

    Prophet's MAP intervals leave out parameter uncertainty and treat whole-shift counts as
    continuous, and so hold fewer actuals than they claim; this measures by how much on
    days the model did not see. Bounded to [0.5, 3] against a freak window."""
    scores = []
    for a, m, lo, hi in zip(actual, forecast.mean, forecast.lower, forecast.upper, strict=True):
        half = hi - m if a >= m else m - lo
        scores.append(abs(a - m) / max(half, 1e-6))
    if not scores:
        return 1.0
    rank = min(len(scores), math.ceil((len(scores) + 1) * INTERVAL_WIDTH))
    return min(3.0, max(0.5, sorted(scores)[rank - 1]))


@dataclass(frozen=True)
class Validation:
    """The seasonality mode and interval scale chosen on a held-out window."""

    mode: str
    scale: float
    mae: dict[str, float]  # per mode, on the held-out window


def _validate(actual: Sequence[float], by_mode: dict[str, IntervalForecast]) -> Validation:
    # MAE of the mean (not of the whole-shift prediction): smoother, so a steadier choice
    mae = {m: accuracy(actual, fc.mean)["mae"] or 0.0 for m, fc in by_mode.items()}
    mode = min(MODES, key=lambda m: (mae[m], MODES.index(m)))
    return Validation(mode, interval_scale(actual, by_mode[mode]), mae)


def choose_mode(
    days: Sequence[date], counts: Sequence[float], validation_days: int = BACKTEST_HORIZON
) -> Validation:
    """Fit both seasonality modes on all but the last ``validation_days`` days and keep the
    one whose forecast of those days has the lower MAE, with its interval scale.

    Additive and unscaled when the history is too short to hold out the window."""
    if len(days) - validation_days < MIN_TRAIN_DAYS:
        return Validation("additive", 1.0, {})
    train_d, train_y = days[:-validation_days], counts[:-validation_days]
    by_mode = {m: prophet_forecast(train_d, train_y, validation_days, m) for m in MODES}
    return _validate(list(counts[-validation_days:]), by_mode)


# ---- rolling-origin backtest -------------------------------------------------------------


def backtest_series(
    series: UnitSeries, folds: int = BACKTEST_FOLDS, horizon: int = BACKTEST_HORIZON
) -> list[dict[str, Any]]:
    """Rolling-origin backtest of one unit: ``folds`` consecutive windows of ``horizon``
    days ending at the end of its history, each forecast from all days before it.

    Prophet's seasonality mode and interval scale for each fold come from the window just
    before it (``choose_mode`` as of the fold's origin): both modes are fitted on every
    window, plus one before the first, so no fold is tuned on its own actuals. Metrics pool
    every fold's days. One row per model, or none when the unit has too little history.
    """
    n = len(series.counts)
    origins = [n - (folds - k) * horizon for k in range(-1, folds)]  # origins[k + 1]: fold k
    usable = [k for k in range(folds) if origins[k + 1] >= MIN_TRAIN_DAYS]
    if not usable:
        return []
    days, counts = series.days, series.counts
    by_mode: dict[int, dict[str, IntervalForecast]] = {}
    for k in range(usable[0] - 1, folds):
        origin = origins[k + 1]
        if origin >= MIN_TRAIN_DAYS:
            by_mode[k] = {
                m: prophet_forecast(days[:origin], counts[:origin], horizon, m) for m in MODES
            }

    actual: list[float] = []
    predicted: dict[str, list[float]] = {m: [] for m in MODELS}
    lower: list[float] = []
    upper: list[float] = []
    unrounded: list[float] = []
    chosen: list[Validation] = []
    for k in usable:
        origin = origins[k + 1]
        actual.extend(counts[origin : origin + horizon])
        if k - 1 in by_mode:
            previous = counts[origins[k] : origins[k] + horizon]
            validation = _validate(previous, by_mode[k - 1])
        else:
            validation = Validation("additive", 1.0, {})
        chosen.append(validation)
        fc = by_mode[k][validation.mode].whole_shifts(validation.scale)
        predicted["prophet"].extend(fc.prediction)
        lower.extend(fc.lower)
        upper.extend(fc.upper)
        predicted["seasonal_naive"].extend(seasonal_naive_forecast(counts[:origin], horizon))
        predicted["mean"].extend(mean_forecast(counts[:origin], horizon))
        unrounded.extend(by_mode[k][validation.mode].mean)

    rows = []
    for model in MODELS:
        bounds = (lower, upper) if model == "prophet" else (None, None)
        metrics = accuracy(actual, predicted[model], *bounds)
        row: dict[str, Any] = {
            "home": series.home,
            "unit": series.unit,
            "model": model,
            **metrics,
            "character": series.character,
            "unit_id": series.unit_id,
            "folds": len(usable),
            "days": len(actual),
        }
        if model == "prophet":
            row["modes"] = [v.mode for v in chosen]
            row["interval_scales"] = [round(v.scale, 3) for v in chosen]
            # the unrounded mean's MAPE, to show what forecasting whole shifts is worth
            row["mape_unrounded"] = accuracy(actual, unrounded)["mape"]
        rows.append(row)
    return rows


def backtest(
    core: Core,
    home_ids: Iterable[int] | None = None,
    folds: int = BACKTEST_FOLDS,
    horizon: int = BACKTEST_HORIZON,
    until: date | None = None,
) -> list[dict[str, Any]]:
    """Backtest every unit (of the given homes) on history before ``until`` (default today).

    Rows ``{home, unit, model, mae, mape, rmse, coverage, character, ...}``, three per unit
    (prophet, seasonal_naive, mean); coverage is None for the baselines.
    """
    until = until or core.today()
    with core.uow() as uow:
        series = load_unit_series(uow.session, until, home_ids)
    rows: list[dict[str, Any]] = []
    for s in series:
        unit_rows = backtest_series(s, folds, horizon)
        if not unit_rows:
            log.info(
                "backtest: %s / %s has too little history (%d days)", s.home, s.unit, len(s.counts)
            )
        rows.extend(unit_rows)
    return rows


# ---- nightly fit and stored forecasts ----------------------------------------------------


@dataclass
class ForecastRunSummary:
    """What one ``fit_and_store_forecasts`` run did."""

    start: date
    end: date
    units: int
    rows: int
    skipped: list[str] = field(default_factory=list)  # "Home / Unit": too little history
    versions: dict[str, str] = field(default_factory=dict)  # "Home / Unit" -> model_version
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return data


def fit_and_store_forecasts(
    core: Core, horizon_days: int = 28, home_ids: Iterable[int] | None = None
) -> ForecastRunSummary:
    """Fit every unit on all history before today and store its forecast for today and the
    following days (``horizon_days`` in all), replacing that unit's earlier forecasts for
    those days. The seasonality mode is chosen per unit on the last 30 days of history.

    The nightly scheduler job calls this. Fitting happens outside any transaction; the
    forecasts and one audit entry are written in one.
    """
    if horizon_days < 1:
        raise ValueError("horizon_days must be at least 1")
    started = time.perf_counter()
    today = core.today()
    end = today + timedelta(days=horizon_days - 1)
    with core.uow() as uow:
        series = load_unit_series(uow.session, today, home_ids)
    version_prefix = f"prophet-{prophet_version()}"
    fitted: list[tuple[UnitSeries, DemandForecast, str]] = []
    skipped = []
    for s in series:
        label = f"{s.home} / {s.unit}"
        if len(s.counts) < MIN_TRAIN_DAYS:
            skipped.append(label)
            continue
        validation = choose_mode(s.days, s.counts)
        interval = prophet_forecast(s.days, s.counts, (end - s.days[-1]).days, validation.mode)
        fitted.append(
            (s, interval.whole_shifts(validation.scale), f"{version_prefix}-{validation.mode}")
        )

    fitted_at = core.clock.now()
    stored = 0
    with core.uow() as uow:
        for s, fc, version in fitted:
            uow.session.execute(
                delete(Forecast).where(
                    Forecast.unit_id == s.unit_id, Forecast.day >= today, Forecast.day <= end
                )
            )
            rows = [
                Forecast(
                    unit_id=s.unit_id,
                    day=d,
                    prediction=p,
                    lower=lo,
                    upper=hi,
                    model_version=version,
                    fitted_at=fitted_at,
                )
                for d, p, lo, hi in zip(fc.days, fc.prediction, fc.lower, fc.upper, strict=True)
                if today <= d <= end
            ]
            uow.session.add_all(rows)
            stored += len(rows)
        summary = ForecastRunSummary(
            start=today,
            end=end,
            units=len(fitted),
            rows=stored,
            skipped=skipped,
            versions={f"{s.home} / {s.unit}": v for s, _, v in fitted},
            seconds=round(time.perf_counter() - started, 2),
        )
        uow.audit(
            Actor.system("scheduler"),
            "forecast.fitted",
            "forecasts",
            after={
                "start": today,
                "end": end,
                "units": summary.units,
                "rows": stored,
                "skipped": skipped,
                "model_versions": sorted(set(summary.versions.values())),
                "seconds": summary.seconds,
            },
        )
        uow.commit()
    return summary


@dataclass(frozen=True)
class ForecastDay:
    """A unit-day's stored forecast next to the shifts rostered that day."""

    date: date
    home: str
    unit: str
    unit_id: int
    prediction: float
    lower: float
    upper: float
    rostered: int  # scheduled shifts whose worker is not on leave or off sick (agency counts)
    model_version: str

    @property
    def expected_short(self) -> float:
        """Shifts the point forecast needs beyond the rota (0 when the rota covers it)."""
        return max(0.0, self.prediction - self.rostered)

    @property
    def short_at_upper(self) -> int:
        """Whole shifts missing if demand reaches the interval's upper bound."""
        return max(0, math.ceil(self.upper - self.rostered - 1e-9))

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "home": self.home,
            "unit": self.unit,
            "prediction": round(self.prediction, 2),
            "lower": round(self.lower, 2),
            "upper": round(self.upper, 2),
            "rostered": self.rostered,
            "expected_short": round(self.expected_short, 2),
            "short_at_upper": self.short_at_upper,
            "model_version": self.model_version,
        }


# ---- forecast risk: the one rule chat answers and the forecast alert share ----------------


def published_days(rows: Iterable[ForecastDay]) -> set[tuple[date, str]]:
    """(day, home) pairs with a rota published (any shift rostered in the home that day)."""
    return {(r.date, r.home) for r in rows if r.rostered > 0}


def is_at_risk(row: ForecastDay, threshold: float) -> bool:
    """A unit-day is at risk when its point forecast exceeds the shifts rostered by at least
    ``threshold`` shifts (``STAFFBOT_ALERT_FORECAST_THRESHOLD``, default 2). The caller
    checks the home's rota is published that day (see ``unit_days_at_risk``)."""
    return row.prediction - row.rostered >= threshold - 1e-9


def shifts_short(row: ForecastDay) -> int:
    """The whole shifts an at-risk unit-day is expected to be short (at least 1)."""
    return max(1, round(row.expected_short))


def unit_days_at_risk(rows: list[ForecastDay], threshold: float) -> list[ForecastDay]:
    """The unit-days at risk among ``rows``: past the threshold, on a day whose home has a
    published rota (an unpublished rota is not a shortage). Chat's forecast answers, the
    sentence a gaps answer adds, and the scheduled forecast alert all use this."""
    published = published_days(rows)
    return [r for r in rows if (r.date, r.home) in published and is_at_risk(r, threshold)]


def forecast_for(
    session: Session, home_ids: Iterable[int] | None, start: date, end: date
) -> list[ForecastDay]:
    """Stored forecasts from start to end (inclusive) for the given homes (None: all), with
    the rostered shifts per unit-day, ordered by day, home and unit. Unit-days without a
    stored forecast are left out; where several model versions exist the latest fit wins."""
    query = (
        select(Forecast, Unit, Home)
        .join(Unit, Forecast.unit_id == Unit.id)
        .join(Home, Unit.home_id == Home.id)
        .where(Forecast.day >= start, Forecast.day <= end)
        .order_by(Forecast.fitted_at, Forecast.id)
    )
    if home_ids is not None:
        query = query.where(Unit.home_id.in_(list(home_ids)))
    latest: dict[tuple[int, date], tuple[Forecast, Unit, Home]] = {}
    for fc, unit, home in session.execute(query):
        latest[(unit.id, fc.day)] = (fc, unit, home)  # later fits overwrite earlier ones
    if not latest:
        return []
    rostered = _rostered(session, sorted({u for u, _ in latest}), start, end)
    rows = [
        ForecastDay(
            fc.day,
            home.name,
            unit.name,
            unit.id,
            fc.prediction,
            fc.lower,
            fc.upper,
            rostered.get((unit.id, fc.day), 0),
            fc.model_version,
        )
        for fc, unit, home in latest.values()
    ]
    rows.sort(key=lambda r: (r.date, r.home, r.unit_id))
    return rows


def forecast_risk_days(
    session: Session, home_ids: Iterable[int] | None, start: date, end: date, threshold: float
) -> list[ForecastDay]:
    """The unit-days from start to end at risk by the one rule (``unit_days_at_risk``)."""
    return unit_days_at_risk(forecast_for(session, home_ids, start, end), threshold)


def _rostered(
    session: Session, unit_ids: list[int], start: date, end: date
) -> dict[tuple[int, date], int]:
    shifts = session.execute(
        select(Shift.unit_id, Shift.date, Shift.person_id).where(
            Shift.unit_id.in_(unit_ids),
            Shift.date >= start,
            Shift.date <= end,
            Shift.status == ShiftStatus.SCHEDULED,
        )
    ).all()
    absent = absent_days(session, {p for _, _, p in shifts if p is not None}, start, end)
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for unit_id, day, person_id in shifts:
        if person_id is None or (person_id, day) not in absent:
            counts[(unit_id, day)] += 1
    return dict(counts)
