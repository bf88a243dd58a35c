"""The overtime handlers as the conversation service runs them (intent and slots given, as a
Slack button does): permissions, defaults for missing slots, and what people are told."""

from datetime import timedelta

import pytest
from sqlalchemy import select

import bot.capabilities  # noqa: F401  (texts, due work and the decline-reason fallback)
from bot.conversation.service import Conversation
from core.models import AuditEntry, OvertimePreference
from tests.integration.test_overtime_support import FRIDAY, ids, ot_core, outbox

FRI = FRIDAY.isoformat()
NIGHT = {"start_date": FRI, "end_date": FRI, "shift_type": "night", "role": "RN"}


@pytest.fixture
def chat(demo_url):
    core = ot_core(demo_url)
    conversation = Conversation(core)
    people = ids(core)

    def say(name, intent, **slots):
        return conversation.run_intent(people[name], "slack", intent, slots)

    say.core, say.people = core, people  # type: ignore[attr-defined]
    yield say
    core.engine.dispose()


def test_registrations_are_in_place():
    from bot.bootstrap import standard_registry
    from bot.conversation.overtime import decline_reason

    registry = standard_registry()
    assert {
        "ot.offer",
        "ot.filled",
        "ot.unfilled",
        "ot.cancelled",
        "ot.sickness",
        "ot.withdrawn",
        "ot.exhausted",
        "ot.agency",
        "ot.reminder",
    } <= registry.message_kinds()
    assert {"overtime.advance_outreach", "overtime.send_reminders"} <= set(registry.job_names())
    for intent in ("ot.withdraw", "ot.available", "agency.book", "ot.reopen"):
        assert registry.handler(intent) is not None, intent
    assert decline_reason in registry.fallbacks


def test_manager_intents_are_for_managers(chat):
    for intent in ("ot.request", "ot.rank", "ot.status", "ot.cancel", "fairness.report"):
        reply = chat("Sarah MacKenzie", intent, **NIGHT)
        assert reply.kind == "refused", (intent, reply.text)
    assert outbox(chat.core, "ot.offer") == []


def test_request_defaults_to_the_managers_home_and_asks_for_a_missing_day(chat):
    ask = chat("Claire Docherty", "ot.request", shift_type="night", role="RN")
    assert ask.kind == "question" and "Which day" in ask.text
    head_ask = chat("Graham Kerr", "ot.request", **NIGHT)
    assert head_ask.kind == "question" and "Which home" in head_ask.text
    reply = chat("Claire Docherty", "ot.request", **NIGHT)
    assert reply.kind == "ot.request" and "at Victoria Gardens" in reply.text
    ref = reply.data["request"]["ref"]
    assert [a.intent for a in reply.actions] == ["ot.status", "ot.cancel"]
    again = chat("Claire Docherty", "ot.request", **NIGHT)
    assert f"{ref} is already looking for that shift" in again.text
    other = chat("Claire Docherty", "ot.request", home="Meadowburn", **NIGHT)
    assert other.kind == "refused"


def test_rank_shows_breakdown_and_who_was_left_out_and_sends_nothing(chat):
    reply = chat("Claire Docherty", "ot.rank", **NIGHT)
    assert reply.kind == "ot.rank" and "Nothing has been sent" in reply.text
    assert "availability" in reply.text and "Fiona Grant - only does weekends" in reply.text
    assert reply.data["candidates"][0]["breakdown"]
    assert reply.actions[0].intent == "ot.request" and reply.actions[0].slots["home"] == (
        "Victoria Gardens"
    )
    assert outbox(chat.core, "ot.offer") == []


def test_yes_no_reason_status_and_cancel(chat):
    asked = chat("Claire Docherty", "ot.request", **NIGHT)
    ref = asked.data["request"]["id"]
    # the shipped urgency bands: 60 h out, two people at a time, the next two 2 h later
    assert "Next 2 at 11:00" in asked.text
    no = chat("Sarah MacKenzie", "ot.decline")
    assert "why not?" in no.text
    from core.overtime import advance_outreach

    chat.core.clock.advance(timedelta(hours=2))
    assert advance_outreach(chat.core) == 1  # the second wave: David among them
    yes = chat("David Wilson", "ot.accept")
    assert yes.kind == "ot.accepted" and "it's yours" in yes.text
    late = chat("Mark Stevens", "ot.accept", ref=ref)
    assert "already been filled" in late.text
    status = chat("Claire Docherty", "ot.status", ref=ref)
    assert "FILLED by David Wilson" in status.text
    cancel = chat("Claire Docherty", "ot.cancel", ref=ref)
    assert "cancelled" in cancel.text
    nothing = chat("Tom Baxter", "ot.accept")
    assert nothing.text == "You have no open overtime offers right now."


def test_preferences_change_show_back_and_are_audited(chat):
    from bot.conversation import overtime
    from bot.conversation.context import Context

    fiona = chat.people["Fiona Grant"]
    conversation = Conversation(chat.core)

    def typed(intent, text, **slots):  # as the parser would hand it over
        sender, scope = conversation.sender(fiona)
        ctx = Context(
            chat.core,
            sender,
            scope,
            "sms",
            FRIDAY - timedelta(days=2),
            chat.core.clock.now(),
            intent,
            slots,
            1.0,
            text,
        )
        return overtime.HANDLERS[intent](ctx)

    out = chat("Fiona Grant", "ot.optout")
    assert "no more overtime offers" in out.text
    back = typed("ot.optin", "overtime again please, only nights", shift_type="night")
    assert back.data["opted_in"] and back.data["shift_types"] == ["night"]
    assert "nights" in back.text and "weekends" in back.text
    wider = typed("ot.preferences", "I can do weekdays now", day_kind="weekday")
    assert wider.data["day_kinds"] is None and "any day" in wider.text  # widened to any
    shown = chat("Fiona Grant", "ot.preferences")
    assert shown.text == wider.text.removeprefix("Updated. ")
    with chat.core.uow() as uow:
        changes = list(
            uow.session.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.action == "overtime.preferences_changed",
                    AuditEntry.actor_id == fiona,
                )
                .order_by(AuditEntry.id)
            )
        )
        assert len(changes) == 3 and changes[0].after["opted_in"] is False
        pref = uow.session.get(OvertimePreference, fiona)
        assert pref.opted_in and pref.shift_types == ["night"] and pref.day_kinds is None


def test_profiles_staff_see_their_own_managers_their_home(chat):
    own = chat("Sarah MacKenzie", "staff.profile")
    assert own.kind == "staff.profile" and own.text.startswith("Sarah MacKenzie (RN")
    assert chat("Sarah MacKenzie", "staff.profile", staff="David Wilson").kind == "refused"
    assert chat("Claire Docherty", "staff.profile", staff="Sarah MacKenzie").kind == (
        "staff.profile"
    )
    assert chat("Claire Docherty", "staff.profile", staff="David Wilson").kind == "refused"
    assert chat("Graham Kerr", "staff.profile", staff="David Wilson").kind == "staff.profile"
    mark = chat("Graham Kerr", "staff.profile", staff="Mark Stevens")
    assert "Offers: 0" in mark.text and "Never asked" in mark.text


def test_fairness_report_per_home_scope(chat):
    reply = chat("Claire Docherty", "fairness.report", days=60)
    assert reply.kind == "fairness" and "at Victoria Gardens, last 60 days" in reply.text
    assert 0 <= reply.data["gini"] <= 1
    everywhere = chat("Graham Kerr", "fairness.report")
    assert "across all homes, last 90 days" in everywhere.text
    assert chat("Claire Docherty", "fairness.report", home="Meadowburn").kind == "refused"


def test_sickness_report_tells_the_person_and_opens_cover(chat):
    tomorrow = (FRIDAY - timedelta(days=1)).isoformat()
    reply = chat("Sarah MacKenzie", "sickness.report", start_date=tomorrow, end_date=tomorrow)
    assert "no shifts" in reply.text  # kept free by the demo
    with chat.core.uow() as uow:
        from core.models import Person, Shift

        shift = uow.session.scalars(
            select(Shift)
            .join(Person, Person.id == Shift.person_id)
            .where(Shift.date == FRIDAY - timedelta(days=1), Person.slack_user_id.is_not(None))
        ).first()
        name = uow.session.get(Person, shift.person_id).full_name
    reply = chat(name, "sickness.report", start_date=tomorrow, end_date=tomorrow)
    assert "recorded you off sick" in reply.text and reply.data["requests"]
