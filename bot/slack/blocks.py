"""Block Kit for replies: one renderer per reply kind, a generic fallback for the rest, and the
reply's ``actions`` as buttons on every kind (so a capability's Approve / Start outreach needs
no Slack code). Slack's limits (50 blocks, 3,000 characters a section, 25 buttons an actions
block, 2,000 characters a button value) are enforced here, once."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.conversation.fmt import SHIFT_TIMES, shift_label
from bot.conversation.reply import Action, Reply
from core.registry import Registry

Block = dict[str, Any]
ReplyRenderer = Callable[[Reply, ZoneInfo], list[Block]]

MAX_BLOCKS = 50
MAX_SECTION = 3000
DEFAULT_ZONE = ZoneInfo("Europe/London")
ACTION_PREFIX = "staffbot.action."  # action_id of every button that runs an intent
MAX_BUTTONS = 25


# ---- small builders ----------------------------------------------------------------------


def escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str, accessory: Block | None = None) -> Block:
    if len(text) > MAX_SECTION:
        text = text[: MAX_SECTION - 1] + "…"
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text or " "}}
    if accessory:
        block["accessory"] = accessory
    return block


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION]}]}


def divider() -> Block:
    return {"type": "divider"}


def encode_action(action: Action) -> str:
    """What a button carries: the intent and its slots, run as the person who presses it."""
    value = json.dumps({"i": action.intent, "s": action.slots}, separators=(",", ":"), default=str)
    if len(value) > 2000:
        raise ValueError(f"action {action.intent} carries too much for a Slack button")
    return value


def decode_action(value: str) -> tuple[str, dict[str, Any]]:
    data = json.loads(value)
    intent, slots = data.get("i"), data.get("s") or {}
    if not isinstance(intent, str) or not isinstance(slots, dict):
        raise ValueError("not a Staffbot button")  # noqa: TRY004 - bad input, not a bug
    return intent, slots


def button(action: Action, index: int) -> Block:
    element: Block = {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{index}",
        "text": {"type": "plain_text", "text": action.label[:75], "emoji": True},
        "value": encode_action(action),
    }
    if action.style in ("primary", "danger"):
        element["style"] = action.style
    return element


def actions_block(actions: Iterable[Action], block_id: str = "staffbot_actions") -> list[Block]:
    buttons = [button(a, i) for i, a in enumerate(actions)][:MAX_BUTTONS]
    return [{"type": "actions", "block_id": block_id, "elements": buttons}] if buttons else []


def fit(blocks: list[Block]) -> list[Block]:
    """At most 50 blocks; actions are kept (they are the point of the message)."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    tail = [b for b in blocks if b["type"] == "actions"][-1:]
    room = MAX_BLOCKS - len(tail) - 1
    body = [b for b in blocks if b["type"] != "actions"]
    return (
        body[:room]
        + [context(f"…and {len(body) - room} more. Ask about one home or one day for the rest.")]
        + tail
    )


# ---- replies -----------------------------------------------------------------------------


def reply_blocks(
    reply: Reply,
    zone: ZoneInfo = DEFAULT_ZONE,
    views: Mapping[str, ReplyRenderer] | None = None,
) -> list[Block]:
    """The blocks for a reply: its kind's view from ``views`` (what ``bootstrap()`` built:
    ``core.registry.reply_views``) or a plain section, then its buttons. ``zone`` is the
    organisation's, for the times a view shows."""
    renderer = (views or {}).get(reply.kind)
    body: list[Block] | None = None
    if renderer is not None:
        try:
            body = renderer(reply, zone)
        except Exception:  # noqa: BLE001 - a rich view must never cost the answer
            body = None
    if not body:
        body = generic(reply)
    return fit(body + actions_block(reply.actions))


def generic(reply: Reply, zone: ZoneInfo = DEFAULT_ZONE) -> list[Block]:
    return [section(escape(reply.text))]


def refused(reply: Reply, zone: ZoneInfo) -> list[Block]:
    return [section(f":no_entry: {escape(reply.text)}")]


def _summary(reply: Reply) -> str:
    """The reply's first sentence ("3 gaps tomorrow (Thu 15 Jan)"), used as a heading."""
    head = reply.text.split(". ", 1)[0].rstrip(".")
    return head[:150]


def _when(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d:%a} {d.day} {d:%b}"


def gap_lines(rows: list[dict[str, Any]], show_date: bool) -> dict[str, list[str]]:
    """Lines per home, ordered by day, shift and role as the core returned them."""
    by_home: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        when = f"{_when(r['date'])} · " if show_date else ""
        times = SHIFT_TIMES.get(r["shift_type"], "")
        by_home[r["home"]].append(
            f"• {when}*{shift_label(r['shift_type']).capitalize()}* {times} · *{r['role']}* "
            f"short {r['short']} ({r['rostered']} of {r['required']} rostered) · "
            f"{escape(r['unit'])}"
        )
    return by_home


def gaps(reply: Reply, zone: ZoneInfo) -> list[Block]:
    rows = reply.data or []
    if not rows:
        return [section(f":white_check_mark: {escape(reply.text)}")]
    show_date = len({r["date"] for r in rows}) > 1
    blocks: list[Block] = [header(_summary(reply))]
    for home, lines in gap_lines(rows, show_date).items():
        blocks.append(section(f"*{escape(home)}*\n" + "\n".join(lines)))
    return blocks


def on_shift(reply: Reply, zone: ZoneInfo) -> list[Block]:
    rows = reply.data or []
    if not rows:
        return []
    show_date = len({r["date"] for r in rows}) > 1
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        when = f"{_when(r['date'])} · " if show_date else ""
        groups[(r["home"], f"{when}{shift_label(r['shift_type']).capitalize()}")].append(
            f"{escape(r['name'])} ({r['role']})"
        )
    blocks: list[Block] = [header(reply.text.split(":", 1)[0][:150])]
    for (home, shift), names in groups.items():
        blocks.append(section(f"*{escape(home)}* · {shift}\n" + ", ".join(names)))
    return blocks


def rota(reply: Reply, zone: ZoneInfo) -> list[Block]:
    rows = reply.data or []
    if not rows:
        return []
    lines = [
        f"• {_when(r['date'])} *{shift_label(r['shift_type'])}* "
        f"{SHIFT_TIMES.get(r['shift_type'], '')} at {escape(r['home'])} "
        f"({escape(r['unit'])})"
        for r in rows
    ]
    return [section(f"*{escape(reply.text.split(':', 1)[0])}*\n" + "\n".join(lines))]


def install(registry: Registry) -> None:
    """The Slack views of the basic answers (refusals and errors, gaps, who is on, rotas)."""
    for kind, view in (
        ("refused", refused),
        ("error", refused),
        ("gaps", gaps),
        ("on_shift", on_shift),
        ("rota", rota),
    ):
        registry.add_reply_view(kind, view)
