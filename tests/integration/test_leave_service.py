"""Manager decisions, cancellation, balances and lists (SQLite, demo organisation)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.errors import InvalidInput, NotAllowed, NotFound
from core.leave import (
    CancelLeave,
    DecideLeave,
    awaiting_decision,
    balance_for,
    cancel_leave,
    decide_leave,
    leave_balance,
    list_leave,
    parse_status,
)
from core.models import AuditEntry, LeaveRequest, LeaveStatus, LeaveType, OutboundMessage, Person
from core.permissions import scope_for
from tests.conftest import DEMO_TODAY
from tests.integration.test_leave_rules import FAR, add_leave, ask, person_id


def scope(core, name: str):
    with core.uow() as uow:
        return scope_for(uow.session.scalars(select(Person).where(Person.full_name == name)).one())


def christmas_for(core, name: str = "Jennifer Ross", day: date = date(2026, 12, 24)) -> int:
    outcome = ask(core, person_id(core, name), day)
    assert outcome.request.status == LeaveStatus.MANUAL_REVIEW
    return outcome.request.ref


def outbox(core, kind: str) -> list[tuple[str, str, dict]]:
    with core.uow() as uow:
        return [
            (uow.session.get(Person, m.person_id).full_name, str(m.channel), m.payload)
            for m in uow.session.scalars(
                select(OutboundMessage)
                .where(OutboundMessage.kind == kind)
                .order_by(OutboundMessage.id)
            )
        ]


def test_own_homes_manager_approves_and_the_requester_is_told(demo_core):
    ref = christmas_for(demo_core)
    decision = decide_leave(
        demo_core, DecideLeave(True, ref=ref), scope(demo_core, "Claire Docherty")
    )
    assert decision.request.status == LeaveStatus.APPROVED
    assert decision.request.decided_by == "Claire Docherty"
    [(who, channel, payload)] = outbox(demo_core, "leave.decision")
    assert (who, channel) == ("Jennifer Ross", "sms")
    assert payload["ref"] == ref and payload["status"] == "APPROVED"
    assert payload["decided_by"] == "Claire Docherty" and payload["first_name"] == "Jennifer"


def test_another_homes_manager_is_refused(demo_core):
    ref = christmas_for(demo_core)
    other = scope(demo_core, "Stuart Aitken")  # manages Hawthorn House
    for cmd in (DecideLeave(True, ref=ref), DecideLeave(False, staff="Jennifer Ross")):
        with pytest.raises(NotAllowed, match="your own home"):
            decide_leave(demo_core, cmd, other)
    with demo_core.uow() as uow:
        assert uow.session.get(LeaveRequest, ref).status == LeaveStatus.MANUAL_REVIEW
    assert outbox(demo_core, "leave.decision") == []


def test_staff_cannot_decide(demo_core):
    ref = christmas_for(demo_core)
    with pytest.raises(NotAllowed, match="Only managers"):
        decide_leave(demo_core, DecideLeave(True, ref=ref), scope(demo_core, "Sarah MacKenzie"))


def test_head_of_service_decides_for_any_home_by_name(demo_core):
    ref = christmas_for(demo_core, "Priya Nair")  # Riverside Court
    decision = decide_leave(
        demo_core, DecideLeave(True, staff="Priya Nair"), scope(demo_core, "Graham Kerr")
    )
    assert decision.request.ref == ref and decision.request.status == LeaveStatus.APPROVED


def test_deny_records_the_reason_and_tells_the_requester(demo_core):
    ref = christmas_for(demo_core, "Sarah MacKenzie")
    decision = decide_leave(
        demo_core,
        DecideLeave(False, ref=ref, reason="two RNs already off"),
        scope(demo_core, "Claire Docherty"),
    )
    assert decision.request.status == LeaveStatus.DENIED
    assert decision.request.reason == "two RNs already off"
    [(who, channel, payload)] = outbox(demo_core, "leave.decision")
    assert (who, channel) == ("Sarah MacKenzie", "slack")
    assert payload["status"] == "DENIED" and payload["reason"] == "two RNs already off"


def test_deny_without_a_reason_says_so(demo_core):
    ref = christmas_for(demo_core)
    decision = decide_leave(demo_core, DecideLeave(False, ref=ref), scope(demo_core, "Graham Kerr"))
    assert decision.request.reason == "no reason given"


def test_a_decided_request_cannot_be_decided_again(demo_core):
    ref = christmas_for(demo_core)
    claire = scope(demo_core, "Claire Docherty")
    decide_leave(demo_core, DecideLeave(True, ref=ref), claire)
    with pytest.raises(InvalidInput, match="already approved"):
        decide_leave(demo_core, DecideLeave(False, ref=ref), claire)


def test_by_name_needs_exactly_one_open_request(demo_core):
    claire = scope(demo_core, "Claire Docherty")
    with pytest.raises(NotFound, match="no leave waiting"):
        decide_leave(demo_core, DecideLeave(True, staff="Jennifer Ross"), claire)
    first = christmas_for(demo_core)
    second = christmas_for(demo_core, day=date(2026, 12, 30))
    with pytest.raises(InvalidInput, match=f"2 requests waiting: {first} .*, {second} "):
        decide_leave(demo_core, DecideLeave(True, staff="Jennifer Ross"), claire)
    with pytest.raises(NotFound, match="no leave request 999999"):
        decide_leave(demo_core, DecideLeave(True, ref=999999), claire)


def test_a_manager_cannot_decide_their_own_leave(demo_core):
    ref = christmas_for(demo_core, "Claire Docherty")
    with pytest.raises(NotAllowed, match="your own leave"):
        decide_leave(demo_core, DecideLeave(True, ref=ref), scope(demo_core, "Claire Docherty"))
    # her reviewer is the head of service (no other manager at her home)
    [(who, _, _)] = outbox(demo_core, "leave.review")
    assert who == "Graham Kerr"


def test_decisions_are_audited_with_the_balance(demo_core):
    ref = christmas_for(demo_core)
    decide_leave(demo_core, DecideLeave(True, ref=ref), scope(demo_core, "Claire Docherty"))
    with demo_core.uow() as uow:
        entry = uow.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "leave.approved", AuditEntry.entity_id == str(ref)
            )
        ).one()
        assert entry.actor == "Claire Docherty"
        assert entry.before["status"] == "MANUAL_REVIEW" and entry.after["status"] == "APPROVED"
        assert entry.after["balance"]["booked"] == entry.before["balance"]["booked"] + 1
        assert entry.after["balance"]["pending"] == entry.before["balance"]["pending"] - 1


# ---- cancellation ----------------------------------------------------------------------------


def test_cancelling_gives_the_days_back(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    before = balance_for(demo_core, pid)
    outcome = ask(demo_core, pid, FAR, FAR + timedelta(days=4))
    assert outcome.approved
    assert balance_for(demo_core, pid).remaining == before.remaining - 5
    decision = cancel_leave(demo_core, CancelLeave(outcome.request.ref))
    assert decision.request.status == LeaveStatus.CANCELLED
    assert balance_for(demo_core, pid).remaining == before.remaining
    [(who, _, payload)] = outbox(demo_core, "leave.cancelled")
    assert who == "Sarah MacKenzie" and payload["days_back"] == 5
    assert payload["cancelled_by"] == "staffbot leave cancel"
    with demo_core.uow() as uow:
        entry = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "leave.cancelled")
        ).one()
        assert entry.before["balance"]["remaining"] + 5 == entry.after["balance"]["remaining"]


def test_cancelling_ones_own_request_sends_no_message(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    outcome = ask(demo_core, pid, FAR)
    me = scope(demo_core, "Sarah MacKenzie")
    from core.uow import Actor

    decision = cancel_leave(
        demo_core, CancelLeave(outcome.request.ref), actor=Actor("Sarah MacKenzie", pid), scope=me
    )
    assert not decision.notified and outbox(demo_core, "leave.cancelled") == []
    other = ask(demo_core, person_id(demo_core, "David Wilson"), FAR)
    with pytest.raises(NotAllowed):
        cancel_leave(demo_core, CancelLeave(other.request.ref), scope=me)


def test_only_live_future_leave_can_be_cancelled(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    with demo_core.uow() as uow:
        past = add_leave(
            uow.session,
            pid,
            DEMO_TODAY - timedelta(days=30),
            DEMO_TODAY - timedelta(days=28),
            LeaveStatus.APPROVED,
        ).id
        denied = add_leave(uow.session, pid, FAR, FAR, LeaveStatus.DENIED).id
        uow.commit()
    with pytest.raises(InvalidInput, match="already taken"):
        cancel_leave(demo_core, CancelLeave(past))
    with pytest.raises(InvalidInput, match="already denied"):
        cancel_leave(demo_core, CancelLeave(denied))
    with pytest.raises(NotFound):
        cancel_leave(demo_core, CancelLeave(999999))


# ---- balances ---------------------------------------------------------------------------------


def test_balance_splits_taken_booked_and_pending(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    with demo_core.uow() as uow:
        s = uow.session
        for row in s.scalars(select(LeaveRequest).where(LeaveRequest.person_id == pid)):
            s.delete(row)
        add_leave(s, pid, date(2026, 1, 5), date(2026, 1, 7), LeaveStatus.APPROVED)  # taken
        add_leave(s, pid, date(2026, 1, 13), date(2026, 1, 15), LeaveStatus.APPROVED)  # 1 + 2
        add_leave(s, pid, date(2026, 3, 2), date(2026, 3, 3), LeaveStatus.PENDING)
        add_leave(s, pid, date(2026, 4, 1), date(2026, 4, 1), LeaveStatus.MANUAL_REVIEW)
        add_leave(s, pid, date(2026, 5, 1), date(2026, 5, 9), LeaveStatus.DENIED)
        add_leave(
            s, pid, date(2026, 6, 1), date(2026, 6, 2), LeaveStatus.APPROVED, LeaveType.TRAINING
        )  # not drawn from the entitlement
        add_leave(s, pid, date(2026, 12, 30), date(2027, 1, 2), LeaveStatus.APPROVED)  # 2 + 2
        uow.commit()
        bal = leave_balance(uow.session, pid, 2026, DEMO_TODAY)
    assert (bal.entitlement, bal.taken, bal.booked, bal.pending) == (28, 4, 4, 3)
    assert bal.remaining == 20 and bal.remaining_if_pending_approved == 17
    assert balance_for(demo_core, pid).to_json()["remaining"] == 20


def test_part_time_entitlement_is_pro_rata(demo_core):
    with demo_core.uow() as uow:
        person = uow.session.scalars(select(Person).where(Person.contracted_hours == 22.5)).first()
        assert leave_balance(uow.session, person.id, 2026, DEMO_TODAY).entitlement == 16.8


# ---- lists ------------------------------------------------------------------------------------


def test_list_filters_by_status_and_home(demo_core):
    ref = christmas_for(demo_core)
    with demo_core.uow() as uow:
        rows = list_leave(uow.session, status=LeaveStatus.MANUAL_REVIEW)
        assert [r.ref for r in rows] == [ref]
        assert rows[0].to_json() == {
            "ref": ref,
            "name": "Jennifer Ross",
            "start_date": "2026-12-24",
            "end_date": "2026-12-24",
            "leave_type": "annual",
            "status": "MANUAL_REVIEW",
            "reason": "Thu 24 Dec is in a blackout period (11 Dec to 8 Jan, every year)",
        }
        everyone = list_leave(uow.session)
        assert [r.ref for r in everyone] == sorted(r.ref for r in everyone)


def test_awaiting_decision_respects_the_managers_homes(demo_core):
    ref = christmas_for(demo_core)
    claire = [r.ref for r in awaiting_decision(demo_core, scope(demo_core, "Claire Docherty"))]
    stuart = [r.ref for r in awaiting_decision(demo_core, scope(demo_core, "Stuart Aitken"))]
    graham = [r.ref for r in awaiting_decision(demo_core, scope(demo_core, "Graham Kerr"))]
    assert ref in claire and ref not in stuart and ref in graham
    assert set(claire) | set(stuart) <= set(graham)
    with pytest.raises(NotAllowed):
        awaiting_decision(demo_core, scope(demo_core, "Sarah MacKenzie"))


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("pending", LeaveStatus.PENDING),
        ("Manual-Review", LeaveStatus.MANUAL_REVIEW),
        ("APPROVED", LeaveStatus.APPROVED),
    ],
)
def test_parse_status(typed, status):
    assert parse_status(typed) == status


def test_unknown_status_lists_the_accepted_ones():
    with pytest.raises(
        InvalidInput, match="use one of: PENDING, APPROVED, MANUAL_REVIEW, DENIED, CANCELLED"
    ):
        parse_status("maybe")
