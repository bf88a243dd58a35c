"""Slack end to end, the way Bolt tests itself: requests signed with the signing secret are
posted over HTTP to the real web app (uvicorn on loopback), and whatever the app then says
to Slack lands on a local stand-in for the Web API (``SLACK_API_URL``), which records it.

Answers come after the ack, so tests wait for them with a bounded wait, never a sleep."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import httpx

from bot.conversation import router
from bot.conversation.reply import Action, Reply
from bot.slack.home import STRANGER
from bot.slack.testing import (
    LiveServer,
    dm_event,
    mention_event,
    signed_headers,
    slash_command_body,
)
from bot.web import create_app
from core.models import InboundMessage
from core.staffing import staffing_gaps
from tests.conftest import DEMO_TODAY, make_core
from tests.e2e.conftest import SLACK_SECRET as SECRET

FORM = "application/x-www-form-urlencoded"
HOMES = ("Victoria Gardens", "Hawthorn House", "Orchard Grove", "Meadowburn", "Riverside Court")


def said(params: dict) -> str:
    """Everything a message shows: its text and every block's text."""
    return params.get("text", "") + "\n" + json.dumps(params.get("blocks") or [])


TOMORROW = DEMO_TODAY + timedelta(days=1)


# ---- the gate --------------------------------------------------------------------------


def test_unsigned_and_badly_signed_requests_get_401_and_nothing_happens(workspace, slack):
    body = slash_command_body("UCLAIRE01", "who's short tomorrow?", slack.response_url())
    assert workspace.post(body, FORM, signed=False).status_code == 401
    forged = signed_headers("not-the-secret", body, FORM)
    assert workspace.http.post("/slack/events", content=body, headers=forged).status_code == 401
    stale = signed_headers(SECRET, body, FORM, timestamp=int(time.time()) - 3600)
    assert workspace.http.post("/slack/events", content=body, headers=stale).status_code == 401
    assert slack.of("response_url") == [] and slack.of("chat.postMessage") == []


def test_without_slack_credentials_the_route_answers_503_and_the_app_still_serves(demo_url):
    core = make_core(demo_url)
    with LiveServer(create_app(core)) as url, httpx.Client(base_url=url) as http:
        resp = http.post(
            "/slack/events", content="{}", headers={"Content-Type": "application/json"}
        )
        assert resp.status_code == 503
        assert "SLACK_SIGNING_SECRET" in resp.json()["detail"]
        assert http.get("/healthz").status_code == 200
    core.engine.dispose()


# ---- asking ----------------------------------------------------------------------------


def test_slash_command_claire_gets_victoria_gardens_gaps_and_nothing_about_other_homes(workspace):
    started = time.monotonic()
    resp, url = workspace.slash("UCLAIRE01", "who's short tomorrow?")
    assert resp.status_code == 200 and time.monotonic() - started < 3
    answer = workspace.answer_at(url)
    assert answer["response_type"] == "ephemeral"
    shown = said(answer)
    assert "Victoria Gardens" in shown and "Thu 15 Jan" in shown
    assert not [home for home in HOMES[1:] if home in shown]
    assert answer["blocks"][0]["type"] == "header"


def test_slash_command_graham_gets_every_home_with_gaps(workspace):
    with workspace.core.uow() as uow:
        expected = {r.home for r in staffing_gaps(uow.session, TOMORROW, TOMORROW)}
    assert len(expected) > 1  # the demo has gaps in more than one home tomorrow
    resp, url = workspace.slash("UGRAHAM01", "who's short tomorrow?")
    assert resp.status_code == 200
    shown = said(workspace.answer_at(url))
    assert {home for home in HOMES if home in shown} == expected


def test_a_direct_message_is_answered_in_the_dm(workspace, slack):
    assert workspace.event(dm_event("USARAH001", "when am I working?")).status_code == 200
    post = slack.wait_for("chat.postMessage")[0].params
    assert post["channel"] == "DSARAH001"
    assert "Your next shifts" in post["text"] and "Victoria Gardens" in post["text"]


def test_a_mention_in_a_channel_is_answered_in_a_thread(workspace, slack):
    event = mention_event(
        "UCLAIRE01", "who's short tomorrow?", channel="CVICTORIA", ts="1768381000.000777"
    )
    assert workspace.event(event).status_code == 200
    post = slack.wait_for("chat.postMessage")[0].params
    assert post["channel"] == "CVICTORIA" and post["thread_ts"] == "1768381000.000777"
    assert "Victoria Gardens" in said(post) and "<@" not in post["text"]


def test_the_bots_own_messages_and_edits_are_not_answered(workspace, slack):
    own = dict(dm_event("USARAH001", "Your next shifts: ..."), bot_id="BSTAFFBOT")
    edited = dict(dm_event("USARAH001", "my shifts"), subtype="message_changed")
    assert workspace.event(own).status_code == 200
    assert workspace.event(edited).status_code == 200
    workspace.event(dm_event("UCLAIRE01", "help"))  # a real one, to know the others are done
    # the ignored events were acked before the real one was sent, and dropping them takes no
    # work, so once the real answer is in, any wrong answer would be too
    slack.wait_for("chat.postMessage")
    assert [p.params["channel"] for p in slack.of("chat.postMessage")] == ["DCLAIRE01"]


# ---- strangers -------------------------------------------------------------------------


def test_a_stranger_is_told_they_are_not_known_and_nothing_else(workspace, slack):
    resp, url = workspace.slash("USTRANGER", "who's short tomorrow?")
    assert resp.status_code == 200
    answer = workspace.answer_at(url)
    assert answer["text"] == STRANGER and "blocks" not in answer
    workspace.event(dm_event("USTRANGER", "my shifts"))
    dm = slack.wait_for("chat.postMessage")[0].params
    assert dm["text"] == STRANGER and not dm.get("blocks")
    workspace.event(mention_event("USTRANGER", "who's on tonight?"))
    whisper = slack.wait_for("chat.postEphemeral")[0].params
    assert whisper["text"] == STRANGER and whisper["user"] == "USTRANGER"
    for call in slack.calls:
        assert not [home for home in HOMES if home in said(call.params)]


# ---- acknowledging first ---------------------------------------------------------------


def test_the_ack_returns_at_once_and_a_slow_answer_arrives_later(workspace, slack, monkeypatch):
    release = threading.Event()

    def slow_help(ctx):
        release.wait(10)  # a forecast or a rota solve: longer than Slack waits for an ack
        return Reply("Here to help, eventually.", kind="help")

    monkeypatch.setitem(router.HANDLERS, "help", slow_help)
    started = time.monotonic()
    resp, url = workspace.slash("UCLAIRE01", "help")
    acked_in = time.monotonic() - started
    assert resp.status_code == 200 and acked_in < 3
    assert slack.of("response_url") == []  # the work is still running
    release.set()
    assert workspace.answer_at(url)["text"] == "Here to help, eventually."


def test_a_retried_event_is_acknowledged_but_not_processed_twice(workspace, slack):
    event = dm_event("USARAH001", "my shifts")
    assert workspace.event(event, event_id="EvRETRY1").status_code == 200
    slack.wait_for("chat.postMessage")
    resp = workspace.event(event, event_id="EvRETRY1", retry=1)
    assert resp.status_code == 200
    again = workspace.event(event, event_id="EvRETRY1")  # same id without the header, too
    assert again.status_code == 200
    workspace.event(dm_event("UCLAIRE01", "help"), event_id="EvOTHER")
    slack.wait_for("chat.postMessage", count=2)  # a repeat is acked with no listener started
    assert [c.params["channel"] for c in slack.of("chat.postMessage")] == ["DSARAH001", "DCLAIRE01"]
    with workspace.core.uow() as uow:
        ids = {m.provider_id for m in uow.session.query(InboundMessage).filter_by(provider="slack")}
    assert {"EvRETRY1", "EvOTHER"} <= ids


def test_a_retry_of_an_event_never_processed_is_still_answered(workspace, slack):
    # the first delivery never reached us (or failed before it was recorded): do it now
    assert (
        workspace.event(dm_event("USARAH001", "my shifts"), event_id="EvLOST", retry=1).status_code
        == 200
    )
    assert slack.wait_for("chat.postMessage")[0].params["channel"] == "DSARAH001"


# ---- buttons ---------------------------------------------------------------------------


def test_a_reply_button_runs_its_intent_as_the_presser_and_replaces_the_buttons(workspace):
    action = Action(
        "Gaps tomorrow", "staffing.gaps", {"start_date": TOMORROW.isoformat()}, "primary"
    )
    original = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Earlier answer"}},
        {"type": "actions", "elements": []},
    ]
    resp, url = workspace.press("UCLAIRE01", action, original)
    assert resp.status_code == 200
    answer = workspace.answer_at(url)
    assert answer["replace_original"] is True
    shown = said(answer)
    assert "Earlier answer" in shown and "chose *Gaps tomorrow*" in shown
    assert "Victoria Gardens" in shown and "Riverside Court" not in shown
    assert not [b for b in answer["blocks"] if b["type"] == "actions"]


def test_a_button_cannot_do_more_than_the_presser_may(workspace):
    action = Action(
        "Gaps tomorrow",
        "staffing.gaps",
        {"start_date": TOMORROW.isoformat(), "home": "Riverside Court"},
    )
    resp, url = workspace.press("UCLAIRE01", action)  # Claire manages Victoria Gardens only
    assert resp.status_code == 200
    shown = said(workspace.answer_at(url))
    assert "only see your own home" in shown and "short" not in shown.lower().split("chose")[-1]
    resp, url = workspace.press("USTRANGER", action)
    assert STRANGER in workspace.answer_at(url)["text"]


# ---- App Home --------------------------------------------------------------------------


def test_app_home_shows_a_manager_the_gaps_in_her_homes(workspace, slack):
    workspace.event(
        {
            "type": "app_home_opened",
            "user": "UCLAIRE01",
            "channel": "DCLAIRE01",
            "tab": "home",
            "event_ts": "1768381000.1",
        }
    )
    call = slack.wait_for("views.publish")[0].params
    assert call["user_id"] == "UCLAIRE01" and call["view"]["type"] == "home"
    shown = json.dumps(call["view"])
    assert "Victoria Gardens" in shown and "Gaps tomorrow" in shown
    assert "Riverside Court" not in shown


def test_app_home_for_staff_and_strangers(workspace, slack):
    workspace.event(
        {"type": "app_home_opened", "user": "USARAH001", "tab": "home", "event_ts": "1768381000.2"}
    )
    workspace.event(
        {"type": "app_home_opened", "user": "USTRANGER", "tab": "home", "event_ts": "1768381000.3"}
    )
    views = {
        c.params["user_id"]: json.dumps(c.params["view"])
        for c in slack.wait_for("views.publish", count=2)
    }
    assert "Your next shifts" in views["USARAH001"] and "Gaps" not in views["USARAH001"]
    assert "isn't linked" in views["USTRANGER"] and "Victoria" not in views["USTRANGER"]
