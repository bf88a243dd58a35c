"""Handlers for help, unknown, a person's own rota, and managers' staffing questions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from bot.conversation.context import Context
from bot.conversation.fmt import day_label, local_time, plural, range_label, shift_label
from bot.conversation.forecast import add_forecast_risk
from bot.conversation.reply import Reply
from core.staffing import HomesAsked, gaps_asked, on_shift_asked, rota_for_person

STAFF_HELP = (
    "Reply YES or NO to an overtime offer (YES 42 for offer 42). You can also text: "
    "'my shifts', 'can I have 3rd-5th March off', 'leave balance', 'I'm sick today', "
    "'no more overtime' or 'I can do nights'."
)
MANAGER_HELP = (
    "Ask me: 'who's short tomorrow?', 'who's on tonight?', 'find an RN for Friday "
    "night', 'who would you ask for Sunday's late?', 'status OT42', 'leave to "
    "review', 'approve 123', 'forecast next week', 'how fair has overtime been?'."
)


def help_reply(ctx: Context) -> Reply:
    text = MANAGER_HELP if ctx.scope.is_manager else STAFF_HELP
    return Reply(f"I'm Staffbot, your staffing assistant. {text}", kind="help")


def unknown_reply(ctx: Context) -> Reply:
    """The two or three things this person most likely meant: by what is open and their role."""
    from core.selfservice import open_offers

    offers = open_offers(ctx.core, ctx.sender.id)
    if offers:
        r = offers[0]
        ideas = [f"YES {r.id} to take {r.ref}", f"NO {r.id} to turn it down", "'my shifts'"]
    elif ctx.scope.is_manager:
        ideas = ["'who's short tomorrow?'", "'find an RN for Friday night'", "'leave to review'"]
    else:
        ideas = ["'my shifts'", "'can I have the 22nd off'", "'leave balance'"]
    listed = ", ".join(ideas[:-1]) + f" or {ideas[-1]}"
    return Reply(
        f"Sorry, I didn't understand that. Did you mean {listed}? Or say 'help'.",
        short=f"Sorry, I didn't get that. Try {listed}.",
        kind="unknown",
    )


def _dates(ctx: Context, default_days: int = 1) -> tuple[date, date]:
    """A missing date means today (or the next few days); the parser never invents one."""
    start = _as_date(ctx.slots.get("start_date")) or ctx.today
    end = _as_date(ctx.slots.get("end_date")) or (
        start if "start_date" in ctx.slots else start + timedelta(days=default_days - 1)
    )
    return start, max(start, end)


def _as_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def my_rota(ctx: Context) -> Reply:
    explicit = "start_date" in ctx.slots
    start, end = _dates(ctx, default_days=14)
    zone = ctx.core.zone
    lines = [
        (
            s.date,
            s.shift_type,
            local_time(s.starts_at, zone),
            local_time(s.ends_at, zone),
            s.home,
            s.unit,
        )
        for s in rota_for_person(ctx.core, ctx.sender.id, start, end)
    ]
    if not explicit:
        lines = lines[:5]
    period = range_label(start, end, ctx.today)
    if not lines:
        return Reply(
            f"You have no shifts {'on' if start == end else 'from'} {period}"
            + ("." if start == end else "."),
            kind="rota",
        )
    parts = [
        f"{day_label(d, ctx.today)} {shift_label(t)} {a}-{b} at {home} ({unit})"
        for d, t, a, b, home, unit in lines
    ]
    shorts = [f"{d:%a} {d.day} {d:%b} {shift_label(t)} {a}-{b}" for d, t, a, b, _, _ in lines]
    head = "Your shifts" if explicit else "Your next shifts"
    from bot.conversation.swaps import rota_note  # the person's swaps of these days, if any

    note = rota_note(ctx, start, end)
    return Reply(
        f"{head}: " + "; ".join(parts) + "." + note,
        short=f"{head}: " + "; ".join(shorts) + ("." + note if note else ""),
        kind="rota",
        data=[
            {"date": d.isoformat(), "shift_type": t, "home": h, "unit": u}
            for d, t, _, _, h, u in lines
        ],
    )


def gaps(ctx: Context) -> Reply:
    start, end = _dates(ctx)
    rows, homes = gaps_asked(ctx.core, ctx.scope, start, end, *_asked(ctx))
    home_ids, scope_label = homes.ids, _scope_label(homes)
    period = range_label(start, end, ctx.today)
    if not rows:
        reply = Reply(
            f"No gaps {scope_label} {period}: every shift meets its minimum.", kind="gaps", data=[]
        )
        return add_forecast_risk(ctx, home_ids, start, end, reply)  # future days only
    by_home: dict[str, list[str]] = defaultdict(list)
    total = 0
    for r in rows:
        total += r.short
        when = "" if start == end else f"{r.date:%a} {r.date.day} "
        by_home[r.home].append(f"{when}{shift_label(r.shift_type)} {r.role} x{r.short} ({r.unit})")
    body = "; ".join(f"{home}: {', '.join(items)}" for home, items in by_home.items())
    reply = Reply(
        f"{plural(total, 'gap')} {period}. {body}.",
        short=f"{plural(total, 'gap')} {period}: {body}"[:300],
        kind="gaps",
        data=[r.to_json() for r in rows],
    )
    return add_forecast_risk(ctx, home_ids, start, end, reply)  # future days only


def on_shift(ctx: Context) -> Reply:
    start, end = _dates(ctx)
    rows, homes = on_shift_asked(ctx.core, ctx.scope, start, end, *_asked(ctx))
    scope_label = _scope_label(homes)
    period = range_label(start, end, ctx.today)
    if not rows:
        return Reply(
            f"Nobody is rostered {scope_label} {period} for that.", kind="on_shift", data=[]
        )
    groups: dict[tuple, list[str]] = defaultdict(list)
    for r in rows:
        groups[(r.date, r.home, r.shift_type)].append(f"{r.name} ({r.role})")
    parts = []
    for (d, home, st), names in groups.items():
        when = "" if start == end else f"{d:%a} {d.day} "
        parts.append(f"{when}{home} {shift_label(st)}: {', '.join(names)}")
    return Reply(
        f"On shift {period}: " + "; ".join(parts) + ".",
        kind="on_shift",
        data=[r.to_json() for r in rows],
    )


def _asked(ctx: Context) -> tuple[str | None, str | None, str | None]:
    """The home (a name, or None for all the asker's), shift type and role asked about."""
    return ctx.slots.get("home") or None, ctx.slots.get("shift_type"), ctx.slots.get("role")


def _scope_label(homes: HomesAsked) -> str:
    if homes.ids is None:
        return "across all homes"
    return "at " + ", ".join(homes.names)
