from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import NotAllowed
from core.models import LeaveRequest, LeaveStatus, LeaveType, Person, Shift, SicknessAbsence
from core.permissions import scope_for
from core.staffing import on_shift, staffing_gaps
from tests.conftest import DEMO_TODAY, local

DAY = DEMO_TODAY + timedelta(days=5)


def _a_rostered_shift(session):
    return session.scalars(
        select(Shift).where(Shift.date == DAY, Shift.person_id.is_not(None)).order_by(Shift.id)
    ).first()


def _gap_for(rows, shift):
    return [
        g
        for g in rows
        if g.shift_type == shift.shift_type_code
        and g.role == shift.role_code
        and g.unit == shift.unit.name
        and g.home == shift.unit.home.name
    ]


def test_approved_leave_turns_a_rostered_shift_into_a_gap(demo_core):
    with demo_core.uow() as uow:
        s = uow.session
        shift = _a_rostered_shift(s)
        assert not _gap_for(staffing_gaps(s, DAY, DAY), shift)
        s.add(
            LeaveRequest(
                person_id=shift.person_id,
                start_date=DAY,
                end_date=DAY,
                leave_type=LeaveType.ANNUAL,
                status=LeaveStatus.APPROVED,
                days=1,
                created_at=local(DEMO_TODAY),
            )
        )
        s.flush()
        gap = _gap_for(staffing_gaps(s, DAY, DAY), shift)
        assert gap and gap[0].short == 1
        names = [r.name for r in on_shift(s, DAY, DAY)]
        assert shift.person.full_name not in names


def test_pending_leave_does_not_count_as_absent(demo_core):
    with demo_core.uow() as uow:
        s = uow.session
        shift = _a_rostered_shift(s)
        s.add(
            LeaveRequest(
                person_id=shift.person_id,
                start_date=DAY,
                end_date=DAY,
                leave_type=LeaveType.ANNUAL,
                status=LeaveStatus.PENDING,
                days=1,
                created_at=local(DEMO_TODAY),
            )
        )
        s.flush()
        assert not _gap_for(staffing_gaps(s, DAY, DAY), shift)


def test_sickness_turns_a_rostered_shift_into_a_gap(demo_core):
    with demo_core.uow() as uow:
        s = uow.session
        shift = _a_rostered_shift(s)
        s.add(
            SicknessAbsence(
                person_id=shift.person_id,
                start_date=DAY,
                end_date=DAY,
                reported_at=local(DEMO_TODAY),
            )
        )
        s.flush()
        assert _gap_for(staffing_gaps(s, DAY, DAY), shift)


def test_filters_by_home_role_and_shift_type(demo_core):
    with demo_core.uow() as uow:
        s = uow.session
        start, end = DEMO_TODAY, DEMO_TODAY + timedelta(days=6)
        everything = staffing_gaps(s, start, end)
        nights = staffing_gaps(s, start, end, shift_type="night", role="RN")
        assert nights and all(g.shift_type == "night" and g.role == "RN" for g in nights)
        assert len(nights) < len(everything)
        vg = s.scalars(select(Person).where(Person.full_name == "Claire Docherty")).one().home_id
        only_vg = staffing_gaps(s, start, end, frozenset({vg}))
        assert only_vg and {g.home for g in only_vg} == {"Victoria Gardens"}


def test_permissions_manager_sees_own_home_head_sees_all_staff_see_themselves(demo_core):
    with demo_core.uow() as uow:
        s = uow.session
        people = {p.full_name: p for p in s.scalars(select(Person))}
        claire, graham, sarah, david = (
            scope_for(people[n])
            for n in ("Claire Docherty", "Graham Kerr", "Sarah MacKenzie", "David Wilson")
        )
        vg, hh = people["Sarah MacKenzie"].home_id, people["David Wilson"].home_id
        assert claire.can_see_home(vg) and not claire.can_see_home(hh)
        assert claire.homes_to_query(None) == frozenset({vg})
        with pytest.raises(NotAllowed):
            claire.homes_to_query(hh)
        assert graham.homes_to_query(None) is None and graham.can_see_home(hh)
        assert sarah.can_see_person(people["Sarah MacKenzie"])
        assert not sarah.can_see_person(people["Jennifer Ross"])
        assert not david.is_manager
        with pytest.raises(NotAllowed):
            david.homes_to_query(None)
