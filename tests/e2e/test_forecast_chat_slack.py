"""A forecast asked in Slack, end to end: a signed DM or slash command reaches the real app over
HTTP, the answer is posted after the ack, and the chart (history, forecast band, rota) is
uploaded as an image through Slack's external-upload flow, all against a local stand-in
for the Web API that also accepts the file bytes."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from bot.slack.testing import Call, FakeSlack, LiveServer, SlackWorkspace, dm_event
from bot.web import create_app
from tests.conftest import make_core
from tests.integration.test_alerts import vg_forecast_template, vg_forecast_url  # noqa: F401

SECRET = "test-signing-secret"


class UploadsSlack(FakeSlack):
    """The Slack stand-in, plus files.getUploadURLExternal / completeUploadExternal and an
    upload URL (a second loopback server) that keeps the bytes sent to it."""

    def __init__(self) -> None:
        super().__init__()
        self.uploads: list[bytes] = []
        store = self.uploads

        class Upload(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                store.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

        self._files = ThreadingHTTPServer(("127.0.0.1", 0), Upload)
        threading.Thread(target=self._files.serve_forever, daemon=True).start()

    def _answer(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, body = super()._answer(path, params)
        method = path.split("?", 1)[0].rsplit("/", 1)[-1]
        host, port = self._files.server_address[:2]
        if method == "files.getUploadURLExternal":
            n = len(self.of(method))
            return 200, {
                "ok": True,
                "file_id": f"F{n:04d}",
                "upload_url": f"http://{host}:{port}/upload/F{n:04d}",
            }
        if method == "files.completeUploadExternal":
            return 200, {"ok": True, "files": [{"id": "F0001", "title": "chart"}]}
        if method == "conversations.open":
            user = str({**dict(parse_qsl(urlsplit(path).query)), **params}.get("users", "U"))
            return 200, {"ok": True, "channel": {"id": "D" + user[1:]}}
        return status, body

    def __exit__(self, *exc: object) -> None:
        self._files.shutdown()
        self._files.server_close()
        super().__exit__(*exc)


def sent(call: Call) -> dict[str, Any]:
    """A call's arguments: the files methods send theirs in the query string."""
    return {**dict(parse_qsl(urlsplit(call.path).query)), **call.params}


@pytest.fixture
def slack():
    with UploadsSlack() as fake:
        yield fake


@pytest.fixture
def workspace(vg_forecast_url, slack):  # noqa: F811 - the fixture imported above
    core = make_core(
        vg_forecast_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
    )
    with LiveServer(create_app(core)) as url:
        ws = SlackWorkspace(url, slack, core, SECRET)
        yield ws
        ws.http.close()
    core.engine.dispose()


def test_a_forecast_in_a_dm_comes_with_its_chart(workspace, slack):
    assert workspace.event(dm_event("UCLAIRE01", "forecast next week")).status_code == 200
    post = slack.wait_for("chat.postMessage")[0].params
    assert post["channel"] == "DCLAIRE01"
    assert post["text"].startswith("Forecast for Victoria Gardens, Mon 19 Jan to Sun 25 Jan")
    assert post["blocks"][0]["type"] == "header"
    done = sent(slack.wait_for("files.completeUploadExternal")[0])
    assert done["channel_id"] == "DCLAIRE01"
    assert "Forecast for Victoria Gardens" in done["files"]
    asked = sent(slack.of("files.getUploadURLExternal")[0])
    assert asked["filename"] == "forecast.png" and int(asked["length"]) > 5000
    assert len(slack.uploads) == 1 and slack.uploads[0].startswith(b"\x89PNG")
    assert len(slack.uploads[0]) == int(asked["length"])


def test_a_slash_command_forecast_sends_its_chart_to_the_askers_dm(workspace, slack):
    resp, url = workspace.slash("UCLAIRE01", "forecast next week")
    assert resp.status_code == 200
    answer = workspace.answer_at(url)
    assert (
        answer["response_type"] == "ephemeral"
        and "Forecast for Victoria Gardens" in (answer["text"])
    )
    done = sent(slack.wait_for("files.completeUploadExternal")[0])
    assert done["channel_id"] == "DCLAIRE01"  # a chart cannot be ephemeral: it goes to the DM


def test_other_answers_upload_nothing(workspace, slack):
    workspace.event(dm_event("UCLAIRE01", "whose training expires soon?"))
    post = slack.wait_for("chat.postMessage")[0].params
    assert "training renewals due at Victoria Gardens" in post["text"]
    assert slack.of("files.getUploadURLExternal") == []
