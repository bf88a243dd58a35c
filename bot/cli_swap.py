"""``staffbot swap ...``: list swaps, and decide one waiting for a manager.

``staffbot swap list [--status S] [--json]`` is a contract: JSON is a list of ``{ref, kind,
from_name, to_name, shift: {date, home, shift_type}, other_shift, status, reason}``; kind
SWAP or GIVEAWAY; ``to_name`` and ``other_shift`` null where there are none.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

swap_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Shift swaps and give-aways: list them, decide those in review.",
)
out = Console()
if not out.is_terminal:  # piped or captured: room for the reasons rather than 80 columns
    out = Console(width=160)
say = Console(soft_wrap=True)

STATUS_COLOURS = {
    "APPROVED": "green",
    "MANUAL_REVIEW": "yellow",
    "PENDING": "yellow",
    "DENIED": "red",
    "CANCELLED": "dim",
    "EXPIRED": "dim",
}


@swap_app.command("list")
def list_cmd(
    status: Annotated[
        str | None,
        typer.Option(help="PENDING, APPROVED, MANUAL_REVIEW, DENIED, CANCELLED or EXPIRED"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """Swaps and give-aways, oldest first: who, which shifts, where each stands and why."""
    from bot.cli import emit_json, fail, get_core
    from core.errors import StaffbotError
    from core.swaps.service import list_swaps, parse_status

    try:
        wanted = parse_status(status) if status is not None else None
    except StaffbotError as exc:
        fail(str(exc))
    core = get_core()
    with core.read() as uow:
        rows = list_swaps(uow.session, status=wanted)
    if as_json:
        emit_json([r.to_json() for r in rows])
        return
    if not rows:
        say.print("No swaps" + (f" with status {wanted}." if wanted else "."))
        return
    table = Table(title=f"Swaps{f' ({wanted})' if wanted else ''}: {len(rows)}")
    for col in ("ref", "kind", "from", "to", "shift", "their shift", "status", "reason"):
        wrap = col in ("reason",)
        table.add_column(col, overflow="fold" if wrap else "ellipsis", no_wrap=not wrap)
    for r in rows:
        colour = STATUS_COLOURS.get(str(r.status), "white")
        table.add_row(
            str(r.ref),
            str(r.kind),
            r.from_name,
            r.to_name or "-",
            f"{r.shift.words}, {r.shift.home}",
            r.other_shift.words if r.other_shift else "-",
            f"[{colour}]{r.status}[/{colour}]",
            r.reason or "",
        )
    out.print(table)


def _decide(ref: int, approve: bool, by: str, reason: str | None) -> None:
    from bot.cli import fail, find_person_like_chat, get_core
    from core.errors import StaffbotError
    from core.permissions import scope_for
    from core.swaps.service import DecideSwap, decide_swap
    from core.uow import Actor

    core = get_core()
    try:
        with core.uow() as uow:
            manager = find_person_like_chat(uow.session, by)
            scope = scope_for(manager)
        outcome = decide_swap(
            core,
            DecideSwap(approve, ref=ref, reason=reason),
            scope,
            actor=Actor(scope.name, scope.person_id),
        )
    except StaffbotError as exc:
        fail(str(exc))
    v = outcome.swap
    assert v is not None
    say.print(
        f"Swap {v.ref} ({v.from_name} -> {v.to_name}, {v.shift.words}): {v.status} by "
        f"{scope.name}; both have been told."
    )


@swap_app.command()
def approve(
    ref: Annotated[int, typer.Argument(help="the swap's ref")],
    by: Annotated[str, typer.Option(help="the deciding manager's name")],
) -> None:
    """Approve a swap waiting for a manager (the safety rules are checked again)."""
    _decide(ref, True, by, None)


@swap_app.command()
def deny(
    ref: Annotated[int, typer.Argument(help="the swap's ref")],
    by: Annotated[str, typer.Option(help="the deciding manager's name")],
    reason: Annotated[str | None, typer.Option(help="passed on to both people")] = None,
) -> None:
    """Deny a swap waiting for a manager."""
    _decide(ref, False, by, reason)
