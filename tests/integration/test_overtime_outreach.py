"""Whole outreach lifecycles on an injected clock: the clock is moved and the scheduler's
due work (advance_outreach) called, as the scheduler process and the chat console do."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.bootstrap import build_registry
from core.errors import NotAllowed
from core.models import (
    AuditEntry,
    ConversationEntry,
    CoverageRequest,
    OfferResponse,
    OvertimePreference,
    Person,
    Shift,
    ShiftKind,
    SicknessAbsence,
)
from core.outbox import mark_failed
from core.overtime import (
    AcceptOffer,
    CancelRequest,
    DeclineOffer,
    ReportSickness,
    accept_offer,
    advance_outreach,
    cancel_request,
    cover_gaps,
    decline_offer,
    record_decline_reason,
    report_sickness,
    request_summary,
)
from core.permissions import scope_for
from core.uow import Actor
from tests.conftest import DEMO_TODAY, local
from tests.integration.test_overtime_support import (
    FRIDAY,
    add_offers,
    clear_absences,
    friday_night,
    home_id,
    ids,
    offers_of,
    ot_core,
    outbox,
    request_row,
)

RN_POOL = ["Sarah MacKenzie", "Mark Stevens", "David Wilson", "Lucy Hamilton"]


def make(demo_url, **overrides):
    # these tests are about the wave mechanics, on fixed waves (5, or the size given);
    # the shipped urgency bands have their own tests in test_overtime_lifecycle.py
    core = ot_core(demo_url, **{"wave_policy": "fixed", **overrides})
    people = ids(core)
    clear_absences(core, [people[n] for n in RN_POOL], FRIDAY, FRIDAY + timedelta(days=1))
    return core


@pytest.fixture
def core(demo_url):
    core = make(demo_url)
    yield core
    core.engine.dispose()


@pytest.fixture
def core2(demo_url):
    core = make(demo_url, wave_size=2)
    yield core
    core.engine.dispose()


def summary(core, request_id):
    with core.uow() as uow:
        return request_summary(uow.session, request_id)


def audit_actions(core, entity_id):
    with core.uow() as uow:
        return [
            a
            for a in uow.session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == str(entity_id))
            )
        ]


def test_filled_in_the_first_wave(core):
    result = friday_night(core)
    req = result.request
    assert req.status == "PENDING" and req.wave == 1 and req.source == "manager"
    asked = [c.person_id for c in result.contacted]
    assert sorted(c.name for c in result.contacted) == sorted(RN_POOL)
    assert len(outbox(core, "ot.offer")) == 4
    core.clock.advance(timedelta(minutes=12))
    winner = asked[1]
    answer = accept_offer(core, AcceptOffer(winner))  # a bare YES: their only open offer
    assert answer.outcome == "accepted"
    done = summary(core, req.id)
    assert done.status == "FILLED" and done.filled_by == answer.request.filled_by
    assert done.time_to_fill == timedelta(minutes=12)
    offers = offers_of(core, req.id)
    assert offers[winner].response == OfferResponse.ACCEPTED
    assert {o.response for pid, o in offers.items() if pid != winner} == {OfferResponse.WITHDRAWN}
    with core.uow() as uow:
        shifts = list(uow.session.scalars(select(Shift).where(Shift.coverage_request_id == req.id)))
        uow.session.expunge_all()
    assert len(shifts) == 1 and shifts[0].person_id == winner
    assert shifts[0].kind == ShiftKind.OVERTIME and shifts[0].starts_at == req.starts_at
    told = {m.person_id for m in outbox(core, "ot.filled")}
    assert told == set(asked) - {winner}
    manager = outbox(core, "ot.filled_manager")
    # the home's manager and the home's channel hear about the fill
    assert [(m.person_id, m.home_channel_id) for m in manager] == [
        (ids(core)["Claire Docherty"], None),
        (None, req.home_id),
    ]
    assert manager[0].payload["minutes"] == 12
    assert {"overtime.request_opened", "overtime.wave_sent", "overtime.request_filled"} <= set(
        audit_actions(core, req.id)
    )
    late = accept_offer(core, AcceptOffer(asked[0], req.id))
    assert late.outcome == "filled"
    assert advance_outreach(core) == 0


def test_filled_in_a_later_wave(core2):
    core = core2
    result = friday_night(core)
    req = result.request
    first = [c.person_id for c in result.contacted]
    assert len(first) == 2 and req.next_wave_at == core.clock.now() + timedelta(minutes=30)
    core.clock.advance(timedelta(minutes=29))
    assert advance_outreach(core) == 0  # not due yet
    core.clock.advance(timedelta(minutes=2))
    assert advance_outreach(core) == 1
    offers = offers_of(core, req.id)
    second = [pid for pid, o in offers.items() if o.wave == 2]
    assert len(offers) == 4 and len(second) == 2
    assert accept_offer(core, AcceptOffer(second[0], req.id)).outcome == "accepted"
    offers = offers_of(core, req.id)
    assert all(offers[pid].response == OfferResponse.WITHDRAWN for pid in first)
    assert summary(core, req.id).time_to_fill == timedelta(minutes=31)


def test_declined_by_everyone_becomes_unfilled_and_alerts_the_manager(core2):
    core = core2
    req = friday_night(core).request
    for pid in list(offers_of(core, req.id)):
        assert decline_offer(core, DeclineOffer(pid, reason="busy")).outcome == "declined"
    # nobody left to answer: the next wave goes at once, without waiting 30 minutes
    assert request_row(core, req.id).next_wave_at == core.clock.now()
    assert advance_outreach(core) == 1
    wave2 = [pid for pid, o in offers_of(core, req.id).items() if o.wave == 2]
    assert len(wave2) == 2
    for pid in wave2:
        decline_offer(core, DeclineOffer(pid, req.id))
    assert advance_outreach(core) == 1
    done = summary(core, req.id)
    assert done.status == "UNFILLED" and done.count("DECLINED") == 4
    alerts = outbox(core, "ot.unfilled")
    assert {(m.person_id, m.home_channel_id) for m in alerts} == {
        (ids(core)["Claire Docherty"], None),
        (None, home_id(core)),
    }
    assert alerts[0].payload["declined"] == 4 and "agency" in alerts[0].payload["next_step"]
    assert advance_outreach(core) == 0


def delivered(core, kind):
    """The channel adapter sent every queued message of this kind."""
    from core.outbox import mark_sent

    with core.uow() as uow:
        for message in outbox(core, kind):
            mark_sent(uow, message.id, f"SM{message.id}")
        uow.commit()


def test_offers_never_delivered_are_not_silence(core):
    req = friday_night(core).request  # nobody delivers the outbox here: all stay QUEUED
    core.clock.set(local(FRIDAY, "19:46"))
    assert advance_outreach(core) == 1
    done = summary(core, req.id)
    assert done.status == "UNFILLED" and done.count("NO_RESPONSE") == 0
    assert {o.reason for o in done.offers} == {"offer never delivered"}
    assert {o.to_json()["delivery"]["state"] for o in done.offers} == {"QUEUED"}


def test_nobody_answers_until_the_deadline(core2):
    core = core2
    req = friday_night(core).request
    core.clock.advance(timedelta(minutes=31))
    assert advance_outreach(core) == 1  # second wave: the last eligible people
    waiting = summary(core, req.id)
    # no phantom "next wave": nobody is left, the manager and channel hear it at once
    assert waiting.status == "PENDING" and waiting.next_wave_at is None
    exhausted = outbox(core, "ot.exhausted")
    assert {(m.person_id, m.home_channel_id) for m in exhausted} == {
        (ids(core)["Claire Docherty"], None),
        (None, home_id(core)),
    }
    assert exhausted[0].payload["waiting"] == 4 and exhausted[0].payload["agency"]
    core.clock.advance(timedelta(minutes=31))
    assert advance_outreach(core) == 0  # nothing to send while the answers are awaited
    assert summary(core, req.id).status == "PENDING"
    delivered(core, "ot.offer")
    core.clock.set(local(FRIDAY, "19:46"))  # offers close 2h before 21:45
    assert advance_outreach(core) == 1
    done = summary(core, req.id)
    assert done.status == "UNFILLED" and done.count("NO_RESPONSE") == 4
    assert len(outbox(core, "ot.unfilled")) == 2
    assert advance_outreach(core) == 0  # idempotent: nothing more to do, nothing re-sent
    assert len(outbox(core, "ot.offer")) == 4
    late = accept_offer(core, AcceptOffer(ids(core)["Sarah MacKenzie"], req.id))
    assert late.outcome == "closed"


def test_cancelled_by_the_homes_manager(core):
    req = friday_night(core).request
    people = ids(core)
    victoria = home_id(core)
    with core.uow() as uow:
        staff_scope = scope_for(uow.session.get(Person, people["Sarah MacKenzie"]))
        other = uow.session.scalars(
            select(Person).where(Person.kind == "manager", Person.home_id != victoria)
        ).first()
        other_scope = scope_for(other)
        claire_scope = scope_for(uow.session.get(Person, people["Claire Docherty"]))
    for scope in (staff_scope, other_scope):
        with pytest.raises(NotAllowed):
            cancel_request(core, CancelRequest(req.id, scope), Actor("x"))
    done = cancel_request(core, CancelRequest(req.id, claire_scope), Actor("Claire Docherty"))
    assert done.status == "CANCELLED" and done.count("WITHDRAWN") == 4
    assert len(outbox(core, "ot.cancelled")) == 4
    assert accept_offer(core, AcceptOffer(people["Sarah MacKenzie"], req.id)).outcome == "cancelled"
    assert advance_outreach(core) == 0


def test_cancelling_a_filled_request_takes_the_shift_back(core):
    req = friday_night(core).request
    winner = next(iter(offers_of(core, req.id)))
    accept_offer(core, AcceptOffer(winner, req.id))
    cancel_request(core, CancelRequest(req.id), Actor.system())
    with core.uow() as uow:
        shift = uow.session.scalars(select(Shift).where(Shift.coverage_request_id == req.id)).one()
        assert str(shift.status) == "cancelled"
    assert [m.person_id for m in outbox(core, "ot.cancelled")] == [winner]


def test_quiet_hours_defer_people_until_they_end(demo_url):
    core = make(demo_url, now=local(DEMO_TODAY, "23:00"))
    result = friday_night(core)
    req = result.request
    assert result.contacted == [] and len(result.deferred) == 4
    assert req.status == "PENDING" and req.next_wave_at == local(
        DEMO_TODAY + timedelta(days=1), "07:00"
    )
    core.clock.set(local(DEMO_TODAY + timedelta(days=1), "06:55"))
    assert advance_outreach(core) == 0
    core.clock.set(local(DEMO_TODAY + timedelta(days=1), "07:00"))
    assert advance_outreach(core) == 1
    assert len(offers_of(core, req.id)) == 4
    core.engine.dispose()


def test_quiet_hours_give_way_when_the_shift_starts_within_12_hours(demo_url):
    core = make(demo_url, now=local(FRIDAY, "10:00"))
    sarah = ids(core)["Sarah MacKenzie"]
    with core.uow() as uow:
        pref = uow.session.get(OvertimePreference, sarah)
        pref.quiet_start, pref.quiet_end = "09:00", "12:00"
        uow.commit()
    urgent = friday_night(core)  # starts 21:45: 11h45 away
    assert sarah in {c.person_id for c in urgent.contacted}
    core.engine.dispose()


def test_one_person_in_quiet_hours_is_asked_later(demo_url):
    core = make(demo_url, now=local(DEMO_TODAY + timedelta(days=1), "10:00"))
    sarah = ids(core)["Sarah MacKenzie"]
    with core.uow() as uow:
        pref = uow.session.get(OvertimePreference, sarah)
        pref.quiet_start, pref.quiet_end = "09:00", "10:20"
        uow.commit()
    result = friday_night(core)
    assert sarah not in {c.person_id for c in result.contacted}
    assert [c.person_id for c in result.deferred] == [sarah]
    assert result.request.next_wave_at == local(DEMO_TODAY + timedelta(days=1), "10:20")
    core.clock.set(result.request.next_wave_at)
    advance_outreach(core)
    assert offers_of(core, result.request.id)[sarah].wave == 2
    core.engine.dispose()


def test_contact_caps_keep_people_out_of_waves(core):
    sarah = ids(core)["Sarah MacKenzie"]
    add_offers(core, sarah, 3, core.clock.now() - timedelta(hours=3))
    result = friday_night(core)
    assert sarah not in {c.person_id for c in result.contacted}
    assert any(
        c.person_id == sarah and c.reasons[0].code == "daily_cap" for c in result.ranking.excluded
    )


def test_undeliverable_offer_counts_as_no_response_and_brings_the_next_wave(core2):
    core = core2
    req = friday_night(core).request
    first = outbox(core, "ot.offer")[0]
    with core.uow() as uow:
        mark_failed(
            uow, first.id, "21610 unreachable", permanent=True, hooks=build_registry().failure_hooks
        )
    offer = offers_of(core, req.id)[first.person_id]
    assert offer.response == OfferResponse.NO_RESPONSE and offer.delivery_status == "failed"
    assert request_row(core, req.id).next_wave_at == core.clock.now()
    assert advance_outreach(core) == 1
    assert len(offers_of(core, req.id)) == 4


def test_a_no_asks_for_a_reason_once(core):
    req = friday_night(core).request
    sarah = ids(core)["Sarah MacKenzie"]
    answer = decline_offer(core, DeclineOffer(sarah))
    assert answer.outcome == "declined" and answer.ask_reason
    with core.uow() as uow:  # the conversation layer logs the NO before the next message
        uow.session.add(
            ConversationEntry(
                at=uow.now(),
                person_id=sarah,
                channel="sms",
                direction="in",
                text="no",
                intent="ot.decline",
            )
        )
        uow.commit()
    assert record_decline_reason(core, sarah, "childcare") == req.ref
    assert offers_of(core, req.id)[sarah].reason == "childcare"
    assert record_decline_reason(core, sarah, "something else") is None
    again = decline_offer(core, DeclineOffer(sarah, req.id))
    assert again.outcome == "already_declined"


def test_a_bare_yes_with_two_open_offers_asks_which(core):
    people = ids(core)
    first = friday_night(core).request
    hh = home_id(core, "Hawthorn House")
    from core.overtime import RequestCover, request_cover

    second = request_cover(
        core,
        RequestCover(
            home_id=hh, date=FRIDAY + timedelta(days=1), shift_type="night", role="RN", extra=True
        ),
        Actor.system(),
    ).request
    david = people["David Wilson"]
    assert david in offers_of(core, second.id)
    answer = accept_offer(core, AcceptOffer(david))
    assert answer.outcome == "ambiguous"
    assert [r.id for r in answer.open_requests] == [first.id, second.id]
    assert accept_offer(core, AcceptOffer(david, second.id)).outcome == "accepted"


def test_a_person_never_holds_two_overlapping_shifts(core):
    people = ids(core)
    first = friday_night(core).request
    from core.overtime import RequestCover, request_cover

    other = request_cover(
        core,
        RequestCover(
            home_id=home_id(core, "Hawthorn House"),
            date=FRIDAY,
            shift_type="night",
            role="RN",
            extra=True,
        ),
        Actor.system(),
    ).request
    david = people["David Wilson"]
    assert accept_offer(core, AcceptOffer(david, first.id)).outcome == "accepted"
    clash = accept_offer(core, AcceptOffer(david, other.id))
    assert clash.outcome == "clash" and "already working the night" in clash.clash
    assert offers_of(core, other.id)[david].response == OfferResponse.WITHDRAWN
    with core.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count(Shift.id)).where(Shift.person_id == david, Shift.date == FRIDAY)
            )
            == 1
        )


def test_nobody_eligible_is_unfilled_at_once(demo_url):
    core = make(demo_url, now=local(FRIDAY, "19:30"))  # under the 3h minimum notice
    result = friday_night(core)
    assert result.request.status == "UNFILLED" and result.contacted == []
    assert outbox(core, "ot.unfilled")
    core.engine.dispose()


def test_two_schedulers_send_each_wave_once(core2):
    core = core2
    req = friday_night(core).request
    core.clock.advance(timedelta(minutes=31))
    barrier = threading.Barrier(2)

    def tick():
        barrier.wait()
        advance_outreach(core)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(offers_of(core, req.id)) == 4
    assert len(outbox(core, "ot.offer")) == 4
    assert request_row(core, req.id).wave == 2


def test_sickness_report_records_the_shift_and_opens_outreach(core):
    tomorrow = DEMO_TODAY + timedelta(days=1)
    with core.uow() as uow:
        shift = uow.session.scalars(
            select(Shift)
            .where(
                Shift.date == tomorrow,
                Shift.kind == ShiftKind.REGULAR,
                Shift.person_id.is_not(None),
            )
            .order_by(Shift.id)
        ).first()
        pid, shift_id, code = shift.person_id, shift.id, shift.shift_type_code
    result = report_sickness(core, ReportSickness(pid, tomorrow, tomorrow, reason="flu"))
    assert [s["shift_type"] for s in result.shifts] == [code]
    assert len(result.requests) == 1
    req = result.requests[0]
    assert req.source == "sickness" and req.status in ("PENDING", "UNFILLED")
    with core.uow() as uow:
        absence = uow.session.scalars(
            select(SicknessAbsence).where(SicknessAbsence.shift_id == shift_id)
        ).one()
        assert absence.person_id == pid and absence.reason == "flu"
    assert outbox(core, "ot.sickness")
    again = report_sickness(core, ReportSickness(pid, tomorrow, tomorrow))
    assert again.already_reported == 1 and not again.requests


def test_sickness_without_a_shift_is_noted(core):
    pid = ids(core)["Sarah MacKenzie"]  # kept free on D+1
    day = DEMO_TODAY + timedelta(days=1)
    result = report_sickness(core, ReportSickness(pid, day, day))
    assert result.shifts == [] and result.requests == []
    with core.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count(SicknessAbsence.id)).where(
                    SicknessAbsence.person_id == pid, SicknessAbsence.start_date == day
                )
            )
            == 1
        )


def test_gaps_open_requests_once(core):
    opened = cover_gaps(core, FRIDAY, FRIDAY, frozenset({home_id(core)}), send=False)
    assert any(r.role == "RN" and r.shift_type == "night" for r in opened)
    assert all(r.source == "gap" and r.status == "PENDING" for r in opened)
    assert cover_gaps(core, FRIDAY, FRIDAY, frozenset({home_id(core)}), send=False) == []
    with core.uow() as uow:
        assert uow.session.scalar(
            select(func.count(CoverageRequest.id)).where(CoverageRequest.source == "gap")
        ) == len(opened)
    assert {m.kind for m in outbox(core)} <= {"ot.unfilled"}


def test_sickness_without_outreach_still_tells_the_manager(demo_url):
    core = make(demo_url, sickness_opens_request=False)
    tomorrow = DEMO_TODAY + timedelta(days=1)
    with core.uow() as uow:
        shift = uow.session.scalars(
            select(Shift)
            .where(
                Shift.date == tomorrow,
                Shift.kind == ShiftKind.REGULAR,
                Shift.person_id.is_not(None),
            )
            .order_by(Shift.id)
        ).first()
        pid = shift.person_id
    result = report_sickness(core, ReportSickness(pid, tomorrow, tomorrow))
    assert result.shifts and not result.requests
    told = outbox(core, "ot.sickness")
    assert told and told[0].payload["ref"] is None
    core.engine.dispose()
