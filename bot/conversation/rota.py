"""Rotas in chat: ``rota.generate`` drafts one (CP-SAT), ``rota.publish`` makes it the rota.

The draft reply sums it up against the current rota for the same days (cost, shifts short,
how evenly nights and weekends fall) and carries a Publish button; on Slack the draft also
comes as a CSV file (``reply.data["csv"]``, see bot/slack/rota.py). Managers only, their
own homes only.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from bot.conversation.context import Context
from bot.conversation.fmt import plural, range_label, shift_label, short_day
from bot.conversation.reply import Action, Reply
from core.directory import home_id_named
from core.errors import InvalidInput, NotAllowed
from core.registry import Registry
from core.rota import service

DEFAULT_WEEKS = 4
SHOWN_SHORTFALLS = 5


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)) if value else None


def _horizon(ctx: Context) -> tuple[date, date]:
    start = _as_date(ctx.slots.get("start_date"))
    end = _as_date(ctx.slots.get("end_date"))
    if start is None:  # from next Monday
        start = ctx.today + timedelta(days=7 - ctx.today.weekday())
    if end is None or end < start:
        end = start + timedelta(days=7 * DEFAULT_WEEKS - 1)
    return start, end


def _home_id(ctx: Context) -> int | None:
    if ctx.slots.get("home"):
        return home_id_named(ctx.core, str(ctx.slots["home"]))
    homes = ctx.scope.home_ids
    if homes is not None and len(homes) == 1:
        return next(iter(homes))
    return None


def generate(ctx: Context) -> Reply:
    ctx.scope.require_manager("draft rotas")
    home_id = _home_id(ctx)
    if home_id is None:
        return Reply("Which home should I draft the rota for?", kind="rota.ask_home")
    if not ctx.scope.can_see_home(home_id):
        raise NotAllowed("You can only draft rotas for your own home.")
    start, end = _horizon(ctx)
    doc = service.generate(ctx.core, home_id, start, end, ctx.actor, scope=ctx.scope)
    return draft_reply(doc, ctx.today)


def draft_reply(doc: dict[str, Any], today: date | None = None) -> Reply:
    start, end = date.fromisoformat(doc["from"]), date.fromisoformat(doc["to"])
    ref = doc["ref"]
    when = range_label(start, end, today)
    status = doc["status"]
    if status == "UNKNOWN":
        return Reply(
            f"I couldn't find a rota for {doc['home']} ({when}) in the time I had. "
            "Try again with a shorter period.",
            kind="rota.draft",
            data=doc,
        )
    quality = (
        "optimal"
        if status == "OPTIMAL"
        else f"within {doc['gap_pct']:.1f}% of the best possible"
        if status == "FEASIBLE"
        else "the best that meets every rule"
    )
    lines = [f"Draft {ref} for {doc['home']}, {when}: {quality} (solved in {doc['seconds']:.0f}s)."]
    summary = doc.get("summary") or {}
    draft, current = summary.get("draft"), summary.get("current")
    if draft:
        cover = (
            "every required shift covered"
            if not draft["short"]
            else f"{plural(draft['short'], 'required shift')} still short"
        )
        lines.append(f"{draft['shifts']} shifts, {cover}. Cost £{draft['cost']:,.0f}.")
        fair = (
            f"Nights per person {draft['nights']['fewest']}-{draft['nights']['most']}, "
            f"weekends {draft['weekends']['fewest']}-{draft['weekends']['most']}."
        )
        lines.append(fair)
    if current:
        diff = draft["cost"] - current["cost"] if draft else 0.0
        lines.append(
            f"Current rota for those days: {current['shifts']} shifts, "
            f"{plural(current['short'], 'required shift')} short, £{current['cost']:,.0f}"
            + (
                f" (the draft is £{abs(diff):,.0f} {'more' if diff > 0 else 'less'})"
                if draft
                else ""
            )
            + f"; nights {current['nights']['fewest']}-{current['nights']['most']}, "
            f"weekends {current['weekends']['fewest']}-{current['weekends']['most']}."
        )
    elif draft:
        lines.append("There is no current rota for those days yet.")
    if doc["shortfalls"]:
        lines.append("No rota meets every rule. Short:")
        for s in doc["shortfalls"][:SHOWN_SHORTFALLS]:
            lines.append("- " + shortfall_line(s))
        more = len(doc["shortfalls"]) - SHOWN_SHORTFALLS
        if more > 0:
            lines.append(f"... and {more} more.")
    actions = []
    if doc["assignments"]:
        lines.append(f'Say "publish draft {ref}" to make it the rota.')
        actions.append(Action(f"Publish draft {ref}", "rota.publish", {"ref": ref}, "primary"))
    short = (
        f"Draft {ref} ({when}): {quality}, "
        f"{draft['short'] if draft else 0} short. Reply 'publish draft {ref}'."
    )
    data = dict(doc)
    data["csv"] = draft_csv(doc)
    data["csv_filename"] = f"rota-draft-{ref}-{doc['home'].lower().replace(' ', '-')}.csv"
    return Reply("\n".join(lines), short=short, kind="rota.draft", data=data, actions=actions)


def shortfall_line(s: dict[str, Any]) -> str:
    day = short_day(date.fromisoformat(s["date"]))
    head = (
        f"{day} {shift_label(s['shift_type'])} {s['role']} ({s['unit']}): need "
        f"{s['required']}, at most {s['possible']} possible"
    )
    return head + (": " + ", ".join(s["reasons"][:4]) if s["reasons"] else "")


def draft_csv(doc: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "unit", "shift_type", "role", "name"])
    for a in sorted(
        doc["assignments"],
        key=lambda a: (a["date"], a["unit"], a["shift_type"], a["role"], a["name"]),
    ):
        writer.writerow([a["date"], a["unit"], a["shift_type"], a["role"], a["name"]])
    for s in doc["shortfalls"]:
        for _ in range(s["required"] - s["possible"]):
            writer.writerow([s["date"], s["unit"], s["shift_type"], s["role"], "SHORT"])
    return out.getvalue()


def publish(ctx: Context) -> Reply:
    ctx.scope.require_manager("publish rotas")
    ref = ctx.slots.get("ref")
    if ref is None:
        ref = service.latest(ctx.core, ctx.scope)
        if ref is None:
            return Reply(
                "There is no unpublished draft rota. Ask me to draft one first.",
                kind="rota.publish",
            )
    try:
        result = service.publish(ctx.core, ref, ctx.actor, scope=ctx.scope)
    except service.DraftOutdated as exc:
        doc = service.show(ctx.core, exc.ref, scope=ctx.scope)
        text = (
            f"Draft {exc.ref} is out of date, so I haven't published it. Since it was made: "
            + "; ".join(exc.changes[:5])
            + ". Shall I draft it again?"
        )
        return Reply(
            text,
            kind="rota.publish",
            actions=[
                Action(
                    "Draft again",
                    "rota.generate",
                    {"home": doc["home"], "start_date": doc["from"], "end_date": doc["to"]},
                    "primary",
                )
            ],
        )
    except InvalidInput as exc:
        return Reply(str(exc), kind="rota.publish")
    left = service.gaps_total(ctx.core, _published_home(ctx, result.home), result.start, result.end)
    gaps = (
        "no gaps left"
        if not left
        else f"{plural(left, 'shift')} still short: ask "
        '"who\'s short?" to see them and start outreach'
    )
    when = range_label(result.start, result.end, ctx.today)
    return Reply(
        f"Published draft {result.ref} as the rota for {result.home}, {when}: "
        f"{plural(result.shifts_added, 'shift')} added, {result.shifts_removed} "
        f"removed; {gaps}.",
        kind="rota.publish",
        data=result.to_json(),
    )


def _published_home(ctx: Context, name: str) -> int:
    return home_id_named(ctx.core, name)


def install(registry: Registry) -> None:
    """rota.generate and rota.publish."""
    registry.add_handlers({"rota.generate": generate, "rota.publish": publish})
