"""The core services the thin handlers call (issue 12): each opens its own unit of work and
returns plain values; inside a message's unit of work they join it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.console import writer_named
from core.conversation_queries import ask, close_question, one_message, open_question, settle
from core.conversation_state import Pending
from core.dashboards import service as dash
from core.directory import directory_names, home_id_named, home_named
from core.errors import NotAllowed, NotFound, StaffbotError
from core.glance import gaps_on, outreach_waiting, shifts_ahead, viewer_by_slack
from core.models import OvertimePreference, Person
from core.selfservice import change_preferences_as_said
from core.signin import issue_link
from core.uow import Actor


def person(core, name: str) -> int:
    with core.read() as uow:
        return int(uow.session.scalar(select(Person.id).where(Person.full_name == name)))


def test_the_open_question_is_remembered_settled_and_closed(demo_core):
    jen = person(demo_core, "Jennifer Ross")
    assert open_question(demo_core, jen) is None
    asked = Pending("slot", "leave.request", {"leave_type": "annual"}, missing="dates")
    ask(demo_core, jen, asked, None)
    assert open_question(demo_core, jen) == asked
    settle(demo_core, jen, None, asked, None)  # answered: forgotten
    assert open_question(demo_core, jen) is None
    ask(demo_core, jen, asked, 5)
    close_question(demo_core, jen)
    assert open_question(demo_core, jen) is None


def test_one_message_is_one_unit_that_the_services_join(demo_core):
    jen = person(demo_core, "Jennifer Ross")
    asked = Pending("confirm", "sickness.report", {})

    def work(uow, row):
        ask(demo_core, row.id, asked, None)  # joins: nothing is committed on its own
        assert open_question(demo_core, row.id) == asked
        raise StaffbotError("refused after a write")

    with pytest.raises(StaffbotError):
        one_message(demo_core, jen, work)
    assert open_question(demo_core, jen) is None  # the whole message rolled back
    assert one_message(demo_core, jen, lambda uow, row: row.full_name) == "Jennifer Ross"
    with pytest.raises(StaffbotError, match="Unknown person"):
        one_message(demo_core, 999_999, lambda uow, row: None)


def test_directory_names_reload_only_when_people_change(demo_core):
    names = directory_names(demo_core)
    assert names is not None and "Jennifer Ross" in names.staff and names.homes
    assert directory_names(demo_core, unless_key=names.key) is None
    assert home_named(demo_core, "hawthorne") == "Hawthorn House"
    assert home_id_named(demo_core, "victoria") == 1
    with pytest.raises(NotFound):
        home_id_named(demo_core, "Nowhere At All")


def test_preferences_as_said_shown_changed_and_refused(demo_core):
    jen = person(demo_core, "Jennifer Ross")
    actor = Actor("Jennifer Ross", jen)
    with demo_core.read() as uow:
        rows_before = uow.session.scalar(select(func.count()).select_from(OvertimePreference))
    shown = change_preferences_as_said(demo_core, jen, actor)
    assert shown.outcome == "shown" and shown.after == shown.before
    assert shown.before.shift_types == ["night"]  # the demo's Jennifer does nights only
    refused = change_preferences_as_said(demo_core, jen, actor, shift_types=["night"], negated=True)
    assert refused.outcome == "refused" and refused.after == refused.before
    with demo_core.read() as uow:  # nothing written by either
        assert (
            uow.session.scalar(select(func.count()).select_from(OvertimePreference)) == rows_before
        )
    changed = change_preferences_as_said(demo_core, jen, actor, said_shift_types=["early"])
    assert changed.outcome == "changed"
    assert changed.after.shift_types is not None
    assert sorted(changed.after.shift_types) == ["early", "night"]  # added, not replaced
    homes = change_preferences_as_said(
        demo_core, jen, actor, maybe_homes=["not a home at all", "meadowburn"], only=True
    )
    assert homes.after.homes == ["Meadowburn"]
    with pytest.raises(NotFound):
        change_preferences_as_said(demo_core, jen, actor, homes=["not a home at all"])


def test_dashboard_queries_check_the_session_each_time(demo_core):
    claire = person(demo_core, "Claire Docherty")
    jen = person(demo_core, "Jennifer Ross")
    with demo_core.uow() as uow:
        token = issue_link(uow, claire, Actor("test"), "test").token
        staff_token = issue_link(uow, jen, Actor("test"), "test").token
        uow.commit()
    session = dash.sign_in(demo_core, token)
    with pytest.raises(NotAllowed):  # once only
        dash.sign_in(demo_core, token)
    me = dash.me(demo_core, session)
    assert me.scope.person_id == claire and me.data["homes"] == [
        {"id": 1, "name": "Victoria Gardens"}
    ]
    landing = dash.landing(demo_core, session)
    assert landing.data is not None and landing.data == dash.overview(demo_core, session, 1).data
    fairness = dash.fairness(demo_core, session, 90, homes=True)
    assert fairness.homes == tuple(me.data["homes"])
    with pytest.raises(NotAllowed):
        dash.overview(demo_core, session, 2)  # Hawthorn House is not Claire's
    staff = dash.sign_in(demo_core, staff_token)
    assert dash.landing(demo_core, staff).data is None  # staff: their own record
    dash.end_session(demo_core, session)
    with pytest.raises(dash.SessionEnded):
        dash.me(demo_core, session)


def test_a_signin_link_by_direct_message_goes_through_the_outbox(demo_core):
    from core.models import OutboundMessage

    claire = person(demo_core, "Claire Docherty")
    sent = dash.send_signin_link(
        demo_core, claire, Actor("Claire Docherty", claire), "slack", lambda url, _: f"go {url}"
    )
    assert sent.by_direct_message and "/dash/signin/" in sent.url
    with demo_core.read() as uow:
        texts = [
            m.payload.get("text")
            for m in uow.session.scalars(
                select(OutboundMessage).where(OutboundMessage.person_id == claire)
            )
        ]
    assert f"go {sent.url}" in texts


def test_the_app_home_reads(demo_core):
    viewer = viewer_by_slack(demo_core, "UCLAIRE01")
    assert viewer is not None and viewer.first_name == "Claire"
    assert viewer.home_names == ("Victoria Gardens",) and viewer.scope.is_manager
    assert viewer_by_slack(demo_core, "UNOBODY") is None
    today = demo_core.today()
    gaps = gaps_on(demo_core, viewer.scope, [today])
    assert list(gaps) == [today] and all(r["home"] == "Victoria Gardens" for r in gaps[today])
    assert all(r["status"] == "PENDING" for r in outreach_waiting(demo_core, viewer.scope))
    shifts = shifts_ahead(demo_core, person(demo_core, "Sarah MacKenzie"), today)
    assert 0 < len(shifts) <= 7 and all(s.date >= today for s in shifts)


def test_the_console_finds_who_writes_from_where(demo_core):
    claire = writer_named(demo_core, "Claire Docherty")
    assert (claire.channel, claire.address) == ("slack", "UCLAIRE01")
    jen = writer_named(demo_core, "Jennifer")
    assert jen.full_name == "Jennifer Ross"
    assert jen.channel == "slack" or (jen.address or "").startswith("+")
    with pytest.raises(NotFound):
        writer_named(demo_core, "Nobody Here")


def test_leave_cancelled_as_asked_a_manager_by_ref_staff_their_own(demo_core):
    from bot.conversation.service import Conversation
    from core.selfservice import cancel_leave_asked

    chat = Conversation(demo_core)
    sarah, claire = person(demo_core, "Sarah MacKenzie"), person(demo_core, "Claire Docherty")
    booked = chat.run_intent(
        sarah, "sms", "leave.request", {"start_date": "2026-03-02", "end_date": "2026-03-03"}
    )
    ref = booked.data["ref"]
    sender, scope = chat.sender(sarah)
    assert cancel_leave_asked(demo_core, scope, Actor("Sarah", sarah), ref=999_999).outcome == (
        "none"  # staff: only their own, found by ref among them
    )
    reply = chat.run_intent(claire, "slack", "leave.cancel", {"ref": ref})
    assert reply.kind == "leave.cancelled"
    assert (
        reply.text
        == f"Cancelled: Sarah MacKenzie's annual leave Mon 2 Mar to Tue 3 Mar (ref {ref})."
    )
    _, manager = chat.sender(claire)
    with pytest.raises(NotFound):  # a manager naming a ref cancels that request, or nothing
        cancel_leave_asked(demo_core, manager, Actor("Claire", claire), ref=999_999)
