"""Socket Mode: the same Bolt app takes events over a websocket it opens itself (no public
URL). A local websocket server stands in for Slack's, the local Web API stand-in answers
``apps.connections.open`` with its address and records what the app then posts."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import WSMsgType, web

from bot.slack.app import build_slack_app
from bot.slack.socket_mode import socket_mode_handler, socket_mode_wanted
from bot.slack.testing import FakeSlack, dm_event
from core.config import Settings
from core.errors import StaffbotError
from tests.conftest import make_core


def test_socket_mode_is_on_by_default_only_with_both_tokens():
    both = Settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    assert socket_mode_wanted(both) is True
    assert socket_mode_wanted(both, requested=False) is False
    assert socket_mode_wanted(Settings(SLACK_BOT_TOKEN="xoxb-1")) is False
    with pytest.raises(StaffbotError, match="SLACK_APP_TOKEN"):
        socket_mode_wanted(Settings(SLACK_BOT_TOKEN="xoxb-1"), requested=True)


def test_a_dm_over_socket_mode_is_acknowledged_and_answered(demo_url):
    envelope = {
        "envelope_id": "env-1",
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": json.loads(_event_json(dm_event("USARAH001", "my shifts"))),
    }

    async def scenario(slack: FakeSlack) -> tuple[dict, dict]:
        acks: asyncio.Queue[dict] = asyncio.Queue()

        async def link(request: web.Request) -> web.WebSocketResponse:
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            await ws.send_json({"type": "hello", "num_connections": 1})
            await ws.send_json(envelope)
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await acks.put(json.loads(msg.data))
            return ws

        server = web.Application()
        server.router.add_get("/link", link)
        runner = web.AppRunner(server)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        slack.socket_url = f"ws://127.0.0.1:{port}/link"  # type: ignore[attr-defined]
        core = make_core(
            demo_url,
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_APP_TOKEN="xapp-test",
            SLACK_API_URL=slack.api_url,
        )  # no signing secret: none is needed
        handler = socket_mode_handler(build_slack_app(core), "xapp-test")
        try:
            await handler.connect_async()
            ack = await asyncio.wait_for(acks.get(), 30)
            posted = await asyncio.to_thread(slack.wait_for, "chat.postMessage")
        finally:
            await handler.close_async()
            await runner.cleanup()
            core.engine.dispose()
        return ack, posted[0].params

    with FakeSlack() as slack:
        ack, posted = asyncio.run(scenario(slack))
        assert slack.of("apps.connections.open")
    assert ack["envelope_id"] == "env-1"
    assert posted["channel"] == "DSARAH001" and "Your next shifts" in posted["text"]


def _event_json(event: dict) -> str:
    from bot.slack.testing import event_body

    return event_body(event, "EvSOCKET1")
