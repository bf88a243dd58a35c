"""Slack requests that must do something once, or nothing: a replayed signed slash command
and a replayed button press are executed once (a replayed command gets the first answer
again); malformed bodies, odd timestamps and control characters get 4xx with nothing
written; past the work pool's bound the answer is "busy", not a backlog."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from bot.conversation.reply import Action
from bot.slack.app import BUSY
from bot.slack.testing import (
    LiveServer,
    SlackWorkspace,
    block_actions_body,
    dm_event,
    signed_headers,
    slash_command_body,
)
from bot.web import create_app
from core.models import ConversationEntry, InboundMessage
from tests.conftest import DEMO_TODAY, make_core
from tests.e2e.conftest import SLACK_SECRET as SECRET

FORM = "application/x-www-form-urlencoded"


def log_entries(core) -> int:  # type: ignore[no-untyped-def]
    with core.read() as uow:
        return uow.session.scalar(select(func.count(ConversationEntry.id))) or 0


def test_a_replayed_signed_slash_command_runs_once_and_gets_the_first_answer(workspace, slack):
    before = log_entries(workspace.core)
    urls = [slack.response_url(f"replay{i}") for i in range(3)]
    body = slash_command_body("UCLAIRE01", "who's short tomorrow?", urls[0])
    first = workspace.post(body, FORM)
    assert first.status_code == 200
    answer = workspace.answer_at(urls[0])
    for _ in range(3):  # the same signed request, captured and sent again within 5 minutes
        assert workspace.post(body, FORM).status_code == 200
    slack.wait_for("response_url", count=4)
    replies = [c.params for c in slack.of("response_url")]
    assert all(r["text"] == answer["text"] for r in replies)
    assert log_entries(workspace.core) == before + 2  # one question, one answer, once
    with workspace.core.read() as uow:
        claims = uow.session.scalar(
            select(func.count(InboundMessage.id)).where(InboundMessage.provider == "slack-command")
        )
    assert claims == 1


def test_a_replayed_button_press_runs_once(workspace, slack):
    from bot.slack.blocks import ACTION_PREFIX, encode_action

    action = Action(
        "Gaps tomorrow", "staffing.gaps", {"start_date": DEMO_TODAY.isoformat()}, "primary"
    )
    element = {
        "action_id": f"{ACTION_PREFIX}0",
        "value": encode_action(action),
        "text": {"type": "plain_text", "text": action.label},
    }
    url = slack.response_url("button")
    body = block_actions_body("UCLAIRE01", element, url)
    before = log_entries(workspace.core)
    assert workspace.post(body, FORM).status_code == 200
    workspace.answer_at(url)
    assert workspace.post(body, FORM).status_code == 200
    time.sleep(0.5)  # give a second execution the chance to show itself
    assert log_entries(workspace.core) == before + 2
    assert len(slack.of("response_url")) == 1


def test_bad_bodies_and_timestamps_get_4xx_and_change_nothing(workspace, slack):
    before = log_entries(workspace.core)
    http = workspace.http
    for body, ctype in (
        ("[1, 2]", "application/json"),
        ('"text"', "application/json"),
        ("{not json", "application/json"),
        ("null", "application/json"),
        ("payload=%5B1%5D", FORM),
        ("payload=%7Bbroken", FORM),
    ):
        unsigned = http.post("/slack/events", content=body, headers={"Content-Type": ctype})
        assert unsigned.status_code == 401, body
        signed = http.post(
            "/slack/events", content=body, headers=signed_headers(SECRET, body, ctype)
        )
        assert signed.status_code == 400, body
    body = slash_command_body("UCLAIRE01", "help", slack.response_url("x"))
    for stamp in ("soon", "1e9", "-5", "", "99999999999999999999"):
        headers = signed_headers(SECRET, body, FORM)
        headers["X-Slack-Request-Timestamp"] = stamp
        assert http.post("/slack/events", content=body, headers=headers).status_code == 401
    nul = slash_command_body("UCLAIRE01", "who's short\x00 tomorrow?", slack.response_url("n"))
    assert workspace.post(nul, FORM).status_code == 400
    event = json.dumps(
        {
            "type": "event_callback",
            "event_id": "EvNUL",
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": "DCLAIRE01",
                "user": "UCLAIRE01",
                "text": "hi\u0000there",
                "ts": "1.2",
            },
        }
    )
    assert workspace.post(event, "application/json").status_code == 400
    huge = slash_command_body("UCLAIRE01", "x" * 2_000_000, slack.response_url("h"))
    assert workspace.post(huge, FORM).status_code == 413
    time.sleep(0.3)
    assert log_entries(workspace.core) == before
    assert slack.of("response_url") == [] and slack.of("chat.postMessage") == []


def test_past_its_bound_the_slack_pool_answers_busy(demo_url, slack):
    core = make_core(
        demo_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
    )
    app = create_app(core)
    work = app.state.slack_work
    work.bound = 1
    try:
        with LiveServer(app) as url:
            ws = SlackWorkspace(url, slack, core, SECRET)
            work.pending = 1  # the one place is taken by work still running
            resp, _ = ws.slash("UCLAIRE01", "who's short tomorrow?")
            assert resp.status_code == 200
            assert resp.json() == {"response_type": "ephemeral", "text": BUSY}
            event = ws.event(dm_event("USARAH001", "my shifts"))
            assert event.status_code == 200
            told = slack.wait_for("chat.postMessage")
            assert told[0].params["text"] == BUSY
            ws.http.close()
    finally:
        core.engine.dispose()
