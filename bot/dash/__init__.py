"""Web dashboards (``/dash/``) and their JSON API (``/api/v1/``, schema at
``/api/openapi.json``, pages at ``/api/docs``), mounted on the web app by ``mount_dashboards``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from bot.dash.api import api_router, docs_router
from bot.dash.pages import Renderer, error_page, page_router
from bot.dash.session import NO_STORE, DashError, session_of
from core.app import Core


def mount_dashboards(app: FastAPI, core: Core) -> None:
    """Add the dashboard pages, the API and its docs to ``app``."""
    render = Renderer(core.zone)
    api = api_router(core)
    app.include_router(page_router(core, render))
    app.include_router(api)
    app.include_router(docs_router(core, api, render))

    @app.exception_handler(DashError)
    def dash_error(request: Request, exc: DashError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": exc.message, "status": exc.status},
                status_code=exc.status,
                headers=NO_STORE,
            )
        return error_page(render, request, exc)

    default_validation = app.exception_handlers.get(RequestValidationError)

    @app.exception_handler(RequestValidationError)
    async def bad_query(request: Request, exc: RequestValidationError) -> Response:
        # a malformed query on a dashboard route says so in its own format; elsewhere the
        # app's default answer stands
        path = request.url.path
        if path.startswith("/dash/") or path.startswith("/api/"):
            if session_of(core, request) is None:  # no session: say nothing else
                return dash_error(request, DashError(401, "Please sign in."))
            message = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
            )
            return dash_error(request, DashError(400, message or "bad request"))
        assert default_validation is not None
        return await default_validation(request, exc)  # type: ignore[misc]
