"""Conversations that remember and act only when sure.

Around every handler: the person's open question (``core.conversation_state``) lets the next
message fill the slot it asked for, answer a yes/no, or pick one of two offers; a message
that would change a record is applied only when the parse and the context leave one
reading, otherwise the assistant asks one short question and nothing changes. Words and
wording live here; the state and the permission rules are the core's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from bot.conversation.context import Context
from bot.conversation.fmt import shift_label
from bot.conversation.reply import Reply
from core.conversation_queries import ask, close_question, open_question, settle
from core.conversation_state import Pending
from core.directory import active_people_names, every_home_name, home_named
from core.errors import NotFound, StaffbotError
from core.selfservice import open_offers

Run = Callable[[Context], Reply]

# messages that would change a record, and the confidence each needs before it is applied
# without asking (chosen on the conversation corpus: every wrong booking it held had a
# confidence below these, every right one but a handful above)
RECORD_CHANGING: dict[str, float] = {
    "ot.accept": 0.80,
    "ot.decline": 0.80,
    "ot.withdraw": 0.80,
    "ot.available": 0.75,
    "ot.optin": 0.70,
    "ot.optout": 0.80,
    "ot.preferences": 0.70,
    "ot.request": 0.75,
    "ot.cancel": 0.80,
    "leave.request": 0.65,
    "leave.cancel": 0.70,
    "leave.approve": 0.75,
    "leave.deny": 0.75,
    "sickness.report": 0.75,
    "swap.request": 0.75,
    "swap.approve": 0.75,
    "swap.deny": 0.75,
    "agency.book": 0.80,
    "rota.publish": 0.85,
}

ACK = re.compile(
    r"^(ok(ay)?|k+|kk|thanks?( ?you)?( very much)?|thank u|thx|ty|ta|cheers|"
    r"np|no worries|grand|lovely|great|brill(iant)?|nice one|perfect|cool|"
    r"got it|noted|will do|fab|ace|sound|(ok(ay)? )?(thanks|ta|cheers|thx)|"
    r"👍|👌|🙏|😊|🙂|✅|👍🏻|👍🏼|👍🏽|👍🏾|👍🏿)[\s!.x]*$",
    re.IGNORECASE,
)
OKISH = re.compile(
    r"^(ok(ay)?|k|kk|sure|fine|alright|aye|👍|👌|✅|👍🏻|👍🏼|👍🏽|👍🏾|👍🏿)"
    r"[\s!.]*$",
    re.IGNORECASE,
)
YES = re.compile(
    r"^(y|yes|yeah|yep|yup|yess+|ya|aye|sure|ok(ay)?|go on|go ahead|please do|"
    r"do it|yes please|yes pls|confirm(ed)?|correct|that's right|thats right|"
    r"👍|✅)\b[\s!.,]*(please|pls|thanks|ta|thx)?[\s!.]*$",
    re.IGNORECASE,
)
NO = re.compile(
    r"^(n|no|nope|nah|no thanks|no ta|cancel|stop that|don't|dont|leave it|"
    r"never ?mind|forget it)[\s!.,]*$",
    re.IGNORECASE,
)
# a plain answer to an offer: yes/no with at most a ref, a day and politeness
PLAIN_ANSWER = re.compile(
    r"^(y|yes|yeah|yep|yup|yess+|ya|aye|go on|i'?ll (take|do) it|i can do it|"
    r"count me in|put me down|n|no|nope|nah|can'?t|cannot|not this time|sorry)\b"
    r"[\s,!.]*(to |for )?(ot ?)?#?(\d+)?[\s,!.]*"
    r"(i'?ll take it|i can do it|i can'?t do it|i can'?t|can'?t do it|please|pls|thanks|"
    r"thank you|ta|thx|sorry|mate|x+)?[\s!.]*$",
    re.IGNORECASE,
)
PREFERENCE_CUE = re.compile(
    r"\b(i can do|i can work|i do|i don'?t do|i can'?t do|i only do|only|any more|anymore|"
    r"no more|prefer|weekends?|weekdays?|nights|earlies|lates|long days|homes?)\b",
    re.IGNORECASE,
)
QUESTION_START = re.compile(
    r"^(who|whos|who's|what|whats|what's|which|when|where|how|is|are|has|have|does|do|did|"
    r"was|were|will|any(one|body)|show|list|tell me)\b",
    re.IGNORECASE,
)
REQUEST_START = re.compile(r"^(can|could|may|would|please|pls)\s+(i|we|you)\b", re.IGNORECASE)
SICK_WORDS = re.compile(r"\b(sick|ill|unwell|off sick|absent|poorly)\b", re.IGNORECASE)
LEAVE_WORDS = re.compile(r"\b(leave|holiday|holidays|off|annual)\b", re.IGNORECASE)
DAY_COUNT = re.compile(
    r"\b(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|couple of|few)\s+"
    r"(days?|weeks?|fortnights?)\b|\b(a )?fortnight\b",
    re.IGNORECASE,
)
NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "couple of": 2,
}
ROLES = re.compile(r"\b(rn|nurse|ssw|senior|hca|carer|care assistant)\b", re.IGNORECASE)
ROLE_CODES = {
    "rn": "RN",
    "nurse": "RN",
    "ssw": "SSW",
    "senior": "SSW",
    "hca": "HCA",
    "carer": "HCA",
    "care assistant": "HCA",
}
SHIFTS = re.compile(r"\b(early|earlies|late|lates|night|nights|long ?days?)\b", re.IGNORECASE)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY_RE = re.compile(r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\b", re.IGNORECASE)

# first names and surnames that are also everyday words: a name only when capitalised
COMMON_WORDS = frozenset(
    [
        "mark",
        "will",
        "may",
        "grant",
        "hope",
        "rose",
        "hunter",
        "sue",
        "bill",
        "pat",
        "joy",
        "dawn",
        "faith",
        "grace",
        "ruby",
        "amber",
        "holly",
        "summer",
        "june",
        "april",
        "rob",
        "jack",
        "frank",
        "bob",
        "art",
        "ash",
        "glen",
        "miles",
        "lee",
        "guy",
        "bell",
        "reid",
        "clark",
        "baird",
        "young",
        "white",
        "brown",
        "green",
        "black",
        "wood",
        "hill",
        "king",
        "page",
        "rich",
        "sharp",
        "price",
        "long",
        "short",
        "rota",
        "nurse",
    ]
)
# "can mark have friday off", "could my colleague take the 22nd off": not the sender
ABOUT_SOMEONE_ELSE = re.compile(
    r"^(?:please\s+)?(?:can|could|may|would|will|is it ok if|is it okay if|let)\s+"
    r"(?!i\b|we\b|me\b|you\b|u\b|i'?m\b|myself\b)(?P<who>[a-z]+(?: [a-z]+)?)\s+"
    r"(?:have|take|get|book|go)\b",
    re.IGNORECASE,
)
UNDO = re.compile(
    r"\b(cancel|scrap|undo|forget) (that|it|this)\b|\bdon'?t (need|want) it\b", re.IGNORECASE
)
ANSWER_START = re.compile(r"^(y|yes|yeah|yep|ok(ay)?|sure|n|no|nope|nah)\b", re.IGNORECASE)

# what the handlers' questions ask for, by their words
ASKS = [
    (re.compile(r"^Which home", re.I), "home"),
    (re.compile(r"^Which role", re.I), "role"),
    (re.compile(r"^Which shift", re.I), "shift_type"),
    (re.compile(r"^Which day is the shift|^Outreach is for one shift", re.I), "start_date"),
    (re.compile(r"^Which days would you like off|^Which \d+ days?", re.I), "dates"),
]


def thresholds() -> dict[str, float]:
    """Per-intent confidence needed to act without asking: the parser's calibrated
    thresholds (``intents.catalog.THRESHOLDS``, its held-out split) as the floor, raised to
    the conversation layer's where the conversation corpus showed wrong readings above them."""
    from intents import catalog

    published = getattr(catalog, "THRESHOLDS", None) or {}
    floor = float(getattr(catalog, "FLOOR", 0.0))
    table = dict(RECORD_CHANGING)
    for intent in getattr(catalog, "RECORD_CHANGING", ()):
        table.setdefault(intent, max(floor, 0.75))
    for intent, value in published.items():
        table[intent] = max(float(value), table.get(intent, floor))
    return table


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip())


def _day_words(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _offer_words(r: Any) -> str:
    return f"{r.ref}, the {r.role} {shift_label(r.shift_type)} on {_day_words(r.date)} at {r.home}"


# ---- the conversation around a handler ------------------------------------------------------


def respond(ctx: Context, run: Run) -> Reply:
    """Answer one message in its conversation; a refusal or an error also closes the open
    question (the next message starts afresh)."""
    pending = open_question(ctx.core, ctx.sender.id)
    try:
        return _respond(ctx, run, pending)
    except StaffbotError:
        if pending is not None:
            close_question(ctx.core, ctx.sender.id)
        raise


def _respond(ctx: Context, run: Run, pending: Pending | None) -> Reply:
    text = _norm(ctx.text)
    if ctx.text.startswith("[") and ctx.text.endswith("]"):  # a button press: explicit
        return _finish(ctx, run(ctx), pending)

    if pending is not None:
        answered = _follow_up(ctx, pending, text, run)
        if answered is not None:
            return answered

    if (ACK.match(text) or OKISH.match(text) or _all_ack_words(text)) and not re.search(
        r"\d", text
    ):
        return _acknowledge(ctx, text, pending)

    reinterpreted = _reinterpret(ctx, text)
    if isinstance(reinterpreted, Reply):
        return reinterpreted
    ctx = reinterpreted
    guard = _guard(ctx, text)
    if guard is not None:
        return guard
    return _finish(ctx, run(ctx), pending)


def _finish(ctx: Context, reply: Reply, pending: Pending | None) -> Reply:
    """Remember the question a handler asked (or forget the one just answered)."""
    settle(ctx.core, ctx.sender.id, _asked(ctx, reply), pending, _minutes(ctx))
    return reply


# questions whose subject a follow-up can keep ("what about next weekend")
TOPICS = {
    "staffing.gaps",
    "staffing.on_shift",
    "staffing.absent",
    "forecast.show",
    "rota.mine",
    "rota.person",
    "ot.status",
}
FOLLOW_ON = re.compile(r"^(what|how) about\b|^and (for |on )?\b|^what of\b", re.IGNORECASE)


def _asked(ctx: Context, reply: Reply) -> Pending | None:
    if ctx.intent in RECORD_CHANGING and reply.kind not in ("question", "refused", "error"):
        # "ok thanks" to this is an acknowledgement; "cancel that" undoes a leave request
        ref = reply.data.get("ref") if isinstance(reply.data, dict) else None
        return Pending("done", ctx.intent, {"ref": ref} if isinstance(ref, int) else {})
    if ctx.intent in TOPICS and reply.kind not in ("refused", "error", "question"):
        keep = {k: v for k, v in _plain(ctx.slots).items() if k not in ("start_date", "end_date")}
        return Pending("topic", ctx.intent, keep)
    if (
        reply.kind == "question"
        and ctx.intent in ("ot.accept", "ot.decline")
        and isinstance(reply.data, list)
    ):
        options = [{"id": r["id"], "date": r["date"]} for r in reply.data if "id" in r]
        return Pending(
            "choose_offer", ctx.intent, {"options": options, **_keep(ctx.slots, ("reason",))}
        )
    if reply.kind in ("question", "leave.ask_dates"):
        for pattern, slot in ASKS:
            if pattern.search(reply.text):
                return Pending("slot", ctx.intent, _plain(ctx.slots), missing=slot)
    return None


def _keep(slots: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in slots.items() if k in names and v is not None}


def _plain(slots: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in slots.items()
        if isinstance(v, str | int | float | bool | list) and k != "reason"
    }


def _ask(ctx: Context, text: str, pending: Pending | None, short: str | None = None) -> Reply:
    ask(ctx.core, ctx.sender.id, pending, _minutes(ctx))
    return Reply(text, short=short, kind="question")


def _minutes(ctx: Context) -> int | None:
    """How long a question stays answerable (``STAFFBOT_CONVERSATION_MINUTES``, 30)."""
    value = getattr(ctx.core.settings, "conversation_minutes", None)
    return int(value) if value else None


def _with(ctx: Context, intent: str, slots: dict[str, Any], confidence: float = 1.0) -> Context:
    return replace(ctx, intent=intent, slots=slots, confidence=confidence)


# ---- acknowledgements ------------------------------------------------------------------------


ACK_WORDS = {
    "mate",
    "hun",
    "a",
    "lot",
    "so",
    "again",
    "ok",
    "okay",
    "thanks",
    "thank",
    "you",
    "ta",
    "cheers",
    "thx",
    "ty",
    "lovely",
    "great",
    "brill",
    "brilliant",
    "nice",
    "one",
    "perfect",
    "cool",
    "grand",
    "fab",
    "ace",
    "noted",
    "x",
    "xx",
    "very",
    "much",
    "many",
    "got",
    "it",
    "will",
    "do",
    "appreciated",
    "lol",
    "haha",
    "np",
    "no",
    "worries",
    "sound",
    "magic",
    "super",
}


def _all_ack_words(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower())
    has_thanks = any(
        w
        in (
            "thanks",
            "thank",
            "ta",
            "cheers",
            "thx",
            "ty",
            "lovely",
            "great",
            "brill",
            "brilliant",
            "perfect",
            "noted",
            "appreciated",
        )
        for w in words
    )
    return (
        bool(words)
        and has_thanks
        and all(w in ACK_WORDS for w in words)
        and not re.search(r"\bno\b(?! worries)", text.lower())
    )


def _acknowledge(ctx: Context, text: str, pending: Pending | None) -> Reply:
    if OKISH.match(text) and (pending is None or pending.kind != "done"):
        offers = open_offers(ctx.core, ctx.sender.id)
        if len(offers) == 1:
            r = offers[0]
            return _ask(
                ctx,
                f"Is that a YES to {_offer_words(r)}? Reply YES {r.id} to take it.",
                Pending(
                    "confirm",
                    "ot.accept",
                    {"ref": r.id},
                    on_yes={"intent": "ot.accept", "slots": {"ref": r.id}},
                ),
            )
        if len(offers) > 1:
            which = " or ".join(f"YES {r.id}" for r in offers)
            return Reply(
                f"You have {len(offers)} open offers: "
                + "; ".join(_offer_words(r) for r in offers)
                + f". Which one? Reply {which}.",
                kind="question",
            )
    if pending is not None:
        close_question(ctx.core, ctx.sender.id)
    return Reply("", kind="ack")  # nothing to say: no SMS goes back


# ---- follow-ups ------------------------------------------------------------------------------


def _follow_up(ctx: Context, pending: Pending, text: str, run: Run) -> Reply | None:
    if pending.kind == "confirm":
        if YES.match(text) and not re.search(r"\d", text):
            target = pending.on_yes or {}
            if target.get("intent"):
                new = _with(ctx, target["intent"], dict(target.get("slots") or {}))
                return _finish(new, run(new), pending)
        if NO.match(text):
            return _ask(ctx, "OK, nothing changed.", None)
        return None  # anything else is a new message
    if pending.kind == "done":
        if pending.intent == "leave.request" and pending.slots.get("ref") and UNDO.search(text):
            new = _with(ctx, "leave.cancel", {"ref": pending.slots["ref"]})
            return _finish(new, run(new), pending)
        return None
    if pending.kind == "topic":
        if ctx.intent == "unknown" and FOLLOW_ON.match(text) and ctx.slots:
            new = _with(ctx, pending.intent, {**pending.slots, **ctx.slots})
            return _finish(new, run(new), pending)
        return None
    if pending.kind == "choose_offer":
        return _choose_offer(ctx, pending, text, run)
    if pending.kind == "slot" and pending.missing:
        return _fill_slot(ctx, pending, text, run)
    return None


def _choose_offer(ctx: Context, pending: Pending, text: str, run: Run) -> Reply | None:
    options = pending.slots.get("options") or []
    if NO.match(text) and pending.intent == "ot.accept":
        return _ask(ctx, "OK, nothing changed.", None)
    day = WEEKDAY_RE.search(text)
    if day is None or ctx.intent not in ("ot.accept", "ot.decline", "unknown"):
        return None
    wd = next((i for i, w in enumerate(WEEKDAYS) if w.startswith(day.group(1).lower()[:3])), None)
    hits = [o for o in options if date.fromisoformat(o["date"]).weekday() == wd]
    if len(hits) != 1:
        return None
    intent = ctx.intent if ctx.intent != "unknown" else pending.intent
    new = _with(ctx, intent, {**ctx.slots, "ref": int(hits[0]["id"])})
    return _finish(new, run(new), pending)


def _fill_slot(ctx: Context, pending: Pending, text: str, run: Run) -> Reply | None:
    """The answer to "Which home / role / shift / day?": merged into what we already had.
    A message that is a full request of its own replaces the question instead."""
    if (
        ctx.intent not in ("unknown", pending.intent)
        and ctx.confidence >= 0.8
        and len(text.split()) > 3
    ):
        return None
    value = _extract(ctx, pending.missing or "", text)
    if value is None:
        return None
    slots = {**pending.slots}
    for k, v in ctx.slots.items():  # anything else the answer said ("HCA at Rowan")
        if ctx.intent == pending.intent and v is not None:
            slots[k] = v
    slots.update(value)
    new = _with(ctx, pending.intent, slots)
    guard = _guard(new, text)
    if guard is not None:
        return guard
    return _finish(new, run(new), pending)


def _extract(ctx: Context, missing: str, text: str) -> dict[str, Any] | None:
    low = text.lower()
    if missing == "home":
        if ctx.slots.get("home"):
            return {"home": ctx.slots["home"]}
        candidate = re.sub(r"^(at|it'?s|its|the|in)\s+", "", low).strip(" .!?")
        if not candidate:
            return None
        try:
            return {"home": home_named(ctx.core, candidate)}
        except NotFound:
            return None
    if missing == "role":
        m = ROLES.search(low)
        return (
            {"role": ROLE_CODES[m.group(1).lower()]}
            if m
            else ({"role": ctx.slots["role"]} if ctx.slots.get("role") else None)
        )
    if missing == "shift_type":
        m = SHIFTS.search(low)
        if not m:
            return None
        word = m.group(1).lower().replace(" ", "")
        code = {"earlies": "early", "lates": "late", "nights": "night"}.get(word, word)
        return {"shift_type": "long_day" if code.startswith("longday") else code}
    if missing in ("start_date", "dates"):
        dates = _dates_of(ctx, text)
        if dates is None:
            return None
        start, end = dates
        if missing == "start_date":
            return (
                {"start_date": start.isoformat(), "end_date": start.isoformat()}
                if start == end
                else {"start_date": start.isoformat(), "end_date": end.isoformat()}
            )
        return {"start_date": start.isoformat(), "end_date": end.isoformat()}
    return None


def _dates_of(ctx: Context, text: str) -> tuple[date, date] | None:
    start = ctx.slots.get("start_date")
    if isinstance(start, str):
        end = ctx.slots.get("end_date") or start
        return date.fromisoformat(start), date.fromisoformat(str(end))
    from intents.dates import parse_date_range

    low = re.sub(r"^(what about|how about|and|or|yes|yeah)\s+", "", text.lower())
    low = re.sub(r"\bthe (\w+day) one\b", r"\1", low)
    found = parse_date_range(low, ctx.today)
    return found


# ---- reading the message right ---------------------------------------------------------------


def _is_question(text: str) -> bool:
    return bool(QUESTION_START.match(text)) and not REQUEST_START.match(text)


THIRD_PARTY = re.compile(
    r"\b(my|our|the)\s+(sister|brother|mum|mam|mom|mother|dad|father|son|daughter|kids?|"
    r"child|children|husband|wife|partner|boyfriend|girlfriend|fiance|friend|nan|gran|granny|"
    r"grandad|grandma|grandpa|baby|wee one|little one|colleague|flatmate|neighbour|dog|cat)s?"
    r"\b(?!\s+and\s+(me|i)\b)",
    re.IGNORECASE,
)
HYPOTHETICAL = re.compile(
    r"^(what if|what about if|would i|if i|is it possible|do you think|would it be|am i "
    r"(allowed|able)|how would|suppose|say i)\b|\bif i (asked|took|wanted|requested)\b",
    re.IGNORECASE,
)
NO_LONGER_OFF = re.compile(
    r"\b(don'?t|do not|no longer|won'?t)\s+(want|need)\b.*\b(off|leave|holiday)\b|"
    r"\bnot (taking|having) (the|my)\b.*\b(off|leave|holiday)\b",
    re.IGNORECASE,
)
NO_SHIFT_KIND = re.compile(
    r"^no (more )?(nights|earlies|lates|long days|weekends|weekdays)\b", re.IGNORECASE
)


def _reinterpret(ctx: Context, text: str) -> Context | Reply:
    """Questions are questions, preferences are preferences, colleagues are not the sender."""
    intent = ctx.intent
    if (
        intent == "sickness.report"
        and THIRD_PARTY.search(text)
        and not re.search(
            r"\b(i'?m|i am|i have|i've|ive|me)\b.*\b(sick|ill|unwell)\b", text, re.IGNORECASE
        )
    ):
        return _ask(
            ctx,
            "Sorry to hear that. Is it you who is unwell? Reply YES and I'll record you off sick; "
            "if you need time off to look after someone, ask for leave or call your manager. "
            "Nothing has changed yet.",
            Pending(
                "confirm",
                intent,
                _plain(ctx.slots),
                on_yes={"intent": intent, "slots": _plain(ctx.slots)},
            ),
        )
    if intent in ("ot.optout", "ot.optin", "ot.preferences"):
        named = _colleague(ctx, text)
        if named is not None:
            first = named.split()[0]
            return Reply(
                f"I can only change your own overtime preferences, not {named}'s. {first} can "
                "text me ('no more overtime', 'I can do nights'). Nothing has changed.",
                kind="refused",
            )
    if intent in ("ot.optout", "ot.preferences", "unknown", "leave.request", "leave.cancel") and (
        NO_LONGER_OFF.search(text)
    ):
        found = _dates_of(ctx, text)
        if found is not None:
            day = {"start_date": found[0].isoformat(), "end_date": found[1].isoformat()}
            return _with(ctx, "leave.cancel", day, 0.9)
    if intent in ("ot.decline", "ot.accept", "unknown") and NO_SHIFT_KIND.match(text):
        return _with(ctx, "ot.preferences", {**ctx.slots, "negated": True}, 0.9)
    if intent == "leave.request" and HYPOTHETICAL.search(text):
        what = describe(ctx)
        return _ask(
            ctx,
            f"Do you want me to {what}? Reply YES to ask for it. Nothing has been booked yet.",
            Pending(
                "confirm",
                intent,
                _plain(ctx.slots),
                on_yes={"intent": intent, "slots": _plain(ctx.slots)},
            ),
        )
    if intent == "unknown":  # read-only self-service the parser left unnamed
        low = text.lower()
        if re.search(r"\b(my|overtime) (overtime )?(preferences|prefs|settings)\b", low):
            return _with(ctx, "ot.preferences", {}, 0.9)
        if re.search(
            r"\bmy (overtime|extra shifts)\b|\b(overtime|extra shifts?) (have|did|do)"
            r" i\b|\bhow (much|many) (overtime|extra shifts)",
            low,
        ):
            return _with(ctx, "staff.profile", {}, 0.9)
    if (
        intent in ("unknown", "sickness.report", "leave.request")
        and _is_question(text)
        and (SICK_WORDS.search(text) or re.search(r"\bon (leave|holiday)\b", text, re.IGNORECASE))
    ):
        who = _colleague(ctx, text)
        if who is not None:
            when = _dates_slots(ctx) or {
                "start_date": ctx.today.isoformat(),
                "end_date": ctx.today.isoformat(),
            }
            return _with(ctx, "rota.person", {**when, "staff": who, "away_question": True}, 0.9)
    if intent == "sickness.report" and _is_question(text):
        kind = "sick" if SICK_WORDS.search(text) else None
        return _with(ctx, "staffing.absent", {**_dates_slots(ctx), "kind": kind}, 0.9)
    if intent in ("leave.request", "leave.pending", "staffing.on_shift") and _is_question(text):
        low = text.lower()
        if re.search(r"\b(my|i)\b", low) and re.search(r"\b(leave|holiday|time off)\b", low):
            return _with(ctx, "leave.mine", {}, 0.9)
        if (
            re.search(r"\bon (leave|holiday|annual leave)\b|\boff (this|next|today|tomorrow)", low)
            and intent != "leave.request"
        ):
            return _with(ctx, "staffing.absent", {**_dates_slots(ctx), "kind": "leave"}, 0.9)
    if intent in ("staffing.on_shift", "staff.profile", "rota.mine") and _is_question(text):
        who = _colleague(ctx, text)
        if who is not None and re.search(
            r"\b(work|working|in|on|shift|shifts|next)\b", text.lower()
        ):
            return _with(ctx, "rota.person", {**_dates_slots(ctx), "staff": who}, 0.9)
    if intent == "leave.request" and re.search(r"\bcancel\b", text, re.IGNORECASE):
        return _with(ctx, "leave.cancel", _dates_slots(ctx), ctx.confidence)
    if (
        intent in ("ot.accept", "ot.decline")
        and not PLAIN_ANSWER.match(text)
        and not ANSWER_START.match(text)
        and PREFERENCE_CUE.search(text)
    ):
        return _with(ctx, "ot.preferences", dict(ctx.slots), 0.9)
    if (
        intent in ("ot.preferences", "ot.optout")
        and re.search(r"\b(again|back on|back in|rejoin)\b", text, re.IGNORECASE)
        and re.search(r"\b(can|do|am|i'?m|put me)\b", text, re.IGNORECASE)
        and not re.search(r"\b(no|not|don'?t|can'?t|never)\b", text, re.IGNORECASE)
    ):
        return _with(ctx, "ot.preferences", {**ctx.slots, "opt_in": True}, 0.9)
    if intent == "leave.request":
        other = ABOUT_SOMEONE_ELSE.match(text)
        if other is not None and _colleague(ctx, text) is None:
            name = other.group("who")
            name = name if name.lower().startswith(("my ", "our ", "a ", "the ")) else name.title()
            return Reply(
                f"I can only book leave for you, not for {name}. They can text me themselves, "
                "or ask their manager. Nothing has been booked.",
                kind="refused",
            )
    if intent in ("leave.request", "sickness.report"):
        who = _colleague(ctx, text)
        if who is not None:
            what = "book leave" if intent == "leave.request" else "report sickness"
            return Reply(
                f"I can only {what} for you, not for {who}. {who.split()[0]} can "
                "text me, or ask their manager. Nothing has been booked.",
                kind="refused",
            )
    if intent == "leave.request":
        return _leave_length(ctx, text)
    return ctx


def _dates_slots(ctx: Context) -> dict[str, Any]:
    return _keep(ctx.slots, ("start_date", "end_date", "home"))


def _colleague(ctx: Context, text: str) -> str | None:
    """The full name of someone other than the sender named in the message, if any."""
    if ctx.slots.get("staff") and str(ctx.slots["staff"]).lower() != ctx.sender.full_name.lower():
        return str(ctx.slots["staff"])
    # (each look-up joins the message's unit of work)
    for home in every_home_name(ctx.core):  # "Victoria Gardens" is a home, not a Victoria
        text = re.sub(re.escape(home), " ", text, flags=re.IGNORECASE)
    words = set(re.findall(r"[a-z']+", text.lower().replace("'s", "")))
    capitalised = set(re.findall(r"\b[A-Z][a-z']+", text.replace("'s", "")))
    words = {w for w in words if w not in COMMON_WORDS or w.capitalize() in capitalised}
    if not words:
        return None
    hits = []
    for pid, full, first, last in active_people_names(ctx.core):
        if pid == ctx.sender.id:
            continue
        if full.lower() in text.lower() or first.lower() in words or last.lower() in words:
            hits.append((full.lower() in text.lower(), full))
    if not hits:
        return None
    hits.sort(reverse=True)
    return hits[0][1]


def _leave_length(ctx: Context, text: str) -> Context | Reply:
    """'2 weeks off from the 2nd feb' is 14 days; '2 days off next week' asks which days."""
    m = DAY_COUNT.search(text)
    start_raw = ctx.slots.get("start_date")
    if m is None or not isinstance(start_raw, str):
        return ctx
    if m.group(3) is None and m.group(0).lower().strip().endswith("fortnight"):
        n, unit = 1, "fortnight"
    else:
        raw = (m.group(1) or "a").lower()
        n = int(raw) if raw.isdigit() else NUMBERS.get(raw, 0)
        unit = (m.group(2) or "").lower().rstrip("s")
    if n <= 0:
        return ctx
    length = n * {"day": 1, "week": 7, "fortnight": 14}.get(unit, 1)
    start = date.fromisoformat(start_raw)
    end = date.fromisoformat(str(ctx.slots.get("end_date") or start_raw))
    span = (end - start).days + 1
    count = ctx.slots.get("count")
    if isinstance(count, int) and count > 0 and unit == "day":
        length = count
    if span == 1 and length > 1:
        new_end = start + timedelta(days=length - 1)
        return _with(
            ctx, ctx.intent, {**ctx.slots, "end_date": new_end.isoformat()}, ctx.confidence
        )
    if length < span:
        pend = Pending("slot", "leave.request", _keep(ctx.slots, ("leave_type",)), missing="dates")
        return _ask(
            ctx,
            f"Which {length} day{'s' if length != 1 else ''} between "
            f"{_day_words(start)} and {_day_words(end)} would you like off? "
            "For example 'Mon and Tue' or 'the 19th-20th'.",
            pend,
        )
    return ctx


NEGATED_COMMAND = re.compile(
    r"^(please\s+)?(don'?t|do not|dont|never|no need to)\s+(you\s+)?(approve|deny|cancel|book|"
    r"send|find|publish|accept|decline|withdraw|record|ask|open|start|put)\b",
    re.IGNORECASE,
)
SHOULD_START = re.compile(
    r"^(should|shall|do we|do i|does|did|is there|are there|have we|has anyone|why|whether)\b",
    re.IGNORECASE,
)


def _question_form(intent: str, text: str) -> bool:
    """A record-changing reading of what is phrased as a question ("should I approve
    Jennifer's leave?", "do we need an RN for Friday night?") is only acted on when
    confirmed. Requests phrased as questions ("can I have the 22nd off?", "could you find
    an RN...?") are requests."""
    if REQUEST_START.match(text):
        return False
    if SHOULD_START.match(text) or HYPOTHETICAL.search(text):
        return True
    if intent == "leave.request":  # "any chance I could have the 22nd off?" is a request
        return bool(QUESTION_START.match(text))
    return bool(QUESTION_START.match(text)) or text.rstrip().endswith("?")


def _guard(ctx: Context, text: str) -> Reply | None:
    """Ask instead of acting when the reading is not sure; None to go ahead."""
    need = thresholds().get(ctx.intent)
    if need is None:
        return None
    if ctx.intent == "ot.available" and not (
        ctx.slots.get("ref") or (ctx.slots.get("start_date") and ctx.slots.get("shift_type"))
    ):
        return None  # "any overtime going?" lists open shifts; only a dated shift claims one
    if ctx.intent == "ot.preferences" and not any(
        ctx.slots.get(k)
        for k in (
            "home",
            "homes",
            "shift_type",
            "day_kind",
            "opt_in",
            "exclude_home",
            "exclude_shift_type",
            "exclude_day_kind",
        )
    ):
        return None  # showing preferences changes nothing
    if ctx.intent in ("ot.accept", "ot.decline") and not PLAIN_ANSWER.match(text):
        return _confirm_answer(ctx)
    if NEGATED_COMMAND.match(text):  # "don't cancel anything"
        return _ask(ctx, "OK, I won't. Nothing has changed.", None)
    asking = _question_form(ctx.intent, text)
    if ctx.confidence >= need and not asking:
        return None
    if ctx.intent in ("ot.accept", "ot.decline"):
        return _confirm_answer(ctx)
    what = describe(ctx)
    return _ask(
        ctx,
        f"Just to check: do you want me to {what}? Reply YES to go ahead, or "
        "say it another way. Nothing has changed yet.",
        Pending(
            "confirm",
            ctx.intent,
            _plain(ctx.slots),
            on_yes={"intent": ctx.intent, "slots": _plain(ctx.slots)},
        ),
    )


def _confirm_answer(ctx: Context) -> Reply:
    offers = open_offers(ctx.core, ctx.sender.id)
    word = "YES" if ctx.intent == "ot.accept" else "NO"
    if ctx.slots.get("ref"):
        offers = [r for r in offers if r.id == ctx.slots["ref"]] or offers
    if not offers:
        return _ask(
            ctx, "You have no open overtime offers right now, so nothing has changed.", None
        )
    if len(offers) == 1:
        r = offers[0]
        return _ask(
            ctx,
            f"Do you mean {word} to {_offer_words(r)}? Reply {word} {r.id}.",
            Pending(
                "confirm",
                ctx.intent,
                {"ref": r.id},
                on_yes={"intent": ctx.intent, "slots": {"ref": r.id}},
            ),
        )
    which = " or ".join(f"{word} {r.id}" for r in offers)
    return _ask(
        ctx,
        "Which offer do you mean: "
        + "; ".join(_offer_words(r) for r in offers)
        + f"? Reply {which}.",
        Pending(
            "choose_offer",
            ctx.intent,
            {"options": [{"id": r.id, "date": r.date.isoformat()} for r in offers]},
        ),
    )


def _whose_leave(s: dict[str, Any]) -> str:
    if s.get("staff"):
        return f"{s['staff']}'s leave"
    return f"leave {s['ref']}" if s.get("ref") else "that leave"


def describe(ctx: Context) -> str:
    s = ctx.slots
    span = ""
    if isinstance(s.get("start_date"), str):
        a = date.fromisoformat(s["start_date"])
        b = date.fromisoformat(str(s.get("end_date") or s["start_date"]))
        span = _day_words(a) if a == b else f"{_day_words(a)} to {_day_words(b)}"
    words = {
        "leave.request": f"book leave {span}".strip(),
        "leave.cancel": f"cancel your leave {span}".strip(),
        "leave.approve": f"approve {_whose_leave(s)}",
        "leave.deny": f"deny {_whose_leave(s)}",
        "sickness.report": f"record you off sick {span or 'today'}",
        "ot.optin": "put you back on the overtime list",
        "ot.optout": "stop your overtime offers",
        "ot.preferences": "change your overtime preferences",
        "ot.request": f"ask staff to cover a shift {span}".strip(),
        "ot.cancel": "cancel that overtime request",
        "ot.withdraw": "withdraw you from that shift",
        "ot.available": "tell managers you're available",
        "swap.request": "ask for a shift swap",
        "swap.approve": "approve the swap",
        "swap.deny": "deny the swap",
        "agency.book": "book an agency worker",
        "rota.publish": "publish the rota",
    }
    return words.get(ctx.intent, ctx.intent.replace(".", " "))
