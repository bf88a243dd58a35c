"""The ``staffbot`` command (the interface others script: see docs/getting-started.md).

JSON goes to stdout, messages and logs to stderr. Exit codes, the same for every command:

    0  done
    1  nothing found: no organisation yet, an unknown person, home or reference
    2  refused or invalid: bad options, dates or settings, not allowed, a conflict

With no ``STAFFBOT_DATABASE_URL`` every command uses the demo database in the project folder
(``staffbot-demo.db``, built by ``./dev.py demo``); with no ``STAFFBOT_NOW`` a demo database
runs on the demo's own stored clock (where it last got to), anything else on real time.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from bot.cli_dash import dash_app
from bot.cli_forecast import forecast_app
from bot.cli_leave import leave_app
from bot.cli_model import model_app
from bot.cli_ot import ot_app
from bot.cli_rota import rota_app
from bot.cli_secret import secret_app
from bot.cli_swap import swap_app
from core.errors import NotFound, StaffbotError

if TYPE_CHECKING:
    from core.app import Core
    from core.clock import Clock
    from core.config import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Staffbot: a conversational staffing assistant for care homes.",
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

EXIT_OK, EXIT_NOT_FOUND, EXIT_INVALID = 0, 1, 2
NO_ORGANISATION = (
    "no organisation in {where} yet: run ./dev.py demo first, "
    "or set STAFFBOT_DATABASE_URL to a database that has one."
)
# dates the commands accept (anything further out is a typo, and would overflow date sums)
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def exit_code_for(exc: BaseException | None) -> int:
    """1 for something that does not exist, 2 for everything refused or invalid."""
    return EXIT_NOT_FOUND if isinstance(exc, NotFound) else EXIT_INVALID


def fail(message: str | BaseException, code: int | None = None) -> NoReturn:
    """Print one error line and exit. Without ``code``: 1 when the error (or the exception
    being handled) is a NotFound, else 2."""
    if code is None:
        code = exit_code_for(message if isinstance(message, BaseException) else sys.exc_info()[1])
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-01-16.", EXIT_INVALID)
    if not FIRST_DAY <= day <= LAST_DAY:
        fail(
            f"{option} {value} is out of range; use a date from {FIRST_DAY} to {LAST_DAY}.",
            EXIT_INVALID,
        )
    return day


def load_cli_settings() -> Settings:
    """The settings, or exit 2 naming each bad value (never a traceback)."""
    from core.config import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        fail(f"bad setting: {exc}", EXIT_INVALID)


def _sqlite_file(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def where(url: str) -> str:
    """The database, as shown to people (no password)."""
    sqlite_file = _sqlite_file(url)
    if sqlite_file is not None:
        return str(sqlite_file)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def resolve_clock(settings: Settings, engine: Any) -> Clock:
    """STAFFBOT_NOW if set; else a demo database's own stored clock; else real time."""
    from bot.bootstrap import make_clock
    from core.clock import PinnedClock

    if settings.now:
        return make_clock(settings)
    from core.db import make_session_factory
    from core.demo_clock import stored_demo_clock

    with make_session_factory(engine)() as session:
        stored = stored_demo_clock(session)
    return PinnedClock(stored) if stored is not None else make_clock(settings)


def get_core(
    require_organisation: bool = True, clock: Clock | None = None, manual_clock: bool = False
) -> Core:
    """The core for one command: settings checked, database reachable, organisation present
    (unless ``require_organisation`` is off), clock resolved (see the module docstring)."""
    from bot.bootstrap import bootstrap
    from core.clock import ManualClock
    from core.db import make_engine

    settings = load_cli_settings()
    url = settings.database_url
    sqlite_file = _sqlite_file(url)
    if require_organisation and sqlite_file is not None and not sqlite_file.exists():
        fail(NO_ORGANISATION.format(where=sqlite_file), EXIT_NOT_FOUND)  # and make no file
    try:
        engine = make_engine(url)
        if require_organisation:
            _require_organisation(engine, url)
        chosen = clock or resolve_clock(settings, engine)
    except (StaffbotError, typer.Exit):
        raise
    except Exception as exc:  # driver missing, server down, not a database, bad credentials
        fail(f"cannot use the database at {where(url)}: {_first_line(exc)}", EXIT_INVALID)
    if manual_clock and not isinstance(chosen, ManualClock):
        chosen = ManualClock(_not_behind_the_demo(settings, engine, chosen.now()))
    return bootstrap(settings, clock=chosen, engine=engine)


def _not_behind_the_demo(settings: Settings, engine: Any, start: datetime) -> datetime:
    """A console session never starts before the demo's own clock: moving it back under
    what the demo already holds would have things happen before they were asked for."""
    from datetime import timedelta

    from core.db import make_session_factory
    from core.demo_clock import stored_demo_clock

    with make_session_factory(engine)() as session:
        stored = stored_demo_clock(session)
    if stored is None or start >= stored - timedelta(minutes=5):
        return start
    local = stored.astimezone(tz_of(settings))
    err.print(
        f"Continuing from the demo's own clock, {local:%a %d %b %H:%M}, not "
        f"STAFFBOT_NOW (earlier, under what the demo already holds); "
        "./dev.py demo --fresh rebuilds the demo.",
        highlight=False,
    )
    return stored


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _require_organisation(engine: Any, url: str, quiet: bool = False) -> None:
    from sqlalchemy import inspect

    from core.db import make_session_factory
    from core.models import Person

    count = 0
    if inspect(engine).has_table("people"):
        with make_session_factory(engine)() as session:
            count = session.scalar(select(func.count()).select_from(Person)) or 0
    if not count:
        if quiet:
            raise typer.Exit(EXIT_NOT_FOUND)
        fail(NO_ORGANISATION.format(where=where(url)), EXIT_NOT_FOUND)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


@app.command()
def init(
    demo: Annotated[bool, typer.Option("--demo", help="load the demo organisation")] = False,
    scale: Annotated[str, typer.Option(help="small, paper or paper10")] = "small",
    today: Annotated[str | None, typer.Option(help="build the demo around this day")] = None,
    force: Annotated[bool, typer.Option(help="replace existing data")] = False,
    forecasts: Annotated[
        bool, typer.Option(help="fit demand forecasts after loading the demo")
    ] = True,
) -> None:
    """Build the schema with the migrations and, with --demo, load the demo organisation."""
    from core import db
    from core.clock import ManualClock
    from core.demo import SCALES, build_demo
    from core.demo_clock import DEMO_LOADED
    from core.models import Person

    if scale not in SCALES:
        fail(f"unknown scale {scale!r}; use one of: {', '.join(SCALES)}.", EXIT_INVALID)
    settings = load_cli_settings()
    if demo and not settings.secret_key:
        settings = _demo_key(settings)
    start = _demo_start(settings, parse_day(today, "--today"))
    core = get_core(require_organisation=False, clock=ManualClock(start))
    day = core.today()
    url = core.settings.database_url
    try:
        db.upgrade(url)
    except Exception as exc:
        fail(f"cannot build the schema at {where(url)}: {_first_line(exc)}", EXIT_INVALID)
    with core.uow() as uow:
        existing = uow.session.scalar(select(func.count()).select_from(Person))
    if existing:
        if not force:
            fail(
                f"the database at {where(url)} already holds an organisation "
                f"({existing} people); use --force to replace it.",
                EXIT_INVALID,
            )
        _wipe(core.engine)
        db.upgrade(url)
    if not demo:
        err.print(f"Schema ready at {where(url)}.")
        return
    started = time.perf_counter()
    with core.uow() as uow:
        summary = build_demo(uow.session, day, scale, core.zone)
        # the demo's clock starts here (core.demo_clock): later commands continue from it
        uow.audit(
            uow_actor(),
            DEMO_LOADED,
            "organisation",
            None,
            after={"today": day, "scale": scale, "clock": start},
        )
        uow.commit()
    err.print(
        f"Demo organisation ({summary.scale}) built around {day}: {summary.homes} homes, "
        f"{summary.units} units, {summary.staff} staff, {summary.shifts} shifts "
        f"in {time.perf_counter() - started:.1f}s."
    )
    if forecasts:
        _fit_demo_forecasts(core, day)


def _demo_key(settings: Settings) -> Settings:
    """A demo on SQLite without STAFFBOT_SECRET_KEY generates its own key once and keeps it
    beside the database (core/secrets.py); elsewhere the key must be set."""
    from core.secrets import demo_key_file, new_secret_key, write_demo_key

    if demo_key_file(settings.database_url) is None:
        fail(
            "STAFFBOT_SECRET_KEY is not set: a demo on this database needs one "
            "(`staffbot secret new` prints a new key).",
            EXIT_INVALID,
        )
    path = write_demo_key(settings.database_url, new_secret_key())
    err.print(
        f"Generated this demo's own secret key in {path} (set STAFFBOT_SECRET_KEY to use your own)."
    )
    return load_cli_settings()


def _wipe(engine: Any) -> None:
    """Drop every table (``init --force``), in dependency order, whatever migrations made
    them: a rebuild must not depend on each migration's downgrade."""
    from sqlalchemy import MetaData

    metadata = MetaData()
    metadata.reflect(bind=engine)
    metadata.drop_all(bind=engine)
    engine.dispose()


def _demo_start(settings: Settings, day: date | None) -> datetime:
    """Where a new demo's clock starts: STAFFBOT_NOW (if on --today), else 09:00 on --today,
    else now."""
    from datetime import time as clock_time

    from bot.bootstrap import make_clock
    from core.timeutil import local_date, local_instant, tz

    zone = tz(settings.timezone)
    now = make_clock(settings).now()
    if day is None or local_date(now, zone) == day:
        return now
    return local_instant(day, clock_time(9), zone)


def _fit_demo_forecasts(core: Core, day: date) -> None:
    from dataclasses import replace
    from datetime import time as clock_time

    from core.clock import ManualClock
    from core.forecasting import fit_and_store_forecasts
    from core.timeutil import local_instant

    # as the nightly job would have run early on day D, whatever today's real date is
    night_of_d = replace(core, clock=ManualClock(local_instant(day, clock_time(2), core.zone)))
    started = time.perf_counter()
    fitted = fit_and_store_forecasts(night_of_d)
    err.print(
        f"Forecasts fitted for {fitted.units} units (as the nightly job does) "
        f"in {time.perf_counter() - started:.1f}s."
    )


@app.command("demo-info", hidden=True)
def demo_info() -> None:
    """JSON for ./dev.py: {database, organisation, demo, clock} (clock: local ISO time)."""
    from core.db import make_engine, make_session_factory
    from core.demo_clock import is_demo

    settings = load_cli_settings()
    url = settings.database_url
    info: dict[str, Any] = {
        "database": where(url),
        "organisation": False,
        "demo": False,
        "clock": None,
    }
    sqlite_file = _sqlite_file(url)
    if sqlite_file is None or sqlite_file.exists():
        try:
            engine = make_engine(url)
            _require_organisation(engine, url, quiet=True)
            info["organisation"] = True
            with make_session_factory(engine)() as session:
                info["demo"] = is_demo(session)
            clock = resolve_clock(settings, engine)
            info["clock"] = clock.now().astimezone(tz_of(settings)).isoformat(timespec="minutes")
        except typer.Exit:
            pass
        except Exception as exc:
            fail(f"cannot use the database at {where(url)}: {_first_line(exc)}", EXIT_INVALID)
    emit_json(info)
    if not info["organisation"]:
        raise typer.Exit(EXIT_NOT_FOUND)


def tz_of(settings: Settings) -> Any:
    from core.timeutil import tz

    return tz(settings.timezone)


def uow_actor():  # type: ignore[no-untyped-def]
    from core.uow import Actor

    return Actor.system("staffbot init")


def _home_ids(session: Any, home: str | None) -> frozenset[int] | None:
    return None if home is None else frozenset({find_home_like_chat(session, home).id})


def find_home_like_chat(session: Any, typed: str) -> Any:
    """A home as chat finds one: full name, short form ("victoria"), small typos."""
    from core.directory import find_home, home_names
    from core.name_match import match_home

    return find_home(session, match_home(typed, list(home_names(session))))


def find_person_like_chat(session: Any, typed: str) -> Any:
    """A person as chat finds one: full name, unique first name or surname, small typos."""
    from core.directory import find_person, person_names
    from core.name_match import match_person

    return find_person(session, match_person(typed, list(person_names(session))))


def _date_range(
    day: str | None, start: str | None, end: str | None, today: date
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
        table.add_row(
            str(r.date),
            r.home,
            r.unit,
            r.shift_type,
            r.role,
            str(r.required),
            str(r.rostered),
            f"[red]{r.short}[/red]",
        )
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
    jsonl: Annotated[
        Path | None, typer.Option(help="a JSONL file with a text field per line")
    ] = None,
) -> None:
    """Parse a message into one intent with slots (the contract: docs/intents.md)."""
    from bot.conversation.names import load_catalog
    from intents.catalog import Catalog
    from intents.cli_support import parse_lines
    from intents.parser import get_parser

    if (text is None) == (jsonl is None):
        fail("give either a TEXT to parse or --jsonl FILE.")
    day = parse_day(today, "--today")
    settings = load_cli_settings()
    sqlite_file = _sqlite_file(settings.database_url)
    if sqlite_file is not None and not sqlite_file.exists():
        catalog = Catalog(homes=(), staff=())  # no organisation: parse without its names
        if day is None:
            day = date.today()
    else:
        core = get_core(require_organisation=False)
        day = day or core.today()
        try:
            with core.uow() as uow:
                catalog = load_catalog(uow.session)
        except Exception:  # an empty schema: no names to match
            catalog = Catalog(homes=(), staff=())
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
    script: Annotated[Path | None, typer.Option(help="run a transcript file and print it")] = None,
) -> None:
    """A local conversation with the assistant, on a clock that /wait moves."""
    from bot.chat import ChatConsole

    core = get_core(manual_clock=True)
    console = ChatConsole(
        core,
        emit=lambda line: out.print(line, markup=False, highlight=False, soft_wrap=True),
        note=lambda line: err.print(line, markup=False, highlight=False, soft_wrap=True),
    )
    try:
        if script is not None:
            if not script.exists():
                fail(f"no such transcript: {script}", EXIT_NOT_FOUND)
            try:
                console.run_script(script.read_text(encoding="utf-8").splitlines())
            except StaffbotError as exc:
                fail(exc)
            return
        _interactive(console, as_name)
    finally:
        _keep_demo_clock(core)


def _keep_demo_clock(core: Core) -> None:
    """A demo remembers where its clock got to, so the next session continues from there."""
    from core.demo_clock import is_demo, record_demo_clock

    with core.uow() as uow:
        if is_demo(uow.session):
            record_demo_clock(uow)
            uow.commit()


def _interactive(console, as_name: str | None) -> None:  # type: ignore[no-untyped-def]
    who = as_name or "Claire Docherty"
    try:
        who = console.find(who)[1]
    except StaffbotError as exc:
        fail(exc)
    _warm_up(console)
    local = console.core.clock.now().astimezone(console.core.zone)
    out.print(
        f"Talking as {who} (local time {local:%a %d %b %H:%M}). "
        "Type a message; 'Name: text' speaks as someone else; '/as Name' switches; "
        "'/wait 30m' moves the clock; '/quit' ends.",
        highlight=False,
    )
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
                who = console.find(line[4:])[1]
            elif line.startswith("/") or (":" in line and _looks_named(console, line)):
                console.step(line)
            elif line:
                console.say(who, line)
        except StaffbotError as exc:
            err.print(f"[red]{exc}[/red]", highlight=False)


def _warm_up(console: Any) -> None:
    """Load the parser (and its model) before the prompt, so the first message is answered
    at once; a model not built yet trains here, once (``staffbot model build`` does it at
    set-up)."""
    started = time.perf_counter()
    parser = console.conversation.parser()  # the name catalog; loads (or trains) the model
    parser.parse("hello", console.core.today())  # first-call costs, before anyone types
    if time.perf_counter() - started > 2:
        err.print(f"(language model ready in {time.perf_counter() - started:.0f}s)")


def _looks_named(console, line: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        console.find(line.split(":", 1)[0])
        return True
    except StaffbotError:
        return False


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="web worker processes (default: the number of cores)"),
    ] = None,
    socket_mode: Annotated[
        bool | None,
        typer.Option(
            "--socket-mode/--no-socket-mode",
            help="also take Slack over Socket Mode (default: on when SLACK_APP_TOKEN is set)",
        ),
    ] = None,
) -> None:
    """The web process: Slack, SMS, health (/healthz) and readiness (/readyz) endpoints.

    The app and its parser are loaded once, in this process; then the workers are forked
    from it, sharing the port and the loaded parser, so each is ready as it starts (/readyz
    says when). Everything shared lives in the database, so any worker can take any
    message."""
    import os

    from bot.bootstrap import bootstrap
    from bot.slack.socket_mode import serve_with_socket_mode, socket_mode_wanted
    from bot.web import serve as serve_forked

    # the cores this process may use (as nproc counts them), else the machine's
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    count = workers or cores or 1
    core = bootstrap()
    core.settings.check_startup_secrets()  # fail closed: MissingSecret is one line, exit 2
    if socket_mode_wanted(core.settings, socket_mode):
        import asyncio

        from bot.web import create_app

        # one Socket Mode connection: one process (Slack spreads nothing over sockets)
        asyncio.run(serve_with_socket_mode(create_app(core), core.settings, host, port))
        return
    serve_forked(core, host, port, count)


@app.command()
def scheduler(
    tick: Annotated[float, typer.Option(help="seconds between due-work runs")] = 30.0,
    once: Annotated[bool, typer.Option(help="run due work once and exit")] = False,
    deliver_every: Annotated[
        float, typer.Option(min=0.2, help="seconds between outbox delivery runs")
    ] = 2.0,
) -> None:
    """The scheduler process (APScheduler): outreach waves, timeouts, alerts, delivery. Run
    two for failover: one leads (a lease in the database), both deliver."""
    from bot.bootstrap import bootstrap, make_senders, standard_registry
    from bot.delivery import courier
    from scheduler.runner import run_scheduler

    core = bootstrap()
    core.settings.check_startup_secrets()  # fail closed: MissingSecret is one line, exit 2
    registry = standard_registry()  # each capability's jobs, cron jobs and failure hooks
    run_scheduler(
        core,
        courier(make_senders(core), registry.failure_hooks),
        tick_seconds=tick,
        once=once,
        deliver_seconds=deliver_every,
        jobs=registry.jobs,
        cron_jobs=registry.cron_jobs,
    )


# The sub-commands, each in a module of its own (they import from this module only inside
# their functions, so there is no import cycle).
for _sub_app, _name in (
    (forecast_app, "forecast"),  # demand forecasts
    (leave_app, "leave"),  # leave requests, decisions, balances
    (ot_app, "ot"),  # overtime outreach
    (swap_app, "swap"),  # shift swaps and give-aways
    (dash_app, "dash"),  # one-time sign-in links to the dashboards
    (rota_app, "rota"),  # draft rotas: generate, show, publish
    (model_app, "model"),  # the intent model, built ahead of the first message
    (secret_app, "secret"),  # the key for phone numbers and reasons
):
    app.add_typer(_sub_app, name=_name)


def main() -> None:
    """The ``staffbot`` entry point: problems a user can act on are one line, never a
    traceback, with the exit code of their kind (see the module docstring)."""
    from core.config import SettingsError

    try:
        app()
    except StaffbotError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(exit_code_for(exc))
    except SettingsError as exc:
        err.print(f"[red]error:[/red] bad setting: {exc}", highlight=False)
        sys.exit(EXIT_INVALID)
    except OverflowError as exc:  # e.g. serve --port 99999, a date sum past year 9999
        err.print(f"[red]error:[/red] a value is out of range: {exc}", highlight=False)
        sys.exit(EXIT_INVALID)


if __name__ == "__main__":
    main()
