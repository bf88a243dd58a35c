"""The independent checker (core.leave.safety) replays every automatic approval and recounts
cover from the raw tables. Here: a seeded stream of requests over the published rota must
produce no unsafe approval, and the checker must catch one when the staffing rule is broken."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from core.errors import InvalidInput
from core.leave import (
    CancelLeave,
    DecideLeave,
    LeaveRules,
    RequestLeave,
    cancel_leave,
    decide_leave,
    request_leave,
)
from core.leave import rules as leave_rules
from core.leave.rules import RuleResult
from core.leave.safety import check_auto_approvals
from core.models import AuditEntry, LeaveStatus, LeaveType, Person, PersonKind, SicknessAbsence
from core.permissions import scope_for
from core.uow import Actor
from tests.conftest import DEMO_TODAY, local
from tests.integration.test_leave_rules import two_people_one_slot

TYPES = [LeaveType.ANNUAL] * 8 + [LeaveType.PERSONAL, LeaveType.TRAINING, LeaveType.UNPAID]


def _stream(core, n: int, seed: int, rules: LeaveRules | None = None) -> dict[str, int]:
    """n requests over the published rota, with sickness, manager decisions and cancellations
    mixed in, as the test data the checker replays."""
    rng = random.Random(seed)
    with core.uow() as uow:
        staff = list(
            uow.session.scalars(
                select(Person.id).where(Person.kind == PersonKind.STAFF).order_by(Person.id)
            )
        )
        head = scope_for(
            uow.session.scalars(select(Person).where(Person.kind == PersonKind.HEAD)).one()
        )
    counts = {"approved": 0, "review": 0, "refused": 0}
    reviews: list[int] = []
    approved: list[int] = []
    for i in range(n):
        start = DEMO_TODAY + timedelta(days=rng.randint(0, 24))
        end = start + timedelta(days=rng.choice([0, 0, 1, 2, 4]))
        try:
            outcome = request_leave(
                core, RequestLeave(rng.choice(staff), start, end, rng.choice(TYPES)), rules=rules
            )
        except InvalidInput:
            counts["refused"] += 1
            continue
        if outcome.approved:
            counts["approved"] += 1
            approved.append(outcome.request.ref)
        else:
            counts["review"] += 1
            reviews.append(outcome.request.ref)
        if i % 15 == 7:  # someone calls in sick (cover drops after the approvals so far)
            with core.uow() as uow:
                day = DEMO_TODAY + timedelta(days=rng.randint(1, 20))
                uow.session.add(
                    SicknessAbsence(
                        person_id=rng.choice(staff),
                        start_date=day,
                        end_date=day,
                        reported_at=uow.now(),
                    )
                )
                uow.commit()
        if i % 10 == 9 and reviews:  # the head of service decides one review
            decide_leave(core, DecideLeave(rng.random() < 0.5, ref=reviews.pop(0)), head)
        if i % 25 == 24 and approved:
            cancel_leave(core, CancelLeave(approved.pop(rng.randrange(len(approved)))))
    return counts


def test_no_automatic_approval_breaks_minimum_staffing(demo_core):
    counts = _stream(demo_core, 160, seed=7)
    with demo_core.uow() as uow:
        report = check_auto_approvals(uow.session)
    assert counts["approved"] >= 30 and counts["review"] >= 30, counts
    assert report.checked == counts["approved"]
    assert report.unsafe == []


def test_the_checker_catches_approvals_when_the_staffing_rule_is_switched_off(
    demo_core, monkeypatch
):
    # sabotage: the rule always passes, so the rota alone no longer protects anyone
    monkeypatch.setattr(
        leave_rules, "min_staffing_rule", lambda session, ask: RuleResult("min_staffing", True)
    )
    _stream(demo_core, 80, seed=11, rules=LeaveRules(max_concurrent=99, check_balance=False))
    with demo_core.uow() as uow:
        report = check_auto_approvals(uow.session)
    assert report.checked > 0
    assert len(report.unsafe) > 0
    bad = report.unsafe[0]
    assert bad.present < bad.minimum


def test_a_later_manager_approval_does_not_make_an_earlier_auto_approval_unsafe(demo_core):
    first, second, day = two_people_one_slot(demo_core)
    relaxed = LeaveRules(max_concurrent=99, check_balance=False)
    auto = request_leave(demo_core, RequestLeave(first, day, day), rules=relaxed)
    assert auto.approved
    later = request_leave(demo_core, RequestLeave(second, day, day), rules=relaxed)
    assert later.reasons and "minimum staffing" in later.reasons[0]
    decide_leave(
        demo_core,
        DecideLeave(True, ref=later.request.ref),
        scope_for_name(demo_core, "Graham Kerr"),
    )  # a person's choice, not a rule's
    with demo_core.uow() as uow:
        report = check_auto_approvals(uow.session)
    assert report.checked == 1 and report.ok


def test_an_approval_that_ignored_an_absence_is_reported(demo_core):
    first, second, day = two_people_one_slot(demo_core)
    with demo_core.uow() as uow:
        uow.session.add(
            SicknessAbsence(
                person_id=second, start_date=day, end_date=day, reported_at=local(DEMO_TODAY)
            )
        )
        uow.commit()
    outcome = request_leave(
        demo_core,
        RequestLeave(first, day, day),
        rules=LeaveRules(max_concurrent=99, check_balance=False),
    )
    assert not outcome.approved
    # forge what a faulty rule would have written: the same request, approved automatically
    with demo_core.uow() as uow:
        from core.models import LeaveRequest

        row = uow.session.get(LeaveRequest, outcome.request.ref)
        uow.audit(
            Actor.system("leave rules"),
            "leave.auto_approved",
            "leave_request",
            row.id,
            before={"status": "MANUAL_REVIEW"},
            after={"status": "APPROVED"},
        )
        row.status = LeaveStatus.APPROVED
        uow.commit()
        report = check_auto_approvals(uow.session)
        entries = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == str(row.id))
        ).all()
    assert len(entries) == 3
    assert [(u.ref, u.day, u.present, u.minimum) for u in report.unsafe] == [
        (outcome.request.ref, day, 0, 1)
    ]


def scope_for_name(core, name: str):
    with core.uow() as uow:
        return scope_for(uow.session.scalars(select(Person).where(Person.full_name == name)).one())


def test_no_auto_approvals_means_nothing_to_check(demo_core):
    with demo_core.uow() as uow:
        report = check_auto_approvals(uow.session)
    assert report.checked == 0 and report.ok
    assert date(2026, 1, 14) == DEMO_TODAY
