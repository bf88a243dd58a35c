"""Dashboards over HTTP: sign-in by one-time link, signed expiring sessions, and the same
permissions on every page and API call (a matrix over every route)."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.models import AuditEntry, Offer, OutboundMessage, Person, Unit
from core.overtime import RequestCover, overtime_fairness, request_cover
from core.signin import issue_link
from core.staffing import staffing_gaps
from core.uow import Actor

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

VG, HAWTHORN = 1, 2  # Victoria Gardens (Claire Docherty's), Hawthorn House (Stuart Aitken's)
FRIDAY = "2026-01-16"

# every dashboard route, with {home}, {person} and {request} to fill in
ROUTES = [
    "/dash/homes/{home}",
    "/dash/homes/{home}/ranking?date=2026-01-16&shift_type=night&role=RN",
    "/dash/homes/{home}/forecast",
    "/dash/fairness?home_id={home}",
    "/dash/people/{person}",
    "/dash/requests/{request}",
    "/dash/requests/{request}/ranking",
    "/api/v1/overview?home_id={home}",
    "/api/v1/homes/{home}/ranking?date=2026-01-16&shift_type=night&role=RN",
    "/api/v1/homes/{home}/forecast",
    "/api/v1/fairness?home_id={home}",
    "/api/v1/people/{person}",
    "/api/v1/requests/{request}",
    "/api/v1/requests/{request}/ranking",
    "/dash/homes/{home}/rota",
    "/dash/rota/{draft}",
    "/api/v1/homes/{home}/rota-drafts",
    "/api/v1/rota-drafts/{draft}",
]
UNSCOPED = [
    "/dash/",
    "/dash/fairness",
    "/api/v1/me",
    "/api/v1/overview",
    "/api/v1/fairness",
    "/api/openapi.json",
    "/api/docs",
]


def person_id(core, name: str) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(Person.id).where(Person.full_name == name))


def first_staff(core, home_id: int) -> int:
    with core.uow() as uow:
        return uow.session.scalar(
            select(Person.id)
            .where(Person.home_id == home_id, Person.kind == "staff")
            .order_by(Person.id)
        )


@pytest.fixture
def app(demo_forecast_core):
    from bot.web import create_app

    return create_app(demo_forecast_core)


@pytest.fixture
def core(demo_forecast_core):
    return demo_forecast_core


def open_requests(core) -> dict[int, int]:
    """One open overtime request at each of two homes: {home_id: request id}."""
    ids = {}
    for home in (VG, HAWTHORN):
        with core.uow() as uow:  # a real gap at that home in the coming week
            gap = staffing_gaps(
                uow.session,
                core.today() + timedelta(days=1),
                core.today() + timedelta(days=7),
                frozenset({home}),
            )[-1]
        result = request_cover(
            core,
            RequestCover(home_id=home, date=gap.date, shift_type=gap.shift_type, role=gap.role),
            Actor.system("test"),
        )
        assert result.request is not None, (home, gap)
        ids[home] = result.request.id
    return ids


def sign_in(app, core, name: str) -> TestClient:
    client = TestClient(app)
    with core.uow() as uow:
        link = issue_link(uow, person_id(core, name), Actor.system("test"), "cli")
        uow.commit()
    response = client.post(f"/dash/signin/{link.token}", follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def fill(route: str, home: int, person: int, request: int, draft: int = 0) -> str:
    return route.format(home=home, person=person, request=request, draft=draft)


def make_drafts(core) -> dict[int, int]:
    """A three-day draft rota (core.rota) at each of two homes: {home_id: draft ref}."""
    from core.rota.service import generate

    return {
        home: generate(
            core, home, date(2026, 1, 19), date(2026, 1, 21), Actor.system("test"), time_limit=10
        )["ref"]
        for home in (VG, HAWTHORN)
    }


# ---- signing in -------------------------------------------------------------------------------


def test_a_link_signs_in_once_and_the_page_shows_the_managers_home(app, core):
    client = TestClient(app)
    with core.uow() as uow:
        link = issue_link(uow, person_id(core, "Claire Docherty"), Actor.system("test"), "cli")
        uow.commit()
    # opening the link (as a chat app's preview would) does not use it
    page = client.get(f"/dash/signin/{link.token}")
    assert page.status_code == 200 and "Sign in" in page.text
    response = client.post(f"/dash/signin/{link.token}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/dash/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    overview = client.get("/dash/")
    assert overview.status_code == 200
    assert "<h1>Victoria Gardens</h1>" in overview.text
    assert "Hawthorn House" not in overview.text
    # the same link a second time, in another browser: refused
    again = TestClient(app).post(f"/dash/signin/{link.token}", follow_redirects=False)
    assert again.status_code == 403 and "already been used" in again.text
    with core.uow() as uow:
        actions = list(
            uow.session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "dash_link"))
        )
    assert actions == ["dash.link_issued", "dash.signed_in"]


def test_links_expire_and_sessions_expire(app, core):
    client = TestClient(app)
    with core.uow() as uow:
        stale = issue_link(uow, person_id(core, "Graham Kerr"), Actor.system("test"), "cli")
        uow.commit()
    core.clock.advance(timedelta(minutes=31))
    assert client.post(f"/dash/signin/{stale.token}").status_code == 403
    signed_in = sign_in(app, core, "Graham Kerr")
    assert signed_in.get("/api/v1/me").json()["all_homes"] is True
    core.clock.advance(timedelta(hours=11, minutes=59))
    assert signed_in.get("/api/v1/me").status_code == 200
    core.clock.advance(timedelta(minutes=2))
    assert signed_in.get("/api/v1/me").status_code == 401


def test_signing_out_ends_the_session_even_for_a_copied_cookie(app, core):
    client = sign_in(app, core, "Claire Docherty")
    copied = client.cookies.get("staffbot_dash")
    assert client.post("/dash/signout").status_code == 200
    thief = TestClient(app)
    thief.cookies.set("staffbot_dash", copied)
    assert thief.get("/api/v1/me").status_code == 401


def test_a_forged_cookie_is_refused(app, core):
    client = sign_in(app, core, "Claire Docherty")
    value = client.cookies.get("staffbot_dash")
    person, link, expires, mac = value.split(".")
    head = person_id(core, "Graham Kerr")
    forged = TestClient(app)
    forged.cookies.set("staffbot_dash", f"{head}.{link}.{expires}.{mac}")
    assert forged.get("/api/v1/me").status_code == 401
    forged.cookies.set("staffbot_dash", f"{person}.{link}.{int(expires) + 86400}.{mac}")
    assert forged.get("/api/v1/me").status_code == 401


# ---- nothing answers without a session ---------------------------------------------------


def test_every_route_refuses_without_a_session(app, core):
    requests = open_requests(core)
    drafts = make_drafts(core)
    anonymous = TestClient(app)
    paths = UNSCOPED + [
        fill(r, VG, first_staff(core, VG), requests[VG], drafts[VG]) for r in ROUTES
    ]
    # also every GET route the app has under /dash/ and /api/ (so a new one cannot slip by)
    declared = {getattr(r, "path", "") for r in app.routes}
    dash_routes = {p for p in declared if p.startswith(("/dash", "/api"))}
    covered = {re.sub(r"\?.*", "", p) for p in paths}
    templated = {re.sub(r"\{\w+\}", "X", p) for p in dash_routes}
    concrete = {re.sub(r"/\d+", "/X", p) for p in covered}
    missing = {
        p for p in templated if p not in concrete and "signin" not in p and "signout" not in p
    }
    assert not missing, f"routes the matrix does not cover: {missing}"
    for path in paths:
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert "Victoria Gardens" not in response.text, path
    # a malformed query is no way round it
    assert anonymous.get("/api/v1/homes/1/ranking?date=nonsense").status_code == 401
    assert anonymous.get("/openapi.json").status_code == 404
    assert anonymous.get("/docs").status_code == 404


# ---- the permission matrix ------------------------------------------------------------------


def test_a_manager_sees_their_own_home_and_nothing_of_another(app, core):
    requests = open_requests(core)
    drafts = make_drafts(core)
    claire = sign_in(app, core, "Claire Docherty")
    own = (VG, first_staff(core, VG), requests[VG], drafts[VG])
    other = (HAWTHORN, first_staff(core, HAWTHORN), requests[HAWTHORN], drafts[HAWTHORN])
    for route in ROUTES:
        mine = claire.get(fill(route, *own))
        assert mine.status_code == 200, (route, mine.text[:300])
        theirs = claire.get(fill(route, *other))
        assert theirs.status_code == 403, route
        assert "Hawthorn House" not in theirs.text, route
    # the unscoped pages show her home only
    assert [h["name"] for h in claire.get("/api/v1/me").json()["homes"]] == ["Victoria Gardens"]
    homes = {h["name"] for h in claire.get("/api/v1/fairness").json()["homes"]}
    assert homes == {"Victoria Gardens"}


def test_the_head_of_service_sees_every_home(app, core):
    requests = open_requests(core)
    drafts = make_drafts(core)
    graham = sign_in(app, core, "Graham Kerr")
    for home in (VG, HAWTHORN):
        for route in ROUTES:
            staff = first_staff(core, home)
            response = graham.get(fill(route, home, staff, requests[home], drafts[home]))
            assert response.status_code == 200, route
    overview = graham.get("/api/v1/overview").json()
    assert len(overview["homes"]) == 5 and overview["scope"] == "group"
    page = graham.get("/dash/").text
    assert "<h1>All homes</h1>" in page
    for home in overview["homes"]:
        assert f'<a href="/dash/homes/{home["id"]}">{home["name"]}</a>' in page


def test_staff_see_only_their_own_record(app, core):
    requests = open_requests(core)
    sarah_id = person_id(core, "Sarah MacKenzie")
    sarah = sign_in(app, core, "Sarah MacKenzie")
    landing = sarah.get("/dash/", follow_redirects=False)
    assert landing.status_code == 303 and landing.headers["location"] == f"/dash/people/{sarah_id}"
    own = sarah.get(f"/dash/people/{sarah_id}")
    assert own.status_code == 200 and "Sarah MacKenzie" in own.text
    assert sarah.get(f"/api/v1/people/{sarah_id}").json()["name"] == "Sarah MacKenzie"
    colleague = person_id(core, "Jennifer Ross")
    for route in ROUTES:
        response = sarah.get(fill(route, VG, colleague, requests[VG], 1))
        assert response.status_code == 403, route
    for path in ("/api/v1/overview", "/api/v1/fairness", "/dash/fairness"):
        assert sarah.get(path).status_code == 403, path


# ---- what the pages say --------------------------------------------------------------------


def test_overview_shows_open_outreach_live_and_the_gaps(app, core):
    requests = open_requests(core)
    claire = sign_in(app, core, "Claire Docherty")
    data = claire.get("/api/v1/overview").json()
    assert data["home"] == "Victoria Gardens"
    [open_one] = data["open_outreach"]
    assert open_one["id"] == requests[VG] and open_one["waiting"] == open_one["asked"] > 0
    assert any(
        g["date"] == FRIDAY and g["shift_type"] == "night" and g["role"] == "RN"
        for g in data["gaps"]["rows"]
    )  # the demo's RN night gap on D+2
    assert sum(d["short"] for d in data["gaps"]["by_day"]) == data["gaps"]["total"]
    for window in data["fill"]:
        decided = window["filled"] + window["unfilled"] + window["agency"]
        assert window["fill_rate"] == round(window["filled"] / decided, 3)
    assert data["agency"][0]["cost"] == sum(r["cost"] for r in data["agency"][0]["by_role"])
    page = claire.get("/dash/").text
    assert f"OT{requests[VG]}" in page and "waiting on" in page
    # top responders: the most YESes in 90 days at her home, counted from the offers
    since = core.clock.now() - timedelta(days=90)
    with core.uow() as uow:
        yeses = Counter(
            uow.session.scalars(
                select(Offer.person_id)
                .join(Person, Person.id == Offer.person_id)
                .where(
                    Person.home_id == VG, Offer.response == "ACCEPTED", Offer.contacted_at >= since
                )
            )
        )
    top = data["top_responders"]
    assert [t["accepted"] for t in top] == sorted(yeses.values(), reverse=True)[: len(top)]
    assert all(yeses[t["person_id"]] == t["accepted"] for t in top)
    detail = claire.get(f"/api/v1/requests/{requests[VG]}").json()
    assert detail["status"] == "PENDING" and len(detail["offers"]) == open_one["asked"]


def test_ranking_breaks_each_score_down_and_says_why_others_are_left_out(app, core):
    claire = sign_in(app, core, "Claire Docherty")
    data = claire.get(
        f"/api/v1/homes/{VG}/ranking", params={"date": FRIDAY, "shift_type": "night", "role": "RN"}
    ).json()
    names = [c["name"] for c in data["eligible"]]
    assert "Sarah MacKenzie" in names  # opted in, all homes, nights
    for c in data["eligible"]:
        assert abs(sum(p["points"] for p in c["components"]) - c["score"]) < 0.3
        assert all(p["why"] for p in c["components"])
    scores = [c["score"] for c in data["eligible"]]
    assert scores == sorted(scores, reverse=True)
    fiona = next(x for x in data["excluded"] if x["name"] == "Fiona Grant")
    assert fiona["reasons"][0]["code"] == "day_kind"  # weekends only; Friday is a weekday
    page = claire.get(f"/dash/homes/{VG}/ranking?date={FRIDAY}&shift_type=night&role=RN").text
    assert "Fiona Grant" in page and "only does weekends" in page


def test_fairness_figures_match_the_overtime_report_and_flag_against_the_mean(app, core):
    graham = sign_in(app, core, "Graham Kerr")
    data = graham.get("/api/v1/fairness", params={"days": 180}).json()
    with core.uow() as uow:
        report = overtime_fairness(uow.session, core.today(), 180)
    assert data["gini"] == round(report.gini, 3)
    assert data["willing_staff"] == report.willing == len(data["people"])
    mean = data["total_hours"] / data["willing_staff"]
    for p in data["people"]:
        expected = (
            "over" if p["hours"] >= 1.5 * mean else "under" if p["hours"] <= 0.5 * mean else None
        )
        assert p["flag"] == expected, p
    assert data["over_used"] == sum(p["flag"] == "over" for p in data["people"])
    assert graham.get("/api/v1/fairness", params={"days": 20}).status_code == 400
    assert graham.get("/dash/fairness?days=400").status_code == 400


def test_a_persons_record_counts_their_offers_and_hours(app, core):
    graham = sign_in(app, core, "Graham Kerr")
    sarah_id = person_id(core, "Sarah MacKenzie")
    data = graham.get(f"/api/v1/people/{sarah_id}", params={"days": 365}).json()
    answers = data["answers_in_window"]
    assert sum(answers.values()) == len(data["offers_in_window"])
    assert data["offers"] >= len(data["offers_in_window"])
    timed = [
        o["response_minutes"] for o in data["offers_in_window"] if o["response_minutes"] is not None
    ]
    assert all(m >= 0 for m in timed)
    assert len(data["hours_by_month"]) == 13
    mark = graham.get(f"/api/v1/people/{person_id(core, 'Mark Stevens')}").json()
    assert mark["overtime_shifts"] == 0  # never worked overtime yet


def test_forecast_page_has_history_band_and_rota_per_unit(app, core):
    claire = sign_in(app, core, "Claire Docherty")
    data = claire.get(f"/api/v1/homes/{VG}/forecast").json()
    assert data["has_forecast"] and data["units"]
    for unit in data["units"]:
        assert len(unit["history"]) == 56 and len(unit["forecast"]) == 14
        assert all(r["lower"] <= r["prediction"] <= r["upper"] for r in unit["forecast"])
    page = claire.get(f"/dash/homes/{VG}/forecast").text
    assert page.count("<svg") == len(data["units"])


def test_openapi_schema_and_docs_page_behind_the_session(app, core):
    claire = sign_in(app, core, "Claire Docherty")
    schema = claire.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/people/{person_id}" in schema["paths"]
    assert "/api/v1/homes/{home_id}/ranking" in schema["paths"]
    docs = claire.get("/api/docs")
    assert docs.status_code == 200 and "/api/v1/fairness" in docs.text
    assert "cdn" not in docs.text.lower()


def test_pages_are_not_cached_and_run_no_scripts(app, core):
    claire = sign_in(app, core, "Claire Docherty")
    response = claire.get("/dash/")
    assert "no-store" in response.headers["cache-control"]
    assert "script-src" not in response.headers["content-security-policy"]
    assert "<script" not in response.text


# ---- asking in chat -----------------------------------------------------------------------


def test_dash_link_in_chat_gives_a_working_link_to_the_asker_only(app, core):
    from bot.conversation.service import Conversation

    sarah_id = person_id(core, "Sarah MacKenzie")
    reply = Conversation(core).run_intent(sarah_id, "sms", "dash.link", {})
    url = re.search(r"https?://\S+/dash/signin/\S+", reply.sms).group(0)
    assert "works once" in reply.sms
    token = url.rsplit("/", 1)[1]
    client = TestClient(app)
    assert client.post(f"/dash/signin/{token}", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me").json()["name"] == "Sarah MacKenzie"
    claire = person_id(core, "Claire Docherty")
    manager = Conversation(core).run_intent(claire, "slack", "dash.link", {})
    # in Slack the link goes by direct message, never into the (maybe shared) conversation
    assert "by direct message" in manager.text and "/dash/signin/" not in manager.text
    with core.uow() as uow:
        [dm] = uow.session.scalars(
            select(OutboundMessage).where(
                OutboundMessage.person_id == claire, OutboundMessage.kind == "text"
            )
        ).all()
        text = dm.payload["text"]
    assert str(dm.channel) == "slack" and "your home's dashboards" in text
    token = re.search(r"/dash/signin/(\S+)", text).group(1)
    browser = TestClient(app)
    assert browser.post(f"/dash/signin/{token}", follow_redirects=False).status_code == 303
    assert browser.get("/api/v1/me").json()["name"] == "Claire Docherty"


def test_a_draft_rota_beside_the_current_one(app, core):
    drafts = make_drafts(core)
    claire = sign_in(app, core, "Claire Docherty")
    listed = claire.get(f"/api/v1/homes/{VG}/rota-drafts").json()
    assert [d["ref"] for d in listed["drafts"]] == [drafts[VG]]
    data = claire.get(f"/api/v1/rota-drafts/{drafts[VG]}").json()
    assert data["days"] == ["2026-01-19", "2026-01-20", "2026-01-21"]
    for row in data["rows"]:
        assert set(row["added"]) == set(row["draft"]) - set(row["current"])
        assert set(row["removed"]) == set(row["current"]) - set(row["draft"])
    assert data["changed"] == sum(1 for r in data["rows"] if r["added"] or r["removed"])
    assert {m["measure"] for m in data["measures"]} >= {"cost", "short"}
    page = claire.get(f"/dash/rota/{drafts[VG]}").text
    assert f"Draft rota {drafts[VG]} beside the current rota" in page


def test_every_api_answer_matches_its_published_schema(app, core):
    from bot.dash import schemas

    requests = open_requests(core)
    drafts = make_drafts(core)
    graham = sign_in(app, core, "Graham Kerr")
    sarah = person_id(core, "Sarah MacKenzie")
    ranking = "date=2026-01-16&shift_type=night&role=RN"
    calls = {
        "/api/v1/me": schemas.Me,
        "/api/v1/overview": schemas.Overview,
        f"/api/v1/overview?home_id={VG}": schemas.Overview,
        f"/api/v1/homes/{VG}/ranking?{ranking}": schemas.Ranking,
        f"/api/v1/requests/{requests[VG]}": schemas.RequestDetail,
        f"/api/v1/requests/{requests[VG]}/ranking": schemas.Ranking,
        "/api/v1/fairness?days=365": schemas.Fairness,
        f"/api/v1/people/{sarah}?days=365": schemas.PersonRecord,
        f"/api/v1/homes/{VG}/forecast": schemas.Forecast,
        f"/api/v1/homes/{VG}/rota-drafts": schemas.RotaDrafts,
        f"/api/v1/rota-drafts/{drafts[VG]}": schemas.RotaCompare,
    }
    spec = graham.get("/api/openapi.json").json()
    for path, model in calls.items():
        response = graham.get(path)
        assert response.status_code == 200, path
        model.model_validate(response.json())  # raises on a missing or mistyped field
        assert model.__name__ in spec["components"]["schemas"]
    refused = TestClient(app).get("/api/v1/me")
    schemas.Error.model_validate(refused.json())


def test_the_overviews_gap_count_agrees_with_the_staffing_core(core):
    from core.dashboards.gaps import gaps_between

    today = core.today()
    with core.uow() as uow:
        for homes in (frozenset({VG}), frozenset({HAWTHORN}), frozenset(range(1, 6))):
            for days in (0, 6, 27):
                end = today + timedelta(days=days)
                expected = staffing_gaps(uow.session, today, end, homes)
                assert gaps_between(uow.session, today, end, homes) == expected
        assert staffing_gaps(uow.session, today, today + timedelta(days=27))  # not vacuous


def test_the_forecast_pages_history_is_the_tail_of_the_demand_history(core):
    from core.dashboards.views import recent_demand
    from core.forecasting import demand_history

    today = core.today()
    with core.uow() as uow:
        units = list(uow.session.scalars(select(Unit.id)))
        full = demand_history(uow.session, units, until=today)
        for days in (7, 56, 400):
            assert recent_demand(uow.session, units, today, days) == {
                u: full[u][-days:] for u in units
            }
        assert all(full[u] for u in units)  # not vacuous


def test_agency_cost_is_the_cost_recorded_with_the_booking(app, core):
    """An agency booking made with its cost (agency.book) shows that cost on the overview once
    the shift has been worked, not an estimate from the role's usual rate."""
    from core.models import CoverageRequest
    from core.overtime import book_agency
    from core.overtime.commands import BookAgency

    summary = book_agency(
        core,
        BookAgency(
            agency="Carewatch",
            cost=321.5,
            home_id=VG,
            date=date.fromisoformat(FRIDAY),
            shift_type="night",
            role="RN",
        ),
        Actor.system("test"),
    )
    core.clock.advance(timedelta(days=3))  # Friday night has been worked
    claire = sign_in(app, core, "Claire Docherty")

    def rn_cost() -> dict:
        window = claire.get("/api/v1/overview").json()["agency"][0]
        return next(r for r in window["by_role"] if r["role"] == "RN")

    recorded = rn_cost()
    with core.uow() as uow:  # the same booking without a recorded cost: the estimate
        uow.session.get(CoverageRequest, summary.id).agency_cost = None
        uow.commit()
    estimated = rn_cost()
    night_hours = 10
    assert recorded["shifts"] == estimated["shifts"] >= 1
    assert recorded["cost"] == round(estimated["cost"] - night_hours * estimated["rate"] + 321.5, 2)
