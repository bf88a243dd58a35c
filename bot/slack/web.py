"""``POST /slack/events`` in the FastAPI app: events, the slash command and interactivity.

Before Bolt sees a request it is checked here: a body within the size limit, a numeric
``X-Slack-Request-Timestamp`` within five minutes, a valid signature (else 401, nothing done),
and a body of the shape Slack sends (a JSON object, or a form whose ``payload`` is one) with
no NUL or other control characters outside whitespace (else 400). So no input makes Bolt or
the database fail with a 5xx, and Bolt never logs a body it could not verify.
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from slack_sdk.signature import SignatureVerifier

from core.app import Core

log = logging.getLogger(__name__)

NOT_CONFIGURED = (
    "Slack is not configured on this server: set SLACK_SIGNING_SECRET and "
    "SLACK_BOT_TOKEN (see docs/slack.md)."
)
MAX_SLACK_BODY = 128 * 1024  # Slack's largest interactive payloads are well below this
MAX_SKEW_SECONDS = 300  # Slack's own rule for replays
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain(status: int, text: str) -> Response:
    return Response(text, status_code=status, media_type="text/plain")


def check_request(
    body: bytes, headers: Any, secret: str, now: float | None = None
) -> Response | None:
    """None if the request may go to Bolt, else the 4xx answer."""
    if len(body) > MAX_SLACK_BODY:
        return _plain(413, "request body too large")
    stamp = headers.get("x-slack-request-timestamp") or ""
    signature = headers.get("x-slack-signature") or ""
    if not stamp.isdigit() or len(stamp) > 12 or not signature:
        return _plain(401, "invalid request")
    if abs((time.time() if now is None else now) - int(stamp)) > MAX_SKEW_SECONDS:
        return _plain(401, "invalid request")
    verifier = SignatureVerifier(secret)
    try:
        valid = verifier.is_valid(body=body, timestamp=stamp, signature=signature)
    except Exception:  # noqa: BLE001 - a malformed signature header
        valid = False
    if not valid:
        return _plain(401, "invalid request")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _plain(400, "body is not UTF-8")
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    try:
        if content_type == "application/json":
            parsed: Any = json.loads(text)
            if not isinstance(parsed, dict):
                return _plain(400, "expected a JSON object")
            values = list(_strings(parsed))
        else:
            fields = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text))
            values = [value for _, value in fields]
            payload = dict(fields).get("payload")
            if payload is not None:
                decoded = json.loads(payload)
                if not isinstance(decoded, dict):
                    return _plain(400, "expected a JSON object as payload")
                values += _strings(decoded)
    except (ValueError, RecursionError):
        return _plain(400, "malformed body")
    if any(_CONTROL.search(value) for value in values):
        return _plain(400, "control characters are not accepted")
    return None


def _is_command(body: bytes, headers: Any) -> bool:
    """A slash command (a form with ``command``), from a body already checked."""
    if (headers.get("content-type") or "").split(";")[0].strip().lower() == "application/json":
        return False
    return bool(dict(parse_qsl(body.decode("utf-8"))).get("command"))


def _strings(value: Any) -> list[str]:
    """Every string in a decoded JSON value (keys included)."""
    found: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            found += [str(k) for k in item]
            pending += list(item.values())
        elif isinstance(item, list):
            pending += item
    return found


def mount_slack(app: FastAPI, core: Core, receiver: Any = None) -> None:
    """Add the route. Without credentials it answers 503 and says why, instead of failing
    the whole web process (health and SMS keep working)."""
    settings = core.settings
    handler = None
    app.state.slack_app = app.state.slack_work = None
    if settings.slack_bot_token:
        from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

        from bot.slack.app import SlackWork, build_slack_app

        app.state.slack_work = SlackWork()  # its bound and load, for health and tests
        app.state.slack_app = build_slack_app(core, receiver=receiver, work=app.state.slack_work)
        if settings.slack_signing_secret:
            handler = AsyncSlackRequestHandler(app.state.slack_app)
    secret = settings.slack_signing_secret or ""

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        if handler is None:
            return JSONResponse(
                {"error": "slack_not_configured", "detail": NOT_CONFIGURED}, status_code=503
            )
        body = await request.body()
        refused = check_request(body, request.headers, secret)
        if refused is not None:
            return refused
        work = app.state.slack_work
        if work is not None and work.full and _is_command(body, request.headers):
            # the pool is full: the ack itself says so, without Bolt's round (cheap in a burst)
            from bot.slack.app import BUSY

            log.warning("slack work pool full: answering busy")
            return JSONResponse({"response_type": "ephemeral", "text": BUSY})
        try:
            return await handler.handle(request)
        except Exception as exc:  # noqa: BLE001 - Bolt reading fields of the wrong type
            # Signed, but not a shape Slack sends (say a number where Bolt wants an object):
            # Bolt fails before any listener runs, so nothing was done.
            log.warning("slack request of an unexpected shape refused (%s)", type(exc).__name__)
            return _plain(400, "malformed request")
