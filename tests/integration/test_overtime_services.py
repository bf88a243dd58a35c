"""The services the overtime and forecast handlers call (issues 12 and 19): each opens (or
joins) its own unit of work, makes the permission decision and returns plain values; the
handlers open none. And a YES costs few statements: an answer carries a RequestBrief, not
the whole offer list."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from core.alerts.queries import forecast_scope, home_days, stored_forecasts, training_due
from core.errors import NotAllowed
from core.forecasting import ForecastDay
from core.models import OfferResponse, Person
from core.overtime import (
    AcceptOffer,
    BookAgency,
    ChangePreferences,
    accept_offer,
    request_summary,
)
from core.overtime.agency import record_agency
from core.overtime.commands import RequestBrief
from core.overtime.preferences import preferences_of, update_preferences
from core.overtime.queries import (
    RequestQuery,
    cover_home,
    fairness_for,
    follow_requests,
    pending_requests,
    profile_for,
)
from core.overtime.status_cards import card_shown, open_cards, remember_card
from core.permissions import Scope, scope_for
from core.uow import Actor
from tests.conftest import DEMO_TODAY, requires_pg
from tests.integration.test_overtime_support import (
    FRIDAY,
    clear_absences,
    friday_night,
    home_id,
    ids,
    ot_core,
)

ROOT = Path(__file__).resolve().parents[2]
THIN = ["bot/conversation/overtime.py", "bot/conversation/forecast.py", "bot/slack/outreach.py"]
RN_POOL = ["Sarah MacKenzie", "Mark Stevens", "David Wilson", "Lucy Hamilton"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=requires_pg)])
def core(request):
    url = request.getfixturevalue("demo_url" if request.param == "sqlite" else "pg_demo_url")
    core = ot_core(url, wave_policy="fixed")
    people = ids(core)
    clear_absences(core, [people[n] for n in RN_POOL], FRIDAY, FRIDAY + timedelta(days=1))
    yield core
    core.engine.dispose()


def scope_of(core, name: str) -> Scope:
    with core.read() as uow:
        person = uow.session.scalars(select(Person).where(Person.full_name == name)).one()
        return scope_for(person)


def other_manager(core) -> Scope:
    victoria = home_id(core)
    with core.read() as uow:
        person = uow.session.scalars(
            select(Person).where(Person.kind == "manager", Person.home_id != victoria)
        ).first()
        assert person is not None
        return scope_for(person)


def test_the_handlers_open_no_unit_of_work():
    """No ``core.uow()`` / ``core.read()`` in the overtime, forecast and Slack outreach
    handlers: the core's services open (or join) them."""
    for path in THIN:
        tree = ast.parse((ROOT / path).read_text())
        calls = [
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("uow", "read")
        ]
        assert calls == [], (path, calls)


def test_cover_home_is_for_the_managers_of_that_home(core):
    claire = scope_of(core, "Claire Docherty")
    victoria = home_id(core)
    home = cover_home(core, claire, None, victoria, "request overtime cover")
    assert home is not None and (home.id, home.name) == (victoria, "Victoria Gardens")
    assert cover_home(core, claire, "victoria", None, "request overtime cover") == home
    assert cover_home(core, claire, None, None, "request overtime cover") is None
    with pytest.raises(NotAllowed, match="Only managers can request overtime cover"):
        sarah = scope_of(core, "Sarah MacKenzie")
        cover_home(core, sarah, None, victoria, "request overtime cover")
    with pytest.raises(NotAllowed, match="for your own home"):
        cover_home(core, other_manager(core), "victoria", None, "book agency cover")


def test_status_look_ups_decide_who_may_see_what(core):
    req = friday_night(core).request
    assert req is not None
    claire = scope_of(core, "Claire Docherty")
    [one] = follow_requests(core, claire, RequestQuery(ref=req.id))
    assert one.id == req.id and len(one.offers) == len(req.offers)
    assert [r.id for r in follow_requests(core, claire, RequestQuery())] == [req.id]
    assert [r.id for r in pending_requests(core, claire, "cancel overtime requests")] == [req.id]
    with pytest.raises(NotAllowed, match="requests for your own home"):
        follow_requests(core, other_manager(core), RequestQuery(ref=req.id))
    with pytest.raises(NotAllowed, match="Only managers can follow"):
        follow_requests(core, scope_of(core, "Sarah MacKenzie"), RequestQuery())
    with pytest.raises(NotAllowed, match="Only managers can cancel"):
        pending_requests(core, scope_of(core, "Sarah MacKenzie"), "cancel overtime requests")


def test_fairness_and_profiles_check_the_scope(core):
    claire = scope_of(core, "Claire Docherty")
    report = fairness_for(core, claire)
    assert report.homes == ["Victoria Gardens"] and not report.all_homes
    assert report.days == 90
    assert fairness_for(core, claire, days=30).days == 30
    with pytest.raises(NotAllowed):
        fairness_for(core, scope_of(core, "Sarah MacKenzie"))
    sarah = ids(core)["Sarah MacKenzie"]
    mine = profile_for(core, scope_of(core, "Sarah MacKenzie"), sarah)
    assert mine.name == "Sarah MacKenzie"
    assert profile_for(core, claire, claire.person_id, "Sarah MacKenzie").name == mine.name
    with pytest.raises(NotAllowed, match="your own overtime record"):
        profile_for(
            core, scope_of(core, "Mark Stevens"), ids(core)["Mark Stevens"], "Sarah MacKenzie"
        )


def test_preferences_are_read_and_changed_by_name(core):
    sarah = ids(core)["Sarah MacKenzie"]
    actor = Actor("Sarah MacKenzie", sarah)
    view = update_preferences(
        core, ChangePreferences(sarah, opted_in=True), actor, home="victoria gardens"
    )
    assert view.opted_in and view.homes == ["Victoria Gardens"]
    assert preferences_of(core, sarah) == view


def test_an_answer_carries_a_brief_with_who_holds_the_places(core):
    req = friday_night(core).request
    assert req is not None and req.offers
    first, second = req.offers[0].person_id, req.offers[1].person_id
    taken = accept_offer(core, AcceptOffer(first, req.id))
    assert taken.outcome == "accepted" and isinstance(taken.request, RequestBrief)
    with core.read() as uow:
        full = request_summary(uow.session, req.id)
    brief = taken.request
    for name in ("id", "ref", "status", "home", "unit", "date", "shift_type", "role"):
        assert getattr(brief, name) == getattr(full, name), name
    assert brief.filled == full.filled and brief.filled_by == full.filled_by
    assert brief.to_json()["filled_by"] == full.to_json()["filled_by"]
    late = accept_offer(core, AcceptOffer(second, req.id))
    assert late.outcome == "filled" and late.request is not None
    assert late.request.filled == full.filled and late.request.open_places == 0


def test_a_late_yes_runs_few_statements(core):
    """A YES to a filled request: lock the person, find the offer, lock the request and the
    offer, then two small statements for the brief (no offer list, no outbox states)."""
    req = friday_night(core).request
    assert req is not None
    people = [o.person_id for o in req.offers]
    assert accept_offer(core, AcceptOffer(people[0], req.id)).outcome == "accepted"
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(core.engine, "before_cursor_execute", count)
    try:
        late = accept_offer(core, AcceptOffer(people[1]))  # a bare YES
    finally:
        event.remove(core.engine, "before_cursor_execute", count)
    assert late.outcome == "filled"
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 6, selects
    assert not any("outbound_messages" in s for s in selects)


def test_agency_booking_says_how_many_were_told(core):
    req = friday_night(core).request
    assert req is not None
    waiting = sum(1 for o in req.offers if o.response == str(OfferResponse.SENT))
    claire = scope_of(core, "Claire Docherty")
    with pytest.raises(NotAllowed, match="Only managers can book agency cover"):
        record_agency(
            core,
            BookAgency("Carewatch", 320, ref=req.id, scope=scope_of(core, "Sarah MacKenzie")),
            Actor("Sarah MacKenzie"),
        )
    booked = record_agency(
        core,
        BookAgency("Carewatch", 320, ref=req.id, booked_by_id=claire.person_id, scope=claire),
        Actor("Claire Docherty", claire.person_id),
    )
    assert booked.told == waiting > 0 and booked.request.status == "AGENCY"


def test_status_cards_are_remembered_read_and_marked(core):
    req = friday_night(core).request
    assert req is not None
    remember_card(core, req.id, "slack", "C1", "111.1", "abc")
    remember_card(core, req.id, "slack", "C1", "111.1", "abc")  # the same post: once
    [card] = open_cards(core, "slack")
    assert card.post.fingerprint == "abc" and card.request.id == req.id
    assert card.request.offers and open_cards(core, "slack", req.id + 1000) == []
    card_shown(core, card.post.id, "def", closed=True)
    assert open_cards(core, "slack") == []


def test_the_forecast_risk_rule_adds_up_units_per_home_and_day():
    day = DEMO_TODAY + timedelta(days=1)

    def unit(name: str, uid: int, prediction: float, rostered: int) -> ForecastDay:
        return ForecastDay(day, "Home A", name, uid, prediction, prediction - 1, prediction + 1,
                           rostered, "v1")  # fmt: skip

    rows = [unit("Birch", 1, 8.0, 5), unit("Rowan", 2, 3.0, 3)]
    [d] = home_days(rows, 2.0)
    assert (d.prediction, d.rostered, d.short, d.units_short) == (11.0, 8, 3, [("Birch", 3)])
    assert d.to_json()["at_risk"] is True
    [calm] = home_days(rows, 4.0)
    assert calm.short == 0 and calm.units_short == []


def test_forecast_and_training_queries_are_managers_only(demo_forecast_core):
    core = demo_forecast_core
    claire = scope_of(core, "Claire Docherty")
    where = forecast_scope(core, claire)
    assert where.name == "Victoria Gardens" and where.home_ids is not None
    view = stored_forecasts(core, where.home_ids, DEMO_TODAY, DEMO_TODAY + timedelta(days=6))
    assert view.rows and not view.deferred
    assert view.threshold == float(core.settings.alerts.forecast_threshold)
    assert view.days == home_days(view.rows, view.threshold)
    training = training_due(core, claire, None, DEMO_TODAY, DEMO_TODAY + timedelta(days=30))
    assert training.scope == where
    assert all(i.home == "Victoria Gardens" for i in training.items)
    for ask in (
        lambda: forecast_scope(core, scope_of(core, "Sarah MacKenzie")),
        lambda: training_due(core, scope_of(core, "Sarah MacKenzie"), None, DEMO_TODAY, FRIDAY),
        lambda: forecast_scope(core, claire, "Meadowburn"),
    ):
        with pytest.raises(NotAllowed):
            ask()
