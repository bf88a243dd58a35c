"""Overtime in chat: staff answer offers and set preferences; managers request cover, see the
ranking, follow and cancel outreach, and ask about fairness. Also the sickness report, and the
texts of every overtime notification (added to the registry by ``install_overtime``).

Handlers fill in what the parser leaves out (a manager's own home; ask for a missing day),
call one ``core.overtime`` command or query and word the result. They open no unit of work:
the core's services do (joining the inbound message's, so a text stays one transaction) and
make the permission decisions (``core.overtime.queries`` for the look-ups chat needs).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from bot.conversation.context import Context
from bot.conversation.fmt import SHIFT_TIMES, day_label, local_time, plural, shift_label
from bot.conversation.reply import Action, Reply
from core.models import RequestStatus
from core.overtime import (
    AcceptOffer,
    AnswerResult,
    BookAgency,
    CancelRequest,
    ChangePreferences,
    ClaimShift,
    DeclineOffer,
    ReopenRequest,
    ReportSickness,
    RequestCover,
    RequestSummary,
    WithdrawOffer,
    accept_offer,
    cancel_request,
    claim_shift,
    decline_offer,
    open_shifts,
    preview_cover,
    record_decline_reason,
    ref_of,
    reopen_request,
    report_sickness,
    request_cover,
    settings_for,
    withdraw_offer,
)
from core.overtime.agency import record_agency
from core.overtime.commands import RequestBrief
from core.overtime.preferences import PreferenceView, preferences_of, update_preferences
from core.overtime.queries import (
    HomeRef,
    RequestQuery,
    cover_home,
    fairness_for,
    follow_requests,
    pending_requests,
    profile_for,
)
from core.overtime.ranking import LABELS, Ranking

EXTRA_WORDS = re.compile(r"\b(extra|additional|another|anyway|as well)\b", re.IGNORECASE)
REPLACE_WORDS = re.compile(r"\b(only|just|change|set|instead|switch)\b", re.IGNORECASE)


# ---- small wording helpers ------------------------------------------------------------


def _shift_words(
    req: RequestSummary | RequestBrief | dict[str, Any], today: date | None = None
) -> str:
    """'RN night Fri 16 Jan (21:45-07:45) at Victoria Gardens'."""
    if isinstance(req, dict):
        role, st, day, home = (
            req["role"],
            req["shift_type"],
            date.fromisoformat(req["date"]),
            req["home"],
        )
    else:
        role, st, day, home = req.role, req.shift_type, req.date, req.home
    return f"{role} {shift_label(st)} {day_label(day, today)} ({SHIFT_TIMES.get(st, '')}) at {home}"


def _short_shift(req: RequestSummary | RequestBrief) -> str:
    return f"{shift_label(req.shift_type)} {req.date:%a} {req.date.day} {req.date:%b}, {req.home}"


def _as_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _ask(text: str) -> Reply:
    return Reply(text, kind="question")


# ---- staff: answering offers ----------------------------------------------------------


def accept(ctx: Context) -> Reply:
    result = accept_offer(ctx.core, AcceptOffer(ctx.sender.id, ctx.slots.get("ref")))
    if result.outcome == "not_offered" and ctx.slots.get("ref") is not None:
        # YES 42 for an open shift they were not (yet) asked about: a claim
        result = claim_shift(ctx.core, ClaimShift(ctx.sender.id, int(ctx.slots["ref"])))
    return _answer_reply(ctx, result, yes=True)


def decline(ctx: Context) -> Reply:
    if ctx.slots.get("ref") is None and (
        ctx.slots.get("start_date") or ctx.slots.get("shift_type")
    ):
        # "sorry I can't do Friday now": about a shift they took, if they took one then
        tried = withdraw_offer(ctx.core, _withdrawal(ctx))
        if tried.outcome not in ("nothing_to_withdraw",):
            return _answer_reply(ctx, tried, yes=False)
    result = decline_offer(
        ctx.core, DeclineOffer(ctx.sender.id, ctx.slots.get("ref"), ctx.slots.get("reason"))
    )
    return _answer_reply(ctx, result, yes=False)


def _withdrawal(ctx: Context) -> WithdrawOffer:
    return WithdrawOffer(
        ctx.sender.id,
        ctx.slots.get("ref"),
        _as_date(ctx.slots.get("start_date")),
        _as_date(ctx.slots.get("end_date")),
        ctx.slots.get("shift_type"),
        # no reason picked out: what they said is the reason
        ctx.slots.get("reason") or (ctx.text or "").strip() or None,
    )


def withdraw(ctx: Context) -> Reply:
    """ot.withdraw: "can't do Friday now after all"."""
    result = withdraw_offer(ctx.core, _withdrawal(ctx))
    return _answer_reply(ctx, result, yes=False)


CLAIM_WORDS = re.compile(
    r"\b(take|pick(?:\s+it)?\s+up|i'?ll\s+do|i\s+can\s+do|claim|have)\b", re.IGNORECASE
)


def available(ctx: Context) -> Reply:
    """ot.available: the open shifts this person may pick up; "I'll take the Saturday night"
    (one match) or a ref claims it."""
    if ctx.slots.get("ref") is not None:
        return _answer_reply(
            ctx, claim_shift(ctx.core, ClaimShift(ctx.sender.id, int(ctx.slots["ref"]))), yes=True
        )
    start = _as_date(ctx.slots.get("start_date")) or ctx.today
    end = _as_date(ctx.slots.get("end_date"))
    if end is None and ctx.slots.get("start_date") is None:
        end = ctx.today + timedelta(days=(6 - ctx.today.weekday()) or 7)
    found = open_shifts(
        ctx.core, ctx.sender.id, start, end, ctx.slots.get("home"), ctx.slots.get("shift_type")
    )
    name = ctx.sender.first_name
    if not found:
        return Reply(
            f"Nothing open for you right now, {name}. I'll text you when something "
            "comes up that you can do.",
            kind="ot.available",
            data=[],
        )
    one_shift = (
        ctx.slots.get("shift_type")
        and ctx.slots.get("start_date")
        and (end is None or end == start)
    )
    if len(found) == 1 and one_shift and CLAIM_WORDS.search(ctx.text or ""):
        result = claim_shift(ctx.core, ClaimShift(ctx.sender.id, found[0].request.id))
        return _answer_reply(ctx, result, yes=True)
    lines = "; ".join(
        f"{o.request.ref} {o.request.role} {_short_shift(o.request)} "
        f"{SHIFT_TIMES.get(o.request.shift_type, '')}"
        for o in found[:6]
    )
    more = f" (and {len(found) - 6} more)" if len(found) > 6 else ""
    first = found[0].request.id
    return Reply(
        f"Open overtime you can do, {name}: {lines}{more}. Reply YES and the number "
        f"to take one (e.g. YES {first}); first to say yes gets it.",
        kind="ot.available",
        data=[o.request.to_json() for o in found],
        actions=[
            Action(f"Take {o.request.ref}", "ot.accept", {"ref": o.request.id}) for o in found[:3]
        ],
    )


def _answer_reply(ctx: Context, result: AnswerResult, yes: bool) -> Reply:
    req, name = result.request, ctx.sender.first_name
    word = "YES" if yes else "NO"
    data = req.to_json() if req else None
    if result.outcome == "withdrawn" and req:
        then = (
            "We're looking for someone else now."
            if result.reopened
            else "Your manager will decide how to cover it."
        )
        return Reply(
            f"Thanks for letting us know, {name}. I've taken you off {req.ref} "
            f"({_short_shift(req)}) and told your manager. {then}",
            kind="ot.withdrawn",
            data=data,
        )
    if result.outcome == "ambiguous_withdraw":
        options = "; ".join(f"{r.ref} {_short_shift(r)}" for r in result.open_requests)
        which = " or ".join(f"NO {r.id}" for r in result.open_requests)
        return Reply(
            f"You have {len(result.open_requests)} overtime shifts booked: {options}. "
            f"Which one can't you do? Reply {which}.",
            kind="question",
            data=[r.to_json() for r in result.open_requests],
        )
    if result.outcome == "nothing_to_withdraw":
        return Reply(
            "You have no overtime shifts booked to pull out of. If you can't make a "
            "rota shift, please tell your manager or text that you're off sick.",
            kind="ot.none",
        )
    if result.outcome == "not_eligible" and req:
        return Reply(
            f"Sorry {name}, I can't give you {req.ref}: you {result.clash}.",
            kind="ot.clash",
            data=data,
        )
    if result.outcome == "accepted" and req:
        text = (
            f"Thanks {name}, it's yours: {_shift_words(req, ctx.today)} ({req.ref}). "
            "It's in your rota now."
        )
        short = (
            f"Thanks {name}, it's yours: {req.ref} {req.role} {_short_shift(req)} "
            f"{SHIFT_TIMES.get(req.shift_type, '')}. It's in your rota."
        )
        return Reply(text, short=short, kind="ot.accepted", data=data)
    if result.outcome == "declined" and req:
        if result.ask_reason:
            return Reply(
                f"Thanks {name}, noted: no to {req.ref}. If you don't mind saying, "
                "why not? (a word or two is fine)",
                kind="ot.declined",
                data=data,
            )
        return Reply(f"Thanks {name}, noted: no to {req.ref}.", kind="ot.declined", data=data)
    if result.outcome == "filled" and req:
        return Reply(
            f"Thanks {name}, but {req.ref} ({_short_shift(req)}) has already been "
            "filled. No need to do anything.",
            kind="ot.filled",
            data=data,
        )
    if result.outcome == "already_yours" and req:
        if not yes:
            return Reply(
                f"{req.ref} ({_short_shift(req)}) is still booked for you. If you "
                f"can't do it, reply NO {req.id} and say why.",
                kind="question",
                data=data,
            )
        return Reply(
            f"You already have {req.ref} ({_short_shift(req)}). See you then!",
            kind="ot.accepted",
            data=data,
        )
    if result.outcome == "cancelled" and req:
        return Reply(
            f"{req.ref} ({_short_shift(req)}) is no longer needed. Thanks anyway!",
            kind="ot.closed",
            data=data,
        )
    if result.outcome == "closed" and req:
        if not yes:
            return Reply(f"No problem, {req.ref} is already closed.", kind="ot.closed", data=data)
        return Reply(
            f"Sorry {name}, {req.ref} ({_short_shift(req)}) has closed. If you can "
            "still help, please call the home.",
            kind="ot.closed",
            data=data,
        )
    if result.outcome == "clash" and req:
        return Reply(
            f"Sorry {name}, I can't give you {req.ref}: you {result.clash}. Nothing has changed.",
            kind="ot.clash",
            data=data,
        )
    if result.outcome == "already_declined" and req:
        return Reply(
            f"You've already said no to {req.ref}. Reply YES {req.id} if you change your mind.",
            kind="ot.declined",
            data=data,
        )
    if result.outcome == "ambiguous":
        options = "; ".join(f"{r.ref} {r.role} {_short_shift(r)}" for r in result.open_requests)
        which = " or ".join(f"{word} {r.id}" for r in result.open_requests)
        return Reply(
            f"You have {len(result.open_requests)} open offers: {options}. "
            f"Which one? Reply {which}.",
            kind="question",
            data=[r.to_json() for r in result.open_requests],
        )
    if result.outcome == "not_offered":
        return Reply(
            f"I don't have an overtime offer {ref_of(ctx.slots['ref'])} for you.", kind="ot.none"
        )
    if result.outcome == "no_such_request":
        return Reply(f"There is no overtime request {ref_of(ctx.slots['ref'])}.", kind="ot.none")
    return Reply("You have no open overtime offers right now.", kind="ot.none")


def decline_reason(ctx: Context) -> Reply | None:
    """UNKNOWN_FALLBACKS: after a NO we asked why; the next free-text message is the answer."""
    ref = record_decline_reason(ctx.core, ctx.sender.id, ctx.text)
    if ref is None:
        return None
    return Reply(f"Thanks, I've noted that for {ref}.", kind="ot.reason")


# ---- staff: preferences ---------------------------------------------------------------


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


def _preference_change(ctx: Context, opted_in: bool | None) -> ChangePreferences:
    """The change the message asks for (its home, by name, goes to ``_apply``)."""
    fields: dict[str, Any] = {}
    if ctx.slots.get("shift_type"):
        fields["shift_types"] = [ctx.slots["shift_type"]]
    if ctx.slots.get("day_kind"):
        fields["day_kinds"] = [ctx.slots["day_kind"]]
    # "only earlies" / "change my homes to X" replace; "I can do weekends now" widens
    add = not REPLACE_WORDS.search(ctx.text or "")
    return ChangePreferences(ctx.sender.id, opted_in=opted_in, add=add, **fields)


def _apply(ctx: Context, change: ChangePreferences, home: str | None = None) -> PreferenceView:
    return update_preferences(ctx.core, change, ctx.actor, home=home)


def opt_in(ctx: Context) -> Reply:
    view = _apply(ctx, _preference_change(ctx, opted_in=True), ctx.slots.get("home"))
    text = "You're on the overtime list. " + describe_preferences(view)
    return Reply(text, kind="ot.preferences", data=view.to_json())


def opt_out(ctx: Context) -> Reply:
    view = _apply(ctx, ChangePreferences(ctx.sender.id, opted_in=False))
    return Reply(
        "Done: no more overtime offers. Your rota and other messages carry on as "
        "before. Text 'overtime again' any time to rejoin.",
        short="Done: no more overtime offers. Text 'overtime again' to rejoin.",
        kind="ot.preferences",
        data=view.to_json(),
    )


def preferences(ctx: Context) -> Reply:
    if not any(ctx.slots.get(k) for k in ("home", "shift_type", "day_kind")):
        view = preferences_of(ctx.core, ctx.sender.id)
        return Reply(describe_preferences(view), kind="ot.preferences", data=view.to_json())
    view = _apply(ctx, _preference_change(ctx, opted_in=None), ctx.slots.get("home"))
    return Reply(
        "Updated. " + describe_preferences(view), kind="ot.preferences", data=view.to_json()
    )


# ---- staff: sickness ------------------------------------------------------------------


def sickness(ctx: Context) -> Reply:
    start = _as_date(ctx.slots.get("start_date")) or ctx.today
    end = _as_date(ctx.slots.get("end_date")) or start
    result = report_sickness(
        ctx.core,
        ReportSickness(
            ctx.sender.id,
            start,
            max(start, end),
            ctx.slots.get("shift_type"),
            ctx.slots.get("reason"),
        ),
    )
    name = ctx.sender.first_name
    when = (
        day_label(start, ctx.today)
        if start == end
        else f"{start:%a} {start.day} {start:%b} to {end:%a} {end.day} {end:%b}"
    )
    if not result.shifts:
        if result.already_reported:
            return Reply(
                f"You're already recorded off sick for that, {name}. Get well soon.",
                kind="sickness",
            )
        return Reply(
            f"Sorry you're unwell, {name}. You have no shifts {when}, so there's "
            "nothing to cover; I've noted it. Get well soon.",
            kind="sickness",
        )
    shifts = ", ".join(
        f"the {shift_label(s['shift_type'])} {day_label(s['date'], ctx.today)}"
        for s in result.shifts
    )
    cover = " and we're finding cover" if result.requests else ""
    return Reply(
        f"Sorry you're unwell, {name}. I've recorded you off sick for {shifts} and "
        f"told your manager{cover}. Get well soon.",
        kind="sickness",
        data={
            "shifts": [
                {**s, "date": s["date"].isoformat(), "starts_at": s["starts_at"].isoformat()}
                for s in result.shifts
            ],
            "requests": [r.ref for r in result.requests],
        },
    )


# ---- managers: request, rank, status, cancel -----------------------------------------


def _shift_slots(ctx: Context, what: str) -> tuple[HomeRef, date, str, str] | Reply:
    """The shift a manager means, filling in their own home; asks for anything else missing."""
    home = cover_home(ctx.core, ctx.scope, ctx.slots.get("home"), ctx.sender.home_id, what)
    if home is None:
        return _ask(
            "Which home is the shift at? e.g. 'find an RN for Friday night at Victoria Gardens'."
        )
    start = _as_date(ctx.slots.get("start_date"))
    if start is None:
        return _ask("Which day is the shift? e.g. 'find an RN for Friday night'.")
    end = _as_date(ctx.slots.get("end_date")) or start
    if end != start:
        return _ask(
            f"Outreach is for one shift at a time: which day from {start:%a} "
            f"{start.day} {start:%b} to {end:%a} {end.day} {end:%b}?"
        )
    if not ctx.slots.get("shift_type"):
        return _ask("Which shift: early, late, night or long day?")
    if not ctx.slots.get("role"):
        return _ask("Which role: RN, SSW or HCA?")
    return home, start, ctx.slots["shift_type"], ctx.slots["role"]


def _ranked_line(rank: int, c: Any, with_breakdown: bool = True) -> str:
    parts = ", ".join(f"{LABELS.get(k, k)} {v:g}" for k, v in c.breakdown.items())
    return f"{rank}. {c.name} ({c.home}) {c.score:g}" + (f" [{parts}]" if with_breakdown else "")


def _left_out(ranking: Ranking, limit: int = 8) -> str:
    if not ranking.excluded:
        return ""
    lines = [f"{c.name} - {'; '.join(r.text for r in c.reasons)}" for c in ranking.excluded[:limit]]
    more = len(ranking.excluded) - limit
    tail = f"; and {more} more" if more > 0 else ""
    return f"Left out ({len(ranking.excluded)}): " + "; ".join(lines) + tail + "."


def request(ctx: Context) -> Reply:
    slots = _shift_slots(ctx, "request overtime cover")
    if isinstance(slots, Reply):
        return slots
    home, day, shift_type, role = slots
    count = int(ctx.slots.get("count") or 1)
    extra = bool(ctx.slots.get("extra")) or bool(EXTRA_WORDS.search(ctx.text or ""))
    result = request_cover(
        ctx.core,
        RequestCover(
            home_id=home.id,
            date=day,
            shift_type=shift_type,
            role=role,
            requested_by_id=ctx.sender.id,
            count=count,
            extra=extra,
        ),
        ctx.actor,
    )
    if result.covered_by is not None:
        who = ", ".join(result.covered_by) or "the rota"
        again = {
            "home": home.name,
            "start_date": day.isoformat(),
            "end_date": day.isoformat(),
            "shift_type": shift_type,
            "role": role,
            "count": count,
            "extra": True,
        }
        return Reply(
            f"The {role} {shift_label(shift_type)} {day_label(day, ctx.today)} at "
            f"{home.name} is already covered: {who}. Do you want me to look for an "
            "extra person anyway? (say 'find an extra ...')",
            kind="question",
            data={"covered_by": result.covered_by},
            actions=[Action("Find an extra person", "ot.request", again, "primary")],
        )
    if result.duplicate_of is not None:
        dup = result.duplicate_of
        return Reply(
            f"{dup.ref} is already looking for that shift ({_shift_words(dup, ctx.today)}"
            f"): {plural(len(dup.offers), 'person', 'people')} asked so far.",
            kind="ot.status",
            data=dup.to_json(),
            actions=[
                Action("Status", "ot.status", {"ref": dup.id}),
                Action("Cancel outreach", "ot.cancel", {"ref": dup.id}, "danger"),
            ],
        )
    req = result.request
    assert req is not None
    head = f"{req.ref}: {_shift_words(req, ctx.today)}."
    if req.slots > 1:
        head += f" {req.slots} places to fill."
    if req.status == RequestStatus.UNFILLED:
        why = _left_out(result.ranking)
        cross = [
            c.name
            for c in result.ranking.excluded
            if c.reasons and all(r.code == "home" for r in c.reasons)
        ]
        step = (
            "Next step: book an agency worker (tell me 'booked <agency> for "
            f"{req.ref}'), ask {', '.join(cross[:3])} (eligible, but not opted in for "
            f"{req.home}), or change the request."
            if cross
            else "Next step: book an agency worker (tell me 'booked <agency> for "
            f"{req.ref}'), or change the request (another role or day)."
        )
        return Reply(
            f"{head} Nobody is eligible, so nobody was asked. {why} {step}",
            kind="ot.request",
            data=_request_data(req, result.ranking),
        )
    zone = ctx.core.zone
    asked = ", ".join(f"{c.name} ({c.score:g})" for c in result.contacted) or "nobody yet"
    lines = [
        head,
        (
            f"{plural(len(result.ranking.eligible), 'person', 'people')} eligible; "
            f"offered to {asked}."
        ),
    ]
    if result.deferred:
        lines.append(
            f"{plural(len(result.deferred), 'person', 'people')} in quiet hours "
            "will be asked when they end."
        )
    if req.next_wave_at:
        more = len(result.ranking.eligible) - len(req.offers)
        lines.append(
            f"Next {min(req.wave_size, more) if req.wave_size else more} at "
            f"{local_time(req.next_wave_at, zone)} if nobody has said yes;"
        )
    elif not result.deferred:
        lines.append("That's everyone eligible;")
    lines.append(f"offers close {req.deadline_at.astimezone(zone):%a %H:%M}.")
    return Reply(
        " ".join(lines),
        kind="ot.request",
        data=_request_data(req, result.ranking),
        actions=[
            Action("Status", "ot.status", {"ref": req.id}),
            Action("Cancel outreach", "ot.cancel", {"ref": req.id}, "danger"),
        ],
    )


def _request_data(req: RequestSummary, ranking: Ranking) -> dict[str, Any]:
    return {
        "request": req.to_json(),
        "eligible_count": len(ranking.eligible),
        "candidates": [c.to_json() for c in ranking.eligible],
    }


def rank(ctx: Context) -> Reply:
    slots = _shift_slots(ctx, "see the overtime ranking")
    if isinstance(slots, Reply):
        return slots
    home, day, shift_type, role = slots
    ranking = preview_cover(ctx.core, home.id, day, shift_type, role)
    show = int(ctx.slots.get("count") or settings_for(ctx.core).wave_size)
    spec = ranking.spec
    head = (
        f"Who I'd ask for the {role} {shift_label(spec.shift_type)} "
        f"{day_label(day, ctx.today)} at {home.name} ({ranking.profile} ranking, out of "
        "100):"
    )
    if ranking.eligible:
        body = " ".join(_ranked_line(i, c) + ";" for i, c in enumerate(ranking.eligible[:show], 1))
        more = len(ranking.eligible) - show
        if more > 0:
            body += f" ...and {more} more eligible."
    else:
        body = "nobody is eligible."
    others = f" ({ranking.other_roles} staff with other roles not shown.)"
    left = _left_out(ranking)
    slots_for_request = {
        "home": home.name,
        "start_date": day.isoformat(),
        "end_date": day.isoformat(),
        "shift_type": shift_type,
        "role": role,
    }
    return Reply(
        f"{head} {body} {left}{others} Nothing has been sent.",
        kind="ot.rank",
        data={
            "profile": ranking.profile,
            "weights": ranking.weights,
            "eligible_count": len(ranking.eligible),
            "candidates": [c.to_json() for c in ranking.eligible],
            "excluded": [
                {"name": c.name, "reasons": [{"rule": r.code, "why": r.text} for r in c.reasons]}
                for c in ranking.excluded
            ],
            "elapsed_ms": round(ranking.elapsed_ms, 1),
        },
        actions=[Action("Start outreach", "ot.request", slots_for_request, "primary")]
        if ranking.eligible
        else [],
    )


def describe_status(req: RequestSummary, today: date, zone: Any) -> str:
    head = f"{req.ref} ({_shift_words(req, today)}):"
    asked = len(req.offers)
    if req.status == "FILLED":
        minutes = req.time_to_fill.total_seconds() / 60 if req.time_to_fill else 0
        who = ", ".join(req.filled) if len(req.filled) > 1 else req.filled_by
        state = f"FILLED by {who} after {minutes:.0f} min"
    elif req.status == "AGENCY" and req.agency:
        cost = f", £{req.agency['cost']:g}" if req.agency.get("cost") is not None else ""
        state = f"AGENCY: {req.agency['agency']}{cost}"
    elif req.status == "PENDING":
        nxt = (
            f"; next wave at {local_time(req.next_wave_at, zone)}"
            if req.next_wave_at
            else "; nobody left to ask"
        )
        if req.slots > 1:
            nxt += f"; {len(req.filled)} of {req.slots} places filled"
        state = (
            f"PENDING, {plural(req.wave, 'wave')} sent, "
            f"{req.count('SENT')} still to answer{nxt}; offers close "
            f"{req.deadline_at.astimezone(zone):%a %H:%M}"
        )
    else:
        state = req.status
    answers = []
    for o in req.offers:
        word = {
            "SENT": "waiting",
            "ACCEPTED": "said yes",
            "DECLINED": "said no",
            "NO_RESPONSE": "no reply",
            "WITHDRAWN": "withdrawn",
        }.get(o.response, o.response)
        answers.append(f"{o.name} {word}" + (f" ({o.reason})" if o.reason else ""))
    who = f" Asked {asked}: " + ", ".join(answers) + "." if answers else " Nobody asked yet."
    return f"{head} {state}.{who}"


def status(ctx: Context) -> Reply:
    zone = ctx.core.zone
    ref = ctx.slots.get("ref")
    found = follow_requests(
        ctx.core,
        ctx.scope,
        RequestQuery(
            ref=int(ref) if ref is not None else None,
            home=ctx.slots.get("home"),
            start=_as_date(ctx.slots.get("start_date")),
            end=_as_date(ctx.slots.get("end_date")),
            shift_type=ctx.slots.get("shift_type"),
        ),
    )
    if not found:
        return Reply("No overtime requests match that.", kind="ot.status", data=[])
    if len(found) == 1:
        req = found[0]
        actions = (
            [Action("Cancel outreach", "ot.cancel", {"ref": req.id}, "danger")]
            if req.status == "PENDING"
            else []
        )
        return Reply(
            describe_status(req, ctx.today, zone),
            kind="ot.status",
            data=req.to_json(),
            actions=actions,
        )
    lines = [
        f"{r.ref} {r.role} {_short_shift(r)}: {r.status}"
        + (f" ({r.filled_by})" if r.filled_by else f" ({len(r.offers)} asked)")
        for r in found
    ]
    return Reply(
        f"{plural(len(found), 'request')}: " + "; ".join(lines) + ".",
        kind="ot.status",
        data=[r.to_json() for r in found],
    )


def cancel(ctx: Context) -> Reply:
    ref = ctx.slots.get("ref")
    if ref is None:
        open_ = pending_requests(ctx.core, ctx.scope, "cancel overtime requests")
        if len(open_) != 1:
            options = ", ".join(f"{r.ref} ({_short_shift(r)})" for r in open_)
            return _ask(
                "Which request? "
                + (f"Open: {options}." if options else "There are no open requests.")
            )
        ref = open_[0].id
    req = cancel_request(ctx.core, CancelRequest(int(ref), ctx.scope), ctx.actor)
    told = sum(1 for o in req.offers if o.response in ("WITHDRAWN", "ACCEPTED"))
    return Reply(
        f"{req.ref} cancelled ({_short_shift(req)}). "
        f"{plural(told, 'person', 'people')} told it's no longer needed.",
        kind="ot.status",
        data=req.to_json(),
    )


def reopen(ctx: Context) -> Reply:
    """ot.reopen (the button on a late withdrawal): put the shift back out now."""
    if ctx.slots.get("ref") is None:
        # staff are refused (by the core's rule), not asked which; reopen_request checks too
        ctx.scope.require_manager("reopen overtime requests")
        return _ask("Which request? e.g. 'reopen OT42'.")
    req = reopen_request(ctx.core, ReopenRequest(int(ctx.slots["ref"]), ctx.scope), ctx.actor)
    asked = sum(1 for o in req.offers if o.response == "SENT")
    tail = (
        f"{plural(asked, 'person', 'people')} waiting to answer."
        if asked
        else "Nobody else is eligible: book an agency worker or change the request."
    )
    return Reply(
        f"{req.ref} reopened ({_short_shift(req)}). {tail}", kind="ot.status", data=req.to_json()
    )


AGENCY_NAME = re.compile(
    r"\b(?:booked|book|booking|got|from|with|via|using)\s+(?:an?\s+)?(?:agency\s+)?"
    r"(?:worker\s+)?(?:from\s+)?([A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*)*)"
)
AGENCY_COST = re.compile(
    r"(?:£|gbp\s*)\s*(\d+(?:[.,]\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s*(?:pounds|quid)", re.IGNORECASE
)
NOT_NAMES = {
    "OT",
    "RN",
    "SSW",
    "HCA",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Agency",
}


def agency_words(text: str) -> tuple[str | None, float | None]:
    """The agency's name and the cost in a manager's message ("booked Carewatch for OT42,
    £320")."""
    name = None
    for match in AGENCY_NAME.finditer(text or ""):
        words = [
            w for w in match.group(1).split() if w not in NOT_NAMES and not re.match(r"^OT\d+$", w)
        ]
        if words:
            name = " ".join(words)
            break
    cost_match = AGENCY_COST.search(text or "")
    cost = None
    if cost_match:
        cost = float((cost_match.group(1) or cost_match.group(2)).replace(",", "."))
    return name, cost


def agency(ctx: Context) -> Reply:
    """agency.book: record agency cover for a request or a gap; closes the outreach."""
    name, cost = agency_words(ctx.text or "")
    name = ctx.slots.get("agency") or name
    if ctx.slots.get("cost") is not None:
        cost = float(ctx.slots["cost"])
    if not name:
        # staff are refused (by the core's rule), not asked; record_agency checks too
        ctx.scope.require_manager("book agency cover")
        return _ask("Which agency did you book? e.g. 'booked Carewatch for OT42, £320'.")
    if ctx.slots.get("ref") is not None:
        cmd = BookAgency(
            name, cost, ref=int(ctx.slots["ref"]), booked_by_id=ctx.sender.id, scope=ctx.scope
        )
    else:
        slots = _shift_slots(ctx, "book agency cover")
        if isinstance(slots, Reply):
            return slots
        home, day, shift_type, role = slots
        cmd = BookAgency(
            name,
            cost,
            home_id=home.id,
            date=day,
            shift_type=shift_type,
            role=role,
            booked_by_id=ctx.sender.id,
            scope=ctx.scope,
        )
    booked = record_agency(ctx.core, cmd, ctx.actor)
    req, told = booked.request, booked.told
    money = f" at £{cost:g}" if cost is not None else ""
    tail = (
        f" {plural(told, 'person', 'people')} still asked told it's no longer needed."
        if told
        else ""
    )
    return Reply(
        f"Recorded: {name}{money} covers {req.ref} ({req.role} {_short_shift(req)}). "
        f"Outreach closed.{tail}",
        kind="ot.status",
        data=req.to_json(),
    )


# ---- fairness and profiles ------------------------------------------------------------


def fairness(ctx: Context) -> Reply:
    report = fairness_for(ctx.core, ctx.scope, ctx.slots.get("home"), ctx.slots.get("days"))
    days = report.days
    where = "across all homes" if report.all_homes else "at " + ", ".join(report.homes)
    top = ", ".join(f"{n} {h:g}h" for n, h in report.top) or "nobody"
    none = report.willing - report.with_overtime
    return Reply(
        f"Overtime fairness {where}, last {days} days: Gini {report.gini:.2f} "
        "(0 = shared evenly, 1 = one person does it all). "
        f"{report.willing} willing staff; {report.with_overtime} worked overtime, "
        f"{report.total_hours:g}h in all. Most: {top}. "
        f"{plural(none, 'willing person', 'willing people')} had none.",
        kind="fairness",
        data=report.to_json(),
    )


def profile(ctx: Context) -> Reply:
    record = profile_for(ctx.core, ctx.scope, ctx.sender.id, ctx.slots.get("staff"))
    h = record.history
    prefs = (
        describe_preferences(record.preferences)
        .replace("You get", "Gets")
        .replace("You're not", "Not")
    )
    rate = f"{h.accepted / h.resolved:.0%}" if h.resolved else "no answers yet"
    speed = (
        f"; answers in {h.avg_response_s / 3600:.1f}h on average"
        if h.avg_response_s is not None
        else ""
    )
    last_ot = f"last on {day_label(h.last_ot)}" if h.last_ot else "none yet"
    asked = (
        f" Last asked {day_label(h.last_contacted.astimezone(ctx.core.zone).date())}."
        if h.last_contacted
        else " Never asked."
    )
    return Reply(
        f"{record.name} ({record.role}, {record.home}): {prefs} "
        f"Offers: {h.offers}; accepted {h.accepted} ({rate}), declined {h.declined}, "
        f"no reply {h.no_response}{speed}. Overtime: {plural(h.ot_shifts, 'shift')} "
        f"({h.ot_hours_total:g}h), {record.shifts_window} in the last {record.days} "
        f"days ({record.hours_window:g}h), {last_ot}.{asked}",
        kind="staff.profile",
        data=record.to_json(),
    )


# ---- notification texts (outbox kinds) -----------------------------------------------
# Short enough for one SMS where possible, and never a carrier keyword as a command word.


def offer_text(p: dict[str, Any]) -> str:
    return (
        f"Hi {p.get('first_name', '')}, overtime {p['ref']}: {p['role']} "
        f"{shift_label(p['shift_type'])} {p['day']} {p['times']}, {p['home']}. "
        f"Reply YES {p['request_id']} to take it or NO {p['request_id']}."
    )


def filled_text(p: dict[str, Any]) -> str:
    return (
        f"{p['ref']} ({shift_label(p['shift_type'])} {p['day']}, {p['home']}) has been "
        "filled. Thanks, no need to reply."
    )


def cancelled_text(p: dict[str, Any]) -> str:
    return (
        f"{p['ref']} ({shift_label(p['shift_type'])} {p['day']}, {p['home']}) is no "
        "longer needed. Thanks, no need to reply."
    )


def filled_manager_text(p: dict[str, Any]) -> str:
    return (
        f"{p['ref']} filled: {p['name']} takes the {p['role']} "
        f"{shift_label(p['shift_type'])} {p['day']} at {p['home']} "
        f"({p['minutes']} min, {p['asked']} asked)."
    )


def unfilled_text(p: dict[str, Any]) -> str:
    return (
        f"{p['ref']} {p['role']} {shift_label(p['shift_type'])} {p['day']} at {p['home']} "
        f"is still uncovered: {p['why']}. Asked {p['asked']}: {p['declined']} said no, "
        f"{p['no_response']} no reply. Next step: {p['next_step']}."
    )


def filled_manager_text_n(p: dict[str, Any]) -> str:
    slots = int(p.get("slots") or 1)
    if slots <= 1:
        return filled_manager_text(p)
    names = ", ".join(p.get("filled") or [p["name"]])
    if p.get("complete"):
        return (
            f"{p['ref']} filled: all {slots} places for the {p['role']} "
            f"{shift_label(p['shift_type'])} {p['day']} at {p['home']} are taken ({names}; "
            f"{p['minutes']} min, {p['asked']} asked)."
        )
    return (
        f"{p['ref']}: {p['name']} takes a place on the {p['role']} "
        f"{shift_label(p['shift_type'])} {p['day']} at {p['home']} "
        f"({len(p.get('filled') or [])} of {slots} filled; still looking)."
    )


def _next_step_words(p: dict[str, Any]) -> str:
    cross = p.get("cross_home") or []
    parts = [f"book an agency worker (reply 'booked <agency> for {p['ref']}')"]
    if cross:
        parts.append(f"ask {', '.join(cross[:3])} (eligible but not opted in for {p['home']})")
    parts.append("or change the request (another role or day)")
    return ", ".join(parts)


def unfilled_text_n(p: dict[str, Any]) -> str:
    return (
        f"{p['ref']} {p['role']} {shift_label(p['shift_type'])} {p['day']} at {p['home']} "
        f"is still uncovered: {p['why']}. Asked {p['asked']}: {p['declined']} said no, "
        f"{p['no_response']} no reply. Next step: {_next_step_words(p)}."
    )


def exhausted_text(p: dict[str, Any]) -> str:
    waiting = int(p.get("waiting") or 0)
    wait = (
        f" {plural(waiting, 'person', 'people')} still to answer (offers close {p['reply_by']})."
        if waiting
        else ""
    )
    return (
        f"{p['ref']} {p['role']} {shift_label(p['shift_type'])} {p['day']} at {p['home']}: "
        f"{p['why']} ({p['asked']} asked), nobody else to ask.{wait} If you need cover "
        f"for sure: {_next_step_words(p)}."
    )


def withdrawn_text(p: dict[str, Any]) -> str:
    head = (
        f"{p['name']} has pulled out of {p['ref']} ({p['role']} "
        f"{shift_label(p['shift_type'])} {p['day']} {p['times']} at {p['home']})"
    )
    if p.get("reason_given"):
        head += f" and gave a reason (ask me for the status of {p['ref']} to see it)"
    if p.get("reopened"):
        return head + ". The shift is off their rota and outreach has reopened."
    return head + (
        f". It starts in {p.get('hours_left')}h, so it's your call: reopen "
        f"outreach (reply 'reopen {p['ref']}') or book an agency worker."
    )


def agency_text(p: dict[str, Any]) -> str:
    cost = f" (£{p['cost']:g})" if p.get("cost") is not None else ""
    return (
        f"{p['ref']} {p['role']} {shift_label(p['shift_type'])} {p['day']} at {p['home']} "
        f"is covered by {p['agency']}{cost}, booked by {p['booked_by']}. Outreach closed."
    )


def reminder_text(p: dict[str, Any]) -> str:
    when = "today" if p.get("when") == "day" else "tomorrow"
    return (
        f"Reminder {p.get('first_name', '')}: overtime {p['ref']} {when}, {p['role']} "
        f"{shift_label(p['shift_type'])} {p['day']} {p['times']}, {p['home']}. "
        f"Can't make it? Reply NO {p['request_id']}."
    )


def sickness_text(p: dict[str, Any]) -> str:
    head = (
        f"{p['name']} is off sick for the {p['role']} {shift_label(p['shift_type'])} "
        f"{p['day']} at {p['home']}."
    )
    if not p.get("ref"):
        return head + " No outreach was started; find cover (e.g. 'find an RN for ...')."
    if p.get("status") == "UNFILLED":
        return head + f" {p['ref']} found nobody eligible: next step, book an agency worker."
    return head + (
        f" {p['ref']} opened to find cover: "
        f"{plural(int(p.get('asked') or 0), 'person', 'people')} asked so far."
    )


NOTIFICATION_TEXTS = {
    "ot.offer": offer_text,
    "ot.filled": filled_text,
    "ot.cancelled": cancelled_text,
    "ot.filled_manager": filled_manager_text_n,
    "ot.unfilled": unfilled_text_n,
    "ot.exhausted": exhausted_text,
    "ot.withdrawn": withdrawn_text,
    "ot.agency": agency_text,
    "ot.reminder": reminder_text,
    "ot.sickness": sickness_text,
}

HANDLERS = {
    "ot.accept": accept,
    "ot.decline": decline,
    "ot.optin": opt_in,
    "ot.optout": opt_out,
    "ot.preferences": preferences,
    "ot.request": request,
    "ot.rank": rank,
    "ot.status": status,
    "ot.cancel": cancel,
    "ot.withdraw": withdraw,
    "ot.available": available,
    "ot.reopen": reopen,
    "agency.book": agency,
    "sickness.report": sickness,
    "fairness.report": fairness,
    "staff.profile": profile,
}
