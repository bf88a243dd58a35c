"""``/dash/...``: the dashboards as server-rendered pages (Jinja2), readable on a phone.

Each page asks core.dashboards.service (which opens its own read unit of work) for the same
data its ``/api/v1`` twin returns and draws it: a chart (inline SVG, bot.dash.charts) with the
same figures in a table beside it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.dash import charts
from bot.dash.session import COOKIE, NO_STORE, DashError, session_of, viewed
from core.app import Core
from core.dashboards import service as dash
from core.errors import NotAllowed
from core.permissions import Scope
from core.signin import session_cookie

HERE = Path(__file__).parent
SHIFT_TYPES = ("early", "late", "night", "long_day")
ROLES = ("RN", "SSW", "HCA")


def _local(value: str, zone: ZoneInfo) -> datetime | date:
    """An ISO instant in the organisation's zone; a plain ISO date as it is."""
    if len(value) <= 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value).astimezone(zone)


def make_env(zone: ZoneInfo) -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["charts"] = charts
    env.globals["css"] = (HERE / "static" / "dash.css").read_text()
    env.filters["num"] = lambda v: (
        "-" if v is None else (f"{v:.0f}" if abs(v - round(v)) < 0.05 else f"{v:.1f}")
    )
    env.filters["pct"] = lambda v: "-" if v is None else f"{v * 100:.0f}%"
    env.filters["money"] = lambda v: f"£{v:,.0f}"
    # instants are shown in the organisation's local time (BST in summer), dates as they are
    env.filters["hhmm"] = lambda v: _local(v, zone).strftime("%H:%M") if v else "-"
    env.filters["day"] = lambda v: _local(v, zone).strftime("%a %d %b") if v else "-"
    env.filters["dow"] = lambda v: _local(v, zone).strftime("%a %d") if v else "-"
    env.globals["pairs"] = lambda rows, key, value, fmt=None: [
        (env.filters[fmt](r[key]) if fmt else str(r[key]), float(r[value] or 0)) for r in rows
    ]
    env.filters["month"] = lambda v: date.fromisoformat(v + "-01").strftime("%b")
    env.globals["score_rows"] = lambda eligible: [
        (c["name"], [(comp["label"], comp["points"]) for comp in c["components"]]) for c in eligible
    ]
    env.globals["label_pairs"] = lambda r: [
        (k, r["labels"][k]) for k, w in r["weights"].items() if w
    ]
    env.globals["flag_classes"] = lambda people: {p["name"]: p["flag"] for p in people if p["flag"]}
    env.globals["quads"] = lambda rows: [
        (r["date"], r["prediction"], r["lower"], r["upper"]) for r in rows
    ]
    env.globals["show_measure"] = lambda v: (
        "-" if v is None else (env.filters["num"](v) if isinstance(v, (int, float)) else str(v))
    )
    return env


class Renderer:
    def __init__(self, zone: ZoneInfo) -> None:
        self.env = make_env(zone)

    def __call__(
        self,
        request: Request,
        template: str,
        context: dict[str, Any],
        scope: Scope | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        html = self.env.get_template(template).render(
            **context, viewer=scope, path=request.url.path
        )
        return HTMLResponse(html, status_code=status, headers=NO_STORE)


def page_router(core: Core, render: Renderer) -> APIRouter:
    router = APIRouter(prefix="/dash", include_in_schema=False)
    secure = core.settings.public_url.startswith("https://")

    def ranking_page(request: Request, v: Any, api: str) -> HTMLResponse:
        """A ranking (a shift's, or an open request's) with the forms to ask for another."""
        context = {"r": v.data, "shift_types": SHIFT_TYPES, "roles": ROLES, "api": api}
        return render(request, "ranking.html", context, v.scope)

    # ---- signing in and out (the only routes that answer without a session) -------------
    @router.get("/signin/{token}")
    def signin_page(request: Request, token: str) -> HTMLResponse:
        # a GET never uses the link: chat apps fetch links to preview them
        return render(request, "signin.html", {"token": token})

    @router.post("/signin/{token}")
    def signin(request: Request, token: str) -> Response:
        try:
            session = dash.sign_in(core, token)
        except NotAllowed as exc:
            return render(
                request,
                "message.html",
                {"title": "Link not valid", "message": str(exc)},
                status=403,
            )
        response = RedirectResponse("/dash/", status_code=303, headers=NO_STORE)
        response.set_cookie(
            COOKIE,
            session_cookie(core.settings.secret_key, session),
            max_age=int((session.expires_at - core.clock.now()).total_seconds()),
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        )
        return response

    @router.post("/signout")
    def signout(request: Request) -> Response:
        session = session_of(core, request)
        if session is not None:
            dash.end_session(core, session)
        response = render(
            request,
            "message.html",
            {
                "title": "Signed out",
                "message": 'You are signed out. Type "dashboard" to Staffbot for a new link.',
            },
        )
        response.delete_cookie(COOKIE, path="/")
        return response

    # ---- pages -------------------------------------------------------------------------------
    @router.get("/")
    def home(request: Request) -> Response:
        v = viewed(core, request, lambda s: dash.landing(core, s))
        if v.data is None:  # staff: their own record
            return RedirectResponse(f"/dash/people/{v.scope.person_id}", status_code=303)
        return render(request, "overview.html", {"o": v.data, "api": "/api/v1/overview"}, v.scope)

    @router.get("/homes/{home_id}")
    def home_overview(request: Request, home_id: int) -> HTMLResponse:
        v = viewed(core, request, lambda s: dash.overview(core, s, home_id))
        return render(
            request,
            "overview.html",
            {"o": v.data, "api": f"/api/v1/overview?home_id={home_id}"},
            v.scope,
        )

    @router.get("/homes/{home_id}/ranking")
    def ranking(
        request: Request,
        home_id: int,
        day: Annotated[date | None, Query(alias="date")] = None,
        shift_type: str = "night",
        role: str = "RN",
        profile: str | None = None,
    ) -> HTMLResponse:
        day = day or core.today()
        v = viewed(
            core,
            request,
            lambda s: dash.ranking(core, s, home_id, day, shift_type, role, profile),
        )
        query = f"date={day.isoformat()}&shift_type={shift_type}&role={role}"
        if profile:
            query += f"&profile={profile}"
        return ranking_page(request, v, f"/api/v1/homes/{home_id}/ranking?{query}")

    @router.get("/requests/{request_id}")
    def request_page(request: Request, request_id: int) -> HTMLResponse:
        v = viewed(core, request, lambda s: dash.request_detail(core, s, request_id))
        return render(
            request, "request.html", {"q": v.data, "api": f"/api/v1/requests/{request_id}"}, v.scope
        )

    @router.get("/requests/{request_id}/ranking")
    def request_ranking(request: Request, request_id: int) -> HTMLResponse:
        v = viewed(core, request, lambda s: dash.request_ranking(core, s, request_id))
        return ranking_page(request, v, f"/api/v1/requests/{request_id}/ranking")

    @router.get("/fairness")
    def fairness(
        request: Request,
        days: Annotated[int, Query(ge=30, le=365)] = 90,
        home_id: int | None = None,
    ) -> HTMLResponse:
        v = viewed(core, request, lambda s: dash.fairness(core, s, days, home_id, homes=True))
        query = f"days={days}" + (f"&home_id={home_id}" if home_id else "")
        return render(
            request,
            "fairness.html",
            {"f": v.data, "choices": list(v.homes), "api": f"/api/v1/fairness?{query}"},
            v.scope,
        )

    @router.get("/people/{person_id}")
    def person(
        request: Request, person_id: int, days: Annotated[int, Query(ge=7, le=730)] = 90
    ) -> HTMLResponse:
        v = viewed(core, request, lambda s: dash.person_record(core, s, person_id, days))
        return render(
            request,
            "person.html",
            {"p": v.data, "api": f"/api/v1/people/{person_id}?days={days}"},
            v.scope,
        )

    @router.get("/homes/{home_id}/forecast")
    def forecast(
        request: Request, home_id: int, days: Annotated[int, Query(ge=1, le=90)] = 14
    ) -> HTMLResponse:
        v = viewed(core, request, lambda s: dash.forecast(core, s, home_id, days))
        return render(
            request,
            "forecast.html",
            {"fc": v.data, "api": f"/api/v1/homes/{home_id}/forecast?days={days}"},
            v.scope,
        )

    @router.get("/homes/{home_id}/rota")
    def rota_list(request: Request, home_id: int) -> HTMLResponse:
        v = viewed(core, request, lambda s: dash.rota_drafts(core, s, home_id))
        return render(
            request,
            "rota.html",
            {"d": v.data, "api": f"/api/v1/homes/{home_id}/rota-drafts"},
            v.scope,
        )

    @router.get("/rota/{draft_id}")
    def rota_compare(request: Request, draft_id: int) -> HTMLResponse:
        v = viewed(core, request, lambda s: dash.rota_compare(core, s, draft_id))
        return render(
            request,
            "rota_compare.html",
            {"c": v.data, "api": f"/api/v1/rota-drafts/{draft_id}"},
            v.scope,
        )

    return router


def error_page(render: Renderer, request: Request, exc: DashError) -> HTMLResponse:
    titles = {
        401: "Sign in needed",
        403: "Not yours to see",
        404: "Not found",
        400: "Cannot show that",
    }
    return render(
        request,
        "message.html",
        {"title": titles.get(exc.status, "Error"), "message": exc.message},
        status=exc.status,
    )


__all__ = ["Renderer", "error_page", "page_router"]
