"""Every eligibility rule, one case each, with the reason it gives (what ot.rank shows).

The baseline is Sarah MacKenzie (RN, Victoria Gardens, opted in for nights and lates at any
home, kept free by the demo on D+1..D+3) for the RN night on Friday 16 January there."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from core.models import Person
from core.overtime import evaluate, rank_shift, settings_for, shift_spec
from tests.conftest import DEMO_TODAY, local
from tests.integration.test_overtime_support import (
    FRIDAY,
    add_leave,
    add_offers,
    add_shift,
    add_sickness,
    clear_absences,
    friday_night,
    home_id,
    ids,
    ot_core,
)


def reasons(
    core, name, home="Victoria Gardens", day=FRIDAY, shift="night", role="RN", request_id=None
):
    pid = ids(core)[name]
    with core.uow() as uow:
        spec = shift_spec(
            uow.session, core.zone, home_id(core, home), day, shift, role, request_id=request_id
        )
        found = evaluate(
            uow.session, spec, uow.now(), settings_for(core), core.zone, person_ids=[pid]
        )
    assert len(found) == 1
    return {r.code: r.text for r in found[0].reasons}


@pytest.fixture
def core(demo_url):
    core = ot_core(demo_url)
    people = ids(core)
    clear_absences(
        core,
        [people["Sarah MacKenzie"], people["David Wilson"]],
        FRIDAY - timedelta(days=1),
        FRIDAY + timedelta(days=1),
    )
    yield core
    core.engine.dispose()


def test_baseline_is_eligible(core):
    assert reasons(core, "Sarah MacKenzie") == {}


def test_role(core):
    got = reasons(core, "Aisha Rahman", home="Riverside Court")
    assert set(got) == {"role"} and "HCA" in got["role"] and "RN" in got["role"]


def test_opted_out(core):
    got = reasons(core, "Aisha Rahman", home="Riverside Court", role="HCA", shift="late")
    assert "opted_out" in got and got["opted_out"] == "has opted out of overtime"


def test_unreachable_when_texts_are_stopped_and_no_slack(core):
    with core.uow() as uow:
        uow.session.execute(
            update(Person)
            .where(Person.full_name == "David Wilson")
            .values(sms_opted_out_at=uow.now())
        )
        uow.commit()
    assert "unreachable" in reasons(core, "David Wilson")


def test_home(core):
    got = reasons(core, "David Wilson", home="Orchard Grove")
    assert set(got) == {"home"}
    assert "Victoria Gardens" in got["home"] and "Hawthorn House" in got["home"]


def test_shift_type(core):
    got = reasons(core, "Sarah MacKenzie", shift="early")
    assert set(got) == {"shift_type"} and "nights" in got["shift_type"]


def test_day_kind(core):
    got = reasons(core, "Fiona Grant")
    assert "day_kind" in got and "weekends" in got["day_kind"]


def test_minimum_notice(core):
    core.clock.set(local(FRIDAY, "20:00"))  # 1h45 before a 21:45 start; minimum is 3h
    got = reasons(core, "Sarah MacKenzie")
    assert set(got) == {"notice"} and "minimum notice is 3h" in got["notice"]


def test_on_leave(core):
    add_leave(core, ids(core)["Sarah MacKenzie"], FRIDAY, FRIDAY)
    assert set(reasons(core, "Sarah MacKenzie")) == {"on_leave"}


def test_leave_starting_the_morning_a_night_ends(core):
    add_leave(
        core, ids(core)["Sarah MacKenzie"], FRIDAY + timedelta(days=1), FRIDAY + timedelta(days=3)
    )
    assert "on_leave" in reasons(core, "Sarah MacKenzie")


def test_off_sick(core):
    add_sickness(core, ids(core)["Sarah MacKenzie"], FRIDAY)
    assert set(reasons(core, "Sarah MacKenzie")) == {"sick"}


def test_overlapping_shift(core):
    add_shift(core, ids(core)["Sarah MacKenzie"], FRIDAY, "late")  # 14:00-22:00
    got = reasons(core, "Sarah MacKenzie")
    assert "overlap" in got and "late" in got["overlap"]


def test_rest_before(core):
    add_shift(core, ids(core)["Sarah MacKenzie"], FRIDAY, "early")  # ends 15:00
    got = reasons(core, "Sarah MacKenzie")
    assert set(got) == {"rest"}
    assert "6.8h rest after their early" in got["rest"] and "minimum 11h" in got["rest"]


def test_rest_after(core):
    add_shift(core, ids(core)["Sarah MacKenzie"], FRIDAY + timedelta(days=1), "late")
    got = reasons(core, "Sarah MacKenzie")
    assert set(got) == {"rest"} and "before their late" in got["rest"]


def test_at_most_48_hours_in_any_7_days(core):
    pid = ids(core)["Sarah MacKenzie"]
    clear_absences(core, [pid], DEMO_TODAY - timedelta(days=5), DEMO_TODAY)
    for back in (6, 5, 4, 3):  # four 12h long days Sat 10 to Tue 13 January
        add_shift(core, pid, FRIDAY - timedelta(days=back), "long_day")
    got = reasons(core, "Sarah MacKenzie")
    assert "max_hours" in got and "maximum 48h" in got["max_hours"]


def test_already_asked_for_this_request(core):
    result = friday_night(core)
    asked = {c.name for c in result.contacted}
    assert "Sarah MacKenzie" in asked
    got = reasons(core, "Sarah MacKenzie", request_id=result.request.id)
    assert set(got) == {"already_asked"}


def test_daily_offer_cap(core):
    add_offers(core, ids(core)["Sarah MacKenzie"], 3, core.clock.now() - timedelta(hours=2))
    got = reasons(core, "Sarah MacKenzie")
    assert set(got) == {"daily_cap"} and "limit 3" in got["daily_cap"]


def test_weekly_offer_cap(core):
    add_offers(core, ids(core)["Sarah MacKenzie"], 10, core.clock.now() - timedelta(days=3))
    got = reasons(core, "Sarah MacKenzie")
    assert set(got) == {"weekly_cap"} and "limit 10" in got["weekly_cap"]


def test_caps_are_configuration(core):
    add_offers(core, ids(core)["Sarah MacKenzie"], 3, core.clock.now() - timedelta(hours=2))
    from core.overtime.config import with_overtime

    core = with_overtime(core, max_offers_per_day=4)
    assert reasons(core, "Sarah MacKenzie") == {}


def test_ranking_lists_who_was_left_out_and_why(core):
    with core.uow() as uow:
        spec = shift_spec(uow.session, core.zone, home_id(core), FRIDAY, "night", "RN")
        ranking = rank_shift(uow.session, spec, uow.now(), settings_for(core), core.zone)
    left = {c.name: [r.code for r in c.reasons] for c in ranking.excluded}
    assert left["Fiona Grant"] == ["day_kind"]
    assert "shift_type" in left["Priya Nair"]
    assert "Sarah MacKenzie" in {c.name for c in ranking.eligible}
    assert ranking.other_roles > 50  # HCAs and SSWs are counted, not listed
    assert all(c.reasons for c in ranking.excluded)
