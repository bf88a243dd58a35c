"""Overtime after the first YES: withdrawals, already-covered and duplicate requests, requests
for several people, honest escalation, the agency step, reminders and open shifts staff can
claim. Handlers are driven as the conversation service runs them (intent and slots given)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.conversation.service import Conversation
from core.models import AuditEntry, Offer, OfferResponse, Shift, ShiftKind, ShiftStatus
from core.overtime import (
    AcceptOffer,
    BookAgency,
    ClaimShift,
    DeclineOffer,
    ReopenRequest,
    RequestCover,
    WithdrawOffer,
    accept_offer,
    agency_totals,
    book_agency,
    claim_shift,
    decline_offer,
    open_shifts,
    reopen_request,
    request_cover,
    request_summary,
    send_reminders,
    withdraw_offer,
)
from core.staffing import staffing_gaps
from core.uow import Actor
from tests.conftest import DEMO_TODAY, local
from tests.integration.test_overtime_support import (
    FRIDAY,
    clear_absences,
    friday_night,
    home_id,
    ids,
    ot_core,
    outbox,
)

RN_POOL = ["Sarah MacKenzie", "Mark Stevens", "David Wilson", "Lucy Hamilton"]
FRI = FRIDAY.isoformat()
NIGHT = {"start_date": FRI, "end_date": FRI, "shift_type": "night", "role": "RN"}


@pytest.fixture
def core(demo_url):
    core = ot_core(demo_url, wave_size=2)
    people = ids(core)
    clear_absences(core, [people[n] for n in RN_POOL], FRIDAY, FRIDAY + timedelta(days=1))
    yield core
    core.engine.dispose()


@pytest.fixture
def chat(core):
    conversation = Conversation(core)
    people = ids(core)

    def say(name, intent, text="", **slots):
        return conversation.run_intent(people[name], "sms", intent, slots)

    return say


def summary(core, request_id):
    with core.uow() as uow:
        return request_summary(uow.session, request_id)


def offered(core, request_id):
    with core.uow() as uow:
        return {
            o.person_id: o.response
            for o in uow.session.scalars(select(Offer).where(Offer.request_id == request_id))
        }


def shifts_of(core, request_id):
    with core.uow() as uow:
        rows = uow.session.scalars(select(Shift).where(Shift.coverage_request_id == request_id))
        return [(s.person_id, s.kind, s.status) for s in rows]


def audit_actions(core, entity_id):
    with core.uow() as uow:
        return [
            a.action
            for a in uow.session.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == str(entity_id))
            )
        ]


def take_first_wave(core):
    req = friday_night(core).request
    first = next(iter(offered(core, req.id)))
    assert accept_offer(core, AcceptOffer(first, req.id)).outcome == "accepted"
    return req, first


# ---- withdrawals ---------------------------------------------------------------------


def test_no_with_ref_after_yes_is_a_withdrawal_not_a_cheerful_confirmation(core, chat):
    req, sarah_like = take_first_wave(core)
    name = next(n for n, i in ids(core).items() if i == sarah_like)
    assert summary(core, req.id).status == "FILLED"
    reply = chat(name, "ot.decline", ref=req.id, reason="sorry my mum's taken ill")
    assert reply.kind == "ot.withdrawn"
    assert "See you" not in reply.text and "No problem" not in reply.text
    assert req.ref in reply.text and "told your manager" in reply.text
    after = summary(core, req.id)
    # the shift leaves their rota, the offer is WITHDRAWN with the reason, outreach reopens
    assert after.status == "PENDING" and after.filled == [] and after.filled_by is None
    mine = next(o for o in after.offers if o.person_id == sarah_like)
    assert mine.response == "WITHDRAWN" and mine.reason == "sorry my mum's taken ill"
    assert shifts_of(core, req.id) == [(sarah_like, ShiftKind.OVERTIME, ShiftStatus.CANCELLED)]
    # the manager hears at once; the home channel too
    told = outbox(core, "ot.withdrawn")
    claire = ids(core)["Claire Docherty"]
    assert {(m.person_id, m.home_channel_id) for m in told} == {(claire, None), (None, req.home_id)}
    dm = next(m for m in told if m.person_id == claire)
    # the reason stays with the offer: no health detail in the outbox's payloads
    assert dm.payload["reason_given"] and dm.payload["reopened"]
    assert all("mum" not in str(m.payload) for m in told)
    # a new wave went out to people not asked before
    new = [pid for pid, r in offered(core, req.id).items() if r == OfferResponse.SENT]
    assert new and sarah_like not in new
    assert "overtime.offer_withdrawn" in audit_actions(
        core, mine_offer_id(core, req.id, sarah_like)
    )


def mine_offer_id(core, request_id, person_id):
    with core.uow() as uow:
        return uow.session.scalars(
            select(Offer.id).where(Offer.request_id == request_id, Offer.person_id == person_id)
        ).one()


def test_cant_do_friday_now_withdraws_the_held_shift_not_another_offer(core, chat):
    req, person = take_first_wave(core)
    name = next(n for n, i in ids(core).items() if i == person)
    # a later offer to the same person for another shift, already closed
    other = request_cover(
        core,
        RequestCover(
            home_id=home_id(core, "Hawthorn House"),
            date=FRIDAY + timedelta(days=1),
            shift_type="night",
            role="RN",
            extra=True,
        ),
        Actor.system("test"),
    ).request
    reply = chat(
        name,
        "ot.decline",
        reason="actually sorry I cant do friday now",
        start_date=FRI,
        end_date=FRI,
    )
    assert reply.kind == "ot.withdrawn" and req.ref in reply.text
    assert other.ref not in reply.text
    assert summary(core, req.id).status == "PENDING"


def test_ot_withdraw_without_a_ref_finds_the_one_booked_shift(core, chat):
    req, person = take_first_wave(core)
    name = next(n for n, i in ids(core).items() if i == person)
    reply = chat(name, "ot.withdraw", reason="childcare fell through")
    assert reply.kind == "ot.withdrawn"
    nothing = chat(name, "ot.withdraw")
    assert nothing.kind == "ot.none" and "no overtime shifts booked" in nothing.text


def test_close_to_the_start_the_manager_decides_and_can_reopen(core):
    req, person = take_first_wave(core)
    core.clock.set(local(FRIDAY, "15:00"))  # 6h45 before the 21:45 start
    result = withdraw_offer(core, WithdrawOffer(person, req.id, reason="car broke down"))
    assert result.outcome == "withdrawn" and result.manager_decides and not result.reopened
    waiting = summary(core, req.id)
    assert waiting.status == "PENDING" and waiting.next_wave_at is None
    before = len(outbox(core, "ot.offer"))
    core.clock.advance(timedelta(minutes=40))
    from core.overtime import advance_outreach

    advance_outreach(core)
    assert len(outbox(core, "ot.offer")) == before  # nothing sent until the manager says so
    dm = [m for m in outbox(core, "ot.withdrawn") if m.person_id]
    assert dm[0].payload["manager_decides"]
    reopened = reopen_request(core, ReopenRequest(req.id), Actor("Claire Docherty"))
    assert reopened.status == "PENDING" and reopened.count("SENT") >= 1
    assert len(outbox(core, "ot.offer")) > before


# ---- already covered, duplicates --------------------------------------------------------


def test_a_shift_the_rota_meets_is_not_requested_twice(core, chat):
    req, person = take_first_wave(core)  # filled by overtime
    name = next(n for n, i in ids(core).items() if i == person)
    again = request_cover(
        core,
        RequestCover(home_id=home_id(core), date=FRIDAY, shift_type="night", role="RN"),
        Actor.system("test"),
    )
    assert again.request is None and again.covered_by == [f"{name} (overtime)"]
    reply = chat("Claire Docherty", "ot.request", **NIGHT)
    assert reply.kind == "question" and "already covered" in reply.text and name in reply.text
    assert any(a.intent == "ot.request" and a.slots.get("extra") for a in reply.actions)
    extra = request_cover(
        core,
        RequestCover(home_id=home_id(core), date=FRIDAY, shift_type="night", role="RN", extra=True),
        Actor.system("test"),
    )
    assert extra.request is not None and extra.request.extra


def test_a_duplicate_request_points_at_the_open_one(core, chat):
    first = friday_night(core).request
    reply = chat("Claire Docherty", "ot.request", **NIGHT)
    assert first.ref in reply.text and reply.kind == "ot.status"


# ---- several people ---------------------------------------------------------------------


def test_count_opens_n_places_each_yes_fills_one(core):
    result = friday_night(core, count=2, extra=True)
    req = result.request
    assert req.slots == 2
    asked = list(offered(core, req.id))
    assert len(asked) >= 2
    first = accept_offer(core, AcceptOffer(asked[0], req.id))
    assert first.outcome == "accepted" and first.request.status == "PENDING"
    assert first.request.filled == [first.request.filled_by]
    second = accept_offer(core, AcceptOffer(asked[1], req.id))
    assert second.outcome == "accepted" and second.request.status == "FILLED"
    assert len(second.request.filled) == 2 and second.request.filled_by == first.request.filled[0]
    assert sorted(p for p, _k, _s in shifts_of(core, req.id)) == sorted(asked[:2])
    if len(asked) > 2:
        assert accept_offer(core, AcceptOffer(asked[2], req.id)).outcome == "filled"
    # everyone hears when the last place goes
    done = [m for m in outbox(core, "ot.filled_manager") if m.payload.get("complete")]
    assert {(m.person_id is None) for m in done} == {True, False}
    assert len(done[0].payload["filled"]) == 2


# ---- honest escalation -----------------------------------------------------------------


def test_no_phantom_next_wave_when_everyone_was_asked(core, chat):
    reply = chat("Claire Docherty", "ot.request", **NIGHT)
    req = reply.data["request"]
    assert "Next 2 at" in reply.text  # four eligible, two asked: a real next wave
    from core.overtime import advance_outreach

    core.clock.advance(timedelta(minutes=31))
    advance_outreach(core)
    status = chat("Claire Docherty", "ot.status", ref=req["id"])
    assert "next wave" not in status.text and "nobody left to ask" in status.text
    exhausted = outbox(core, "ot.exhausted")
    assert exhausted and "agency" in exhausted[0].payload["next_step"]


def test_all_no_escalates_at_once_with_next_steps(core):
    req = friday_night(core, wave_size=4).request
    for pid in list(offered(core, req.id)):
        decline_offer(core, DeclineOffer(pid, req.id, "busy"))
    from core.overtime import advance_outreach

    advance_outreach(core)  # the last NO brought the close forward: no waiting for 19:45
    assert summary(core, req.id).status == "UNFILLED"
    alert = [m for m in outbox(core, "ot.unfilled") if m.person_id][0]
    assert alert.payload["agency"] and isinstance(alert.payload["cross_home"], list)


# ---- agency -----------------------------------------------------------------------------


def test_agency_booking_closes_outreach_and_counts_in_gaps(core):
    req = friday_night(core).request
    home = home_id(core)
    with core.uow() as uow:
        before = staffing_gaps(uow.session, FRIDAY, FRIDAY, frozenset({home}), "night", "RN")
    assert before  # the planted gap
    claire = ids(core)["Claire Docherty"]
    done = book_agency(
        core,
        BookAgency("Carewatch", 320.0, ref=req.id, booked_by_id=claire),
        Actor("Claire Docherty", claire),
    )
    assert done.status == "AGENCY"
    assert done.agency == {"agency": "Carewatch", "cost": 320.0, "booked_by": "Claire Docherty"}
    assert all(o.response == "WITHDRAWN" for o in done.offers)
    assert len(outbox(core, "ot.cancelled")) == len(done.offers)
    assert shifts_of(core, req.id) == [(None, ShiftKind.AGENCY, ShiftStatus.SCHEDULED)]
    with core.uow() as uow:
        after = staffing_gaps(uow.session, FRIDAY, FRIDAY, frozenset({home}), "night", "RN")
        totals = agency_totals(uow.session, DEMO_TODAY, DEMO_TODAY + timedelta(days=6))
    assert after == []
    assert totals.shifts == 1 and totals.cost == 320.0
    from bot.conversation.forecast import weekly_summary_text
    from core.alerts.reports import weekly_summary

    with core.uow() as uow:
        week = weekly_summary(uow.session, DEMO_TODAY, DEMO_TODAY + timedelta(days=6), core.zone)
    assert week["agency"]["shifts"] == 1 and week["requests"]["agency"] == 1
    assert "Agency: 1 shift, £320." in weekly_summary_text(week)
    assert "overtime.agency_booked" in audit_actions(core, req.id)
    assert accept_offer(core, AcceptOffer(done.offers[0].person_id, req.id)).outcome == "closed"


# ---- reminders --------------------------------------------------------------------------


def test_reminders_the_evening_before_and_the_afternoon_of_a_night(core):
    req, person = take_first_wave(core)
    core.clock.set(local(FRIDAY - timedelta(days=1), "17:59"))
    assert send_reminders(core) == 0
    core.clock.set(local(FRIDAY - timedelta(days=1), "18:05"))
    assert send_reminders(core) == 1
    assert send_reminders(core) == 0  # once
    core.clock.set(local(FRIDAY, "14:10"))
    assert send_reminders(core) == 1  # a night: the afternoon of the shift too
    sent = outbox(core, "ot.reminder")
    assert [m.payload["when"] for m in sent] == ["eve", "day"]
    assert {m.person_id for m in sent} == {person}


def test_evening_reminder_waits_for_quiet_hours_to_end(core):
    from core.models import OvertimePreference

    req, person = take_first_wave(core)
    with core.uow() as uow:
        pref = uow.session.get(OvertimePreference, person)
        pref.quiet_start, pref.quiet_end = "17:00", "20:00"
        uow.commit()
    core.clock.set(local(FRIDAY - timedelta(days=1), "18:30"))
    assert send_reminders(core) == 0
    core.clock.set(local(FRIDAY - timedelta(days=1), "20:05"))
    assert send_reminders(core) == 1


# ---- open shifts ------------------------------------------------------------------------


def test_open_shifts_lists_what_a_person_may_claim_and_first_claim_wins(core, chat):
    req = friday_night(core).request
    people = ids(core)
    asked = set(offered(core, req.id))
    free = [people[n] for n in RN_POOL if people[n] not in asked]
    assert free
    listed = open_shifts(core, free[0], DEMO_TODAY)
    assert [o.request.id for o in listed] == [req.id] and not listed[0].offered
    # someone without the role is not offered an RN night
    with core.uow() as uow:
        from core.models import Person

        hca = uow.session.scalars(
            select(Person.id).where(Person.role_code == "HCA", Person.active.is_(True))
        ).first()
    assert req.id not in [o.request.id for o in open_shifts(core, hca, DEMO_TODAY)]
    name = next(n for n in RN_POOL if people[n] == free[0])
    reply = chat(name, "ot.available")
    assert req.ref in reply.text and reply.kind == "ot.available"
    got = claim_shift(core, ClaimShift(free[0], req.id))
    assert got.outcome == "accepted" and got.request.status == "FILLED"
    late = accept_offer(core, AcceptOffer(next(iter(asked)), req.id))
    assert late.outcome == "filled"
    if len(free) > 1:
        assert claim_shift(core, ClaimShift(free[1], req.id)).outcome == "filled"


def test_ill_take_the_friday_night_claims_it(core):
    req = friday_night(core).request
    people = ids(core)
    asked = set(offered(core, req.id))
    name = next(n for n in RN_POOL if people[n] not in asked)
    conversation = Conversation(core)
    from bot.conversation.context import Context  # noqa: F401  (the handler runs inside)

    reply = conversation.run_intent(
        people[name],
        "sms",
        "ot.available",
        {"start_date": FRI, "end_date": FRI, "shift_type": "night", "ref": req.id},
    )
    assert reply.kind == "ot.accepted" and req.ref in reply.text
    assert summary(core, req.id).filled_by == name


# ---- waves by urgency -----------------------------------------------------------------


def test_no_next_wave_promised_after_offers_close(core):
    from core.overtime.config import with_overtime

    core = with_overtime(core, wave_size=1, wave_interval_minutes=120)
    core.clock.set(local(FRIDAY, "18:00"))  # offers close 19:45; a wave at 20:00 is too late
    req = friday_night(core).request
    assert req.count("SENT") == 1 and req.next_wave_at is None
    notice = [m for m in outbox(core, "ot.exhausted") if m.person_id]
    assert notice and notice[0].payload["why"] == "no time for another wave"


def test_urgency_bands_broadcast_on_the_day_and_small_waves_a_week_out(core):
    from core.overtime.config import with_overtime

    core = with_overtime(
        core,
        wave_policy="urgency",
        urgency_bands=[
            {"max_hours": 6, "wave_size": 0, "interval_minutes": 5, "offer_caps": 0},
            {"max_hours": 48, "wave_size": 3, "interval_minutes": 30},
            {"max_hours": 1e9, "wave_size": 1, "interval_minutes": 120},
        ],
    )
    far = friday_night(core).request  # 60h ahead: one person, the next in two hours
    assert far.wave_policy == "urgency" and far.count("SENT") == 1
    assert far.next_wave_at == local(DEMO_TODAY, "11:00")
    from core.overtime import CancelRequest, cancel_request

    cancel_request(core, CancelRequest(far.id), Actor.system("test"))
    core.clock.set(local(FRIDAY, "17:00"))  # under 6h to the 21:45 start: everyone at once
    near = request_cover(
        core,
        RequestCover(home_id=home_id(core), date=FRIDAY, shift_type="night", role="RN"),
        Actor.system("test"),
    ).request
    eligible = len(near.offers)
    assert eligible >= 3 and near.count("SENT") == eligible and near.next_wave_at is None
    explicit = request_cover(
        core,
        RequestCover(
            home_id=home_id(core, "Hawthorn House"),
            date=FRIDAY + timedelta(days=7),
            shift_type="night",
            role="RN",
            wave_size=2,
            extra=True,
        ),
        Actor.system("test"),
    ).request
    assert explicit.wave_policy == "fixed"  # --max-contacts means fixed waves of that size


def test_the_homes_manager_hears_when_the_head_of_service_asked(core):
    from core.models import Person, PersonKind

    with core.uow() as uow:
        head = uow.session.scalars(select(Person).where(Person.kind == PersonKind.HEAD)).first()
        head_id, head_name = head.id, head.full_name
    req = request_cover(
        core,
        RequestCover(
            home_id=home_id(core),
            date=FRIDAY,
            shift_type="night",
            role="RN",
            requested_by_id=head_id,
        ),
        Actor(head_name, head_id),
    ).request
    first = next(iter(offered(core, req.id)))
    assert accept_offer(core, AcceptOffer(first, req.id)).outcome == "accepted"
    told = {(m.person_id, m.home_channel_id) for m in outbox(core, "ot.filled_manager")}
    assert told == {(head_id, None), (ids(core)["Claire Docherty"], None), (None, req.home_id)}


def test_waves_wait_while_the_sms_provider_is_down(core):
    from core.delivery_health import ChannelHealth

    with core.uow() as uow:
        uow.session.add(
            ChannelHealth(
                channel="sms",
                since=uow.now(),
                failures=5,
                paused_until=uow.now() + timedelta(minutes=2),
            )
        )
        uow.commit()
    req = friday_night(core, wave_size=4).request
    channels = {o.channel for o in req.offers}
    assert "sms" not in channels  # Slack people are asked; texting waits for the provider
    assert req.next_wave_at is not None
    assert req.next_wave_at <= local(DEMO_TODAY, "09:05")
    with core.uow() as uow:
        uow.session.get(ChannelHealth, "sms").since = None  # recovered
        uow.commit()
    core.clock.set(local(DEMO_TODAY, "09:06"))
    from core.overtime import advance_outreach

    advance_outreach(core)
    assert "sms" in {o.channel for o in summary(core, req.id).offers}


def test_the_shipped_default_is_waves_by_urgency(demo_url):
    core = ot_core(demo_url)  # no overrides: the settings the product ships with
    people = ids(core)
    clear_absences(core, [people[n] for n in RN_POOL], FRIDAY, FRIDAY + timedelta(days=1))
    req = friday_night(core).request  # Friday 21:45 is 61 h away: the beyond-48 h band
    assert req.wave_policy == "urgency" and req.count("SENT") == 2
    assert req.next_wave_at == local(DEMO_TODAY, "11:00")  # the next two, 2 h later
    core.engine.dispose()


def test_a_band_may_rank_by_the_likely_profile(core):
    from core.overtime import preview_cover

    ranking = preview_cover(core, home_id(core), FRIDAY, "night", "RN", "likely")
    assert ranking.profile == "likely" and ranking.eligible
    shown = {k for c in ranking.eligible for k, v in c.explained().items() if v["weight"]}
    assert "experience" in shown and "recent_overtime" not in shown
