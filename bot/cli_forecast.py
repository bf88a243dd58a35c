"""``staffbot forecast ...``: backtest the demand forecasts and run the nightly fit by hand."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

forecast_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Demand forecasts per unit (Prophet) and their accuracy.",
)
out = Console()


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _cell(row: dict[str, Any], best: bool) -> str:
    text = f"{_pct(row['mape'])} ({row['mae']:.2f})"
    return f"[bold green]{text}[/bold green]" if best else text


@forecast_app.command()
def backtest(
    home: Annotated[str | None, typer.Option(help="one home")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
    folds: Annotated[int, typer.Option(min=1, max=12, help="30-day windows held out")] = 4,
    horizon: Annotated[int, typer.Option(min=7, max=120, help="days per window")] = 30,
) -> None:
    """Rolling-origin backtest per unit: Prophet vs. seasonal naive vs. the mean."""
    from bot.cli import emit_json, fail, find_home_like_chat, get_core
    from core.errors import StaffbotError
    from core.forecasting import backtest as run_backtest

    core = get_core()
    home_ids = None
    if home is not None:
        with core.uow() as uow:
            try:
                home_ids = frozenset({find_home_like_chat(uow.session, home).id})
            except StaffbotError as exc:
                fail(str(exc))
    rows = run_backtest(core, home_ids, folds=folds, horizon=horizon)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        out.print("No unit has enough history to backtest.")
        return
    table = Table(
        title=f"Backtest: {folds} x {horizon} days before {core.today()} "
        "(MAPE, MAE; Prophet's 80% interval coverage)"
    )
    for col in ("home", "unit", "character", "prophet", "seasonal naive", "mean", "coverage"):
        table.add_column(
            col, justify="right" if col not in ("home", "unit", "character") else "left"
        )
    by_unit: dict[int, dict[str, dict[str, Any]]] = {}
    for r in rows:
        by_unit.setdefault(r["unit_id"], {})[r["model"]] = r
    for models in by_unit.values():
        p, n, m = models["prophet"], models["seasonal_naive"], models["mean"]
        best = min((p, n, m), key=lambda r: r["mape"] if r["mape"] is not None else 1e9)
        cells = [_cell(r, r is best) for r in (p, n, m)]
        table.add_row(
            p["home"],
            p["unit"],
            p["character"],
            *cells,
            _pct(None if p["coverage"] is None else 100 * p["coverage"]),
        )
    out.print(table)


@forecast_app.command()
def fit(
    horizon_days: Annotated[
        int, typer.Option("--days", min=1, max=120, help="days to forecast, from today")
    ] = 28,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """Fit every unit on its history and store the next days' forecasts (the nightly job)."""
    from bot.cli import emit_json, get_core
    from core.forecasting import fit_and_store_forecasts

    core = get_core()
    summary = fit_and_store_forecasts(core, horizon_days=horizon_days)
    if as_json:
        emit_json(summary.to_json())
        return
    out.print(
        f"Stored {summary.rows} forecasts for {summary.units} units, {summary.start} to "
        f"{summary.end}, in {summary.seconds:.1f}s."
    )
    if summary.skipped:
        out.print(f"Too little history to forecast: {', '.join(summary.skipped)}.")
