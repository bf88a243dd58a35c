"""A draft rota asked for in Slack: the summary is posted after the ack with a Publish button,
the rota is uploaded as a CSV file, and pressing the button publishes it."""

from __future__ import annotations

import csv
import io

import pytest

from bot.slack.testing import LiveServer, SlackWorkspace, dm_event
from bot.web import create_app
from tests.conftest import make_core
from tests.e2e.test_forecast_chat_slack import UploadsSlack, sent

SECRET = "test-signing-secret"


@pytest.fixture
def slack():
    with UploadsSlack() as fake:
        yield fake


@pytest.fixture
def workspace(demo_url, slack):
    core = make_core(
        demo_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
    )
    with LiveServer(create_app(core)) as url:
        ws = SlackWorkspace(url, slack, core, SECRET)
        yield ws
        ws.http.close()
    core.engine.dispose()


def test_a_draft_in_a_dm_comes_as_a_csv_with_a_publish_button(workspace, slack):
    text = "draft the rota for victoria gardens from 9 to 15 february"
    assert workspace.event(dm_event("UCLAIRE01", text)).status_code == 200
    post = slack.wait_for("chat.postMessage", timeout=120)[0].params
    assert post["channel"] == "DCLAIRE01"
    assert post["text"].startswith("Draft 1 for Victoria Gardens, Mon 9 Feb to Sun 15 Feb")
    buttons = [e for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Publish draft 1"]
    done = sent(slack.wait_for("files.completeUploadExternal", timeout=60)[0])
    assert done["channel_id"] == "DCLAIRE01"
    asked = sent(slack.of("files.getUploadURLExternal")[0])
    assert asked["filename"] == "rota-draft-1-victoria-gardens.csv"
    rows = list(csv.DictReader(io.StringIO(slack.uploads[0].decode())))
    assert rows and set(rows[0]) == {"date", "unit", "shift_type", "role", "name"}
    assert {r["date"] for r in rows} == {f"2026-02-{d:02d}" for d in range(9, 16)}

    _, url = workspace.press("UCLAIRE01", buttons[0], message_blocks=post["blocks"])
    answer = workspace.answer_at(url)
    assert "Published draft 1 as the rota for Victoria Gardens" in answer["text"]
