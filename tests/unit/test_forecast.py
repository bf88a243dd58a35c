"""Forecasting without a database: baselines, metrics, whole-shift forecasts, Prophet."""

import math
import random
from datetime import date, timedelta

import pytest

from bot.charts import render_forecast_chart
from core.forecasting import (
    IntervalForecast,
    UnitSeries,
    accuracy,
    backtest_series,
    interval_scale,
    mean_forecast,
    prophet_forecast,
    scottish_holidays_frame,
    seasonal_naive_forecast,
)


def test_seasonal_naive_repeats_the_last_observed_week():
    values = list(range(1, 15))  # two weeks: 1..7, 8..14
    assert seasonal_naive_forecast(values, 3) == [8.0, 9.0, 10.0]
    assert seasonal_naive_forecast(values, 10) == [
        8.0,
        9.0,
        10.0,
        11.0,
        12.0,
        13.0,
        14.0,
        8.0,
        9.0,
        10.0,
    ]
    with pytest.raises(ValueError):
        seasonal_naive_forecast([1, 2, 3], 5)


def test_mean_forecast_is_the_training_mean():
    assert mean_forecast([3, 4, 5, 8], 3) == [5.0, 5.0, 5.0]
    with pytest.raises(ValueError):
        mean_forecast([], 1)


def test_metrics_on_hand_made_numbers():
    actual = [2, 4, 5, 0]
    predicted = [3, 4, 3, 1]
    m = accuracy(actual, predicted, lower=[1, 4.5, 2, 0], upper=[3, 5, 4, 2])
    assert m["mae"] == pytest.approx(1.0)  # (1 + 0 + 2 + 1) / 4
    assert m["rmse"] == pytest.approx(math.sqrt(1.5))  # (1 + 0 + 4 + 1) / 4
    assert m["mape"] == pytest.approx(30.0)  # (1/2 + 0/4 + 2/5) / 3; the zero actual is left out
    assert m["coverage"] == pytest.approx(0.5)  # 2 in [1,3], 0 in [0,2]; 4 and 5 outside
    assert accuracy([1, 2], [1, 2])["coverage"] is None
    assert accuracy([0, 0], [1, 0])["mape"] is None


def _forecast(mean, lower, upper):
    days = [date(2026, 1, 14) + timedelta(days=i) for i in range(len(mean))]
    return IntervalForecast(days, mean, lower, upper, "additive", True)


def test_whole_shift_forecast_rounds_half_up_and_band_holds_the_prediction():
    fc = _forecast([3.4, 3.5, 4.6, 0.2], [3.0, 3.1, 4.0, 0.0], [3.8, 3.9, 5.0, 0.6])
    out = fc.whole_shifts()
    assert out.prediction == [3.0, 4.0, 5.0, 0.0]
    assert out.lower == pytest.approx([3.0, 3.1, 4.0, 0.0])
    assert out.upper == pytest.approx([3.8, 4.0, 5.0, 0.6])  # widened to hold 4
    scaled = fc.whole_shifts(scale=2.0)  # half-widths doubled around the mean
    assert scaled.lower[0] == pytest.approx(2.6) and scaled.upper[0] == pytest.approx(4.2)
    assert scaled.lower[3] == 0.0  # never below zero


def test_interval_scale_is_the_conformal_quantile_of_normalised_errors():
    # half-widths 1 everywhere, so the scores are the absolute errors 0.1 .. 1.0
    errors = [0.1 * i for i in range(1, 11)]
    fc = _forecast([5.0] * 10, [4.0] * 10, [6.0] * 10)
    actual = [5.0 + e if i % 2 else 5.0 - e for i, e in enumerate(errors)]
    # rank ceil((10 + 1) * 0.8) = 9: the 9th smallest score
    assert interval_scale(actual, fc) == pytest.approx(0.9)
    assert interval_scale([5.0] * 10, fc) == 0.5  # bounded below
    assert interval_scale([50.0] * 10, fc) == 3.0  # and above


def test_scottish_holidays_include_st_andrews_day_and_2_january():
    frame = scottish_holidays_frame(date(2025, 1, 1), date(2025, 12, 31))
    days = set(frame["ds"].dt.date)
    assert {date(2025, 1, 2), date(2025, 12, 1), date(2025, 12, 25)} <= days
    assert set(frame["holiday"]) == {"scottish_public_holiday"}


def _seasonal_counts(days: int, seed: int = 7) -> UnitSeries:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    dates = [start + timedelta(days=i) for i in range(days)]
    counts = [
        round(
            10
            + 2.0 * math.sin(2 * math.pi * d.weekday() / 7)
            + 3.0 * math.cos(2 * math.pi * (d.timetuple().tm_yday - 15) / 365.25)
            + rng.gauss(0, 1.0)
        )
        for d in dates
    ]
    return UnitSeries(1, "Rowan", "Test Home", "seasonal", dates, counts)


def test_prophet_beats_seasonal_naive_on_a_noisy_seasonal_series_with_honest_intervals():
    series = _seasonal_counts(730)
    rows = {r["model"]: r for r in backtest_series(series, folds=2, horizon=30)}
    assert set(rows) == {"prophet", "seasonal_naive", "mean"}
    assert rows["prophet"]["mape"] < 0.85 * rows["seasonal_naive"]["mape"]
    assert rows["prophet"]["mae"] < rows["mean"]["mae"]
    assert 0.6 <= rows["prophet"]["coverage"] <= 0.97  # 80% nominal, 60 days held out
    assert rows["seasonal_naive"]["coverage"] is None and rows["mean"]["coverage"] is None
    assert rows["prophet"]["days"] == 60 and len(rows["prophet"]["modes"]) == 2


def test_short_history_turns_yearly_seasonality_off_and_too_short_gives_no_rows():
    series = _seasonal_counts(200)
    fc = prophet_forecast(series.days, series.counts, 7)
    assert fc.yearly is False and fc.days[0] == series.days[-1] + timedelta(days=1)
    assert all(lo <= m <= hi for lo, m, hi in zip(fc.lower, fc.mean, fc.upper, strict=True))
    tiny = UnitSeries(2, "Birch", "Test Home", "new", series.days[:40], series.counts[:40])
    assert backtest_series(tiny) == []


def test_forecast_chart_is_a_png():
    history = [(date(2026, 1, 1) + timedelta(days=i), 4 + i % 3) for i in range(13)]
    rows = [
        {
            "date": (date(2026, 1, 14) + timedelta(days=i)).isoformat(),
            "prediction": 4.0,
            "lower": 3.2,
            "upper": 5.1,
            "rostered": 3,
        }
        for i in range(7)
    ]
    png = render_forecast_chart(history, rows)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    assert render_forecast_chart([], [], {}).startswith(b"\x89PNG")
