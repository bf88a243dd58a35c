"""``staffbot leave ...``: list, request, decide and cancel leave; balances.

``staffbot leave list [--status S] [--json]`` is a contract (docs/interfaces.md):
JSON is a list of ``{ref, name, start_date, end_date, leave_type, status, reason}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # keeps `staffbot --help` and other commands from loading the models
    from core.permissions import Scope

leave_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Leave requests: automatic approval by rule, manager decisions, balances.",
)
out = Console()
if not out.is_terminal:  # piped or captured: room for the reasons rather than 80 columns
    out = Console(width=160)
say = Console(soft_wrap=True)  # sentences: never wrapped mid-word

STATUS_COLOURS = {
    "APPROVED": "green",
    "MANUAL_REVIEW": "yellow",
    "PENDING": "yellow",
    "DENIED": "red",
    "CANCELLED": "dim",
}


@dataclass(frozen=True)
class Named:
    id: int
    full_name: str
    scope: Scope


def _person(core: Any, name: str) -> Named:
    """A person as chat finds them (full name, unique first name or surname, small typos),
    as plain values (the session is closed on return)."""
    from bot.cli import fail, find_person_like_chat
    from core.errors import StaffbotError
    from core.permissions import scope_for

    with core.uow() as uow:
        try:
            person = find_person_like_chat(uow.session, name)
        except StaffbotError as exc:
            fail(str(exc))
        return Named(person.id, person.full_name, scope_for(person))


def _day(value: str, option: str) -> date:
    from bot.cli import fail, parse_day

    day = parse_day(value, option)
    if day is None:  # pragma: no cover - typer makes these options required
        fail(f"{option} is required.")
    return day


@leave_app.command("list")
def list_cmd(
    status: Annotated[
        str | None, typer.Option(help="PENDING, APPROVED, MANUAL_REVIEW, DENIED or CANCELLED")
    ] = None,
    home: Annotated[str | None, typer.Option(help="only staff of this home")] = None,
    person: Annotated[str | None, typer.Option(help="only this person's requests")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """Leave requests, oldest first: who, when, what kind, where it stands and why."""
    from bot.cli import emit_json, fail, find_home_like_chat, get_core
    from core.errors import StaffbotError
    from core.leave import list_leave, parse_status

    try:
        wanted = parse_status(status) if status is not None else None
    except StaffbotError as exc:
        fail(str(exc))
    core = get_core()
    with core.uow() as uow:
        try:
            home_ids = frozenset({find_home_like_chat(uow.session, home).id}) if home else None
        except StaffbotError as exc:
            fail(str(exc))
    person_id = _person(core, person).id if person else None
    with core.uow() as uow:
        rows = list_leave(uow.session, status=wanted, home_ids=home_ids, person_id=person_id)
    if as_json:
        emit_json([r.to_json() for r in rows])
        return
    if not rows:
        say.print("No leave requests" + (f" with status {wanted}." if wanted else "."))
        return
    table = Table(title=f"Leave requests{f' ({wanted})' if wanted else ''}: {len(rows)}")
    for col in ("ref", "name", "from", "to", "days", "type", "status", "reason"):
        wrap = col in ("name", "reason")
        table.add_column(col, overflow="fold" if wrap else "ellipsis", no_wrap=not wrap)
    for r in rows:
        colour = STATUS_COLOURS.get(str(r.status), "white")
        table.add_row(
            str(r.ref),
            r.name,
            str(r.start_date),
            str(r.end_date),
            f"{r.days:g}",
            str(r.leave_type),
            f"[{colour}]{r.status}[/{colour}]",
            r.reason or "",
        )
    out.print(table)


@leave_app.command()
def request(
    name: Annotated[str, typer.Argument(help="the person asking (a unique first name will do)")],
    start: Annotated[str, typer.Option("--from", help="first day off, YYYY-MM-DD")],
    end: Annotated[str | None, typer.Option("--to", help="last day off (default: --from)")] = None,
    leave_type: Annotated[
        str,
        typer.Option(
            "--type", help="annual, personal, training, unpaid, compassionate, sickness, maternity"
        ),
    ] = "annual",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Ask for leave on someone's behalf; the rules decide at once, as by message."""
    from bot.cli import emit_json, fail, get_core
    from core.errors import StaffbotError
    from core.leave import RequestLeave, request_leave
    from core.models import LeaveType

    try:
        kind = LeaveType(leave_type.strip().lower())
    except ValueError:
        fail(
            f"unknown leave type {leave_type!r}; use one of: "
            f"{', '.join(t.value for t in LeaveType)}."
        )
    first = _day(start, "--from")
    last = _day(end, "--to") if end else first
    core = get_core()
    who = _person(core, name)
    try:
        outcome = request_leave(core, RequestLeave(who.id, first, last, kind))
    except StaffbotError as exc:
        fail(str(exc))
    if as_json:
        data = outcome.request.to_json()
        data["checks"] = [c.to_json() for c in outcome.checks]
        data["reviewers"] = outcome.reviewers
        emit_json(data)
        return
    r = outcome.request
    if outcome.approved:
        say.print(
            f"Leave {r.ref} for {r.name} ({r.start_date} to {r.end_date}, {r.days:g} "
            "days): APPROVED automatically."
        )
    else:
        say.print(
            f"Leave {r.ref} for {r.name} ({r.start_date} to {r.end_date}, {r.days:g} "
            f"days): MANUAL_REVIEW, sent to {', '.join(outcome.reviewers) or 'nobody'}.",
            highlight=False,
        )
        for reason in outcome.reasons:
            say.print(f"  - {reason}")


def _decide(ref: int, approve: bool, by: str, reason: str | None) -> None:
    from bot.cli import fail, get_core
    from core.errors import StaffbotError
    from core.leave import DecideLeave, decide_leave

    core = get_core()
    scope = _person(core, by).scope
    try:
        decision = decide_leave(core, DecideLeave(approve, ref=ref, reason=reason), scope)
    except StaffbotError as exc:
        fail(str(exc))
    r = decision.request
    say.print(f"Leave {r.ref} for {r.name}: {r.status} by {r.decided_by}; {r.name} has been told.")


@leave_app.command()
def approve(
    ref: Annotated[int, typer.Argument(help="the leave request's number")],
    by: Annotated[str, typer.Option(help="the deciding manager, full name")],
) -> None:
    """Approve a request awaiting a decision, as a manager (their homes only)."""
    _decide(ref, True, by, None)


@leave_app.command()
def deny(
    ref: Annotated[int, typer.Argument(help="the leave request's number")],
    by: Annotated[str, typer.Option(help="the deciding manager, full name")],
    reason: Annotated[str | None, typer.Option(help="told to the requester")] = None,
) -> None:
    """Deny a request awaiting a decision, with a reason for the requester."""
    _decide(ref, False, by, reason)


@leave_app.command()
def cancel(
    ref: Annotated[int, typer.Argument(help="the leave request's number")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Cancel approved or undecided leave; its days go back to the balance and the person
    is told."""
    from bot.cli import emit_json, fail, get_core
    from core.errors import StaffbotError
    from core.leave import CancelLeave, cancel_leave

    core = get_core()
    try:
        decision = cancel_leave(core, CancelLeave(ref))
    except StaffbotError as exc:
        fail(str(exc))
    r = decision.request
    if as_json:
        data = r.to_json()
        data["balance"] = decision.balance.to_json() if decision.balance else None
        emit_json(data)
        return
    left = decision.balance.remaining if decision.balance else None
    say.print(
        f"Leave {r.ref} for {r.name} ({r.start_date} to {r.end_date}) cancelled"
        + (
            f"; {left:g} days left for {decision.balance.year}."
            if left is not None and decision.balance
            else "."
        )
    )


@leave_app.command()
def balance(
    name: Annotated[str, typer.Argument(help="a name (a unique first name will do)")],
    year: Annotated[int | None, typer.Option(help="default: this year")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A person's entitlement, leave taken, booked and awaiting a decision."""
    from bot.cli import emit_json, get_core
    from core.leave import balance_for

    core = get_core()
    who = _person(core, name)
    bal = balance_for(core, who.id, year)
    if as_json:
        emit_json({"name": who.full_name, **bal.to_json()})
        return
    if bal.entitlement is None:
        say.print(f"{who.full_name}: no entitlement recorded for {bal.year}.")
        return
    say.print(
        f"{who.full_name}, {bal.year}: entitlement {bal.entitlement:g}, taken "
        f"{bal.taken:g}, booked {bal.booked:g}, pending {bal.pending:g}; "
        f"{bal.remaining:g} days left."
    )
