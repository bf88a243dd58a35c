"""Socket Mode: Slack delivers events, commands and button presses over a websocket the app
opens (no public URL needed), to the same Bolt app and listeners as ``POST /slack/events``.

``staffbot serve`` uses it when ``SLACK_APP_TOKEN`` (an ``xapp-`` token with
``connections:write``) is set; the web process still serves health, SMS and the HTTP route."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from core.config import Settings

log = logging.getLogger(__name__)


def socket_mode_wanted(settings: Settings, requested: bool | None = None) -> bool:
    """On when asked, or by default when both the app token and the bot token are set."""
    available = bool(settings.slack_app_token and settings.slack_bot_token)
    if requested and not available:
        from core.errors import StaffbotError

        raise StaffbotError(
            "Socket Mode needs SLACK_APP_TOKEN (xapp-...) and SLACK_BOT_TOKEN (see docs/slack.md)."
        )
    return available if requested is None else requested


def socket_mode_handler(slack_app: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    # The handler opens the socket with apps.connections.open through the app's own client,
    # so SLACK_API_URL applies here too.
    return AsyncSocketModeHandler(slack_app, app_token)


async def serve_with_socket_mode(
    web_app: FastAPI, settings: Settings, host: str, port: int
) -> None:
    """Run the web server and a Socket Mode connection in one event loop until stopped."""
    import uvicorn

    slack_app: AsyncApp | None = getattr(web_app.state, "slack_app", None)
    if slack_app is None or not settings.slack_app_token:
        raise RuntimeError("Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN")
    from bot.web import start_slack_work, warm

    warm(web_app)  # the parser loaded before the first event arrives (/readyz says so)
    start_slack_work(web_app)  # Slack's work in a process of its own, as with HTTP
    handler = socket_mode_handler(slack_app, settings.slack_app_token)
    server = uvicorn.Server(uvicorn.Config(web_app, host=host, port=port, log_level="warning"))
    await handler.connect_async()
    log.warning("Slack Socket Mode connected; web server on %s:%s", host, port)
    try:
        await server.serve()
    finally:
        await handler.close_async()
