"""Test and benchmark helpers: sign a webhook as Twilio does, and a local stand-in for
Twilio's REST API that records every ``messages.create`` (point ``TWILIO_API_URL`` at it).

Never used by the running service."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

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


@dataclass
class FakeTwilioApi:
    """``with FakeTwilioApi(sid, token) as api: ... api.url ... api.sent``.

    ``fail_to[number] = (http_status, twilio_code)`` makes sends to that number fail;
    ``fail_next`` fails the next few sends whoever they are for."""

    account_sid: str
    auth_token: str
    sent: list[SentText] = field(default_factory=list)
    fail_to: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    fail_next: list[tuple[int, int | None]] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def texts_to(self, number: str) -> list[str]:
        with self._lock:
            return [t.body for t in self.sent if t.to == number]

    def __enter__(self) -> FakeTwilioApi:  # noqa: PYI034
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode(),
                                                        keep_blank_values=True).items()}
                status, payload = api._create(self.path, self.headers.get("Authorization"),
                                              form)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _create(self, path: str, authorization: str | None, form: dict[str, str]
                ) -> tuple[int, dict]:
        expected = "Basic " + base64.b64encode(
            f"{self.account_sid}:{self.auth_token}".encode()).decode()
        with self._lock:
            self.requests += 1
            if authorization != expected:
                return 401, {"code": 20003, "message": "Authenticate", "status": 401}
            if path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
                return 404, {"code": 20404, "message": "Not found", "status": 404}
            to = form.get("To", "")
            failure = self.fail_next.pop(0) if self.fail_next else self.fail_to.get(to)
            if failure is not None:
                status, code = failure
                return status, {"code": code, "status": status,
                                "message": f"The 'To' number {to} is not reachable"}
            sid = "SM" + uuid.uuid4().hex
            self.sent.append(SentText(self.account_sid, to, form.get("From", ""),
                                      form.get("Body", ""), form.get("StatusCallback"), sid))
        return 201, {"sid": sid, "account_sid": self.account_sid, "to": to,
                     "from": form.get("From"), "body": form.get("Body"), "status": "queued",
                     "num_segments": "1", "direction": "outbound-api",
                     "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json"}
