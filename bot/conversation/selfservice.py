"""Self-service in chat: staff see and cancel their own leave and change their overtime
preferences exactly as said; managers ask who is away and when a colleague works.

Thin: slots -> ``core.selfservice`` / ``core.overtime`` -> words. Permissions are the core's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.conversation.context import Context
from bot.conversation.fmt import local_time, shift_label
from bot.conversation.reply import Reply
from core.overtime.preferences import PreferenceView
from core.selfservice import (
    absences,
    cancel_leave_asked,
    change_preferences_as_said,
    my_leave,
    person_rota,
)

STATUS_WORDS = {
    "PENDING": "waiting for a decision",
    "MANUAL_REVIEW": "with your manager",
    "APPROVED": "approved",
    "DENIED": "not approved",
}


def _as_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _span(a: date, b: date) -> str:
    return _day(a) if a == b else f"{_day(a)} to {_day(b)}"


def _period(ctx: Context, default_days: int) -> tuple[date, date]:
    start = _as_date(ctx.slots.get("start_date")) or ctx.today
    end = _as_date(ctx.slots.get("end_date")) or (
        start if "start_date" in ctx.slots else start + timedelta(days=default_days - 1)
    )
    return start, max(start, end)


# ---- own leave -------------------------------------------------------------------------------


def leave_mine(ctx: Context) -> Reply:
    rows = my_leave(ctx.core, ctx.sender.id, ctx.today)
    if not rows:
        return Reply(
            "You have no leave booked or waiting for a decision.", kind="leave.mine", data=[]
        )
    items = [
        f"{_span(r.start_date, r.end_date)} ({r.leave_type}, ref {r.ref}): "
        f"{STATUS_WORDS.get(str(r.status), str(r.status).lower())}"
        for r in rows
    ]
    return Reply(
        "Your leave: " + "; ".join(items) + ".", kind="leave.mine", data=[r.to_json() for r in rows]
    )


def leave_cancel(ctx: Context) -> Reply:
    ref = ctx.slots.get("ref")
    day = _as_date(ctx.slots.get("start_date"))
    out = cancel_leave_asked(
        ctx.core, ctx.scope, ctx.actor, ref=int(ref) if ref is not None else None, day=day
    )
    if out.outcome == "cancelled_for":  # a manager cancelled the request they named
        assert out.request is not None
        r = out.request
        return Reply(
            f"Cancelled: {r.name}'s {r.leave_type} leave "
            f"{_span(r.start_date, r.end_date)} (ref {r.ref}).",
            kind="leave.cancelled",
        )
    if out.outcome == "none":
        what = f" on {_day(day)}" if day else (f" with ref {ref}" if ref else "")
        return Reply(
            f"I can't find any leave of yours{what} to cancel. Nothing has changed.",
            kind="leave.none",
        )
    if out.outcome == "choose":
        opts = "; ".join(f"{_span(r.start_date, r.end_date)} (ref {r.ref})" for r in out.options)
        return Reply(
            f"Which leave? {opts}. Reply e.g. 'cancel leave {out.options[0].ref}'.", kind="question"
        )
    req = out.request
    assert req is not None
    if out.outcome == "sent":
        who = " and ".join(out.managers) or "your manager"
        return Reply(
            f"Your approved leave {_span(req.start_date, req.end_date)} (ref {req.ref}) "
            f"starts soon, so I've asked {who} to cancel it. It stays booked until "
            "they do.",
            kind="leave.cancel_sent",
        )
    back = (
        f" {out.days_back:g} day{'s' if out.days_back != 1 else ''} back in your balance."
        if out.days_back
        else ""
    )
    return Reply(
        f"Cancelled: your {req.leave_type} leave {_span(req.start_date, req.end_date)} "
        f"(ref {req.ref}).{back}",
        kind="leave.cancelled",
    )


# ---- managers --------------------------------------------------------------------------------


def staffing_absent(ctx: Context) -> Reply:
    start, end = _period(ctx, default_days=1)
    kind = ctx.slots.get("kind") or ctx.slots.get("absence")
    home = str(ctx.slots["home"]) if ctx.slots.get("home") else None
    rows = absences(ctx.core, ctx.scope, start, end, kind=kind, home=home)
    what = {"sick": "off sick", "leave": "on leave"}.get(str(kind), "off sick or on leave")
    period = _span(start, end)
    if not rows:
        return Reply(f"Nobody is {what} {period}.", kind="staffing.absent", data=[])
    items = [
        f"{r.name} ({r.home or '-'}) "
        f"{'sick' if r.kind == 'sick' else (r.leave_type or '') + ' leave'}"
        f" {_span(r.start_date, r.end_date)}"
        for r in rows
    ]
    return Reply(
        f"{len(rows)} {what} {period}: " + "; ".join(items) + ".",
        kind="staffing.absent",
        data=[r.to_json() for r in rows],
    )


def rota_person(ctx: Context) -> Reply:
    name = str(ctx.slots.get("staff") or ctx.slots.get("person") or "")
    if not name:
        return Reply("Whose shifts? e.g. 'when is Jennifer Ross next in?'", kind="question")
    explicit = "start_date" in ctx.slots
    start, end = _period(ctx, default_days=14)
    rota = person_rota(ctx.core, ctx.scope, name, start, end)
    shifts = rota.shifts if explicit else rota.shifts[:3]
    zone = ctx.core.zone
    away = "".join(
        f" {rota.first_name} is {'off sick' if a.kind == 'sick' else 'on leave'} "
        f"{_span(max(a.start_date, start), min(a.end_date, end))}."
        for a in rota.away
    )
    if not away and ctx.slots.get("away_question"):
        away = f" {rota.first_name} is not off sick or on leave {_span(start, end)}."
    if not shifts:
        when = _span(start, end) if explicit else "in the next two weeks"
        return Reply(f"{rota.name} has no shifts {when}.{away}", kind="rota.person", data=[])
    parts = [
        f"{_day(s.date)} {shift_label(s.shift_type)} {local_time(s.starts_at, zone)}-"
        f"{local_time(s.ends_at, zone)} at {s.home} ({s.unit})"
        for s in shifts
    ]
    head = f"{rota.name} works" if explicit else f"{rota.name}'s next shifts"
    return Reply(
        f"{head}: " + "; ".join(parts) + f".{away}",
        kind="rota.person",
        data=[
            {"date": s.date.isoformat(), "shift_type": s.shift_type, "home": s.home, "unit": s.unit}
            for s in shifts
        ],
    )


# ---- overtime preferences, exactly as said ----------------------------------------------------

NEGATION = re.compile(
    r"\b(don'?t|do not|dont|can'?t|cannot|can not|no more|not|never|won'?t|"
    r"any ?more|stop)\b",
    re.IGNORECASE,
)
ONLY = re.compile(r"\b(only|just|change|set|instead|switch)\b", re.IGNORECASE)
HOME_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\bor\b|/|\+)\s*", re.IGNORECASE)


def describe_preferences(view: PreferenceView) -> str:
    if not view.opted_in:
        return "You're not on the overtime list (no offers)."
    homes = "any home" if view.homes is None else ", ".join(view.homes)
    shifts = (
        "any shift"
        if view.shift_types is None
        else ", ".join(shift_label(s) + "s" for s in view.shift_types)
    )
    days = "any day" if view.day_kinds is None else " and ".join(k + "s" for k in view.day_kinds)
    return (
        f"You get overtime offers for {shifts}, {days}, at {homes}, by {view.channel}; "
        f"none between {view.quiet_start} and {view.quiet_end}."
    )


def _home_phrases(text: str) -> list[str]:
    """The phrases of a message that may each name a home ("only Meadowburn and Riverside":
    every home named, even if the parser kept one)."""
    text = re.sub(
        r"\b(only|just|at|homes?|please|thanks|i can do|i'?ll do|i do)\b", " ", text.lower()
    )
    phrases = []
    for part in HOME_SPLIT.split(text):
        part = part.strip(" .!?")
        if len(part) >= 4:
            phrases.append(part)
    return phrases


SHIFT_WORDS = {
    "night": "night",
    "nights": "night",
    "early": "early",
    "earlies": "early",
    "late": "late",
    "lates": "late",
    "long day": "long_day",
    "long days": "long_day",
}
DAY_WORDS = {
    "weekend": "weekend",
    "weekends": "weekend",
    "weekday": "weekday",
    "weekdays": "weekday",
}


def _kinds_said(text: str) -> tuple[list[str], list[str]]:
    low = text.lower()
    shifts = [code for word, code in SHIFT_WORDS.items() if re.search(rf"\b{word}\b", low)]
    kinds = [code for word, code in DAY_WORDS.items() if re.search(rf"\b{word}\b", low)]
    return list(dict.fromkeys(shifts)), list(dict.fromkeys(kinds))


def preferences(ctx: Context) -> Reply:
    """ot.preferences: show them, or change exactly what was said (negations remove)."""
    slots = dict(ctx.slots)
    excluded = [
        k for k in ("exclude_home", "exclude_shift_type", "exclude_day_kind") if slots.get(k)
    ]
    for key in excluded:  # the parser's negation: "I don't do nights any more"
        slots[key.removeprefix("exclude_")] = slots.pop(key)
    wants_in = bool(slots.get("opt_in"))
    negated = (
        bool(excluded or slots.get("negated") or slots.get("negation"))
        or bool(NEGATION.search(ctx.text or ""))
        and not wants_in
    )
    homes = [str(n) for n in slots.get("homes") or []]
    if slots.get("home"):
        homes.append(str(slots["home"]))
    said_shifts, said_kinds = _kinds_said(ctx.text or "")
    done = change_preferences_as_said(
        ctx.core,
        ctx.sender.id,
        ctx.actor,
        homes=homes,
        maybe_homes=_home_phrases(ctx.text or ""),
        shift_types=[slots["shift_type"]] if slots.get("shift_type") else [],
        day_kinds=[slots["day_kind"]] if slots.get("day_kind") else [],
        said_shift_types=said_shifts,
        said_day_kinds=said_kinds,
        negated=negated,
        only=bool(ONLY.search(ctx.text or "")),
        opt_in=wants_in,
    )
    before, after = done.before, done.after
    if done.outcome == "shown":
        return Reply(describe_preferences(before), kind="ot.preferences", data=before.to_json())
    if done.outcome == "refused":
        return Reply(
            "That would leave you no overtime at all; to stop offers, text "
            "'no more overtime'. Nothing has changed.",
            kind="ot.preferences",
            data=before.to_json(),
        )
    if after == before:
        return Reply(
            "No change: " + describe_preferences(after), kind="ot.preferences", data=after.to_json()
        )
    head = "You're back on the overtime list. " if wants_in and not before.opted_in else "Updated. "
    return Reply(head + describe_preferences(after), kind="ot.preferences", data=after.to_json())
