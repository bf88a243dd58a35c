"""``staffbot ot ...``: overtime outreach from the command line (docs/interfaces.md).

    staffbot ot request --home H --date D --shift-type S --role R [--count N] [--extra]
                        [--max-contacts N] [--min-score X] [--profile P]
                        (--dry-run | --send) [--json]
    staffbot ot status REF [--json]
    staffbot ot agency (REF | --home H --date D --shift-type S --role R) --agency NAME
                       [--cost GBP] [--json]
    staffbot ot reopen REF [--json]

JSON goes to stdout, errors to stderr with a non-zero exit.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from core.errors import StaffbotError

ot_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Overtime outreach: rank staff for a shift, start outreach, follow it.",
)


def _cli():  # type: ignore[no-untyped-def]
    # bot.cli imports this module at the end of its own import; reach it lazily
    from bot import cli

    return cli


@ot_app.command("request")
def request_cmd(
    home: Annotated[str, typer.Option(help="the home, e.g. 'Victoria Gardens' or 'victoria'")],
    day: Annotated[str, typer.Option("--date", help="the shift's day, YYYY-MM-DD")],
    shift_type: Annotated[str, typer.Option("--shift-type", help="early, late, night, long_day")],
    role: Annotated[str, typer.Option(help="RN, SSW or HCA")],
    count: Annotated[int, typer.Option("--count", help="people wanted (default 1)")] = 1,
    extra: Annotated[
        bool,
        typer.Option(
            "--extra", help="people beyond what the rota needs (skip the already-covered check)"
        ),
    ] = False,
    max_contacts: Annotated[
        int | None, typer.Option("--max-contacts", help="people offered per wave (default 5)")
    ] = None,
    min_score: Annotated[float, typer.Option("--min-score", help="skip people below this")] = 0.0,
    profile: Annotated[
        str | None,
        typer.Option(
            help="ranking profile: balanced or reliability (default from STAFFBOT_OT_PROFILE)"
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="rank only; contact nobody")] = False,
    send: Annotated[
        bool, typer.Option("--send", help="start outreach: the first wave now")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """Rank eligible staff for a shift and, with --send, start outreach."""
    from core.directory import check_role, check_shift_type, find_home
    from core.overtime import RequestCover, preview_cover, request_cover, settings_for
    from core.uow import Actor

    cli = _cli()
    if dry_run == send:
        cli.fail("choose one of --dry-run (rank only) or --send (start outreach).")
    if max_contacts is not None and max_contacts < 1:
        cli.fail("--max-contacts must be at least 1.")
    if count < 1:
        cli.fail("--count must be at least 1.")
    shift_day = cli.parse_day(day, "--date")
    core = cli.get_core()
    settings = settings_for(core)
    if profile is not None:
        try:
            settings.weights(profile)
        except ValueError as exc:
            cli.fail(str(exc))
    try:
        with core.uow() as uow:
            home_row = find_home(uow.session, home)
            home_id, home_name = home_row.id, home_row.name
            code = check_shift_type(uow.session, shift_type)
            role_code = check_role(uow.session, role)
        if dry_run:
            ranking = preview_cover(core, home_id, shift_day, code, role_code, profile)
            summary = None
            contacted: set[str] = set()
        else:
            result = request_cover(
                core,
                RequestCover(
                    home_id=home_id,
                    date=shift_day,
                    shift_type=code,
                    role=role_code,
                    # the interface's contract: the top --max-contacts (default 5) at once, fixed
                    # waves after; chat and the triggers use the urgency bands
                    wave_size=max_contacts if max_contacts is not None else settings.wave_size,
                    min_score=min_score,
                    profile=profile,
                    count=count,
                    extra=extra,
                ),
                Actor.system("staffbot ot request"),
            )
            if result.duplicate_of is not None:
                dup = result.duplicate_of
                cli.fail(
                    f"{dup.ref} is already looking for this shift ({dup.status}, "
                    f"{len(dup.offers)} asked); see `staffbot ot status {dup.ref}`, "
                    "or add --extra for more people.",
                    1,
                )
            if result.covered_by is not None:
                who = ", ".join(result.covered_by) or "the rota"
                cli.fail(
                    f"The rota already covers this shift: {who}. Add --extra to look "
                    "for an extra person anyway.",
                    1,
                )
            ranking, summary = result.ranking, result.request
            contacted = {c.name for c in result.contacted}
    except StaffbotError as exc:
        cli.fail(str(exc))
    candidates = ranking.above(min_score)
    wave = max_contacts or settings.wave_size
    if as_json:
        cli.emit_json(
            {
                "request": _request_json(summary) if summary else None,
                "eligible_count": len(ranking.eligible),
                "candidates": [
                    {
                        **c.to_json(),
                        "rank": i,
                        "contacted": c.name in contacted if summary else i <= wave,
                    }
                    for i, c in enumerate(candidates, 1)
                ],
                "excluded": [
                    {
                        "name": c.name,
                        "reasons": [{"rule": r.code, "why": r.text} for r in c.reasons],
                    }
                    for c in ranking.excluded
                ],
                "profile": ranking.profile,
            }
        )
        return
    title = (
        f"{role_code} {code.replace('_', ' ')} {shift_day:%a %d %b %Y} at {home_name} - "
        f"{ranking.profile} ranking, {len(ranking.eligible)} eligible"
    )
    table = Table(title=title)
    for col in ("rank", "name", "role", "score", "acceptance", "last overtime", "home"):
        table.add_column(col, justify="right" if col in ("rank", "score", "acceptance") else "left")
    for i, c in enumerate(candidates, 1):
        mark = "*" if (c.name in contacted if summary else i <= wave) else ""
        table.add_row(
            f"{i}{mark}",
            c.name,
            c.role,
            f"{c.score:.1f}",
            f"{c.acceptance:.0%}",
            c.history.last_ot.isoformat() if c.history.last_ot else "never",
            c.home,
        )
    cli.out.print(table)
    if ranking.excluded:
        cli.out.print(
            f"Left out: {len(ranking.excluded)} ("
            + ", ".join(f"{n} {rule}" for rule, n in ranking.exclusion_counts().most_common())
            + ").",
            highlight=False,
        )
    if summary is None:
        cli.out.print(
            f"Dry run: nobody contacted. * = the first wave of {wave} with --send.", highlight=False
        )
    else:
        cli.out.print(
            f"{summary.ref} opened: {len(contacted)} offered now (*); "
            f"status {summary.status}. Follow it with `staffbot ot status "
            f"{summary.ref}`.",
            highlight=False,
        )


@ot_app.command("status")
def status_cmd(
    ref: Annotated[str, typer.Argument(help="the request, e.g. OT42 or 42")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """The state of one outreach: status, who filled it, every offer and its answer."""
    from core.overtime import parse_ref, request_summary

    cli = _cli()
    core = cli.get_core()
    try:
        request_id = parse_ref(ref)
        with core.uow() as uow:
            summary = request_summary(uow.session, request_id)
    except StaffbotError as exc:
        cli.fail(str(exc), 1)
    if as_json:
        data: dict[str, Any] = summary.to_json()
        cli.emit_json(
            {
                "ref": summary.id,
                "label": summary.ref,
                "status": summary.status,
                "filled_by": summary.filled_by,
                "slots": summary.slots,
                "filled": list(summary.filled),
                "offers": [
                    {
                        "name": o.name,
                        "response": o.response,
                        "contacted_at": o.contacted_at.isoformat(),
                        "responded_at": o.responded_at.isoformat() if o.responded_at else None,
                        "wave": o.wave,
                        "score": o.score,
                        "reason": o.reason,
                        "delivery": o.to_json()["delivery"],
                    }
                    for o in summary.offers
                ],
                **{
                    k: v
                    for k, v in data.items()
                    if k not in ("ref", "status", "filled_by", "offers")
                },
            }
        )
        return
    zone = core.zone
    ttf = summary.time_to_fill
    head = (
        f"{summary.ref} {summary.role} {summary.shift_type.replace('_', ' ')} "
        f"{summary.date:%a %d %b %Y} at {summary.home}: {summary.status}"
    )
    if summary.slots > 1:
        head += f" ({len(summary.filled)} of {summary.slots} places"
        head += f": {', '.join(summary.filled)})" if summary.filled else ")"
    elif summary.filled_by:
        head += f" by {summary.filled_by}"
    if summary.agency:
        cost = summary.agency.get("cost")
        head += f", agency {summary.agency['agency']}" + (f" £{cost:g}" if cost is not None else "")
    if ttf is not None:
        head += f" in {ttf.total_seconds() / 60:.0f} min"
    table = Table(title=head)
    for col in ("name", "wave", "score", "response", "contacted", "responded", "reason"):
        table.add_column(col)
    for o in summary.offers:
        table.add_row(
            o.name,
            str(o.wave),
            f"{o.score:.1f}",
            o.response,
            o.contacted_at.astimezone(zone).strftime("%a %H:%M"),
            o.responded_at.astimezone(zone).strftime("%a %H:%M") if o.responded_at else "-",
            o.reason or "",
        )
    cli.out.print(table)


@ot_app.command("agency")
def agency_cmd(
    ref: Annotated[
        str | None, typer.Argument(help="the request, e.g. OT42 (or give the shift)")
    ] = None,
    agency: Annotated[str, typer.Option("--agency", help="the agency's name")] = "",
    cost: Annotated[float | None, typer.Option("--cost", help="what it costs, in pounds")] = None,
    home: Annotated[str | None, typer.Option(help="the home (without REF)")] = None,
    day: Annotated[str | None, typer.Option("--date", help="the shift's day (without REF)")] = None,
    shift_type: Annotated[str | None, typer.Option("--shift-type", help="without REF")] = None,
    role: Annotated[str | None, typer.Option(help="without REF")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """Record agency cover for a request or a gap: closes the outreach (status AGENCY)."""
    from core.directory import check_role, check_shift_type, find_home
    from core.overtime import BookAgency, book_agency, parse_ref
    from core.uow import Actor

    cli = _cli()
    core = cli.get_core()
    try:
        if ref is not None:
            cmd = BookAgency(agency, cost, ref=parse_ref(ref))
        else:
            if not (home and day and shift_type and role):
                cli.fail("give REF, or --home, --date, --shift-type and --role.")
            assert home and shift_type and role
            with core.uow() as uow:
                home_id = find_home(uow.session, home).id
                code = check_shift_type(uow.session, shift_type)
                role_code = check_role(uow.session, role)
            cmd = BookAgency(
                agency,
                cost,
                home_id=home_id,
                date=cli.parse_day(day, "--date"),
                shift_type=code,
                role=role_code,
            )
        summary = book_agency(core, cmd, Actor.system("staffbot ot agency"))
    except StaffbotError as exc:
        cli.fail(str(exc), 1)
    if as_json:
        cli.emit_json(_request_json(summary))
        return
    money = f" (£{cost:g})" if cost is not None else ""
    cli.out.print(f"{summary.ref}: {summary.status}, {agency}{money}.", highlight=False)


@ot_app.command("reopen")
def reopen_cmd(
    ref: Annotated[str, typer.Argument(help="the request, e.g. OT42")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout")] = False,
) -> None:
    """Put a request back out (after a late withdrawal, or unfilled before its shift)."""
    from core.overtime import ReopenRequest, parse_ref, reopen_request
    from core.uow import Actor

    cli = _cli()
    core = cli.get_core()
    try:
        summary = reopen_request(
            core, ReopenRequest(parse_ref(ref)), Actor.system("staffbot ot reopen")
        )
    except StaffbotError as exc:
        cli.fail(str(exc), 1)
    if as_json:
        cli.emit_json(_request_json(summary))
        return
    cli.out.print(
        f"{summary.ref}: {summary.status}, {summary.count('SENT')} waiting to answer.",
        highlight=False,
    )


def _request_json(summary: Any) -> dict[str, Any]:
    """A request as scripts see it: ``ref`` is the number people quote ("YES 42",
    ``staffbot ot status 42``; an integer, as in INTENTS.md), ``label`` how texts write it."""
    return {**summary.to_json(), "ref": summary.id, "label": summary.ref}
