"""``staffbot rota ...``: draft, show and publish optimised rotas (CP-SAT).

    staffbot rota generate --home H --from D (--weeks N | --to D) [--time-limit S] [--json]
    staffbot rota show REF [--json]
    staffbot rota publish REF [--json]

JSON goes to stdout, errors to stderr with a non-zero exit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Annotated, Any

import typer
from rich.table import Table

from core.errors import StaffbotError

rota_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Rotas: solve a draft for a home, look at it, publish it.",
)


def _cli():  # type: ignore[no-untyped-def]
    # bot.cli imports this module at the end of its own import; reach it lazily
    from bot import cli

    return cli


@rota_app.command("generate")
def generate_cmd(
    home: Annotated[str, typer.Option(help="the home, e.g. 'Victoria Gardens'")],
    start: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD")],
    weeks: Annotated[int | None, typer.Option(help="weeks to cover (1-8)")] = None,
    end: Annotated[str | None, typer.Option("--to", help="last day, YYYY-MM-DD")] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", help="seconds the solver may take (default STAFFBOT_ROTA_TIME_LIMIT)"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """Solve a draft rota and store it; the real rota is unchanged until it is published."""
    from core.rota import service
    from core.uow import Actor

    cli = _cli()
    first = cli.parse_day(start, "--from")
    if (weeks is None) == (end is None):
        cli.fail("give one of --weeks N or --to YYYY-MM-DD.")
    if weeks is not None:
        if not 1 <= weeks <= 8:
            cli.fail("--weeks must be between 1 and 8.")
        last = first + timedelta(days=7 * weeks - 1)
    else:
        last = cli.parse_day(end, "--to")
    if time_limit is not None and time_limit <= 0:
        cli.fail("--time-limit must be positive.")
    core = cli.get_core()
    try:
        doc = service.generate(
            core, home, first, last, Actor.system("staffbot rota generate"), time_limit=time_limit
        )
    except StaffbotError as exc:
        cli.fail(str(exc))
    _emit(doc, as_json)


@rota_app.command("show")
def show_cmd(
    ref: Annotated[str, typer.Argument(help="the draft's number")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """A stored draft: the same document as generate printed."""
    from core.rota import service

    cli = _cli()
    try:
        doc = service.show(cli.get_core(), ref)
    except StaffbotError as exc:
        cli.fail(str(exc))
    _emit(doc, as_json)


@rota_app.command("publish")
def publish_cmd(
    ref: Annotated[str, typer.Argument(help="the draft's number")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """Write the draft's shifts as the rota (one transaction, audited). Refused if what the
    draft was solved from (leave, sickness, confirmed shifts, staff) has changed."""
    from core.rota import service
    from core.uow import Actor

    cli = _cli()
    try:
        result = service.publish(cli.get_core(), ref, Actor.system("staffbot rota publish"))
    except service.DraftOutdated as exc:
        if as_json:
            cli.emit_json(
                {
                    "ref": exc.ref,
                    "published": False,
                    "shifts_added": 0,
                    "shifts_removed": 0,
                    "changes": exc.changes,
                }
            )
        cli.fail(str(exc), 2)
    except StaffbotError as exc:
        cli.fail(str(exc))
    if as_json:
        cli.emit_json(result.to_json())
        return
    cli.out.print(
        f"Draft {result.ref} published for {result.home} ({result.start} to "
        f"{result.end}): {result.shifts_added} shifts added, "
        f"{result.shifts_removed} removed.",
        highlight=False,
    )


def _emit(doc: dict[str, Any], as_json: bool) -> None:
    cli = _cli()
    if as_json:
        cli.emit_json(
            {k: v for k, v in doc.items() if k not in ("summary", "breaches", "relaxed")}
            | {
                "summary": doc.get("summary"),
                "breaches": doc.get("breaches", []),
                "relaxed": doc.get("relaxed", []),
            }
        )
        return
    gap = (
        "optimal"
        if doc["status"] == "OPTIMAL"
        else (
            f"{doc['gap_pct']:.1f}% from the proven bound"
            if doc.get("gap_pct") is not None
            else "no rota found"
        )
    )
    cli.out.print(
        f"Draft {doc['ref']}: {doc['home']}, {doc['from']} to {doc['to']} - "
        f"{doc['status']} ({gap}) in {doc['seconds']:.1f}s"
        + (" [published]" if doc.get("published") else ""),
        highlight=False,
    )
    if doc["assignments"]:
        cli.out.print(_grid(doc))
    if doc["shortfalls"]:
        table = Table(title="Short: no rota meets every rule")
        for col in ("date", "unit", "shift", "role", "need", "possible", "why"):
            table.add_column(col)
        for s in doc["shortfalls"]:
            table.add_row(
                s["date"],
                s["unit"],
                s["shift_type"],
                s["role"],
                str(s["required"]),
                str(s["possible"]),
                "; ".join(s["reasons"]) or "-",
            )
        cli.out.print(table)
    summary = doc.get("summary") or {}
    for label in ("draft", "current"):
        m = summary.get(label)
        if m:
            cli.out.print(
                f"{label.title()} rota: £{m['cost']:,.0f}, {m['shifts']} shifts, "
                f"{m['short']} of {m['required']} required short; nights per person "
                f"{m['nights']['fewest']}-{m['nights']['most']}, weekends "
                f"{m['weekends']['fewest']}-{m['weekends']['most']}.",
                highlight=False,
            )


def _grid(doc: dict[str, Any]) -> Table:
    """One row per person, one column per day: E(arly) L(ate) N(ight) D (long day)."""
    first, last = date.fromisoformat(doc["from"]), date.fromisoformat(doc["to"])
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    letter = {"early": "E", "late": "L", "night": "N", "long_day": "D"}
    rows: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    units: dict[str, str] = {}
    for a in doc["assignments"]:
        rows[(a["role"], a["name"])][a["date"]] = letter.get(
            a["shift_type"], a["shift_type"][:1].upper()
        )
        units.setdefault(a["name"], a["unit"])
    table = Table(title="E early, L late, N night, D long day")
    table.add_column("name")
    table.add_column("role")
    for d in days:
        table.add_column(f"{d:%a}"[:2] + f"{d.day}", justify="center")
    for (role, name), by_day in sorted(rows.items()):
        table.add_row(name, role, *[by_day.get(d.isoformat(), "") for d in days])
    return table
