"""A local stand-in for Slack, the way Bolt tests itself: a loopback HTTP server that answers
Web API calls (and ``response_url`` posts) like Slack does and records every call, plus
helpers that sign requests with the signing secret as Slack would.

Used by the tests and handy for trying the app without a workspace:
``SLACK_API_URL=http://127.0.0.1:PORT/api/``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode

from slack_sdk.signature import SignatureVerifier

BOT_USER_ID = "UBOTSTAFF"
TEAM_ID = "TCAREHOME"


@dataclass
class Call:
    """One request that reached the stand-in: a Web API method or a response_url post."""

    method: str  # "chat.postMessage", "views.publish", ... or "response_url"
    params: dict[str, Any]
    path: str
    at: float = field(default_factory=time.monotonic)


class FakeSlack:
    """``with FakeSlack() as slack:`` - ``slack.api_url`` for ``SLACK_API_URL``,
    ``slack.response_url(name)`` for slash commands and buttons, ``slack.wait_for(method)``
    to wait (bounded) for a call made after an ack."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._cond = threading.Condition()
        # method -> (HTTP status, body) to answer with instead of ok: set by tests
        self.failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._ts = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                ctype = self.headers.get("Content-Type", "")
                params: dict[str, Any]
                if "json" in ctype:
                    params = json.loads(raw or "{}")
                else:
                    params = dict(parse_qsl(raw))
                    for key in ("blocks", "view", "attachments"):
                        if isinstance(params.get(key), str):
                            with contextlib.suppress(ValueError):
                                params[key] = json.loads(params[key])
                status, body = fake._answer(self.path, params)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("Retry-After", "1")
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ---- life cycle -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base_url}/response/{name}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ---- answering --------------------------------------------------------------------

    def _answer(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if path.startswith("/response/"):
            method = "response_url"
        else:
            method = path.split("?", 1)[0].rsplit("/", 1)[-1]
        with self._cond:
            self.calls.append(Call(method, params, path))
            self._cond.notify_all()
            queued = self.failures.get(method)
            if queued:
                return queued.pop(0)
            self._ts += 1
            ts = f"1768381200.{self._ts:06d}"
        if method == "auth.test":
            return 200, {
                "ok": True,
                "user_id": BOT_USER_ID,
                "bot_id": "BSTAFFBOT",
                "team_id": TEAM_ID,
                "team": "Care Homes",
                "user": "staffbot",
            }
        if method in ("chat.postMessage", "chat.update"):
            channel = str(params.get("channel", ""))
            # Slack answers with the conversation's id: a DM to U... lands in D..., a name in C...
            if channel.startswith("U"):
                channel = "D" + channel[1:]
            elif channel.startswith("#"):
                channel = "C" + channel[1:].upper().replace("-", "")[:10]
            return 200, {
                "ok": True,
                "channel": channel,
                "ts": params.get("ts") if method == "chat.update" else ts,
                "message": {"text": params.get("text"), "ts": ts},
            }
        if method == "response_url":
            return 200, {"ok": True}
        if method == "apps.connections.open":
            return 200, {"ok": True, "url": getattr(self, "socket_url", "ws://127.0.0.1:9/")}
        return 200, {"ok": True}

    def fail_next(self, method: str, status: int, error: str) -> None:
        """Make the next call to ``method`` fail as Slack would (e.g. 429 ratelimited)."""
        with self._cond:
            self.failures.setdefault(method, []).append((status, {"ok": False, "error": error}))

    # ---- inspecting -------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 60.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until ``count`` calls of ``method`` (matching ``where``) arrived; bounded."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [
                    c for c in self.calls if c.method == method and (where is None or where(c))
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(
                        f"waited {timeout}s for {count} x {method}; calls so far: {seen}"
                    )
                self._cond.wait(left)


# ---- signed requests, as Slack sends them ------------------------------------------------


def signed_headers(
    secret: str,
    body: str,
    content_type: str,
    timestamp: int | None = None,
    retry_num: int | None = None,
) -> dict[str, str]:
    """Headers with a valid v0 signature over ``body`` (what Slack sends)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None  # None only without a timestamp or body
    headers = {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
        "Content-Type": content_type,
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


_triggers = itertools.count(1)


def _trigger_id() -> str:
    return f"1337.{next(_triggers)}.{time.time_ns():x}"


def slash_command_body(
    user_id: str,
    text: str,
    response_url: str,
    command: str = "/staffbot",
    channel_id: str = "CVICTORIA",
) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "carehomes",
            "channel_id": channel_id,
            "channel_name": "victoria-gardens",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "ASTAFFBOT",
            "response_url": response_url,
            "trigger_id": _trigger_id(),  # Slack's is unique to each invocation
        }
    )


def event_body(event: dict[str, Any], event_id: str = "Ev0001") -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "ASTAFFBOT",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
    )


def dm_event(user_id: str, text: str, ts: str = "1768381000.000100") -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D" + user_id[1:],
        "user": user_id,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }


def mention_event(
    user_id: str, text: str, channel: str = "CVICTORIA", ts: str = "1768381000.000200"
) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "channel": channel,
        "user": user_id,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "event_ts": ts,
    }


def block_actions_body(
    user_id: str,
    action: dict[str, Any],
    response_url: str | None,
    message: dict[str, Any] | None = None,
    channel: str | None = None,
    view: dict[str, Any] | None = None,
) -> str:
    """A form-encoded interactivity request (``payload=...``) for one button press."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "carehomes"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": "ASTAFFBOT",
        "token": "legacy",
        "trigger_id": _trigger_id(),
        "actions": [
            {
                "type": "button",
                "block_id": action.get("block_id", "b1"),
                "action_ts": "1768381300.000001",
                **action,
            }
        ],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "VHOME")}
        payload["view"] = view
    else:
        payload["container"] = {
            "type": "message",
            "message_ts": "1768381200.000001",
            "channel_id": channel or "DCLAIRE01",
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": channel or "DCLAIRE01", "name": "directmessage"}
        payload["message"] = message or {
            "type": "message",
            "ts": "1768381200.000001",
            "text": "",
            "blocks": [],
        }
    if response_url:
        payload["response_url"] = response_url
    return urlencode({"payload": json.dumps(payload)})


# ---- the app on a real loopback server ---------------------------------------------------


class LiveServer:
    """``with LiveServer(fastapi_app) as url:`` - uvicorn in a thread on a free loopback port,
    so requests arrive over real HTTP and lazy listeners run on the server's own loop."""

    def __init__(self, app: Any) -> None:
        import socket

        import uvicorn

        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test web server did not start")
            time.sleep(0.01)
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join(10)
        self._sock.close()


# ---- a workspace talking to the app ------------------------------------------------------


class SlackWorkspace:
    """The app behind a real HTTP server, and the helpers to talk to it as Slack does."""

    def __init__(self, base_url: str, slack: FakeSlack, core: Any, secret: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.slack, self.core, self.secret = slack, core, secret
        self._n = 0

    def post(
        self, body: str, content_type: str, signed: bool = True, retry: int | None = None
    ) -> Any:
        headers = (
            signed_headers(self.secret, body, content_type, retry_num=retry)
            if signed
            else {"Content-Type": content_type}
        )
        return self.http.post("/slack/events", content=body, headers=headers)

    def slash(self, user: str, text: str) -> tuple[Any, str]:
        self._n += 1
        url = self.slack.response_url(f"slash{self._n}")
        body = slash_command_body(user, text, url)
        return self.post(body, "application/x-www-form-urlencoded"), url

    def event(
        self, event: dict[str, Any], event_id: str | None = None, retry: int | None = None
    ) -> Any:
        self._n += 1
        return self.post(
            event_body(event, event_id or f"Ev{self._n:04d}"), "application/json", retry=retry
        )

    def press(
        self,
        user: str,
        action: Any,
        message_blocks: list | None = None,
        view: dict | None = None,
        channel: str | None = None,
    ) -> tuple[Any, str]:
        """Press a button: an ``Action`` (encoded as the app would), or a button element
        exactly as the app posted it."""
        from bot.slack.blocks import ACTION_PREFIX, encode_action

        self._n += 1
        url = self.slack.response_url(f"press{self._n}")
        if isinstance(action, dict):
            element = {k: action[k] for k in ("action_id", "value", "text")}
        else:
            element = {
                "action_id": f"{ACTION_PREFIX}0",
                "value": encode_action(action),
                "text": {"type": "plain_text", "text": action.label},
            }
        message = {
            "type": "message",
            "ts": "1768381200.000001",
            "text": "",
            "blocks": message_blocks or [],
        }
        body = block_actions_body(
            user, element, None if view else url, message=message, view=view, channel=channel
        )
        return self.post(body, "application/x-www-form-urlencoded"), url

    def answer_at(self, url: str) -> dict[str, Any]:
        """What the app sent to this response_url (waits, bounded, for it to arrive)."""
        path = "/response/" + url.rsplit("/", 1)[-1]
        return self.slack.wait_for("response_url", where=lambda c: c.path == path)[0].params


def eventually(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Poll ``check`` until it returns something truthy (bounded), for state the app writes
    after it has answered."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout}s: {check}")
        time.sleep(0.02)
