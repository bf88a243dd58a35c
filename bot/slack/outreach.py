"""Overtime in Slack: the ranking with each person's score breakdown, a live outreach status
card that rewrites itself (``chat.update``) as people answer, and offers with Accept / Decline
buttons that run exactly what a YES / NO text runs (``ot.accept`` / ``ot.decline`` with the
request's ref).

A status card is remembered (``core.status_posts``) when it is posted. It is refreshed from
the core's own summary of the request: at once after a Slack interaction about overtime, and
on every scheduler tick (so answers by text, new waves and timeouts show up too); an
unchanged status is not rewritten, and a final one (filled, unfilled, cancelled) is shown
once more and then left alone."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.conversation.fmt import SHIFT_TIMES, shift_label
from bot.conversation.reply import Action, Reply
from bot.slack.blocks import (
    Block,
    actions_block,
    context,
    escape,
    fit,
    header,
    section,
)
from bot.slack.notifications import payload_text
from core.app import Core
from core.overtime.status_cards import card_shown, open_cards
from core.overtime.status_cards import remember_card as remember_status_card

log = logging.getLogger(__name__)

PROVIDER = "slack"
ANSWER_ICONS = {
    "SENT": ":hourglass_flowing_sand: waiting",
    "ACCEPTED": ":white_check_mark: yes",
    "DECLINED": ":x: no",
    "NO_RESPONSE": ":zzz: no reply",
    "WITHDRAWN": ":heavy_minus_sign: withdrawn",
}
STATUS_ICONS = {
    "PENDING": ":mag:",
    "FILLED": ":white_check_mark:",
    "UNFILLED": ":warning:",
    "CANCELLED": ":no_entry_sign:",
    "AGENCY": ":office:",
}
COMPONENT_LABELS = {
    "acceptance_rate": "acceptance",
    "recent_overtime": "recent OT",
    "experience": "experience",
    "not_contacted_recently": "not asked lately",
    "availability": "availability",
    "fairness": "fair share",
    "home_preference": "home",
    "response_speed": "speed",
}


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d:%a} {d.day} {d:%b}"


def _local(iso: str | None, zone: ZoneInfo, fmt: str = "%a %H:%M") -> str:
    return datetime.fromisoformat(iso).astimezone(zone).strftime(fmt) if iso else ""


def shift_title(req: dict[str, Any]) -> str:
    return (
        f"{req['role']} {shift_label(req['shift_type'])} {_day(req['date'])} "
        f"{SHIFT_TIMES.get(req['shift_type'], '')} at {req['home']}"
    )


# ---- the live status card ----------------------------------------------------------------


def status_card(req: dict[str, Any], zone: ZoneInfo) -> list[Block]:
    """One request (``RequestSummary.to_json()``) as a card: state, then every offer."""
    status = req["status"]
    state = f"{STATUS_ICONS.get(status, '')} *{status}*"
    if status == "FILLED":
        minutes = req.get("time_to_fill_minutes")
        state += f" by *{escape(req.get('filled_by') or '?')}*" + (
            f" after {minutes:.0f} min" if minutes is not None else ""
        )
    elif status == "PENDING":
        waiting = sum(1 for o in req["offers"] if o["response"] == "SENT")
        state += (
            f" · wave {req['wave']} · {waiting} still to answer · offers close "
            f"{_local(req['deadline_at'], zone)}"
        )
        if req.get("next_wave_at"):
            state += f" · next wave {_local(req['next_wave_at'], zone, '%H:%M')}"
        else:
            state += " · nobody left to ask"
    if (req.get("slots") or 1) > 1:
        state += f" · {len(req.get('filled') or [])} of {req['slots']} places filled"
    if status == "AGENCY" and req.get("agency"):
        cost = req["agency"].get("cost")
        state += f" · {escape(req['agency']['agency'])}" + (
            f" £{cost:g}" if cost is not None else ""
        )
    lines = [
        f"• {escape(o['name'])} ({o['score']:g}) "
        f"{ANSWER_ICONS.get(o['response'], o['response'])}"
        + (f" – _{escape(o['reason'])}_" if o.get("reason") else "")
        for o in req["offers"]
    ]
    blocks = [header(f"{req['ref']} · {shift_title(req)}"), section(state)]
    blocks.append(
        section("*Asked*\n" + "\n".join(lines)) if lines else context("Nobody asked yet.")
    )
    return blocks


def card_actions(req: dict[str, Any]) -> list[Action]:
    if req["status"] != "PENDING":
        return []
    return [Action("Cancel outreach", "ot.cancel", {"ref": req["id"]}, "danger")]


def card_blocks(req: dict[str, Any], zone: ZoneInfo) -> list[Block]:
    return fit(status_card(req, zone) + actions_block(card_actions(req)))


def fingerprint(blocks: list[Block]) -> str:
    return hashlib.sha256(json.dumps(blocks, sort_keys=True).encode()).hexdigest()


def tracked_request(reply: Reply) -> dict[str, Any] | None:
    """The open request a reply shows (a started outreach, or one request's status)."""
    data = reply.data if isinstance(reply.data, dict) else None
    if data is None:
        return None
    req = (
        data.get("request")
        if reply.kind == "ot.request"
        else (data if reply.kind == "ot.status" and "offers" in data else None)
    )
    if isinstance(req, dict) and req.get("status") == "PENDING" and "id" in req:
        return req
    return None


def outreach_started(reply: Reply, zone: ZoneInfo) -> list[Block]:
    data = reply.data or {}
    req = data.get("request")
    if not req:
        return []
    if req["status"] != "PENDING":  # nobody eligible: the handler's words say what next
        return [
            header(f"{req['ref']} · {shift_title(req)}"),
            section(f"{STATUS_ICONS.get(req['status'], '')} {escape(reply.text)}"),
        ]
    return status_card(req, zone) + [
        context(
            f"{data.get('eligible_count', 0)} eligible. This post updates itself as people answer."
        )
    ]


def outreach_status(reply: Reply, zone: ZoneInfo) -> list[Block]:
    data = reply.data
    if isinstance(data, dict) and "offers" in data:
        return status_card(data, zone)
    if isinstance(data, list) and data:
        lines = [
            f"• {STATUS_ICONS.get(r['status'], '')} *{r['ref']}* {shift_title(r)}: "
            f"{r['status']}"
            + (
                f" ({escape(r['filled_by'])})"
                if r.get("filled_by")
                else f" ({len(r['offers'])} asked)"
            )
            for r in data
        ]
        actions = [
            Action(f"Status {r['ref']}", "ot.status", {"ref": r["id"]})
            for r in data
            if r["status"] == "PENDING"
        ][:5]
        return [section("*Overtime requests*\n" + "\n".join(lines))] + actions_block(
            actions, block_id="staffbot_status_links"
        )
    return []


# ---- the ranking -------------------------------------------------------------------------


def ranking(reply: Reply, zone: ZoneInfo) -> list[Block]:
    data = reply.data or {}
    candidates = data.get("candidates") or []
    head = reply.text.split(":", 1)[0]
    blocks: list[Block] = [section(f"*{escape(head)}*")]
    for i, c in enumerate(candidates[:10], 1):
        parts = " · ".join(
            f"{COMPONENT_LABELS.get(k, k)} {v:g}" for k, v in (c.get("breakdown") or {}).items()
        )
        blocks.append(
            section(
                f"*{i}. {escape(c['name'])}* ({escape(c.get('home') or '')}) "
                f"*{c['score']:g}*/100\n{parts}"
            )
        )
    if not candidates:
        blocks.append(section("Nobody is eligible."))
    more = len(candidates) - 10
    excluded = data.get("excluded") or []
    notes = []
    if more > 0:
        notes.append(f"…and {more} more eligible")
    if excluded:
        notes.append(
            f"{len(excluded)} left out: "
            + "; ".join(
                f"{escape(e['name'])} ({', '.join(r['why'] for r in e['reasons'])})"
                for e in excluded[:5]
            )
            + ("…" if len(excluded) > 5 else "")
        )
    notes.append("Nothing has been sent.")
    blocks.append(context(" · ".join(notes)))
    return blocks


# ---- outbox kinds ------------------------------------------------------------------------


def offer_blocks(payload: dict[str, Any]) -> list[Block]:
    """An overtime offer to someone on Slack: Accept / Decline do what YES / NO texts do."""
    ref = payload["request_id"]
    words = payload_text("ot.offer", payload)
    detail = (
        f"*{payload['ref']}* · {payload['role']} {shift_label(payload['shift_type'])} "
        f"{payload['day']} {payload['times']} · {escape(payload['home'])}"
    )
    if payload.get("reply_by"):
        detail += f"\nPlease answer by {payload['reply_by']}."
    return [section(escape(words)), context(detail)] + actions_block(
        [
            Action("Accept", "ot.accept", {"ref": ref}, "primary"),
            Action("Decline", "ot.decline", {"ref": ref}, "danger"),
        ],
        block_id="staffbot_offer",
    )


def withdrawn_blocks(payload: dict[str, Any]) -> list[Block]:
    """Someone pulled out of a shift they took: close to the start the manager decides, with
    a button that reopens outreach."""
    blocks = [section(escape(payload_text("ot.withdrawn", payload)))]
    if payload.get("manager_decides"):
        blocks += actions_block(
            [
                Action("Reopen outreach", "ot.reopen", {"ref": payload["request_id"]}, "primary"),
                Action("Status", "ot.status", {"ref": payload["request_id"]}),
            ],
            block_id="staffbot_withdrawn",
        )
    return blocks


# ---- keeping cards up to date ------------------------------------------------------------


def remember_card(core: Core, request_id: int, channel: str, ts: str, blocks: list[Block]) -> None:
    remember_status_card(core, request_id, PROVIDER, channel, ts, fingerprint(blocks))


def refresh_status_posts(core: Core, client: Any, request_id: int | None = None) -> int:
    """Rewrite every open status card whose request changed; returns how many were updated.
    ``client`` is a slack_sdk ``WebClient``."""
    updated = 0
    for card in open_cards(core, PROVIDER, request_id):
        post, req = card.post, card.request.to_json()
        blocks = card_blocks(req, core.zone)
        mark = fingerprint(blocks)
        final = req["status"] != "PENDING"
        if mark == post.fingerprint and not final:
            continue
        if mark != post.fingerprint:
            try:
                client.chat_update(
                    channel=post.channel,
                    ts=post.message_ref,
                    blocks=blocks,
                    text=f"{req['ref']}: {req['status']}",
                )
            except Exception as exc:  # noqa: BLE001 - one card must not stop the others
                log.warning("could not update status card %s: %s", post.id, exc)
                continue
            updated += 1
        card_shown(core, post.id, mark, closed=final)
    return updated


def refresh_job(core: Core) -> int:
    """Scheduled work (added by ``install_slack``): keep status cards current; nothing
    without a bot token."""
    settings = core.settings
    if not settings.slack_bot_token:
        return 0
    from slack_sdk import WebClient

    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url or WebClient.BASE_URL,
        timeout=15,
    )
    return refresh_status_posts(core, client)
