"""Test and benchmark helpers: sign a webhook as Twilio does, and a local stand-in for
Twilio's REST API that records every ``messages.create`` and answers the message list
(point ``TWILIO_API_URL`` at it). It can misbehave on demand: an account-wide outage (429,
5xx, 401), slow answers (a timeout after the text was accepted), failing numbers.

Never used by the running service."""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from twilio.request_validator import RequestValidator


def sign(token: str, url: str, params: dict[str, str]) -> str:
    """The ``X-Twilio-Signature`` Twilio would send for a POST of ``params`` to ``url``."""
    return RequestValidator(token).compute_signature(url, params)


@dataclass(frozen=True)
class SentText:
    account: str
    to: str
    from_: str
    body: str
    status_callback: str | None
    sid: str
    created: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class FakeTwilioApi:
    """``with FakeTwilioApi(sid, token) as api: ... api.url ... api.sent``.

    ``fail_to[number] = (http_status, twilio_code)`` makes sends to that number fail;
    ``fail_next`` fails the next few sends whoever they are for; ``outage = (status, code)``
    fails every send until it is set back to None (e.g. ``(429, 20429)``, ``(503, None)``);
    ``delay`` seconds (or ``slow_to[number]``) hold each answer back *after* the text was
    accepted, as when Twilio sent it but the reply was lost to a timeout. ``attempts`` counts
    every create call, ``lists`` every message-list call."""

    account_sid: str
    auth_token: str
    sent: list[SentText] = field(default_factory=list)
    fail_to: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    fail_next: list[tuple[int, int | None]] = field(default_factory=list)
    outage: tuple[int, int | None] | None = None
    delay: float = 0.0
    slow_to: dict[str, float] = field(default_factory=dict)
    requests: int = 0
    attempts: int = 0
    lists: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    def texts_to(self, number: str) -> list[str]:
        with self._lock:
            return [t.body for t in self.sent if t.to == number]

    def __enter__(self) -> FakeTwilioApi:  # noqa: PYI034
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                status, payload = api._list(parts.path, self.headers.get("Authorization"), query)
                self._answer(status, payload)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {
                    k: v[-1]
                    for k, v in parse_qs(
                        self.rfile.read(length).decode(), keep_blank_values=True
                    ).items()
                }
                status, payload = api._create(self.path, self.headers.get("Authorization"), form)
                wait = api.slow_to.get(form.get("To", ""), api.delay)
                if wait > 0:
                    time.sleep(wait)
                with contextlib.suppress(OSError):  # the client may have given up waiting
                    self._answer(status, payload)

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _create(
        self, path: str, authorization: str | None, form: dict[str, str]
    ) -> tuple[int, dict]:
        expected = (
            "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        )
        with self._lock:
            self.requests += 1
            if authorization != expected:
                return 401, {"code": 20003, "message": "Authenticate", "status": 401}
            if path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
                return 404, {"code": 20404, "message": "Not found", "status": 404}
            self.attempts += 1
            to = form.get("To", "")
            failure = self.outage or (
                self.fail_next.pop(0) if self.fail_next else self.fail_to.get(to)
            )
            if failure is not None:
                status, code = failure
                return status, {
                    "code": code,
                    "status": status,
                    "message": f"The 'To' number {to} is not reachable",
                }
            sid = "SM" + uuid.uuid4().hex
            text = SentText(
                self.account_sid,
                to,
                form.get("From", ""),
                form.get("Body", ""),
                form.get("StatusCallback"),
                sid,
            )
            self.sent.append(text)
        return 201, self._resource(text)

    def _resource(self, text: SentText) -> dict:
        created = format_datetime(text.created, usegmt=True)
        return {
            "sid": text.sid,
            "account_sid": self.account_sid,
            "to": text.to,
            "from": text.from_,
            "body": text.body,
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "date_created": created,
            "date_sent": created,
            "date_updated": created,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{text.sid}.json",
        }

    def _list(
        self, path: str, authorization: str | None, query: dict[str, str]
    ) -> tuple[int, dict]:
        """Twilio's message list, filtered by To, From and DateSent> (a date or an instant;
        Twilio itself compares dates)."""
        expected = (
            "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        )
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        with self._lock:
            self.requests += 1
            if authorization != expected:
                return 401, {"code": 20003, "message": "Authenticate", "status": 401}
            if path != uri:
                return 404, {"code": 20404, "message": "Not found", "status": 404}
            self.lists += 1
            if self.outage is not None:
                status, code = self.outage
                return status, {"code": code, "status": status, "message": "Unavailable"}
            since = query.get("DateSent>")
            day = since[:10] if since else None
            found = [
                self._resource(t)
                for t in reversed(self.sent)
                if (not query.get("To") or t.to == query["To"])
                and (not query.get("From") or t.from_ == query["From"])
                and (day is None or t.created.strftime("%Y-%m-%d") >= day)
            ]
        size = int(query.get("PageSize") or 50)
        return 200, {
            "messages": found[:size],
            "end": min(size, len(found)) - 1,
            "first_page_uri": uri,
            "next_page_uri": None,
            "page": 0,
            "page_size": size,
            "previous_page_uri": None,
            "start": 0,
            "uri": uri,
        }
