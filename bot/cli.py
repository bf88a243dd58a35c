"""The ``staffbot`` command (shared/spec/INTERFACES.md). JSON goes to stdout, logs to stderr."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from core.errors import StaffbotError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Staffbot: a conversational staffing assistant for care homes.")
out = Console()
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-01-16.")


def get_core():  # type: ignore[no-untyped-def]
    from bot.bootstrap import bootstrap

    return bootstrap()


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


@app.command()
def init(
    demo: Annotated[bool, typer.Option("--demo", help="load the demo organisation")] = False,
    scale: Annotated[str, typer.Option(help="small or paper")] = "small",
    today: Annotated[str | None, typer.Option(help="build the demo around this day")] = None,
    force: Annotated[bool, typer.Option(help="replace existing data")] = False,
    forecasts: Annotated[bool, typer.Option(help="fit demand forecasts after loading the demo")]
    = True,
) -> None:
    """Build the schema with the migrations and, with --demo, load the demo organisation."""
    from core import db
    from core.demo import SCALES, build_demo
    from core.models import Person

    if scale not in SCALES:
        fail(f"unknown scale {scale!r}; use one of: {', '.join(SCALES)}.")
    core = get_core()
    day = parse_day(today, "--today") or core.today()
    url = core.settings.database_url
    db.upgrade(url)
    with core.uow() as uow:
        existing = uow.session.scalar(select(func.count()).select_from(Person))
    if existing:
        if not force:
            fail(f"the database at {_safe_url(url)} already holds an organisation "
                 f"({existing} people); use --force to replace it.")
        core.engine.dispose()
        db.downgrade(url, "base")
        db.upgrade(url)
    if not demo:
        err.print(f"Schema ready at {_safe_url(url)}.")
        return
    started = time.perf_counter()
    with core.uow() as uow:
        summary = build_demo(uow.session, day, scale, core.zone)
        uow.audit(uow_actor(), "demo.loaded", "organisation", None,
                  after={"today": day, "scale": scale})
        uow.commit()
    err.print(f"Demo organisation ({summary.scale}) built around {day}: {summary.homes} homes, "
              f"{summary.units} units, {summary.staff} staff, {summary.shifts} shifts "
              f"in {time.perf_counter() - started:.1f}s.")
    if forecasts:
        from core.forecasting import fit_and_store_forecasts

        from dataclasses import replace as _replace
        from datetime import time as _time

        from core.clock import ManualClock
        from core.timeutil import local_instant

        # as the nightly job would have run early on day D, whatever today's real date is
        night_of_d = _replace(core, clock=ManualClock(local_instant(day, _time(2), core.zone)))
        started = time.perf_counter()
        fitted = fit_and_store_forecasts(night_of_d)
        err.print(f"Forecasts fitted for {fitted.units} units (as the nightly job does) "
                  f"in {time.perf_counter() - started:.1f}s.")


def uow_actor():  # type: ignore[no-untyped-def]
    from core.uow import Actor

    return Actor.system("staffbot init")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _home_ids(session: Any, home: str | None) -> frozenset[int] | None:
    from core.directory import find_home

    return None if home is None else frozenset({find_home(session, home).id})


def _date_range(day: str | None, start: str | None, end: str | None, today: date
                ) -> tuple[date, date]:
    if day and (start or end):
        fail("use either --date or --from/--to, not both.")
    d = parse_day(day, "--date")
    if d:
        return d, d
    s = parse_day(start, "--from") or today
    e = parse_day(end, "--to") or s
    if e < s:
        fail(f"--to {e} is before --from {s}.")
    return s, e


@app.command()
def gaps(
    day: Annotated[str | None, typer.Option("--date", help="one day, YYYY-MM-DD")] = None,
    start: Annotated[str | None, typer.Option("--from", help="first day")] = None,
    end: Annotated[str | None, typer.Option("--to", help="last day")] = None,
    home: Annotated[str | None, typer.Option(help="one home")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """Required vs. rostered staff, after leave and sickness: where are we short?"""
    from core.staffing import staffing_gaps

    core = get_core()
    s, e = _date_range(day, start, end, core.today())
    with core.uow() as uow:
        try:
            rows = staffing_gaps(uow.session, s, e, _home_ids(uow.session, home))
        except StaffbotError as exc:
            fail(str(exc))
    if as_json:
        emit_json([r.to_json() for r in rows])
        return
    if not rows:
        out.print(f"No gaps from {s} to {e}.")
        return
    table = Table(title=f"Gaps {s} to {e}")
    for col in ("date", "home", "unit", "shift", "role", "required", "rostered", "short"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r.date), r.home, r.unit, r.shift_type, r.role, str(r.required),
                      str(r.rostered), f"[red]{r.short}[/red]")
    out.print(table)


@app.command("on-shift")
def on_shift_cmd(
    day: Annotated[str | None, typer.Option("--date", help="one day, YYYY-MM-DD")] = None,
    start: Annotated[str | None, typer.Option("--from")] = None,
    end: Annotated[str | None, typer.Option("--to")] = None,
    home: Annotated[str | None, typer.Option()] = None,
    shift_type: Annotated[str | None, typer.Option("--shift-type")] = None,
    role: Annotated[str | None, typer.Option()] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Who is working (present, not on leave or off sick)."""
    from core.directory import check_role, check_shift_type
    from core.staffing import on_shift

    core = get_core()
    s, e = _date_range(day, start, end, core.today())
    with core.uow() as uow:
        try:
            st = check_shift_type(uow.session, shift_type) if shift_type else None
            rl = check_role(uow.session, role) if role else None
            rows = on_shift(uow.session, s, e, _home_ids(uow.session, home), st, rl)
        except StaffbotError as exc:
            fail(str(exc))
    if as_json:
        emit_json([r.to_json() for r in rows])
        return
    table = Table(title=f"On shift {s} to {e}")
    for col in ("date", "home", "unit", "shift", "role", "name", "kind"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r.date), r.home, r.unit, r.shift_type, r.role, r.name, str(r.kind))
    out.print(table)


@app.command()
def parse(
    text: Annotated[str | None, typer.Argument(help="a message to parse")] = None,
    today: Annotated[str | None, typer.Option(help="resolve dates relative to this day")] = None,
    jsonl: Annotated[Path | None, typer.Option(help="a JSONL file with a text field per line")]
    = None,
) -> None:
    """Parse a message into one intent with slots (shared/spec/INTENTS.md)."""
    from bot.conversation.names import load_catalog
    from intents.cli_support import parse_lines
    from intents.parser import get_parser

    if (text is None) == (jsonl is None):
        fail("give either a TEXT to parse or --jsonl FILE.")
    core = get_core()
    day = parse_day(today, "--today") or core.today()
    with core.uow() as uow:
        catalog = load_catalog(uow.session)
    parser = get_parser(catalog)
    if text is not None:
        sys.stdout.write(json.dumps(parser.parse(text, day).to_json()) + "\n")
        return
    assert jsonl is not None
    if not jsonl.exists():
        fail(f"no such file: {jsonl}")
    with jsonl.open(encoding="utf-8", errors="replace") as handle:
        for result in parse_lines(parser, handle, day):
            sys.stdout.write(json.dumps(result) + "\n")


@app.command()
def chat(
    as_name: Annotated[str | None, typer.Option("--as", help="talk as this person")] = None,
    script: Annotated[Path | None, typer.Option(help="run a transcript file and print it")]
    = None,
) -> None:
    """A local conversation with the assistant, on a clock that /wait moves."""
    from bot.bootstrap import bootstrap, make_clock
    from bot.chat import ChatConsole
    from core.clock import ManualClock
    from core.config import load_settings

    settings = load_settings()
    core = bootstrap(settings, clock=ManualClock(make_clock(settings).now()))
    _require_organisation(core)
    console = ChatConsole(core, emit=lambda line: out.print(line, markup=False,
                                                            highlight=False, soft_wrap=True))
    if script is not None:
        if not script.exists():
            fail(f"no such transcript: {script}")
        try:
            console.run_script(script.read_text(encoding="utf-8").splitlines())
        except StaffbotError as exc:
            fail(str(exc))
        return
    _interactive(console, as_name)


def _require_organisation(core) -> None:  # type: ignore[no-untyped-def]
    from core.models import Person

    try:
        with core.uow() as uow:
            count = uow.session.scalar(select(func.count()).select_from(Person))
    except Exception:
        count = 0
    if not count:
        fail("no organisation in this database yet; run `staffbot init --demo` first.")


def _interactive(console, as_name: str | None) -> None:  # type: ignore[no-untyped-def]
    who = as_name or "Claire Docherty"
    try:
        console.find(who)
    except StaffbotError as exc:
        fail(str(exc))
    out.print(f"Talking as {who} (local time {console.core.clock.now().astimezone(console.core.zone):%a %d %b %H:%M}). "
              "Type a message; 'Name: text' speaks as someone else; '/as Name' switches; "
              "'/wait 30m' moves the clock; '/quit' ends.", highlight=False)
    while True:
        try:
            line = input(f"{who}> ").strip()
        except (EOFError, KeyboardInterrupt):
            out.print()
            return
        if line in ("/quit", "/exit"):
            return
        try:
            if line.startswith("/as "):
                console.find(line[4:])
                who = line[4:].strip()
            elif line.startswith("/") or (":" in line and _looks_named(console, line)):
                console.step(line)
            elif line:
                console.say(who, line)
        except StaffbotError as exc:
            err.print(f"[red]{exc}[/red]", highlight=False)


def _looks_named(console, line: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        console.find(line.split(":", 1)[0])
        return True
    except StaffbotError:
        return False


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    socket_mode: Annotated[bool | None, typer.Option(
        "--socket-mode/--no-socket-mode",
        help="also take Slack over Socket Mode (default: on when SLACK_APP_TOKEN is set)")]
    = None,
) -> None:
    """The web process: Slack, SMS and health endpoints."""
    import uvicorn

    from bot.bootstrap import bootstrap
    from bot.web import create_app

    core = bootstrap()
    web_app = create_app(core)
    from bot.slack.socket_mode import serve_with_socket_mode, socket_mode_wanted

    if socket_mode_wanted(core.settings, socket_mode):
        import asyncio

        asyncio.run(serve_with_socket_mode(web_app, core.settings, host, port))
        return
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


@app.command()
def scheduler(
    tick: Annotated[float, typer.Option(help="seconds between due-work runs")] = 30.0,
    once: Annotated[bool, typer.Option(help="run due work once and exit")] = False,
) -> None:
    """The one scheduler process (APScheduler): outreach waves, timeouts, alerts, delivery."""
    from bot.bootstrap import bootstrap, make_senders
    from scheduler.runner import run_scheduler

    core = bootstrap()
    run_scheduler(core, make_senders(core), tick_seconds=tick, once=once)


# `staffbot forecast ...` (demand forecasts) lives in bot/cli_forecast.py
from bot.cli_forecast import forecast_app; app.add_typer(forecast_app, name="forecast")  # noqa: I001

# `staffbot leave ...` (leave requests, decisions, balances) lives in bot/cli_leave.py
from bot.cli_leave import leave_app; app.add_typer(leave_app, name="leave")  # noqa: E402, E702, I001

# `staffbot ot ...` (overtime outreach) lives in bot/cli_ot.py; bot.capabilities registers every
# capability's notification texts and scheduled work (so `staffbot scheduler` advances outreach)
from bot.cli_ot import ot_app; app.add_typer(ot_app, name="ot")  # noqa: E402, E702, I001
# `staffbot dash link NAME` (one-time sign-in links to the web dashboards): bot/cli_dash.py
from bot.cli_dash import dash_app; app.add_typer(dash_app, name="dash")  # noqa: E402, E702, I001
import bot.capabilities  # noqa: E402, F401, I001


def main() -> None:
    try:
        app()
    except StaffbotError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
