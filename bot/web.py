"""The web process: health, and the Twilio and Slack endpoints (each in its own module)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from core.app import Core


def create_app(core: Core) -> FastAPI:
    app = FastAPI(title="Staffbot", docs_url=None, redoc_url=None)
    app.state.core = core

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        try:
            with core.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # the database is down: say so, do not crash
            return JSONResponse({"status": "unavailable", "error": type(exc).__name__},
                                status_code=503)
        return JSONResponse({"status": "ok"})

    from bot.sms.webhooks import sms_router

    app.include_router(sms_router(core))  # POST /sms/inbound, /sms/status (Twilio, signed)

    from bot.slack.web import mount_slack

    mount_slack(app, core)  # POST /slack/events (503 with a reason when Slack is not set up)
    return app
