"""Fixtures for the Slack end-to-end tests: a local stand-in for Slack's Web API and the real
app on loopback, with requests signed by ``SLACK_SECRET``."""

from __future__ import annotations

import pytest

from bot.slack.testing import FakeSlack, LiveServer, SlackWorkspace
from bot.web import create_app
from tests.conftest import make_core

SLACK_SECRET = "test-signing-secret"


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def workspace(demo_url, slack):
    core = make_core(
        demo_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SLACK_SECRET,
        SLACK_API_URL=slack.api_url,
    )
    with LiveServer(create_app(core)) as url:
        ws = SlackWorkspace(url, slack, core, SLACK_SECRET)
        yield ws
        ws.http.close()
    core.engine.dispose()
