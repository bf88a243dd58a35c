"""Charts the assistant attaches to replies, as PNG bytes (matplotlib, no display needed)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any


def _field(row: Any, name: str) -> Any:
    # rows may be core.forecasting.ForecastDay objects or their to_json() dicts
    return row[name] if isinstance(row, Mapping) else getattr(row, name)


def _x(days: Iterable[date]) -> Any:
    """Days for the x axis. Matplotlib plots dates itself (its date converter picks the
    ticks); its type stubs only name numbers and arrays, hence ``Any``."""
    return list(days)


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def render_forecast_chart(
    history: Sequence[tuple[date, float]],
    forecast_rows: Iterable[Any],
    rostered: Mapping[date, int] | Sequence[tuple[date, int]] | None = None,
    title: str | None = None,
) -> bytes:
    """A PNG: past demand (shifts per day) as a line, the forecast with its 80% band, and
    the shifts rostered on the forecast days as a step line.

    ``forecast_rows`` carry ``date, prediction, lower, upper`` (ForecastDay objects or
    dicts); ``rostered`` maps a day to its rostered shifts (default: the rows' own
    ``rostered`` values, when they have them)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    rows = sorted(forecast_rows, key=lambda r: _day(_field(r, "date")))
    f_days = [_day(_field(r, "date")) for r in rows]
    if rostered is None:
        rota = {
            d: _field(r, "rostered")
            for d, r in zip(f_days, rows, strict=True)
            if (r.get("rostered") if isinstance(r, Mapping) else getattr(r, "rostered", None))
            is not None
        }
    else:
        rota = dict(rostered.items() if isinstance(rostered, Mapping) else rostered)

    # Figure() rather than pyplot: no global state, safe from worker threads.
    fig = Figure(figsize=(8, 3.6), dpi=100)
    ax = fig.add_subplot()
    if history:
        ax.plot(
            _x(d for d, _ in history),
            [v for _, v in history],
            color="#555555",
            linewidth=1.2,
            label="shifts worked",
        )
    if rows:
        ax.fill_between(
            _x(f_days),
            [_field(r, "lower") for r in rows],
            [_field(r, "upper") for r in rows],
            color="#4c8bf5",
            alpha=0.25,
            linewidth=0,
            label="80% range",
        )
        ax.plot(
            _x(f_days),
            [_field(r, "prediction") for r in rows],
            color="#1a56c4",
            linewidth=1.8,
            marker="o",
            markersize=3,
            label="forecast",
        )
    if rota:
        days = sorted(rota)
        ax.step(
            _x(days),
            [rota[d] for d in days],
            where="mid",
            color="#d93025",
            linewidth=1.6,
            label="rostered",
        )
    ax.set_ylabel("shifts per day")
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.grid(axis="y", alpha=0.3)
    if title:
        ax.set_title(title)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=4)
    fig.autofmt_xdate()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
