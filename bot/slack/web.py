"""``POST /slack/events`` in the FastAPI app: events, the slash command and interactivity,
verified by Bolt (an unsigned or stale request gets 401 and nothing is done)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from core.app import Core

log = logging.getLogger(__name__)

NOT_CONFIGURED = ("Slack is not configured on this server: set SLACK_SIGNING_SECRET and "
                  "SLACK_BOT_TOKEN (see docs/slack.md).")


def mount_slack(app: FastAPI, core: Core) -> None:
    """Add the route. Without credentials it answers 503 and says why, instead of failing
    the whole web process (health and SMS keep working)."""
    settings = core.settings
    handler = None
    app.state.slack_app = None
    if settings.slack_bot_token:
        from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

        from bot.slack.app import build_slack_app

        app.state.slack_app = build_slack_app(core)
        if settings.slack_signing_secret:
            handler = AsyncSlackRequestHandler(app.state.slack_app)

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        if handler is None:
            return JSONResponse({"error": "slack_not_configured", "detail": NOT_CONFIGURED},
                                status_code=503)
        return await handler.handle(request)
