"""Forecasts and training in chat: ``forecast.show``, the forecast sentence of a gaps question
about a future day ("will we be short on Monday?"), and ``training.expiring``, through the
real parser, router and handlers against the demo organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.conversation.service import Conversation
from core.alerts import training_expiring
from core.forecasting import forecast_for, unit_days_at_risk
from core.models import AuditEntry, Home, Person
from tests.conftest import DEMO_TODAY, make_core
from tests.integration.test_alerts import vg_forecast_template, vg_forecast_url  # noqa: F401

MONDAY = DEMO_TODAY + timedelta(days=5)


def ids(core) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with core.uow() as uow:
        return dict(uow.session.execute(select(Person.full_name, Person.id)).all())


def fits(core) -> int:  # type: ignore[no-untyped-def]
    with core.uow() as uow:
        return (
            uow.session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "forecast.fitted")
            )
            or 0
        )


@pytest.fixture
def stored(vg_forecast_url):  # noqa: F811 - the fixture imported above
    """The demo with Victoria Gardens' forecasts already stored (nightly fit)."""
    core = make_core(vg_forecast_url)
    yield core
    core.engine.dispose()


def ask(core, name: str, text: str, channel: str = "console"):  # type: ignore[no-untyped-def]
    return Conversation(core).handle(ids(core)[name], channel, text)


def test_forecast_next_week_reads_the_stored_forecast_against_the_rota(stored):
    before = fits(stored)
    reply = ask(stored, "Claire Docherty", "forecast next week")
    assert reply.kind == "forecast"
    assert reply.text.startswith("Forecast for Victoria Gardens, Mon 19 Jan to Sun 25 Jan")
    days = reply.data["days"]
    assert [d["date"] for d in days] == [(MONDAY + timedelta(days=i)).isoformat() for i in range(7)]
    assert {d["home"] for d in days} == {"Victoria Gardens"}
    with stored.uow() as uow:
        vg = uow.session.scalars(select(Home.id).where(Home.name == "Victoria Gardens")).one()
        rows = forecast_for(uow.session, {vg}, MONDAY, MONDAY + timedelta(days=6))
    threshold = stored.settings.alert_forecast_threshold
    for d in days:  # each day's flag: the alert's rule, expected demand 2+ above the rota
        unit_rows = [r for r in rows if r.date.isoformat() == d["date"]]
        assert d["rostered"] == sum(r.rostered for r in unit_rows)
        assert d["at_risk"] == any(r.prediction - r.rostered >= threshold for r in unit_rows)
        assert d["prediction"] == sum(r.prediction for r in unit_rows)
    assert len(reply.data["rows"]) == len(rows)
    at_risk = [d for d in days if d["at_risk"]]
    assert reply.data["days_at_risk"] == len(at_risk)
    if at_risk:
        assert f"At risk on {len(at_risk)} of 7 days" in reply.text
        assert "at risk: about" in reply.text
        assert reply.sms.startswith(
            "Forecast Mon 19 Jan to Sun 25 Jan, Victoria Gardens: "
            f"at risk on {len(at_risk)} of 7 days"
        )
    else:
        assert "No day at risk (expected demand 2 shifts or more above the rota)." in reply.text
        assert "at risk:" not in reply.text
    assert "\n" not in reply.sms
    assert len(reply.sms) <= 160
    assert "chart_png" not in reply.data  # only Slack gets a chart
    assert fits(stored) == before  # read, not refitted


def test_forecast_defaults_to_the_next_seven_days_and_only_managers_may_ask(stored):
    reply = ask(stored, "Claire Docherty", "what's the forecast?")
    assert reply.kind == "forecast"
    assert reply.data["from"] == DEMO_TODAY.isoformat()
    assert reply.data["to"] == (DEMO_TODAY + timedelta(days=6)).isoformat()
    refused = ask(stored, "Sarah MacKenzie", "forecast next week")
    assert refused.kind == "refused" and "managers" in refused.text
    other = ask(stored, "Claire Docherty", "forecast for Hawthorn House next week")
    assert other.kind == "refused"


def test_chat_never_waits_for_a_fit_with_nothing_stored_it_says_not_ready(demo_url):
    core = make_core(demo_url)
    try:
        reply = ask(core, "Claire Docherty", "forecast for tomorrow")
        assert reply.kind == "forecast" and "not ready yet" in reply.text
        gaps = ask(core, "Claire Docherty", "will we be short on Monday?")
        assert "not ready yet" in gaps.text.split("\n")[1]
        assert fits(core) == 0  # the nightly job fits; chat only reads
    finally:
        core.engine.dispose()


def test_will_we_be_short_on_monday_answers_with_the_gaps_and_the_forecast(stored):
    reply = ask(stored, "Claire Docherty", "will we be short on Monday?")
    assert reply.kind == "gaps"  # the parser's staffing.gaps, for a future day
    first, note = reply.text.split("\n")
    assert "Mon 19 Jan" in first
    with stored.uow() as uow:
        vg = uow.session.scalars(select(Home.id).where(Home.name == "Victoria Gardens")).one()
        rows = forecast_for(uow.session, {vg}, MONDAY, MONDAY)
    risky = unit_days_at_risk(rows, stored.settings.alert_forecast_threshold)
    expected = (
        "Forecast for Mon 19 Jan: at risk, about "
        if risky
        else "Forecast for Mon 19 Jan: not at risk"
    )
    assert note.startswith(expected)
    assert f"{sum(r.rostered for r in rows)} rostered" in note
    for r in risky:
        assert f"{r.unit} {round(r.prediction - r.rostered)}" in note
    assert "Forecast" in reply.sms and len(reply.sms) <= 300
    # today is no future day: no forecast sentence
    today = ask(stored, "Claire Docherty", "who's short today?")
    assert "Forecast" not in today.text


def test_a_question_over_homes_not_all_fitted_yet_says_not_ready(stored):
    before = fits(stored)
    reply = ask(stored, "Graham Kerr", "will we be short on Monday?")
    assert "not ready yet" in reply.text.split("\n")[1]
    assert fits(stored) == before


def test_training_expiring_is_scoped_to_the_managers_homes(stored):
    reply = ask(stored, "Claire Docherty", "whose training expires in the next 30 days?")
    assert reply.kind == "training"
    with stored.uow() as uow:
        vg = uow.session.scalars(select(Home.id).where(Home.name == "Victoria Gardens")).one()
        due = training_expiring(uow.session, {vg}, DEMO_TODAY, DEMO_TODAY + timedelta(days=30))
        everywhere = training_expiring(
            uow.session, None, DEMO_TODAY, DEMO_TODAY + timedelta(days=14)
        )
    assert due and [d["name"] for d in reply.data] == [d.name for d in due]
    assert {d["home"] for d in reply.data} == {"Victoria Gardens"}
    assert reply.text.startswith(
        f"{len(due)} training renewals due at Victoria Gardens by Fri 13 Feb"
    )
    assert "Already lapsed:" in reply.text
    graham = ask(stored, "Graham Kerr", "training expiring in the next 14 days")
    assert len(graham.data) == len(everywhere)
    assert len({d["home"] for d in graham.data}) > 1
    assert ask(stored, "Sarah MacKenzie", "training expiring").kind == "refused"


def test_on_slack_the_forecast_carries_a_chart_and_renders_as_blocks(stored):
    from bot.bootstrap import standard_registry
    from bot.slack.blocks import reply_blocks as blocks_of

    views = standard_registry().reply_views

    def reply_blocks(reply):
        return blocks_of(reply, views=views)

    reply = ask(stored, "Claire Docherty", "forecast next week", channel="slack")
    png = reply.data["chart_png"]
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    assert reply.data["chart_title"].startswith("Forecast for Victoria Gardens")
    blocks = reply_blocks(reply)
    assert blocks[0]["type"] == "header" and "Victoria Gardens" in blocks[0]["text"]["text"]
    flagged = sum(d["at_risk"] for d in reply.data["days"])
    assert str(blocks).count(":warning:") == flagged and "rostered" in str(blocks)
    assert str(blocks).count(":white_check_mark:") == len(reply.data["days"]) - flagged
    gaps = ask(stored, "Claire Docherty", "will we be short on Monday?", channel="slack")
    shown = str(reply_blocks(gaps))
    assert "Forecast for Mon 19 Jan" in shown  # the note survives the gaps view


def test_chat_and_the_forecast_alert_call_the_same_days_at_risk(demo_forecast_core):
    """One rule in the core: the days an answer flags are exactly the days the scheduled
    forecast alert would report, home by home, at the alert's own threshold."""
    from core.alerts.reports import forecast_alert

    core = demo_forecast_core
    reply = ask(core, "Graham Kerr", "forecast next week")
    chat_days = {(d["home"], d["date"]) for d in reply.data["days"] if d["at_risk"]}
    alert_days = set()
    with core.uow() as uow:
        for home in uow.session.scalars(select(Home).order_by(Home.id)):
            payload, stored_any = forecast_alert(
                uow.session,
                home.id,
                MONDAY,
                MONDAY + timedelta(days=6),
                core.settings.alerts.forecast_threshold,
            )
            assert stored_any
            alert_days |= {(home.name, r["date"]) for r in (payload or {}).get("days", [])}
    assert chat_days == alert_days
    # and the sentence a gaps answer adds names those days, and only says "at risk" then
    gaps = ask(core, "Graham Kerr", "will we be short next week?")
    note = gaps.text.split("\n")[1]
    if chat_days:
        days = len({d for _, d in chat_days})
        assert note.startswith("Forecast: at risk") and f"on {days} of 7 days" in note
    else:
        assert note.startswith("Forecast: no day at risk")


def test_a_higher_threshold_quiets_answers_and_alert_alike(demo_forecast_url):
    core = make_core(demo_forecast_url, alert_forecast_threshold=50)
    try:
        reply = ask(core, "Graham Kerr", "forecast next week")
        assert reply.data["days_at_risk"] == 0 and "No day at risk" in reply.text
        gaps = ask(core, "Graham Kerr", "will we be short next week?")
        assert "no day at risk" in gaps.text.split("\n")[1]
    finally:
        core.engine.dispose()
