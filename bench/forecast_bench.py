"""Forecast accuracy and fit time on the paper-scale demo (5 homes, 42 units).

    .venv/bin/python bench/forecast_bench.py [--folds 4] [--horizon 30] [--json FILE]

Builds the paper-scale demo around 2026-01-14 into a temporary SQLite file (or reuses
the file named by STAFFBOT_BENCH_DB, building it there first if it does not exist), runs
the rolling-origin backtest over every unit, and reports per unit and per demand
character the MAPE of Prophet, seasonal naive and the training mean, Prophet's interval
coverage, and the time to fit all units once. Targets: Prophet's MAPE at least 20% below
seasonal naive on stable and seasonal units; 80% interval coverage between 70% and 90%.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from statistics import mean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import forecasting
from core.app import Core
from core.clock import ManualClock
from core.config import Settings
from core.db import make_engine, make_session_factory, upgrade
from core.demo import build_demo
from core.timeutil import local_instant, tz

TODAY = date(2026, 1, 14)
CHARACTERS = ("stable", "seasonal", "volatile", "new")


def make_core(url: str) -> Core:
    engine = make_engine(url)
    zone = tz("Europe/London")
    return Core(
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=ManualClock(local_instant(TODAY, clock_time(9, 0), zone)),
        settings=Settings(database_url=url),
    )


def paper_db() -> str:
    """The URL of a paper-scale demo database, built if needed."""
    path = os.environ.get("STAFFBOT_BENCH_DB")
    if path is None:
        path = str(Path(tempfile.mkdtemp(prefix="staffbot-bench-")) / "paper.db")
    url = f"sqlite:///{path}"
    if Path(path).exists():
        print(f"reusing {path}", file=sys.stderr)
        return url
    started = time.perf_counter()
    upgrade(url)
    core = make_core(url)
    with core.uow() as uow:
        summary = build_demo(uow.session, TODAY, "paper", core.zone)
        uow.commit()
    core.engine.dispose()
    print(
        f"built {path}: {summary.units} units, {summary.shifts} shifts in "
        f"{time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )
    return url


def fmt(value: float | None, digits: int = 1, pct: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value * 100:.{digits}f}%" if pct else f"{value:.{digits}f}"


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_char: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_char[(r["character"], r["model"])].append(r)
        by_char[("all", r["model"])].append(r)
    summary: dict[str, Any] = {}
    for (character, model), group in by_char.items():
        cov = [r["coverage"] for r in group if r["coverage"] is not None]
        summary.setdefault(character, {})[model] = {
            "units": len(group),
            "mape": mean(r["mape"] for r in group),
            "mae": mean(r["mae"] for r in group),
            "coverage": mean(cov) if cov else None,
            "mape_unrounded": mean(r["mape_unrounded"] for r in group)
            if model == "prophet"
            else None,
        }
    for models in summary.values():
        naive, prophet = models["seasonal_naive"]["mape"], models["prophet"]["mape"]
        models["prophet_vs_naive_reduction"] = 1 - prophet / naive
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=forecasting.BACKTEST_FOLDS)
    parser.add_argument("--horizon", type=int, default=forecasting.BACKTEST_HORIZON)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    url = paper_db()
    core = make_core(url)
    forecasting.prophet_version()  # import Prophet before timing anything

    started = time.perf_counter()
    rows = forecasting.backtest(core, folds=args.folds, horizon=args.horizon)
    backtest_s = time.perf_counter() - started

    # One fit per unit on all history (the chosen mode), and the full nightly job (a
    # validation fit per mode, then the final fit, then storing 28 days).
    with core.uow() as uow:
        series = forecasting.load_unit_series(uow.session, TODAY)
    started = time.perf_counter()
    for s in series:
        forecasting.prophet_forecast(s.days, s.counts, 28)
    single_fit_s = time.perf_counter() - started
    started = time.perf_counter()
    run = forecasting.fit_and_store_forecasts(core)
    nightly_s = time.perf_counter() - started
    core.engine.dispose()

    print(
        f"\nRolling-origin backtest: {args.folds} folds x {args.horizon} days ending "
        f"{TODAY}, {len(series)} units\n"
    )
    header = (
        f"{'home':<17} {'unit':<9} {'character':<9} {'prophet':>8} {'naive':>8} "
        f"{'mean':>8} {'cover':>6}  modes"
    )
    print(header)
    print("-" * len(header))
    by_unit: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in rows:
        by_unit[r["unit_id"]][r["model"]] = r
    for models in by_unit.values():
        p = models["prophet"]
        print(
            f"{p['home']:<17} {p['unit']:<9} {p['character']:<9} "
            f"{fmt(p['mape']):>7}% {fmt(models['seasonal_naive']['mape']):>7}% "
            f"{fmt(models['mean']['mape']):>7}% {fmt(p['coverage'], 0, True):>6}  "
            f"{','.join(m[0] for m in p['modes'])}"
        )

    summary = summarise(rows)
    print("\nMean per character (MAPE %; Prophet's 80% interval coverage)\n")
    print(
        f"{'character':<10} {'units':>5} {'prophet':>8} {'naive':>8} {'mean':>8} "
        f"{'cover':>6} {'vs naive':>9} {'unrounded':>10}"
    )
    for character in (*CHARACTERS, "all"):
        if character not in summary:
            continue
        m = summary[character]
        print(
            f"{character:<10} {m['prophet']['units']:>5} {fmt(m['prophet']['mape']):>7}% "
            f"{fmt(m['seasonal_naive']['mape']):>7}% {fmt(m['mean']['mape']):>7}% "
            f"{fmt(m['prophet']['coverage'], 1, True):>6} "
            f"{fmt(-m['prophet_vs_naive_reduction'], 1, True):>9} "
            f"{fmt(m['prophet']['mape_unrounded']):>9}%"
        )
    print(
        "\n('vs naive': change in MAPE against seasonal naive; 'unrounded': Prophet's MAPE "
        "if its mean were published instead of whole shifts)"
    )

    targets = {}
    for character in ("stable", "seasonal"):
        if character in summary:
            reduction = summary[character]["prophet_vs_naive_reduction"]
            targets[f"{character}_mape_reduction_ge_20pct"] = reduction >= 0.20
            print(
                f"Prophet MAPE reduction vs seasonal naive, {character}: {reduction:.1%} "
                f"({'meets' if reduction >= 0.20 else 'MISSES'} the 20% target)"
            )
    coverage = summary["all"]["prophet"]["coverage"]
    targets["coverage_70_90"] = 0.70 <= coverage <= 0.90
    print(
        f"Prophet 80% interval coverage, all units: {coverage:.1%} "
        f"({'within' if targets['coverage_70_90'] else 'OUTSIDE'} 70-90%)"
    )
    print(
        f"\nTiming ({os.cpu_count()} CPUs): one Prophet fit per unit for all {len(series)} "
        f"units {single_fit_s:.1f}s; nightly fit_and_store_forecasts (mode choice + fit + "
        f"store) {nightly_s:.1f}s for {run.units} units, {run.rows} rows; backtest "
        f"{backtest_s:.1f}s"
    )
    targets["fit_all_units_under_60s"] = single_fit_s < 60

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "today": TODAY.isoformat(),
                    "folds": args.folds,
                    "horizon": args.horizon,
                    "rows": rows,
                    "summary": summary,
                    "targets": targets,
                    "seconds": {
                        "single_fit_all_units": single_fit_s,
                        "nightly_run": nightly_s,
                        "backtest": backtest_s,
                    },
                    "measured_at": datetime.now().isoformat(timespec="seconds"),
                },
                indent=2,
                default=str,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
