"""Forecasts and training in chat, and the words of the proactive alerts.

- ``forecast.show``: each day's predicted demand (80% range) against the rota, days at risk
  flagged by the one rule in the core (``core.alerts.queries.home_days`` over
  ``core.forecasting.unit_days_at_risk``: expected demand above the rota by
  ``STAFFBOT_ALERT_FORECAST_THRESHOLD`` shifts, the forecast alert's own threshold); the next
  7 days unless asked otherwise; managers only, their homes only. Stored forecasts are read
  (the scheduler fits them nightly). On Slack the reply carries a chart.
- ``forecast_risk``: the one sentence ``staffing.gaps`` adds about future days.
- ``training.expiring``: whose mandatory training lapses within N days (default 30).
- Notification texts for the ``alert.*`` outbox kinds and the scheduled alerts
  (``scheduler.alert_jobs``), added to bootstrap's registry by ``install(registry)``.

The handlers open no unit of work: the queries (``core.alerts.queries``) do, and make the
permission decisions; here their results are worded.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from bot.conversation.context import Context
from bot.conversation.fmt import plural, range_label, shift_label, short_day
from bot.conversation.reply import Reply
from core.alerts.queries import (
    HomeDay,
    demand_totals,
    forecast_scope,
    stored_forecasts,
    training_due,
)
from core.forecasting import ForecastDay
from core.registry import Registry

log = logging.getLogger(__name__)

DEFAULT_DAYS = 7
MAX_DAYS_AHEAD = 56  # forecasts further out than 8 weeks say little about a rota
HISTORY_DAYS = 56  # shown on the chart before the forecast
TRAINING_DAYS = 30


# ---- one line per home and day -----------------------------------------------------------
# ``HomeDay``, the risk rule (``home_days``) and reading stored forecasts live in the core
# (``core.alerts.queries``); here they are worded.


def _whole(value: float, up: bool = False) -> int:
    return math.ceil(value - 1e-9) if up else math.floor(value + 1e-9)


def _range(d: HomeDay) -> str:
    lo, hi = _whole(d.lower), _whole(d.upper, up=True)
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def _units_text(units: list[tuple[str, int]]) -> str:
    return ", ".join(f"{u} {n}" for u, n in units)


def day_line(d: HomeDay, with_home: bool) -> str:
    where = f"{d.home} " if with_home else ""
    line = f"{where}{short_day(d.date)}: {_whole(d.prediction + 0.5)} expected ({_range(d)}), " + (
        f"{d.rostered} rostered" if d.rostered else "no rota published yet"
    )
    if d.short:
        line += f", at risk: about {d.short} short ({_units_text(d.units_short)})"
    return line


# ---- forecast.show -----------------------------------------------------------------------


def _as_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def forecast_range(ctx: Context) -> tuple[date, date]:
    """The days asked about (default: the next 7, today first), from today at the earliest
    and at most eight weeks ahead."""
    start = _as_date(ctx.slots.get("start_date"))
    end = _as_date(ctx.slots.get("end_date"))
    if start is None:
        start, end = ctx.today, ctx.today + timedelta(days=DEFAULT_DAYS - 1)
    end = max(start, end or start)
    start = max(start, ctx.today)
    end = min(end, ctx.today + timedelta(days=MAX_DAYS_AHEAD - 1))
    return start, end


def show(ctx: Context) -> Reply:
    """``forecast.show``: predicted demand against the rota, day by day."""
    where = forecast_scope(ctx.core, ctx.scope, ctx.slots.get("home"))
    home_ids, scope = where.home_ids, where.name
    asked_end = _as_date(ctx.slots.get("end_date"))
    if asked_end is not None and asked_end < ctx.today:
        return Reply(
            "Forecasts are for today onwards. For past days, ask who was short or who was on.",
            kind="forecast",
            data={"days": [], "rows": []},
        )
    start, end = forecast_range(ctx)
    if start > end:
        return Reply(
            f"I can forecast up to {MAX_DAYS_AHEAD // 7} weeks ahead, to "
            f"{short_day(ctx.today + timedelta(days=MAX_DAYS_AHEAD - 1))}.",
            kind="forecast",
            data={"days": [], "rows": []},
        )
    view = stored_forecasts(ctx.core, home_ids, start, end)
    period = range_label(start, end, ctx.today)
    if not view.rows or view.deferred:
        why = (
            "it is not ready yet (forecasts are fitted nightly)"
            if view.deferred
            else "there is too little history to forecast yet"
        )
        return Reply(
            f"No forecast for {scope} {period}: {why}.",
            kind="forecast",
            data={"days": [], "rows": [], "missing": view.missing},
        )
    threshold, days = view.threshold, view.days
    several = len({d.home for d in days}) > 1
    risky = [d for d in days if d.short]
    lines = [day_line(d, several) for d in days]
    head = f"Forecast for {scope}, {period}, in shifts a day (expected, 80% range, rostered)"
    n_days = len({d.date for d in days})
    risky_days = sorted({d.date for d in risky})
    rule = f"expected demand {_shifts(threshold)} or more above the rota"
    if risky:
        worst = max(risky, key=lambda d: (d.short, -d.date.toordinal()))
        at_home = f" at {worst.home}" if several else ""
        verdict = (
            f"At risk on {len(risky_days)} of {plural(n_days, 'day')} ({rule}); the "
            f"most on {short_day(worst.date)}{at_home}, about "
            f"{plural(worst.short, 'shift')} short."
        )
        sms = (
            f"Forecast {period}, {scope}: at risk on {len(risky_days)} of "
            f"{plural(n_days, 'day')}, most {short_day(worst.date)} (about "
            f"{plural(worst.short, 'shift')} short)."
        )
    else:
        verdict = f"No day at risk ({rule})."
        sms = f"Forecast {period}, {scope}: no day at risk."
    missing = (
        f" No forecast for {', '.join(view.missing)} (too little history)." if view.missing else ""
    )
    text = f"{head}. " + "; ".join(lines) + f". {verdict}{missing}"
    data: dict[str, Any] = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "scope": scope,
        "days": [d.to_json() for d in days],
        "rows": [r.to_json() for r in view.rows],
        "days_at_risk": len(risky_days),
        "missing": view.missing,
        "verdict": verdict,
    }
    if ctx.channel == "slack":
        data["chart_title"] = f"Forecast for {scope}, {period}"
        data["chart_png"] = _chart(ctx, home_ids, view.rows, data["chart_title"])
    return Reply(text, short=sms, kind="forecast", data=data)


def _chart(
    ctx: Context, home_ids: frozenset[int] | None, rows: list[ForecastDay], title: str
) -> bytes | None:
    """History, forecast band and rota for the whole scope, as a PNG (None if it fails:
    a missing chart must never cost the answer)."""
    try:
        from bot.charts import render_forecast_chart

        since = ctx.today - timedelta(days=HISTORY_DAYS)
        totals = demand_totals(ctx.core, home_ids, since, until=ctx.today)
        by_day: dict[date, dict[str, float]] = defaultdict(
            lambda: {"prediction": 0.0, "lower": 0.0, "upper": 0.0, "rostered": 0.0}
        )
        for r in rows:
            agg = by_day[r.date]
            agg["prediction"] += r.prediction
            agg["lower"] += r.lower
            agg["upper"] += r.upper
            agg["rostered"] += r.rostered
        chart_rows = [{"date": d, **v} for d, v in sorted(by_day.items())]
        return render_forecast_chart(
            totals,
            chart_rows,
            {
                d: int(v["rostered"]) for d, v in by_day.items() if v["rostered"]
            },  # unpublished days: no rota line
            title=title,
        )
    except Exception:
        log.exception("forecast chart failed")
        return None


# ---- the sentence staffing.gaps adds about future days ------------------------------------


def forecast_risk(
    ctx: Context, home_ids: frozenset[int] | None, start: date, end: date
) -> tuple[str, str] | None:
    """(sentence, SMS sentence) on the forecast from ``start`` (not before tomorrow) to
    ``end``, or None when none of those days is in the future."""
    start = max(start, ctx.today + timedelta(days=1))
    end = min(end, ctx.today + timedelta(days=MAX_DAYS_AHEAD - 1))
    if start > end:
        return None
    view = stored_forecasts(ctx.core, home_ids, start, end)
    when = range_label(start, end, ctx.today) if start != end else short_day(start)
    if view.deferred:  # part of the scope only would mislead: say it is not ready
        text = f"The forecast for {when} is not ready yet (it is fitted nightly)."
        return text, "Forecast not ready yet."
    if not view.rows:
        return None  # nothing can be forecast here (too little history)
    threshold, days = view.threshold, view.days
    risky = [d for d in days if d.short]
    one_home_day = start == end and len({d.home for d in days}) == 1
    if not risky:  # one short sentence: a warning that is always there is read as noise
        if one_home_day:
            text = (
                f"Forecast for {short_day(start)}: not at risk "
                f"({_whole(days[0].prediction + 0.5)} expected, {days[0].rostered} "
                f"rostered; no unit {_shifts(threshold)} or more short)."
            )
            return text, f"Forecast {short_day(start)}: not at risk."
        return f"Forecast: no day at risk {when}.", "Forecast: no day at risk."
    rule = f"expected demand {_shifts(threshold)} or more above the rota"
    if one_home_day:
        d = risky[0]
        text = (
            f"Forecast for {short_day(start)}: at risk, about {plural(d.short, 'shift')} "
            f"short ({_units_text(d.units_short)}; {_whole(d.prediction + 0.5)} expected, "
            f"{d.rostered} rostered)."
        )
        return text, (
            f"Forecast {short_day(start)}: at risk, about {d.short} short "
            f"({_units_text(d.units_short)})."
        )
    several = len({d.home for d in days}) > 1
    shown = "; ".join(
        " ".join(
            ([] if start == end else [short_day(d.date)])
            + ([d.home] if several else [])
            + [_units_text(d.units_short)]
        )
        for d in risky[:3]
    )
    more = f"; {len(risky) - 3} more (ask 'forecast')" if len(risky) > 3 else ""
    risky_days = sorted({d.date for d in risky})
    when = (
        f"on {short_day(start)}"
        if start == end
        else f"on {len(risky_days)} of {(end - start).days + 1} days"
    )
    homes = f" at {plural(len({d.home for d in risky}), 'home')}" if several else ""
    text = f"Forecast: at risk{homes} {when} ({rule}): {shown}{more}."
    return text, f"Forecast: at risk{homes} {when}."


def _shifts(threshold: float) -> str:
    return (
        plural(int(threshold), "shift")
        if float(threshold).is_integer()
        else f"{threshold:g} shifts"
    )


def add_forecast_risk(
    ctx: Context, home_ids: frozenset[int] | None, start: date, end: date, reply: Reply
) -> Reply:
    """``staffing.gaps`` about future days: the known gaps, then one sentence of forecast
    risk (on its own line, so rich renderers can show it as a note)."""
    try:
        note = forecast_risk(ctx, home_ids, start, end)
    except Exception:  # the known gaps are the answer; a forecast problem must not cost it
        log.exception("forecast risk for staffing.gaps failed")
        note = None
    if note is None:
        return reply
    text, short = note
    sms = reply.sms
    room = 300 - len(short) - 1
    sms = (sms if len(sms) <= room else sms[: max(0, room - 1)] + "…") + " " + short
    return Reply(
        f"{reply.text}\n{text}", short=sms, kind=reply.kind, data=reply.data, actions=reply.actions
    )


# ---- training.expiring -------------------------------------------------------------------


def training(ctx: Context) -> Reply:
    """``training.expiring``: mandatory training lapsing within N days (default 30)."""
    start = _as_date(ctx.slots.get("start_date"))
    end = _as_date(ctx.slots.get("end_date"))
    if start is None:
        days = int(ctx.slots.get("days") or TRAINING_DAYS)
        start, end = ctx.today, ctx.today + timedelta(days=max(1, days))
    end = max(start, end or start)
    report = training_due(ctx.core, ctx.scope, ctx.slots.get("home"), start, end)
    home_ids, scope = report.scope.home_ids, report.scope.name
    items, lapsed = report.items, report.lapsed
    until = f"by {short_day(end)}" if start <= ctx.today else range_label(start, end)
    lapsed_text = f" Already lapsed: {lapsed}." if lapsed else ""
    if not items:
        return Reply(
            f"No mandatory training lapses at {scope} {until}.{lapsed_text}",
            kind="training",
            data=[],
        )
    people: dict[tuple[str, str | None, str], list[str]] = defaultdict(list)
    for i in items:
        people[(i.name, i.role, i.home)].append(f"{i.course} {short_day(i.expires_on)}")
    several = home_ids is None or len(home_ids) > 1
    parts = [
        f"{name} ({role}{', ' + home if several else ''}): {', '.join(courses)}"
        for (name, role, home), courses in people.items()
    ]
    head = (
        f"{plural(len(items), 'training renewal')} due at {scope} {until}, "
        f"{plural(len(people), 'person', 'people')}"
    )
    first = items[0]
    return Reply(
        f"{head}: " + "; ".join(parts) + f".{lapsed_text}",
        short=(
            f"{head}. First: {first.name}, {first.course} "
            f"{short_day(first.expires_on)}.{lapsed_text}"
        ),
        kind="training",
        data=[i.to_json() for i in items],
    )


# ---- alert texts (outbox kinds) ----------------------------------------------------------


def _day(value: str) -> str:
    return short_day(date.fromisoformat(value))


def _gap_items(rows: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{shift_label(r['shift_type'])} {r['role']} x{r['short']} ({r['unit']})" for r in rows
    )


def daily_gaps_text(p: dict[str, Any]) -> str:
    def part(label: str, rows: list[dict[str, Any]]) -> str:
        if not rows:
            return f"{label}: no gaps."
        return f"{label}: {plural(sum(r['short'] for r in rows), 'gap')} - {_gap_items(rows)}."

    day = date.fromisoformat(p["date"])
    outreach = p.get("outreach") or []
    if outreach:
        open_text = (
            "Open overtime requests: "
            + "; ".join(
                f"{o['ref']} {o['role']} {shift_label(o['shift_type'])} {_day(o['date'])} "
                f"({plural(o['asked'], 'person', 'people')} asked)"
                for o in outreach
            )
            + "."
        )
    else:
        open_text = "No open overtime requests."
    return (
        f"Daily gap report for {p['home']}, {short_day(day)}. "
        f"{part('Today', p.get('today') or [])} "
        f"{part(f'Tomorrow ({short_day(day + timedelta(days=1))})', p.get('tomorrow') or [])}"
        f" {open_text}"
    )


def forecast_alert_text(p: dict[str, Any]) -> str:
    rows = p.get("days") or []
    items = "; ".join(
        f"{_day(r['date'])} {r['unit']}: {r['prediction']:g} expected, {r['rostered']} rostered"
        for r in rows[:8]
    )
    more = f"; and {len(rows) - 8} more" if len(rows) > 8 else ""
    return (
        f"Forecast alert for {p['home']}: predicted need is above the rota on "
        f"{plural(int(p.get('days_at_risk') or 0), 'day')} from {_day(p['from'])} to "
        f"{_day(p['to'])} (about {p['expected_short']:g} shifts in all). {items}{more}. "
        "Ask 'forecast next week' for the detail."
    )


def training_alert_text(p: dict[str, Any]) -> str:
    items = p.get("items") or []
    people: dict[str, list[str]] = defaultdict(list)
    for i in items:
        people[i["name"]].append(f"{i['course']} {_day(i['expires_on'])}")
    shown = list(people.items())[:6]
    listing = "; ".join(f"{name}: {', '.join(courses)}" for name, courses in shown)
    left = len(people) - len(shown)
    more = f"; and {plural(left, 'more person', 'more people')}" if left else ""
    hello = f"Hi {p['first_name']}, " if p.get("first_name") else ""
    return (
        f"{hello}{plural(len(items), 'training renewal')} at {p['home']} lapse by "
        f"{_day(p['until'])}: {listing}{more}."
    )


def weekly_summary_text(p: dict[str, Any]) -> str:
    r = p["requests"]
    fill = (
        f", median {p['median_fill_minutes']:g} min to fill"
        if p.get("median_fill_minutes") is not None
        else ""
    )
    f = p["fairness"]
    top = ", ".join(f"{t['name']} {t['hours']:g}h" for t in f.get("top", [])[:3])
    gaps = p["gaps_next_week"]
    by_home = ", ".join(f"{h} {n}" for h, n in gaps["by_home"].items())
    hello = f"Hi {p['first_name']}, here is the " if p.get("first_name") else "The "
    return (
        f"{hello}weekly staffing summary for {_day(p['from'])} to {_day(p['to'])}: "
        f"{plural(r['opened'], 'overtime request')} ({r['filled']} filled, "
        f"{r['unfilled']} unfilled, {r['pending']} still open){fill}; "
        f"{plural(p['offers'], 'offer')}: {p['accepted']} accepted, {p['declined']} "
        f"declined, {p['no_response']} no reply. Fairness over 90 days: Gini "
        f"{f['gini']:.2f} across {f['willing_staff']} willing staff"
        + (f" (most hours: {top})" if top else "")
        + ". "
        + (
            f"Agency: {plural(p['agency']['shifts'], 'shift')}, £{p['agency']['cost']:g}. "
            if (p.get("agency") or {}).get("shifts")
            else ""
        )
        + f"Gaps in the next 7 days: {gaps['total']}"
        + (f" ({by_home})" if by_home else "")
        + "."
    )


ALERT_TEXTS = {
    "alert.daily_gaps": daily_gaps_text,
    "alert.forecast": forecast_alert_text,
    "alert.training": training_alert_text,
    "alert.weekly_summary": weekly_summary_text,
}


HANDLERS = {"forecast.show": show, "training.expiring": training}


def install(registry: Registry) -> None:
    """Forecast answers, the alert texts and the alerts' scheduled work
    (``scheduler.alert_jobs``); their Slack layouts are ``bot.slack.forecast``'s."""
    registry.add_handlers(HANDLERS)
    registry.add_texts(ALERT_TEXTS)
    from scheduler import alert_jobs

    alert_jobs.install(registry)
