"""The cheaper reads on the receive path (issue 19) give the same answers as before: a
person's rota on plain columns, their swaps filtered by day in the query, and a bare YES
from someone nobody asked about a swap settled in one statement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from core.models import Person, PersonKind, Shift, ShiftStatus
from core.staffing import rota_for_person, shifts_for_person
from core.swaps.models import AskResponse, Swap, SwapAsk, SwapKind, SwapStatus
from core.swaps.service import answer_target, swaps_for


def _staff_with_shifts(core, count):  # type: ignore[no-untyped-def]
    with core.read() as uow:
        return list(
            uow.session.scalars(
                select(Shift.person_id)
                .join(Person, Person.id == Shift.person_id)
                .where(Person.kind == PersonKind.STAFF, Shift.status == ShiftStatus.SCHEDULED)
                .group_by(Shift.person_id)
                .order_by(Shift.person_id)
                .limit(count)
            )
        )


def _statements(core):  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(core.engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(core.engine, "before_cursor_execute", note)


def test_rota_on_plain_columns_is_the_orm_rota(demo_core):
    today = demo_core.today()
    start, end = today - timedelta(days=7), today + timedelta(days=21)
    people = _staff_with_shifts(demo_core, 12)
    assert len(people) == 12
    for pid in people:
        with demo_core.read() as uow:
            expected = [
                (s.date, s.shift_type_code, s.starts_at, s.ends_at, s.unit.home.name, s.unit.name)
                for s in shifts_for_person(uow.session, pid, start, end)
            ]
        got = rota_for_person(demo_core, pid, start, end)
        assert [(r.date, r.shift_type, r.starts_at, r.ends_at, r.home, r.unit) for r in got] == (
            expected
        )
        assert expected, pid


def _swap(uow, person, shift, other=None, status=SwapStatus.PENDING):  # type: ignore[no-untyped-def]
    swap = Swap(
        kind=SwapKind.SWAP if other is not None else SwapKind.GIVEAWAY,
        status=status,
        home_id=person.home_id,
        from_person_id=person.id,
        shift_id=shift.id,
        other_shift_id=other.id if other is not None else None,
        created_at=uow.now(),
        expires_at=uow.now() + timedelta(days=2),
    )
    uow.session.add(swap)
    uow.session.flush()
    return swap.id


def test_swaps_for_lists_only_swaps_of_days_still_to_come(demo_core):
    today = demo_core.today()
    with demo_core.uow() as uow:
        s = uow.session
        person = s.get(Person, _staff_with_shifts(demo_core, 1)[0])
        shifts = list(
            s.scalars(select(Shift).where(Shift.person_id == person.id).order_by(Shift.date))
        )
        past = [x for x in shifts if x.date < today]
        coming = [x for x in shifts if x.date >= today]
        if len(past) < 2 or len(coming) < 2:
            pytest.skip("the demo gives this person too few shifts either side of today")
        gone = _swap(uow, person, past[0], status=SwapStatus.APPROVED)
        ahead = _swap(uow, person, coming[0])
        back_later = _swap(uow, person, past[1], other=coming[1], status=SwapStatus.DENIED)
        uow.commit()
    listed = swaps_for(demo_core, person.id, today)
    assert [v.ref for v in listed] == sorted([ahead, back_later])
    assert gone not in [v.ref for v in listed]
    assert {v.shift.date for v in listed} == {coming[0].date, past[1].date}
    assert swaps_for(demo_core, person.id, coming[1].date + timedelta(days=1)) == []


def test_a_yes_from_someone_never_asked_about_a_swap_costs_one_read(demo_core):
    pid = _staff_with_shifts(demo_core, 1)[0]
    seen, stop = _statements(demo_core)
    try:
        assert answer_target(demo_core, pid) is None
    finally:
        stop()
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1


def test_an_open_swap_ask_is_what_a_bare_yes_answers(demo_core):
    today = demo_core.today()
    with demo_core.uow() as uow:
        s = uow.session
        asker_id, colleague_id = _staff_with_shifts(demo_core, 2)
        asker = s.get(Person, asker_id)
        shift = s.scalars(
            select(Shift).where(Shift.person_id == asker_id, Shift.date > today).limit(1)
        ).first()
        assert shift is not None
        ref = _swap(uow, asker, shift)
        s.add(
            SwapAsk(
                swap_id=ref, person_id=colleague_id, response=AskResponse.SENT, asked_at=uow.now()
            )
        )
        uow.commit()
    assert answer_target(demo_core, colleague_id) == ref
    with demo_core.uow() as uow:
        uow.session.get(Swap, ref).status = SwapStatus.CANCELLED
        uow.commit()
    # no longer open, but asked lately about a shift still to come: the YES is told it has gone
    assert answer_target(demo_core, colleague_id) == ref
