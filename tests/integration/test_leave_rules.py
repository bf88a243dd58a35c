"""Each automatic-approval rule alone, then together, through ``request_leave`` on the demo
organisation (SQLite). Days from FAR on lie beyond the published rota and the demo's booked
leave, so only the rule under test can fail there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.errors import InvalidInput
from core.leave import LeaveRules, RequestLeave, request_leave
from core.leave.rules import LeaveAsk, min_staffing_rule
from core.models import (
    AuditEntry,
    LeaveEntitlement,
    LeaveRequest,
    LeaveStatus,
    LeaveType,
    OutboundMessage,
    Person,
    PersonKind,
    Shift,
    ShiftKind,
    ShiftStatus,
    SicknessAbsence,
    StaffingRequirement,
)
from tests.conftest import DEMO_TODAY, local

FAR = date(2026, 3, 2)  # a Monday, four weeks after the rota ends
RELAXED = LeaveRules(max_concurrent=99, check_balance=False)  # leaves only min staffing


def person_id(core, name: str) -> int:
    with core.uow() as uow:
        return uow.session.scalars(select(Person.id).where(Person.full_name == name)).one()


def with_leave_from_env(core):
    """The core with its leave rules read again from the (patched) environment: settings are
    read once, when a core is built, so a test that sets a variable builds a core that has it."""
    return core.with_settings(core.settings.model_copy(update={"leave": LeaveRules()}))


def ask(
    core,
    pid: int,
    start: date,
    end: date | None = None,
    leave_type: LeaveType = LeaveType.ANNUAL,
    rules: LeaveRules | None = None,
):
    return request_leave(core, RequestLeave(pid, start, end or start, leave_type), rules=rules)


def add_leave(
    session,
    pid: int,
    start: date,
    end: date,
    status: LeaveStatus,
    leave_type: LeaveType = LeaveType.ANNUAL,
) -> LeaveRequest:
    row = LeaveRequest(
        person_id=pid,
        start_date=start,
        end_date=end,
        leave_type=leave_type,
        status=status,
        days=float((end - start).days + 1),
        created_at=local(DEMO_TODAY),
    )
    session.add(row)
    session.flush()
    return row


def teammates(session, pid: int, n: int) -> list[int]:
    me = session.get(Person, pid)
    ids = list(
        session.scalars(
            select(Person.id)
            .where(
                Person.unit_id == me.unit_id,
                Person.role_code == me.role_code,
                Person.id != pid,
                Person.kind == PersonKind.STAFF,
            )
            .order_by(Person.id)
        )
    )
    assert len(ids) >= n, "the demo gives every unit at least two of each needed role"
    return ids[:n]


def critical_shift(session, first: date, last: date) -> Shift:
    """A rostered shift whose person is the only one present in a cell that needs one, with
    no leave or sickness anywhere near it."""
    shifts = session.scalars(
        select(Shift)
        .where(
            Shift.date >= first,
            Shift.date <= last,
            Shift.person_id.is_not(None),
            Shift.status == ShiftStatus.SCHEDULED,
        )
        .order_by(Shift.date, Shift.id)
    )
    for shift in shifts:
        need = session.scalar(
            select(StaffingRequirement.minimum).where(
                StaffingRequirement.unit_id == shift.unit_id,
                StaffingRequirement.shift_type_code == shift.shift_type_code,
                StaffingRequirement.role_code == shift.role_code,
                StaffingRequirement.weekday == shift.date.weekday(),
            )
        )
        same = session.scalar(
            select(func.count())
            .select_from(Shift)
            .where(
                Shift.unit_id == shift.unit_id,
                Shift.date == shift.date,
                Shift.shift_type_code == shift.shift_type_code,
                Shift.role_code == shift.role_code,
                Shift.status == ShiftStatus.SCHEDULED,
            )
        )
        busy = session.scalar(
            select(func.count())
            .select_from(LeaveRequest)
            .where(
                LeaveRequest.person_id == shift.person_id,
                LeaveRequest.start_date <= shift.date + timedelta(days=20),
                LeaveRequest.end_date >= shift.date - timedelta(days=20),
            )
        )
        sick = session.scalar(
            select(func.count())
            .select_from(SicknessAbsence)
            .where(
                SicknessAbsence.person_id == shift.person_id,
                SicknessAbsence.end_date >= shift.date - 1 * timedelta(days=1),
            )
        )
        others = session.scalar(
            select(func.count())
            .select_from(LeaveRequest)
            .join(Person, Person.id == LeaveRequest.person_id)
            .where(
                Person.unit_id == shift.person.unit_id,
                Person.role_code == shift.person.role_code,
                LeaveRequest.start_date <= shift.date,
                LeaveRequest.end_date >= shift.date,
            )
        )
        if (
            need == 1
            and same == 1
            and not busy
            and not sick
            and not others
            and shift.unit_id == shift.person.unit_id
        ):
            return shift
    raise AssertionError("no critical shift in the demo rota")


def copy_shift(session, shift: Shift, person: int | None, kind=ShiftKind.REGULAR) -> Shift:
    twin = Shift(
        unit_id=shift.unit_id,
        person_id=person,
        role_code=shift.role_code,
        shift_type_code=shift.shift_type_code,
        date=shift.date,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        kind=kind,
    )
    session.add(twin)
    session.flush()
    return twin


def free_colleague(session, shift: Shift) -> int:
    """Someone of the shift's role, not working or off that day (to add as a second person)."""
    busy = set(session.scalars(select(Shift.person_id).where(Shift.date == shift.date)))
    off = set(
        session.scalars(
            select(LeaveRequest.person_id).where(
                LeaveRequest.start_date <= shift.date, LeaveRequest.end_date >= shift.date
            )
        )
    )
    return session.scalars(
        select(Person.id)
        .where(
            Person.role_code == shift.role_code,
            Person.kind == PersonKind.STAFF,
            Person.id.not_in(busy | off),
            Person.unit_id != shift.person.unit_id,
        )
        .order_by(Person.id)
    ).first()


def two_people_one_slot(core) -> tuple[int, int, date]:
    """A shift needing one person, with a free colleague rostered on it too: either of the two
    may take leave that day, not both. Returns (first, second, day). Commits."""
    with core.uow() as uow:
        shift = critical_shift(
            uow.session, DEMO_TODAY + timedelta(days=3), DEMO_TODAY + timedelta(days=20)
        )
        helper = free_colleague(uow.session, shift)
        copy_shift(uow.session, shift, helper)
        uow.commit()
        return shift.person_id, helper, shift.date


# ---- leave type ------------------------------------------------------------------------------


@pytest.mark.parametrize("leave_type", [LeaveType.ANNUAL, LeaveType.PERSONAL, LeaveType.TRAINING])
def test_allowed_types_are_approved_at_once(demo_core, leave_type):
    outcome = ask(demo_core, person_id(demo_core, "Sarah MacKenzie"), FAR, leave_type=leave_type)
    assert outcome.request.status == LeaveStatus.APPROVED
    assert outcome.reasons == [] and outcome.reviewers == []


@pytest.mark.parametrize(
    ("leave_type", "reason"),
    [
        (LeaveType.SICKNESS, "sickness leave is always decided by a manager"),
        (LeaveType.MATERNITY, "maternity leave is always decided by a manager"),
        (LeaveType.UNPAID, "unpaid leave needs a manager's approval"),
        (LeaveType.COMPASSIONATE, "compassionate leave needs a manager's approval"),
    ],
)
def test_other_types_go_to_a_manager_with_the_reason(demo_core, leave_type, reason):
    outcome = ask(demo_core, person_id(demo_core, "Sarah MacKenzie"), FAR, leave_type=leave_type)
    assert outcome.request.status == LeaveStatus.MANUAL_REVIEW
    assert outcome.reasons == [reason]
    assert outcome.request.reason == reason
    assert outcome.reviewers == ["Claire Docherty"]


def test_configured_types_are_honoured(demo_core, monkeypatch):
    monkeypatch.setenv("STAFFBOT_LEAVE_AUTO_APPROVE_TYPES", "annual,unpaid")
    demo_core = with_leave_from_env(demo_core)
    pid = person_id(demo_core, "Sarah MacKenzie")
    assert ask(demo_core, pid, FAR, leave_type=LeaveType.UNPAID).approved
    assert not ask(demo_core, pid, FAR + timedelta(days=7), leave_type=LeaveType.PERSONAL).approved


# ---- length -----------------------------------------------------------------------------------


def test_fourteen_days_pass_fifteen_do_not(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    assert ask(demo_core, pid, FAR, FAR + timedelta(days=13)).approved
    other = person_id(demo_core, "David Wilson")
    outcome = ask(demo_core, other, FAR, FAR + timedelta(days=14))
    assert outcome.request.status == LeaveStatus.MANUAL_REVIEW
    assert outcome.reasons == [
        ("15 days in a row is more than the 14 that can be approved automatically")
    ]


def test_length_limit_is_configurable(demo_core, monkeypatch):
    monkeypatch.setenv("STAFFBOT_LEAVE_MAX_CONSECUTIVE_DAYS", "5")
    demo_core = with_leave_from_env(demo_core)
    outcome = ask(demo_core, person_id(demo_core, "Sarah MacKenzie"), FAR, FAR + timedelta(days=5))
    assert [c.rule for c in outcome.checks if not c.passed] == ["length"]


# ---- blackout ---------------------------------------------------------------------------------


def test_christmas_goes_to_review_with_the_blackout_reason(demo_core):
    outcome = ask(
        demo_core, person_id(demo_core, "Jennifer Ross"), date(2026, 12, 24), date(2026, 12, 26)
    )
    assert outcome.request.status == LeaveStatus.MANUAL_REVIEW
    assert outcome.reasons == [
        ("Thu 24 Dec to Sat 26 Dec is in a blackout period (11 Dec to 8 Jan, every year)")
    ]


def test_the_day_before_the_blackout_is_approved(demo_core):
    assert ask(demo_core, person_id(demo_core, "Jennifer Ross"), date(2026, 12, 10)).approved


def test_blackouts_are_configurable(demo_core, monkeypatch):
    monkeypatch.setenv("STAFFBOT_LEAVE_BLACKOUTS", "2026-03-01/2026-03-03")
    demo_core = with_leave_from_env(demo_core)
    pid = person_id(demo_core, "Jennifer Ross")
    assert ask(demo_core, pid, date(2026, 12, 24)).approved
    outcome = ask(demo_core, pid, FAR)
    assert outcome.reasons == ["Mon 2 Mar is in a blackout period (1 Mar 2026 to 3 Mar 2026)"]


# ---- concurrent leave in the unit and role -------------------------------------------------------


def test_third_person_of_a_role_in_a_unit_goes_to_review(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    with demo_core.uow() as uow:
        a, b = teammates(uow.session, pid, 2)
        add_leave(uow.session, a, FAR - timedelta(days=2), FAR, LeaveStatus.APPROVED)
        add_leave(uow.session, b, FAR, FAR + timedelta(days=3), LeaveStatus.PENDING)
        uow.commit()
    outcome = ask(demo_core, pid, FAR, FAR + timedelta(days=1))
    assert outcome.request.status == LeaveStatus.MANUAL_REVIEW
    assert [c.rule for c in outcome.checks if not c.passed] == ["concurrent"]
    assert outcome.reasons[0].startswith("2 other RNs in ")
    assert "already off or asking on Mon 2 Mar (at most 2 at a time)" in outcome.reasons[0]


def test_one_other_person_off_is_fine(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    with demo_core.uow() as uow:
        (a,) = teammates(uow.session, pid, 1)
        add_leave(uow.session, a, FAR, FAR, LeaveStatus.MANUAL_REVIEW)
        uow.commit()
    assert ask(demo_core, pid, FAR).approved


@pytest.mark.parametrize("status", [LeaveStatus.DENIED, LeaveStatus.CANCELLED])
def test_denied_and_cancelled_leave_do_not_count(demo_core, status):
    pid = person_id(demo_core, "Sarah MacKenzie")
    with demo_core.uow() as uow:
        for other in teammates(uow.session, pid, 2):
            add_leave(uow.session, other, FAR, FAR, status)
        uow.commit()
    assert ask(demo_core, pid, FAR).approved


def test_other_roles_and_other_units_do_not_count(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    with demo_core.uow() as uow:
        me = uow.session.get(Person, pid)
        strangers = list(
            uow.session.scalars(
                select(Person.id)
                .where(
                    Person.kind == PersonKind.STAFF,
                    Person.id != pid,
                    (Person.unit_id != me.unit_id) | (Person.role_code != me.role_code),
                )
                .order_by(Person.id)
                .limit(6)
            )
        )
        for other in strangers:
            add_leave(uow.session, other, FAR, FAR, LeaveStatus.APPROVED)
        uow.commit()
    assert ask(demo_core, pid, FAR).approved


def test_concurrent_limit_is_configurable(demo_core, monkeypatch):
    monkeypatch.setenv("STAFFBOT_LEAVE_MAX_CONCURRENT", "3")
    demo_core = with_leave_from_env(demo_core)
    pid = person_id(demo_core, "Sarah MacKenzie")
    with demo_core.uow() as uow:
        for other in teammates(uow.session, pid, 2):
            add_leave(uow.session, other, FAR, FAR, LeaveStatus.APPROVED)
        uow.commit()
    assert ask(demo_core, pid, FAR).approved


# ---- minimum staffing -------------------------------------------------------------------------


def test_only_person_on_a_needed_shift_goes_to_review(demo_core):
    with demo_core.uow() as uow:
        shift = critical_shift(
            uow.session, DEMO_TODAY + timedelta(days=3), DEMO_TODAY + timedelta(days=20)
        )
        pid, day = shift.person_id, shift.date
        home, unit = shift.unit.home.name, shift.unit.name
        label = {"early": "early", "late": "late", "night": "night"}[shift.shift_type_code]
        role = shift.role_code
    outcome = ask(demo_core, pid, day, rules=RELAXED)
    assert outcome.request.status == LeaveStatus.MANUAL_REVIEW
    assert outcome.reasons == [
        (
            f"minimum staffing: {day:%a} {day.day} {day:%b} {label} ({role}, "
            f"{unit} at {home}) would have 0 of the 1 needed"
        )
    ]


def _second_person_setup(core):
    with core.uow() as uow:
        shift = critical_shift(
            uow.session, DEMO_TODAY + timedelta(days=3), DEMO_TODAY + timedelta(days=20)
        )
        helper = free_colleague(uow.session, shift)
        copy_shift(uow.session, shift, helper, ShiftKind.OVERTIME)
        uow.commit()
        return shift.person_id, shift.date, helper


def test_a_second_person_on_the_shift_makes_it_safe(demo_core):
    pid, day, _ = _second_person_setup(demo_core)
    assert ask(demo_core, pid, day, rules=RELAXED).approved


def test_an_agency_worker_counts_as_cover(demo_core):
    with demo_core.uow() as uow:
        shift = critical_shift(
            uow.session, DEMO_TODAY + timedelta(days=3), DEMO_TODAY + timedelta(days=20)
        )
        copy_shift(uow.session, shift, None, ShiftKind.AGENCY)
        uow.commit()
        pid, day = shift.person_id, shift.date
    assert ask(demo_core, pid, day, rules=RELAXED).approved


@pytest.mark.parametrize("absence", ["approved", "pending", "manual_review", "sick"])
def test_the_second_persons_absence_is_counted(demo_core, absence):
    pid, day, helper = _second_person_setup(demo_core)
    with demo_core.uow() as uow:
        if absence == "sick":
            uow.session.add(
                SicknessAbsence(
                    person_id=helper, start_date=day, end_date=day, reported_at=local(DEMO_TODAY)
                )
            )
        else:
            add_leave(uow.session, helper, day, day, LeaveStatus(absence.upper()))
        uow.commit()
    outcome = ask(demo_core, pid, day, rules=RELAXED)
    assert [c.rule for c in outcome.checks if not c.passed] == ["min_staffing"]


def test_a_cancelled_shift_is_not_cover(demo_core):
    with demo_core.uow() as uow:
        shift = critical_shift(
            uow.session, DEMO_TODAY + timedelta(days=3), DEMO_TODAY + timedelta(days=20)
        )
        twin = copy_shift(uow.session, shift, free_colleague(uow.session, shift))
        twin.status = ShiftStatus.CANCELLED
        uow.commit()
        pid, day = shift.person_id, shift.date
    assert not ask(demo_core, pid, day, rules=RELAXED).approved


def test_not_rostered_means_nothing_to_cover(demo_core):
    with demo_core.uow() as uow:
        shift = critical_shift(
            uow.session, DEMO_TODAY + timedelta(days=3), DEMO_TODAY + timedelta(days=20)
        )
        pid, day = shift.person_id, shift.date
        worked = set(uow.session.scalars(select(Shift.date).where(Shift.person_id == pid)))
    free_day = next(
        day + timedelta(days=i) for i in range(1, 9) if day + timedelta(days=i) not in worked
    )
    result = None
    with demo_core.uow() as uow:
        result = min_staffing_rule(
            uow.session, LeaveAsk(pid, None, None, free_day, free_day, LeaveType.ANNUAL)
        )
    assert result.passed


def test_several_short_shifts_are_named_with_a_count(demo_core):
    with demo_core.uow() as uow:
        shift = critical_shift(
            uow.session, DEMO_TODAY + timedelta(days=3), DEMO_TODAY + timedelta(days=6)
        )
        pid = shift.person_id
        dates = sorted(
            set(
                uow.session.scalars(
                    select(Shift.date).where(Shift.person_id == pid, Shift.date > DEMO_TODAY)
                )
            )
        )
        result = min_staffing_rule(
            uow.session, LeaveAsk(pid, None, None, dates[0], dates[-1], LeaveType.ANNUAL)
        )
    assert not result.passed
    assert result.reason.count("would have") == min(3, len(dates))
    if len(dates) > 3:
        assert result.reason.endswith(
            f"and {len(dates) - 3} more shift{'s' if len(dates) > 4 else ''}"
        )


# ---- balance (the entitlement) ----------------------------------------------------------------


def test_leave_beyond_the_entitlement_goes_to_review(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    with demo_core.uow() as uow:
        ent = uow.session.scalars(
            select(LeaveEntitlement).where(
                LeaveEntitlement.person_id == pid, LeaveEntitlement.year == 2026
            )
        ).one()
        ent.days = 2
        uow.commit()
    outcome = ask(demo_core, pid, FAR, FAR + timedelta(days=2))
    assert [c.rule for c in outcome.checks if not c.passed] == ["balance"]
    assert "it needs 3 days of 2026 leave but only" in outcome.reasons[0]
    # personal leave is not drawn from the entitlement; the check can be switched off
    assert ask(demo_core, pid, FAR + timedelta(days=7), leave_type=LeaveType.PERSONAL).approved
    assert ask(
        demo_core, pid, FAR + timedelta(days=14), rules=LeaveRules(check_balance=False)
    ).approved


def test_no_entitlement_for_the_year_goes_to_review(demo_core):
    outcome = ask(demo_core, person_id(demo_core, "Sarah MacKenzie"), date(2027, 3, 1))
    assert outcome.reasons == ["no leave entitlement is recorded for 2027"]


# ---- all together ------------------------------------------------------------------------------


def test_every_failed_rule_is_reported_at_once(demo_core):
    pid = person_id(demo_core, "Jennifer Ross")
    christmas = date(2026, 12, 22)
    with demo_core.uow() as uow:
        for other in teammates(uow.session, pid, 2):
            add_leave(
                uow.session,
                other,
                date(2026, 12, 20),
                date(2026, 12, 31),
                LeaveStatus.APPROVED,
                LeaveType.ANNUAL,
            )
        # rostered alone on an early RN shift that needs one, in the blackout
        template = uow.session.scalars(
            select(Shift).where(Shift.person_id == pid).order_by(Shift.id.desc())
        ).first()
        shift = copy_shift(uow.session, template, pid)
        shift.date, shift.shift_type_code = christmas, "early"
        shift.starts_at = local(christmas, "07:00")
        shift.ends_at = local(christmas, "15:00")
        uow.commit()
    rules = LeaveRules(auto_approve_types=[LeaveType.PERSONAL])  # annual needs a manager here
    outcome = ask(
        demo_core, pid, date(2026, 12, 20), date(2027, 1, 10), LeaveType.ANNUAL, rules=rules
    )
    failed = [c.rule for c in outcome.checks if not c.passed]
    assert failed == ["leave_type", "length", "blackout", "concurrent", "min_staffing", "balance"]
    assert outcome.request.reason == "; ".join(outcome.reasons)
    assert "Tue 22 Dec early (RN," in outcome.request.reason
    assert "no leave entitlement is recorded for 2027" in outcome.request.reason


def test_all_rules_pass_together(demo_core):
    outcome = ask(
        demo_core,
        person_id(demo_core, "Jennifer Ross"),
        FAR,
        FAR + timedelta(days=4),
        LeaveType.TRAINING,
    )
    assert outcome.approved and all(c.passed for c in outcome.checks)
    assert [c.rule for c in outcome.checks] == [
        "leave_type",
        "length",
        "blackout",
        "concurrent",
        "min_staffing",
        "balance",
    ]


# ---- refused outright (no record) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (DEMO_TODAY - timedelta(days=1), DEMO_TODAY, "is in the past"),
        (FAR, FAR - timedelta(days=1), "before it starts"),
    ],
)
def test_past_or_backwards_requests_are_refused_without_a_record(demo_core, start, end, message):
    with demo_core.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(LeaveRequest))
    with pytest.raises(InvalidInput, match=message):
        ask(demo_core, person_id(demo_core, "Sarah MacKenzie"), start, end)
    with demo_core.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(LeaveRequest)) == before


def test_today_is_allowed(demo_core):
    outcome = ask(demo_core, person_id(demo_core, "Graham Kerr"), DEMO_TODAY)
    assert outcome.request.status in (LeaveStatus.APPROVED, LeaveStatus.MANUAL_REVIEW)


def test_overlapping_ones_own_leave_is_refused(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    first = ask(demo_core, pid, FAR, FAR + timedelta(days=2))
    with pytest.raises(InvalidInput, match=f"ref {first.request.ref}, approved"):
        ask(demo_core, pid, FAR + timedelta(days=2))


# ---- what a review leaves behind ----------------------------------------------------------------


def test_review_notifies_the_homes_manager_with_buttons_and_is_audited(demo_core):
    pid = person_id(demo_core, "Jennifer Ross")
    outcome = ask(demo_core, pid, date(2026, 12, 24))
    ref = outcome.request.ref
    with demo_core.uow() as uow:
        msgs = list(
            uow.session.scalars(
                select(OutboundMessage).where(OutboundMessage.kind == "leave.review")
            )
        )
        assert len(msgs) == 1
        msg = msgs[0]
        manager = uow.session.get(Person, msg.person_id)
        assert manager.full_name == "Claire Docherty" and str(msg.channel) == "slack"
        assert msg.payload["ref"] == ref and msg.payload["name"] == "Jennifer Ross"
        assert msg.payload["reasons"] == outcome.reasons
        assert msg.payload["actions"] == [
            {
                "label": "Approve",
                "intent": "leave.approve",
                "slots": {"ref": ref},
                "style": "primary",
            },
            {"label": "Deny", "intent": "leave.deny", "slots": {"ref": ref}, "style": "danger"},
        ]
        audit = [
            (a.action, a.before and a.before["status"], a.after["status"])
            for a in uow.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "leave_request", AuditEntry.entity_id == str(ref))
                .order_by(AuditEntry.id)
            )
        ]
        assert audit == [
            ("leave.requested", None, "PENDING"),
            ("leave.sent_for_review", "PENDING", "MANUAL_REVIEW"),
        ]


def test_auto_approval_is_audited_with_the_balance_before_and_after(demo_core):
    pid = person_id(demo_core, "Sarah MacKenzie")
    outcome = ask(demo_core, pid, FAR, FAR + timedelta(days=1))
    with demo_core.uow() as uow:
        entry = uow.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "leave.auto_approved",
                AuditEntry.entity_id == str(outcome.request.ref),
            )
        ).one()
        assert entry.actor == "leave rules"
        assert entry.before["balance"]["booked"] + 2 == entry.after["balance"]["booked"]
        assert {c["rule"] for c in entry.after["checks"]} >= {"min_staffing", "blackout"}
        assert not uow.session.scalars(select(OutboundMessage)).all()
