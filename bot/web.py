"""The web process: health and readiness, and the Twilio and Slack endpoints (each in its own
module), all receiving through one channel-neutral receive service."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from core.app import Core


def create_app(core: Core) -> FastAPI:
    app = FastAPI(title="Staffbot", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.core = core

    from bot.sms.inbound import SmsInbox

    inbox = SmsInbox(core)
    receiver = app.state.receiver = inbox.receiver

    def database_answers() -> str | None:
        """None when the database answers one SELECT, else the error's class name."""
        try:
            with core.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # the database is down: say so, do not crash
            return type(exc).__name__
        return None

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        """Liveness: the process answers and its database does."""
        error = database_answers()
        if error:
            return JSONResponse({"status": "unavailable", "error": error}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        """Readiness: send traffic here only when the database answers AND the parser is
        loaded (so the first message is answered at once, not after loading a model)."""
        error = database_answers()
        checks = {"database": error is None, "parser": receiver.ready}
        if error or not receiver.ready:
            return JSONResponse(
                {"status": "not ready", "checks": checks, **({"error": error} if error else {})},
                status_code=503,
            )
        return JSONResponse({"status": "ready", "checks": checks})

    from bot.sms.webhooks import sms_router

    # POST /sms/inbound, /sms/status (Twilio, signed); its start-up loads the parser
    app.include_router(sms_router(core, inbox=inbox))

    from bot.slack.web import mount_slack

    mount_slack(app, core, receiver=receiver)  # POST /slack/events (503 when not set up)

    from bot.dash import mount_dashboards

    mount_dashboards(app, core)  # /dash/, /api/v1/, /api/openapi.json, /api/docs (signed in)

    from bot.limits import BodyLimit

    app.add_middleware(BodyLimit)  # every endpoint: oversize bodies get 413, not read
    return app


def serve_app() -> FastAPI:
    """What ``staffbot serve`` runs in each worker process (uvicorn imports it by name)."""
    from bot.bootstrap import bootstrap

    return create_app(bootstrap())
