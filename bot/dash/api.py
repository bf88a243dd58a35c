"""``/api/v1/...``: the JSON behind every dashboard page, for the group's own tools.

Same session, same permissions as the pages (both call core.dashboards.service). The OpenAPI schema
is at ``/api/openapi.json`` and a readable page of it at ``/api/docs``, both behind the
session too; the page is drawn here from the schema, so it needs nothing from a CDN.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse

from bot.dash import schemas
from bot.dash.session import NO_STORE, viewed
from core.app import Core
from core.dashboards import service as dash

API_VERSION = "1.0"
DESCRIPTION = (
    "Read-only JSON behind the Staffbot dashboards. Sign in with a one-time link "
    '(`staffbot dash link NAME`, or type "dashboard" to Staffbot); the session cookie it '
    "sets authorises these calls. A manager sees their own home, the head of service every "
    "home, staff only their own record; anything else answers 403."
)

HomeId = Annotated[int, Path(description="a home's id (see /api/v1/me)")]
Days = Annotated[int, Query(ge=30, le=365, description="window in days, 30-365")]


def _json(data: Any) -> JSONResponse:
    return JSONResponse(data, headers=NO_STORE)


def api_router(core: Core) -> APIRouter:
    refusals: dict[int | str, dict[str, Any]] = {
        401: {"model": schemas.Error, "description": "no session: sign in by a link first"},
        403: {"model": schemas.Error, "description": "not the viewer's to see"},
        404: {"model": schemas.Error, "description": "no such home, person, request or draft"},
        400: {"model": schemas.Error, "description": "a parameter is out of range"},
    }
    router = APIRouter(prefix="/api/v1", tags=["dashboards"], responses=refusals)

    @router.get(
        "/me", response_model=schemas.Me, summary="Who is signed in, and the homes they may see"
    )
    def me(request: Request) -> JSONResponse:
        return _json(viewed(core, request, lambda s: dash.me(core, s)).data)

    @router.get(
        "/overview",
        response_model=schemas.Overview,
        summary="Overview: open outreach, gaps, fill rate, agency use",
    )
    def overview(
        request: Request,
        home_id: Annotated[
            int | None, Query(description="one home; default every home the viewer manages")
        ] = None,
    ) -> JSONResponse:
        return _json(viewed(core, request, lambda s: dash.overview(core, s, home_id)).data)

    @router.get(
        "/homes/{home_id}/ranking",
        response_model=schemas.Ranking,
        summary="Live ranking for a shift: scores, breakdowns and exclusions",
    )
    def ranking(
        request: Request,
        home_id: HomeId,
        day: Annotated[date, Query(alias="date", description="the shift's day")],
        shift_type: Annotated[str, Query(description="early, late, night, long_day")],
        role: Annotated[str, Query(description="RN, SSW or HCA")],
        profile: Annotated[str | None, Query(description="balanced or reliability")] = None,
    ) -> JSONResponse:
        return _json(
            viewed(
                core,
                request,
                lambda s: dash.ranking(core, s, home_id, day, shift_type, role, profile),
            ).data
        )

    @router.get(
        "/requests/{request_id}",
        response_model=schemas.RequestDetail,
        summary="An overtime request's live state",
    )
    def request_detail(request: Request, request_id: int) -> JSONResponse:
        return _json(viewed(core, request, lambda s: dash.request_detail(core, s, request_id)).data)

    @router.get(
        "/requests/{request_id}/ranking",
        response_model=schemas.Ranking,
        summary="The ranking for an open request (people already asked left out)",
    )
    def request_ranking(request: Request, request_id: int) -> JSONResponse:
        return _json(
            viewed(core, request, lambda s: dash.request_ranking(core, s, request_id)).data
        )

    @router.get(
        "/fairness",
        response_model=schemas.Fairness,
        summary="Overtime hours and offers per willing person, Gini, flags",
    )
    def fairness(
        request: Request,
        days: Days = 90,
        home_id: Annotated[int | None, Query(description="one home")] = None,
    ) -> JSONResponse:
        return _json(viewed(core, request, lambda s: dash.fairness(core, s, days, home_id)).data)

    @router.get(
        "/people/{person_id}",
        response_model=schemas.PersonRecord,
        summary="One person's overtime record",
    )
    def person(
        request: Request,
        person_id: int,
        days: Annotated[int, Query(ge=7, le=730, description="window in days")] = 90,
    ) -> JSONResponse:
        return _json(
            viewed(core, request, lambda s: dash.person_record(core, s, person_id, days)).data
        )

    @router.get(
        "/homes/{home_id}/forecast",
        response_model=schemas.Forecast,
        summary="Forecast per unit: history, 80% band and the rota",
    )
    def forecast(
        request: Request,
        home_id: HomeId,
        days: Annotated[int, Query(ge=1, le=90)] = 14,
        history_days: Annotated[int, Query(ge=7, le=730)] = 56,
    ) -> JSONResponse:
        return _json(
            viewed(
                core, request, lambda s: dash.forecast(core, s, home_id, days, history_days)
            ).data
        )

    @router.get(
        "/homes/{home_id}/rota-drafts",
        response_model=schemas.RotaDrafts,
        summary="A home's draft rotas, newest first",
    )
    def rota_drafts(request: Request, home_id: HomeId) -> JSONResponse:
        return _json(viewed(core, request, lambda s: dash.rota_drafts(core, s, home_id)).data)

    @router.get(
        "/rota-drafts/{draft_id}",
        response_model=schemas.RotaCompare,
        summary="A draft rota beside the current rota",
    )
    def rota_compare(request: Request, draft_id: int) -> JSONResponse:
        return _json(viewed(core, request, lambda s: dash.rota_compare(core, s, draft_id)).data)

    return router


def schema(router: APIRouter) -> dict[str, Any]:
    return get_openapi(
        title="Staffbot dashboards API",
        version=API_VERSION,
        description=DESCRIPTION,
        routes=router.routes,
    )


def docs_router(core: Core, api: APIRouter, render: Any) -> APIRouter:
    """``/api/openapi.json`` and ``/api/docs`` (behind the session, like everything else)."""
    router = APIRouter(prefix="/api", include_in_schema=False)
    cached: dict[str, Any] = {}

    def current() -> dict[str, Any]:
        if not cached:
            cached.update(schema(api))
        return cached

    @router.get("/openapi.json")
    def openapi(request: Request) -> JSONResponse:
        viewed(core, request, lambda s: dash.signed_in(core, s))
        return _json(current())

    @router.get("/docs")
    def docs(request: Request) -> HTMLResponse:
        scope = viewed(core, request, lambda s: dash.signed_in(core, s))
        spec = current()
        endpoints = [
            {
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary"),
                "params": op.get("parameters", []),
            }
            for path, ops in spec["paths"].items()
            for method, op in ops.items()
        ]
        return render(request, "apidocs.html", {"spec": spec, "endpoints": endpoints}, scope=scope)

    return router
