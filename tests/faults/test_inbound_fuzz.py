"""Whatever arrives, on every endpoint of the web app, nothing answers 5xx while the database
is up and the process is ready: 4,000+ requests, signed and unsigned, well-formed and not
(random bytes, bad and non-object JSON, odd and non-numeric timestamps, NUL and other control
characters, oversize bodies, wrong methods, odd paths), with a seed so a failure repeats.
No request makes the app log a traceback."""

from __future__ import annotations

import json
import logging
import random
import re
import time
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.slack.testing import FakeSlack, signed_headers
from bot.sms.testing import sign
from bot.web import create_app
from core.models import Person, PersonKind
from core.phones import vault_for
from tests.conftest import make_core

TOKEN, PUBLIC, SECRET = "fuzz-token", "https://staffbot.example.org", "fuzz-signing-secret"
TOTAL = 4200
ODD = [
    "",
    "\x00",
    "\x00\x01\x1b",
    "\u202e\u2066",
    "😀" * 50,
    "' OR 1=1 --",
    "%00",
    "\ud800",
    "<xml>",
    "{}",
    "[]",
    "null",
    "1e309",
    "-1",
    "9" * 40,
    "STOP",
    "YES",
    "help",
    "my shifts",
    "who's short tomorrow?",
    "\r\n\r\n",
    "\\u0000",
    "a" * 3000,
]


def odd_text(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(ODD)
    return "".join(
        chr(
            rng.choice(
                [rng.randrange(0, 32), rng.randrange(32, 0x2FF), rng.randrange(0x1F300, 0x1FAFF)]
            )
        )
        for _ in range(rng.randrange(0, 60))
    )


def surrogate_free(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


class Fuzzer:
    def __init__(
        self,
        client: TestClient,
        numbers: list[str],
        slack: FakeSlack,
        routes: list[tuple[str, str]],
    ) -> None:
        self.client, self.numbers, self.slack, self.routes = client, numbers, slack, routes
        self.rng = random.Random(20)
        self.n = 0
        self.statuses: dict[int, int] = {}
        self.failures: list[str] = []

    def record(self, what: str, response) -> None:  # type: ignore[no-untyped-def]
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            self.failures.append(f"{what}: {response.status_code} {response.text[:120]}")

    # ---- SMS ----------------------------------------------------------------------------
    def sms(self) -> None:
        rng = self.rng
        self.n += 1
        path = rng.choice(["/sms/inbound", "/sms/status"])
        params = {
            "MessageSid": f"SM{self.n:032d}",
            "AccountSid": "AC" + "1" * 32,
            "From": rng.choice(self.numbers + ["+447700900000", "", "abc", "\x00"]),
            "To": "+447700900999",
            "Body": surrogate_free(odd_text(rng)),
            # (a signed "failed" receipt for a message we never sent is retried in the
            # background for ~15 s, which the test client waits for: test_sms_webhooks.py
            # covers receipts)
            "MessageStatus": rng.choice(["delivered", "sent", "queued", "", "\x00"]),
        }
        for key in list(params):
            if rng.random() < 0.1:
                del params[key]
        signed = rng.random() < 0.6
        headers = {}
        if signed:
            headers["X-Twilio-Signature"] = sign(TOKEN, PUBLIC + path, params)
        elif rng.random() < 0.5:
            headers["X-Twilio-Signature"] = (
                surrogate_free(odd_text(rng))[:40]
                .replace("\n", "")
                .replace("\r", "")
                .encode("ascii", "ignore")
                .decode()
                or "x"
            )
        shape = rng.random()
        if shape < 0.8:
            response = self.client.post(path, data=params, headers=headers)
        elif shape < 0.9:
            response = self.client.post(
                path,
                content=rng.randbytes(rng.randrange(0, 2000)),
                headers={
                    **headers,
                    "Content-Type": rng.choice(
                        ["application/x-www-form-urlencoded", "application/json", "text/plain"]
                    ),
                },
            )
        else:
            response = self.client.post(
                path,
                content=b"Body=" + b"x" * 300_000,
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            )
        self.record(path, response)

    # ---- Slack --------------------------------------------------------------------------
    def slack_body(self) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        form = "application/x-www-form-urlencoded"
        if roll < 0.25:
            return urlencode(
                {
                    "command": "/staffbot",
                    "user_id": rng.choice(["UCLAIRE01", "USARAH001", "UNOBODY", ""]),
                    "text": surrogate_free(odd_text(rng)),
                    "trigger_id": f"{self.n}.1.x",
                    "team_id": "T1",
                    "response_url": self.slack.response_url(f"f{self.n}"),
                }
            ), form
        if roll < 0.45:
            event = {
                "type": rng.choice(["message", "app_mention", "app_home_opened", 7, None]),
                "channel_type": "im",
                "channel": "D1",
                "user": rng.choice(["UCLAIRE01", "USARAH001", None, 5, ""]),
                "text": surrogate_free(odd_text(rng)),
                "ts": rng.choice(["1.2", None]),
            }
            return json.dumps(
                {"type": "event_callback", "event_id": f"Ev{self.n}", "event": event}
            ), "application/json"
        if roll < 0.6:
            payload = rng.choice(
                [
                    "[1]",
                    "{",
                    "null",
                    json.dumps(
                        {
                            "type": "block_actions",
                            "user": {"id": "UCLAIRE01"},
                            "actions": [{"action_id": "staffbot:0", "value": odd_text(rng)[:50]}],
                            "trigger_id": f"{self.n}.2.y",
                        }
                    ),
                    json.dumps({"type": 5, "actions": "x"}),
                ]
            )
            return urlencode({"payload": payload}), form
        if roll < 0.8:
            return rng.choice(
                [
                    "[1, 2]",
                    '"x"',
                    "null",
                    "{",
                    "1",
                    '{"type": []}',
                    json.dumps({"type": "url_verification", "challenge": "c"}),
                ]
            ), "application/json"
        return surrogate_free(odd_text(rng)), rng.choice([form, "application/json", ""])

    def slack_event(self) -> None:
        rng = self.rng
        self.n += 1
        body, ctype = self.slack_body()
        roll = rng.random()
        if roll < 0.6:
            headers = signed_headers(SECRET, body, ctype)
        elif roll < 0.8:
            headers = signed_headers(SECRET, body, ctype)
            headers["X-Slack-Request-Timestamp"] = rng.choice(
                ["soon", "", "-1", "1e9", "9" * 30, str(int(time.time()) - 4000), "0x10"]
            )
        else:
            headers = {"Content-Type": ctype}
        if rng.random() < 0.1:
            headers["X-Slack-Retry-Num"] = rng.choice(["1", "x", ""])
        if rng.random() < 0.03:
            body = body + "x" * 200_000
        self.record(
            "/slack/events",
            self.client.post(
                "/slack/events", content=body.encode("utf-8", "replace"), headers=headers
            ),
        )

    # ---- everything else --------------------------------------------------------------------
    def other(self) -> None:
        rng = self.rng
        method, path = rng.choice(self.routes)
        path = re.sub(
            r"\{[^}]+\}",
            lambda _m: rng.choice(["1", "0", "-1", "x", "%00", "9" * 30, "..", "%F0%9F%98%80"]),
            path,
        )
        if rng.random() < 0.3:
            path += "?" + urlencode(
                {
                    rng.choice(["date", "home", "token", "q", "days"]): surrogate_free(
                        odd_text(rng)
                    )[:100]
                }
            )
        method = method if rng.random() < 0.8 else rng.choice(["GET", "POST", "PUT", "DELETE"])
        content = rng.randbytes(rng.randrange(0, 500)) if method != "GET" else None
        self.record(f"{method} {path}", self.client.request(method, path, content=content))

    def run(self, total: int) -> None:
        for _ in range(total):
            roll = self.rng.random()
            if roll < 0.4:
                self.sms()
            elif roll < 0.75:
                self.slack_event()
            else:
                self.other()


def endpoints(routes, prefix: str = ""):  # type: ignore[no-untyped-def]
    """(method, path) of every route, included routers' too."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            context = getattr(route, "include_context", None)
            yield from endpoints(original.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif hasattr(route, "path"):
            for method in getattr(route, "methods", None) or ["GET"]:
                if method != "HEAD":
                    yield method, prefix + route.path


def test_thousands_of_fuzzed_requests_on_every_endpoint_get_no_5xx(demo_url, caplog):
    with FakeSlack() as slack:
        core = make_core(
            demo_url,
            public_url=PUBLIC,
            TWILIO_AUTH_TOKEN=TOKEN,
            SLACK_BOT_TOKEN="xoxb-fuzz",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack.api_url,
        )
        with core.read() as uow:
            tokens = uow.session.scalars(
                select(Person.phone)
                .where(Person.kind == PersonKind.STAFF, Person.phone.is_not(None))
                .limit(20)
            ).all()
        vault = vault_for(core.settings.secret_key)
        numbers = [vault.decrypt(t) for t in tokens]
        app = create_app(core)
        routes = sorted(set(endpoints(app.routes)))
        started = time.monotonic()
        with (
            TestClient(app, raise_server_exceptions=False) as client,
            caplog.at_level(logging.ERROR),
        ):
            deadline = time.monotonic() + 120  # the lifespan loads the parser
            while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert client.get("/readyz").status_code == 200
            started = time.monotonic()
            fuzzer = Fuzzer(client, numbers, slack, routes)
            fuzzer.run(TOTAL)
        elapsed = time.monotonic() - started
        core.engine.dispose()
    assert sum(fuzzer.statuses.values()) >= 4000
    assert fuzzer.failures == [], fuzzer.failures[:10]
    tracebacks = [r for r in caplog.records if r.exc_info and r.name.startswith(("bot", "core"))]
    assert tracebacks == [], [r.getMessage() for r in tracebacks[:5]]
    assert any(400 <= s < 500 for s in fuzzer.statuses) and 200 in fuzzer.statuses
    print(f"{TOTAL} requests in {elapsed:.1f} s: {dict(sorted(fuzzer.statuses.items()))}")
