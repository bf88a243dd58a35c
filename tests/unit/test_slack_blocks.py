"""Block Kit for replies: kind renderers, buttons from any reply's actions, Slack's limits."""

from __future__ import annotations

import json

import pytest

from bot.bootstrap import standard_registry
from bot.conversation.reply import Action, Reply
from bot.render import render
from bot.slack.blocks import ACTION_PREFIX, MAX_BLOCKS, decode_action
from bot.slack.blocks import reply_blocks as _reply_blocks


def reply_blocks(reply: Reply) -> list[dict]:
    """A reply as the Slack app shows it: with the views bootstrap() installed."""
    return _reply_blocks(reply, views=standard_registry().reply_views)


ROWS = [
    {
        "date": "2026-01-15",
        "home": "Victoria Gardens",
        "unit": "Birch",
        "shift_type": "late",
        "role": "SSW",
        "required": 1,
        "rostered": 0,
        "short": 1,
    },
    {
        "date": "2026-01-15",
        "home": "Riverside Court",
        "unit": "Elm",
        "shift_type": "night",
        "role": "RN",
        "required": 2,
        "rostered": 1,
        "short": 1,
    },
    {
        "date": "2026-01-15",
        "home": "Victoria Gardens",
        "unit": "Rowan",
        "shift_type": "night",
        "role": "RN",
        "required": 1,
        "rostered": 0,
        "short": 1,
    },
]


def test_gaps_are_grouped_by_home_with_shift_and_role():
    reply = Reply("3 gaps tomorrow (Thu 15 Jan). Victoria Gardens: ...", kind="gaps", data=ROWS)
    blocks = reply_blocks(reply)
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "3 gaps tomorrow (Thu 15 Jan)", "emoji": True},
    }
    homes = [b["text"]["text"] for b in blocks[1:]]
    assert homes[0].startswith("*Victoria Gardens*") and homes[1].startswith("*Riverside Court*")
    assert "*Late* 14:00-22:00 · *SSW* short 1 (0 of 1 rostered) · Birch" in homes[0]
    assert "*Night*" in homes[0] and "Rowan" in homes[0]


def test_any_reply_actions_become_buttons_carrying_intent_and_slots():
    reply = Reply(
        "Leave 12 to review",
        kind="something_new",
        actions=[
            Action("Approve", "leave.approve", {"ref": 12}, "primary"),
            Action("Deny", "leave.deny", {"ref": 12}, "danger"),
        ],
    )
    blocks = reply_blocks(reply)
    assert blocks[0]["type"] == "section" and blocks[0]["text"]["text"] == "Leave 12 to review"
    buttons = blocks[-1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Approve", "Deny"]
    assert [b["style"] for b in buttons] == ["primary", "danger"]
    assert len({b["action_id"] for b in buttons}) == 2
    assert all(b["action_id"].startswith(ACTION_PREFIX) for b in buttons)
    assert decode_action(buttons[1]["value"]) == ("leave.deny", {"ref": 12})


def test_text_is_escaped_and_a_broken_renderer_falls_back_to_the_words():
    blocks = reply_blocks(Reply("R&D <b>", kind="gaps", data=[{"nonsense": True}]))
    assert blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": "R&amp;D &lt;b&gt;"}}]


def test_slack_limits_are_kept():
    rows = [dict(ROWS[0], home=f"Home {i}") for i in range(80)]
    reply = Reply(
        "80 gaps", kind="gaps", data=rows, actions=[Action("Refresh", "staffing.gaps", {})]
    )
    blocks = reply_blocks(reply)
    assert len(blocks) == MAX_BLOCKS and blocks[-1]["type"] == "actions"
    assert "more" in blocks[-2]["elements"][0]["text"]
    long = reply_blocks(Reply("x" * 5000))
    assert len(long[0]["text"]["text"]) == 3000


def test_outbox_kinds_with_actions_in_their_payload_get_buttons():
    plain = render(
        "text",
        {"text": "hi", "actions": [{"label": "Open", "intent": "help", "slots": {}}]},
        "slack",
    )
    assert json.loads(plain.blocks[-1]["elements"][0]["value"]) == {"i": "help", "s": {}}
    assert render("text", {"text": "hi"}, "slack").blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}
    ]


def test_a_leave_review_gets_approve_and_deny_buttons():
    pytest.importorskip("core.leave")
    payload = {
        "ref": 7,
        "name": "Tom Baxter",
        "home": "Meadowburn",
        "leave_type": "annual",
        "start_date": "2026-02-02",
        "end_date": "2026-02-03",
        "days": 2,
        "reasons": ["two SSWs already off"],
        "text": "Leave 7 to review: Tom Baxter asks for annual leave",
    }
    rendered = render("leave.review", payload, "slack")
    assert "Tom Baxter" in rendered.text
    assert "Tom Baxter" in rendered.blocks[0]["text"]["text"]
    buttons = rendered.blocks[-1]["elements"]
    assert {decode_action(b["value"])[0] for b in buttons} == {"leave.approve", "leave.deny"}
    assert render("leave.review", payload, "sms").blocks is None
