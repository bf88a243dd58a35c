"""Leave in chat: staff ask for leave and their balance; managers list what waits for them and
approve or deny it. Also the words of every leave notification (added to bootstrap's
registry by ``install``).

Handlers fill in what the parser leaves out (annual leave by default; ask for missing days),
call ``core.leave`` and word the result. Permissions are the core's.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.conversation.context import Context
from bot.conversation.fmt import plural, short_day
from bot.conversation.reply import Action, Reply
from core.errors import InvalidInput
from core.leave import (
    DecideLeave,
    LeaveBalance,
    LeaveView,
    RequestLeave,
    awaiting_decision,
    balance_for,
    decide_leave,
    request_leave,
)
from core.models import LeaveType
from core.registry import Registry

MAX_LISTED = 10  # requests named in one "leave to review" answer
MAX_BUTTONS = 5  # requests given Approve / Deny buttons in one answer


def _span(start: date, end: date) -> str:
    return short_day(start) if start == end else f"{short_day(start)} to {short_day(end)}"


def _days(n: float) -> str:
    return f"{n:g} day{'s' if n != 1 else ''}"


def _as_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _left(bal: LeaveBalance | None) -> str:
    if bal is None or bal.remaining is None:
        return ""
    return f" You have {_days(bal.remaining)} of {bal.year} leave left."


# ---- staff ----------------------------------------------------------------------------------


def request(ctx: Context) -> Reply:
    """leave.request: record it and answer at once - approved, or with a manager and why."""
    start = _as_date(ctx.slots.get("start_date"))
    if start is None:
        return Reply(
            "Which days would you like off? For example: 'can I have 3rd-5th March "
            "off' or 'can I have the 22nd off'.",
            kind="leave.ask_dates",
        )
    end = _as_date(ctx.slots.get("end_date")) or start
    try:
        leave_type = LeaveType(str(ctx.slots.get("leave_type") or "annual"))
    except ValueError:
        leave_type = LeaveType.ANNUAL
    outcome = request_leave(
        ctx.core, RequestLeave(ctx.sender.id, start, end, leave_type), actor=ctx.actor
    )
    r = outcome.request
    what = f"{r.leave_type} leave {_span(r.start_date, r.end_date)}"
    data = {
        **r.to_json(),
        "days": r.days,
        "reasons": outcome.reasons,
        "reviewers": outcome.reviewers,
    }
    if outcome.approved:
        text = (
            f"Yes, {ctx.sender.first_name}: your {what} ({_days(r.days)}) is approved "
            f"(ref {r.ref}).{_left(outcome.balance)}"
        )
        short = f"Approved: {what} (ref {r.ref}).{_left(outcome.balance)}"
        return Reply(text, short=short, kind="leave.approved", data=data)
    who = " and ".join(outcome.reviewers) or "a manager"
    because = "; ".join(outcome.reasons)
    text = (
        f"Thanks {ctx.sender.first_name}. Your {what} (ref {r.ref}) needs a manager's "
        f"decision because {because}. I've sent it to {who} and will let you know as soon "
        "as it's decided."
    )
    short = (
        f"Your {what} (ref {r.ref}) needs a manager's OK: {because}. Sent to {who}; "
        "I'll text you the answer."
    )
    return Reply(text, short=short, kind="leave.review", data=data)


def balance(ctx: Context) -> Reply:
    """leave.balance: this year's entitlement, taken, booked and pending."""
    bal = balance_for(ctx.core, ctx.sender.id)
    if bal.entitlement is None or bal.remaining is None:
        return Reply(
            f"I have no leave entitlement recorded for you for {bal.year}; please "
            "ask your manager.",
            kind="leave.balance",
            data=bal.to_json(),
        )
    pending = f", {_days(bal.pending)} waiting for a decision" if bal.pending else ""
    after = (
        f" ({_days(bal.remaining_if_pending_approved or 0)} if that is approved)"
        if bal.pending
        else ""
    )
    text = (
        f"Your {bal.year} leave: {_days(bal.entitlement)} entitlement, {bal.taken:g} taken, "
        f"{bal.booked:g} booked{pending}. You have {_days(bal.remaining)} left{after}."
    )
    short = (
        f"{bal.year} leave: {bal.remaining:g} of {bal.entitlement:g} days left "
        f"({bal.taken:g} taken, {bal.booked:g} booked"
        + (f", {bal.pending:g} pending" if bal.pending else "")
        + ")."
    )
    return Reply(text, short=short, kind="leave.balance", data=bal.to_json())


# ---- managers -----------------------------------------------------------------------------


def _buttons(rows: list[LeaveView]) -> list[Action]:
    actions: list[Action] = []
    single = len(rows) == 1
    for r in rows[:MAX_BUTTONS]:
        suffix = "" if single else f" {r.ref}"
        actions += [
            Action(f"Approve{suffix}", "leave.approve", {"ref": r.ref}, "primary"),
            Action(f"Deny{suffix}", "leave.deny", {"ref": r.ref}, "danger"),
        ]
    return actions


def pending(ctx: Context) -> Reply:
    """leave.pending: requests waiting for this manager's decision, soonest first."""
    home = str(ctx.slots["home"]) if ctx.slots.get("home") else None
    rows = awaiting_decision(ctx.core, ctx.scope, home=home)
    where = f" at {ctx.slots['home']}" if ctx.slots.get("home") else ""
    if not rows:
        return Reply(f"No leave is waiting for a decision{where}.", kind="leave.pending", data=[])
    items = []
    for r in rows[:MAX_LISTED]:
        why = f" - {r.reason}" if r.reason else ""
        items.append(
            f"{r.ref}: {r.name}, {r.leave_type} {_span(r.start_date, r.end_date)} "
            f"({_days(r.days)}){why}"
        )
    more = len(rows) - MAX_LISTED
    tail = f" And {more} more." if more > 0 else ""
    text = (
        f"{plural(len(rows), 'leave request')} waiting for a decision{where}: "
        + "; ".join(items)
        + f".{tail} Say 'approve 123' or 'deny 123 <reason>'."
    )
    short = (
        f"{len(rows)} waiting{where}: "
        + "; ".join(
            f"{r.ref} {r.name} {_span(r.start_date, r.end_date)}" for r in rows[:MAX_LISTED]
        )
        + tail
    )
    data = [{**r.to_json(), "home": r.home, "days": r.days} for r in rows]
    return Reply(text, short=short, kind="leave.pending", data=data, actions=_buttons(rows))


def _ref(ctx: Context) -> int | None:
    value = ctx.slots.get("ref")
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{value!r} is not a leave request number.") from None


# what is left of "deny 123 - short of nurses" once the command and the request are removed
_DENY_WORDS = re.compile(
    r"^\s*(?:please\s+)?(?:deny|refuse|reject|decline|turn\s+down|say\s+no\s+to)\b", re.IGNORECASE
)
_FILLER = re.compile(
    r"^(?:[\s,.:;\-\u2013\u2014]|leave\b|request\b|for\b|because\b|as\b|"
    r"since\b|reason\b|'s\b|s\b|the\b|#)+",
    re.IGNORECASE,
)


def _deny_reason(ctx: Context) -> str | None:
    """The reason as the manager wrote it; the parser's slot only says there is one."""
    text = ctx.text or ""
    if not _DENY_WORDS.match(text):
        return str(ctx.slots["reason"]).strip() if ctx.slots.get("reason") else None
    rest = _DENY_WORDS.sub("", text, count=1)
    for _ in range(4):  # strip "leave", the ref and the name, in whatever order they came
        rest = _FILLER.sub("", rest)
        ref = ctx.slots.get("ref")
        if ref is not None:
            rest = re.sub(rf"^(?:OT|L)?{int(ref)}\b", "", rest, flags=re.IGNORECASE)
        staff = str(ctx.slots.get("staff") or "")
        for token in sorted({staff, *staff.split()}, key=len, reverse=True):
            if token and rest.lower().startswith(token.lower()):
                rest = rest[len(token) :]
    rest = rest.strip(" ,.;:-\u2013\u2014")
    if rest:
        return rest
    return str(ctx.slots["reason"]).strip() if ctx.slots.get("reason") else None


def _decide(ctx: Context, approve: bool) -> Reply:
    ctx.scope.require_manager("approve or deny leave")
    ref, staff = _ref(ctx), ctx.slots.get("staff")
    if ref is None and not staff:
        raise InvalidInput(
            "Which request? Say its number ('approve 123') or the person's name "
            "('approve leave for Sarah MacKenzie'). 'Leave to review' lists "
            "them."
        )
    reason = None if approve else _deny_reason(ctx)
    decision = decide_leave(
        ctx.core,
        DecideLeave(approve, ref=ref, staff=staff, reason=reason),
        ctx.scope,
        actor=ctx.actor,
    )
    r = decision.request
    first = r.name.split()[0]
    what = f"{r.name}'s {r.leave_type} leave {_span(r.start_date, r.end_date)} (ref {r.ref})"
    if approve:
        text = f"Approved: {what}. I've let {first} know."
    elif reason:
        text = f"Denied: {what}, because {reason}. I've let {first} know."
    else:
        text = (
            f"Denied: {what}. I've let {first} know, without a reason; next time you can "
            f"add one ('deny {r.ref} short of nurses')."
        )
    return Reply(text, kind="leave.decided", data={**r.to_json(), "decided_by": r.decided_by})


def approve(ctx: Context) -> Reply:
    """leave.approve: by ref, or by name (the person's single request waiting)."""
    return _decide(ctx, True)


def deny(ctx: Context) -> Reply:
    """leave.deny: as approve, with the manager's reason passed on to the requester."""
    return _decide(ctx, False)


# ---- notifications (outbox kinds) -----------------------------------------------------------


def _payload_span(p: dict[str, Any]) -> str:
    return _span(date.fromisoformat(p["start_date"]), date.fromisoformat(p["end_date"]))


def review_text(p: dict[str, Any]) -> str:
    reasons = "; ".join(p.get("reasons") or []) or "it needs a manager's decision"
    return (
        f"Leave to review ({p['ref']}): {p['name']} ({p.get('home') or 'no home'}) asks for "
        f"{p['leave_type']} leave {_payload_span(p)} ({_days(p['days'])}). Not approved "
        f"automatically because {reasons}. Reply 'approve {p['ref']}' or "
        f"'deny {p['ref']} <reason>'."
    )


def decision_text(p: dict[str, Any]) -> str:
    what = f"your {p['leave_type']} leave {_payload_span(p)} (ref {p['ref']})"
    if p.get("status") == "APPROVED":
        return f"Good news {p['first_name']}: {what} has been approved by {p['decided_by']}."
    why = f" Reason: {p['reason']}." if p.get("reason") and p["reason"] != "no reason given" else ""
    return (
        f"Sorry {p['first_name']}, {what} was not approved by {p['decided_by']}.{why} "
        "Speak to your manager if you'd like to talk it over."
    )


def cancelled_text(p: dict[str, Any]) -> str:
    back = (
        f" {_days(p['days_back'])} {'is' if p['days_back'] == 1 else 'are'} back in your balance."
        if p.get("days_back")
        else ""
    )
    return (
        f"Your {p['leave_type']} leave {_payload_span(p)} (ref {p['ref']}) has been "
        f"cancelled.{back}"
    )


NOTIFICATION_TEXTS = {
    "leave.review": review_text,
    "leave.decision": decision_text,
    "leave.cancelled": cancelled_text,
}


def install(registry: Registry) -> None:
    """Leave's handlers and the words of its notifications, for bootstrap's registry."""
    registry.add_handlers(
        {
            "leave.request": request,
            "leave.balance": balance,
            "leave.pending": pending,
            "leave.approve": approve,
            "leave.deny": deny,
        }
    )
    registry.add_texts(NOTIFICATION_TEXTS)
