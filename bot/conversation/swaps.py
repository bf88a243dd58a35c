"""Swaps in chat: staff offer a shift to a named colleague, swap it for one of theirs, or give
it away to anyone eligible; colleagues answer YES or NO; managers approve or deny swaps the
rules sent them. Also the words of every swap notification, and the routing of a bare YES /
NO to a swap when that is what the person was asked last (``install``).

Handlers read the slots, call ``core.swaps.service`` and word the result. Rules and
permissions are the core's.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.conversation.context import Context
from bot.conversation.reply import Reply
from core.errors import InvalidInput
from core.registry import Handler, Registry
from core.swaps.models import SwapStatus
from core.swaps.service import (
    DecideSwap,
    RequestSwap,
    SwapOutcome,
    SwapView,
    answer_swap,
    answer_target,
    decide_swap,
    request_swap,
    swaps_for,
)

ANYONE = re.compile(r"^\s*(any ?one|any ?body|someone|somebody|anyone else)\s*$", re.IGNORECASE)


def _as_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _first(name: str | None) -> str:
    return (name or "").split(" ")[0] or "them"


def _pair(v: SwapView) -> str:
    """'your Tue 20 Jan early' (+ "for Sarah's Thu 15 Jan late")."""
    words = f"your {v.shift.words} at {v.shift.home}"
    if v.other_shift is not None:
        words += f" for {_first(v.to_name)}'s {v.other_shift.words}"
    return words


# ---- staff: asking ---------------------------------------------------------------------------


def request(ctx: Context) -> Reply:
    """swap.request: ask the named colleague, or offer a give-away to everyone eligible."""
    day = _as_date(ctx.slots.get("start_date"))
    if day is None:
        return Reply(
            "Which shift would you like to swap or give away? For example: 'can I "
            "swap my Tuesday early with Sarah MacKenzie' or 'can anyone take my "
            "Saturday late?'.",
            kind="question",
        )
    staff = ctx.slots.get("staff")
    if isinstance(staff, list):
        staff = staff[0] if staff else None
    if isinstance(staff, str) and ANYONE.match(staff):
        staff = None
    outcome = request_swap(
        ctx.core,
        RequestSwap(
            ctx.sender.id,
            day,
            ctx.slots.get("shift_type"),
            staff,
            _as_date(ctx.slots.get("other_date")),
            ctx.slots.get("other_shift_type"),
        ),
        actor=ctx.actor,
    )
    v = outcome.swap
    assert v is not None
    data = {**v.to_json(), "asked": outcome.asked, "reasons": outcome.reasons}
    if outcome.result == "refused":
        because = "; ".join(outcome.reasons)
        return Reply(
            f"Sorry {ctx.sender.first_name}, that swap can't go ahead: {because}. "
            f"Nothing has changed (swap {v.ref}).",
            short=f"Swap {v.ref} refused: {because}.",
            kind="swap.refused",
            data=data,
        )
    if outcome.result == "cancelled":
        return Reply(
            f"Sorry {ctx.sender.first_name}, nobody at {v.shift.home} who could take "
            f"your {v.shift.words} is free to, so I haven't asked anyone. You're "
            "still on it.",
            kind="swap.cancelled",
            data=data,
        )
    if v.to_name:
        what = (
            f"swap their {v.other_shift.words} for your {v.shift.words} at {v.shift.home}"
            if v.other_shift
            else f"take your {v.shift.words} at {v.shift.home}"
        )
        text = (
            f"OK {ctx.sender.first_name}: I've asked {v.to_name} if they'll {what} "
            f"(swap {v.ref}). I'll let you know their answer."
        )
        short = f"Asked {v.to_name} about swap {v.ref}; I'll text you their answer."
    else:
        n = len(outcome.asked)
        text = (
            f"OK {ctx.sender.first_name}: I've offered your {v.shift.words} at "
            f"{v.shift.home} to {n} colleague{'s' if n != 1 else ''} who can take it "
            f"(swap {v.ref}). The first to say YES gets it; I'll let you know."
        )
        short = f"Offered your {v.shift.words} to {n} (swap {v.ref}); I'll let you know."
    return Reply(text, short=short, kind="swap.asked", data=data)


# ---- staff: answering ------------------------------------------------------------------------


def answer_reply(ctx: Context, outcome: SwapOutcome, yes: bool) -> Reply:
    v = outcome.swap
    assert v is not None
    data = {**v.to_json(), "result": outcome.result, "reasons": outcome.reasons}
    because = "; ".join(outcome.reasons)
    asker = v.from_name
    theirs = f"{asker}'s {v.shift.words} at {v.shift.home}"
    if outcome.result == "approved":
        back = f", and {_first(asker)} has your {v.other_shift.words}" if v.other_shift else ""
        text = (
            f"Done: {theirs} is yours now{back} (swap {v.ref}, approved). Both rotas are updated."
        )
    elif outcome.result == "review":
        who = " and ".join(outcome.reviewers) or "a manager"
        text = (
            f"Thanks {ctx.sender.first_name}. Swap {v.ref} needs a manager's OK because "
            f"{because}. I've sent it to {who} and will let you know."
        )
    elif outcome.result == "refused":
        text = f"Sorry, swap {v.ref} can't go ahead: {because}. Nothing has changed."
    elif outcome.result == "clash":
        text = (
            f"Thanks, but you can't take {theirs}: {because}. Nothing has changed (swap {v.ref})."
        )
    elif outcome.result == "declined":
        text = f"OK, I've told {_first(asker)} you can't take it (swap {v.ref})."
    elif outcome.result == "already":
        text = f"{theirs} is already yours (swap {v.ref})."
    else:  # gone
        state = {"EXPIRED": " has expired", "CANCELLED": " was cancelled", "DENIED": " was refused"}
        text = (
            f"Thanks {ctx.sender.first_name}, but {theirs} has already gone (swap {v.ref}"
            f"{state.get(str(v.status), '')}). Nothing has changed."
        )
    return Reply(text, kind=f"swap.{outcome.result}", data=data)


def _answering(previous: Handler | None, yes: bool) -> Handler:
    """ot.accept / ot.decline: a swap when a swap is what this person was asked last, else the
    overtime handler as before."""

    def handle(ctx: Context) -> Any:
        ref = ctx.slots.get("ref")
        target = answer_target(ctx.core, ctx.sender.id, int(ref) if ref is not None else None)
        if target is not None:
            return answer_reply(ctx, answer_swap(ctx.core, ctx.sender.id, target, yes), yes)
        if previous is None:
            return Reply("You have no open offers right now, so nothing has changed.")
        return previous(ctx)

    return handle


# ---- managers --------------------------------------------------------------------------------

_DENY = re.compile(
    r"^\s*(?:please\s+)?(?:deny|refuse|reject|decline|turn\s+down)\b"
    r"(?:\s+(?:the|that))?(?:\s+swap)?(?:\s+(?:no\.?\s*)?#?\d+)?",
    re.IGNORECASE,
)


def _reason(ctx: Context) -> str | None:
    text = ctx.text or ""
    m = _DENY.match(text)
    if m is None:
        return str(ctx.slots["reason"]).strip() if ctx.slots.get("reason") else None
    rest = text[m.end() :]
    staff = str(ctx.slots.get("staff") or "")
    rest = re.sub(r"^[\s,.:;\-]*(?:for\s+)?", "", rest)
    if staff and rest.lower().startswith(staff.lower()):
        rest = rest[len(staff) :]
    rest = re.sub(r"^[\s,.:;\-]*(?:because|as|since|reason:?)?\s*", "", rest, flags=re.I)
    return rest.strip(" ,.;:-") or None


def _decide(ctx: Context, approve: bool) -> Reply:
    ctx.scope.require_manager("approve or deny swaps")
    ref = ctx.slots.get("ref")
    staff = ctx.slots.get("staff")
    if ref is None and not staff:
        raise InvalidInput("Which swap? Say its number ('approve swap 12') or a name.")
    reason = None if approve else _reason(ctx)
    outcome = decide_swap(
        ctx.core,
        DecideSwap(approve, int(ref) if ref is not None else None, staff, reason),
        ctx.scope,
        actor=ctx.actor,
    )
    v = outcome.swap
    assert v is not None
    what = f"swap {v.ref}: {v.from_name}'s {v.shift.words} at {v.shift.home} to {v.to_name}"
    if v.other_shift:
        what += f", for their {v.other_shift.words}"
    if approve:
        text = f"Approved {what}. Both rotas are updated and I've told them."
    else:
        why = f", because {reason}" if reason else ""
        text = f"Denied {what}{why}. I've told them."
    return Reply(text, kind="swap.decided", data=v.to_json())


def approve(ctx: Context) -> Reply:
    return _decide(ctx, True)


def deny(ctx: Context) -> Reply:
    return _decide(ctx, False)


# ---- notifications (outbox kinds) -------------------------------------------------------------


def _return(p: dict[str, Any], whose: str = "your") -> str:
    return f" in return for {whose} {p['other_words']}" if p.get("other_words") else ""


def ask_text(p: dict[str, Any]) -> str:
    return (
        f"{p['from_name']} asks if you'll take their {p['shift_words']} at {p['home']}"
        f"{_return(p)} (swap {p['ref']}). Reply YES or NO."
    )


def offer_text(p: dict[str, Any]) -> str:
    return (
        f"Can you take {p['from_name']}'s {p['shift_words']} at {p['home']}? (swap "
        f"{p['ref']}) The first to reply YES gets it. Reply YES or NO."
    )


def approved_text(p: dict[str, Any]) -> str:
    back = f", and you have their {p['other_words']}" if p.get("other_words") else ""
    return (
        f"Good news {p['first_name']}: {p['to_name']} is taking your {p['shift_words']} at "
        f"{p['home']}{back} (swap {p['ref']}, approved). Your rota is updated."
    )


def waiting_text(p: dict[str, Any]) -> str:
    who = " and ".join(p.get("reviewers") or []) or "a manager"
    return (
        f"{p['to_name']} said yes to swap {p['ref']} (your {p['shift_words']}), but it "
        f"needs a manager's OK because {'; '.join(p.get('reasons') or [])}. I've sent it "
        f"to {who}."
    )


def review_text(p: dict[str, Any]) -> str:
    return (
        f"Swap to review ({p['ref']}): {p['from_name']}'s {p['shift_words']} at "
        f"{p['home']} to {p['to_name']}{_return(p, 'their')}. Not approved "
        f"automatically because {'; '.join(p.get('reasons') or [])}. Reply 'approve swap "
        f"{p['ref']}' or 'deny swap {p['ref']} <reason>'."
    )


def decision_text(p: dict[str, Any]) -> str:
    what = f"Swap {p['ref']} ({p['from_name']}'s {p['shift_words']} to {p['to_name']})"
    if p.get("status") == "APPROVED":
        return f"{what} was approved by {p['decided_by']}. Your rota is updated."
    reason = p.get("reason")
    why = f" Reason: {reason}." if reason and reason != "no reason given" else ""
    return f"{what} was not approved by {p['decided_by']}.{why} Nothing has changed."


def refused_text(p: dict[str, Any]) -> str:
    return (
        f"Sorry {p['first_name']}, swap {p['ref']} (your {p['shift_words']}) can't go "
        f"ahead: {'; '.join(p.get('reasons') or [])}. You're still on it."
    )


def declined_text(p: dict[str, Any]) -> str:
    who = p.get("by") if p.get("to_name") else "Nobody asked"
    return f"{who} can't take your {p['shift_words']} (swap {p['ref']}), so you're still on it."


def expired_text(p: dict[str, Any]) -> str:
    return (
        f"Nobody took your {p['shift_words']} in time, so swap {p['ref']} has expired. "
        "You're still on it."
    )


def gone_text(p: dict[str, Any]) -> str:
    return f"{p['from_name']}'s {p['shift_words']} (swap {p['ref']}) has been taken. Thanks anyway."


NOTIFICATION_TEXTS = {
    "swap.ask": ask_text,
    "swap.offer": offer_text,
    "swap.approved": approved_text,
    "swap.waiting": waiting_text,
    "swap.review": review_text,
    "swap.decision": decision_text,
    "swap.refused": refused_text,
    "swap.declined": declined_text,
    "swap.expired": expired_text,
    "swap.gone": gone_text,
}


def rota_note(ctx: Context, start: date, end: date) -> str:
    """The person's swaps of these days, for their rota: " Swaps: ..." or nothing."""
    shown = ("APPROVED", "PENDING", "MANUAL_REVIEW")
    items = []
    for v in swaps_for(ctx.core, ctx.sender.id, start):
        if str(v.status) not in shown or v.shift.date > end:
            continue
        back = (
            f" for {'their' if v.from_id == ctx.sender.id else 'your'} {v.other_shift.words}"
            if v.other_shift
            else ""
        )
        if v.from_id == ctx.sender.id:
            who = v.to_name or "a colleague"
            if v.status == SwapStatus.APPROVED:
                items.append(f"{who} took your {v.shift.words}{back} (swap {v.ref})")
            else:
                items.append(
                    f"your {v.shift.words}{back} is waiting for "
                    f"{'a manager' if v.status == SwapStatus.MANUAL_REVIEW else who}"
                    f" (swap {v.ref})"
                )
        elif v.to_id == ctx.sender.id:
            state = "you took" if v.status == SwapStatus.APPROVED else "waiting: you'd take"
            items.append(f"{state} {v.from_name}'s {v.shift.words}{back} (swap {v.ref})")
    return (" Swaps: " + "; ".join(items) + ".") if items else ""


def expire_job(core: Any) -> int:
    from core.swaps.service import expire_swaps

    return expire_swaps(core)


def install(registry: Registry) -> None:
    """swap.request / swap.approve / swap.deny, the YES / NO routing, the notification words
    and the expiry job. Installed after overtime: it wraps overtime's YES and NO handlers."""
    registry.add_handlers({"swap.request": request, "swap.approve": approve, "swap.deny": deny})
    for intent, yes in (("ot.accept", True), ("ot.decline", False)):
        registry.add_handler(intent, _answering(registry.handlers.get(intent), yes), replace=True)
    registry.add_texts(NOTIFICATION_TEXTS)
    registry.add_job("swaps.expire", expire_job)
