"""Publishing never overwrites what changed since a draft was made: a draft for overlapping
dates published in between, a change to the rota itself, or to the shifts next to the
draft's dates, refuses it. And the days worked just before a draft's dates (read from the
database) bind the draft the way they bind the checker."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.app import Core
from core.directory import find_home, find_person
from core.models import Shift, ShiftKind, ShiftStatus
from core.rota import service
from core.rota.config import RotaSettings
from core.rota.inputs import load_problem
from core.timeutil import shift_window
from core.uow import Actor
from tests.conftest import make_core, requires_pg
from tests.integration.test_rota import HOME, generate, shift_count

ACTOR = Actor.system("test")


def scheduled(core: Core, start: date, end: date) -> set[tuple[int | None, str, str]]:
    with core.uow() as uow:
        vg = find_home(uow.session, HOME)
        rows = uow.session.scalars(
            select(Shift).where(
                Shift.unit_id.in_([u.id for u in vg.units]),
                Shift.status == ShiftStatus.SCHEDULED,
                Shift.date >= start,
                Shift.date <= end,
            )
        ).all()
        return {(s.person_id, s.date.isoformat(), s.shift_type_code) for s in rows}


def test_a_draft_overlapping_one_published_since_is_refused(demo_core: Core) -> None:
    first = generate(demo_core, date(2026, 2, 9))  # 9-15 February
    second = generate(demo_core, date(2026, 2, 12))  # 12-18 February, made after
    service.publish(demo_core, second["ref"], ACTOR)
    written = scheduled(demo_core, date(2026, 2, 12), date(2026, 2, 18))
    before = shift_count(demo_core)
    with pytest.raises(service.DraftOutdated) as refused:
        service.publish(demo_core, first["ref"], ACTOR)
    changes = refused.value.changes
    assert changes[0].startswith(f"draft {second['ref']} (2026-02-12 to 2026-02-18) was published")
    assert any(": rota " in c and " on 2026-02-1" in c for c in changes[1:])
    # nothing was overwritten: the second draft's rota stands
    assert shift_count(demo_core) == before
    assert scheduled(demo_core, date(2026, 2, 12), date(2026, 2, 18)) == written
    assert service.show(demo_core, first["ref"])["published"] is False


def test_a_draft_is_refused_when_the_rota_itself_changed(demo_core: Core) -> None:
    """Someone cancels a shift of the current rota in the draft's dates by hand."""
    start = date(2026, 1, 19)
    doc = generate(demo_core, start)
    with demo_core.uow() as uow:
        vg = find_home(uow.session, HOME)
        row = uow.session.scalars(
            select(Shift)
            .where(
                Shift.unit_id.in_([u.id for u in vg.units]),
                Shift.status == ShiftStatus.SCHEDULED,
                Shift.kind == ShiftKind.REGULAR,
                Shift.coverage_request_id.is_(None),
                Shift.person_id.is_not(None),
                Shift.date == start + timedelta(days=3),
            )
            .order_by(Shift.id)
        ).first()
        assert row is not None
        name, code = row.person.full_name, row.shift_type_code
        row.status = ShiftStatus.CANCELLED
        uow.commit()
    with pytest.raises(service.DraftOutdated) as refused:
        service.publish(demo_core, doc["ref"], ACTOR)
    assert f"{name}: rota {code} on 2026-01-22 in " in "; ".join(refused.value.changes)
    assert any(c.endswith(" removed") for c in refused.value.changes)


def test_a_draft_is_refused_when_the_days_next_to_it_changed(demo_core: Core) -> None:
    """The week before is published after the draft for the week after was made: the days in
    a row and hours the later draft was solved with no longer hold."""
    later = generate(demo_core, date(2026, 2, 16))
    earlier = generate(demo_core, date(2026, 2, 9))
    service.publish(demo_core, earlier["ref"], ACTOR)
    with pytest.raises(service.DraftOutdated) as refused:
        service.publish(demo_core, later["ref"], ACTOR)
    assert any("shift next to the draft's dates" in c for c in refused.value.changes)


def test_days_worked_before_the_draft_bind_it(demo_core: Core) -> None:
    """Sarah MacKenzie works the six days before the draft (the most in a row): the draft
    never gives her its first day, and she is in the problem's history with all six."""
    start = date(2026, 2, 16)  # the demo's rota stops on 10 February
    with demo_core.uow() as uow:
        sarah = find_person(uow.session, "Sarah MacKenzie")
        for row in uow.session.scalars(
            select(Shift).where(
                Shift.person_id == sarah.id,
                Shift.date >= start - timedelta(days=6),
                Shift.date < start,
                Shift.status == ShiftStatus.SCHEDULED,
            )
        ):
            row.status = ShiftStatus.CANCELLED
        for back in range(1, 7):
            day = start - timedelta(days=back)
            starts, ends = shift_window(day, "07:00", "15:00", demo_core.zone)
            uow.session.add(
                Shift(
                    unit_id=sarah.unit_id,
                    person_id=sarah.id,
                    role_code="RN",
                    shift_type_code="early",
                    date=day,
                    starts_at=starts,
                    ends_at=ends,
                    kind=ShiftKind.REGULAR,
                    status=ShiftStatus.SCHEDULED,
                )
            )
        uow.commit()
        hp = load_problem(
            uow.session,
            find_home(uow.session, HOME),
            start,
            start + timedelta(days=6),
            RotaSettings(),
        )
    assert sorted(hp.problem.outside["Sarah MacKenzie"]) == [(d, "early") for d in range(-6, 0)]
    assert hp.problem.outside_days >= 7
    doc = generate(demo_core, start)  # its checker call sees the history too
    first_day = [
        a
        for a in doc["assignments"]
        if a["name"] == "Sarah MacKenzie" and a["date"] == "2026-02-16"
    ]
    assert first_day == []


@requires_pg
def test_two_overlapping_publishes_at_once_on_postgresql(pg_demo_url: str) -> None:
    """Both drafts were made from the same rota; published at the same moment, one wins and
    the other is refused (the home's row is locked for the check and the writes)."""
    core = make_core(pg_demo_url)
    try:
        first = generate(core, date(2026, 2, 9))
        second = generate(core, date(2026, 2, 12))
        outcomes: dict[int, str] = {}
        gate = threading.Barrier(2)

        def publish(ref: int) -> None:
            gate.wait()
            try:
                service.publish(core, ref, ACTOR)
                outcomes[ref] = "published"
            except service.DraftOutdated:
                outcomes[ref] = "refused"

        threads = [threading.Thread(target=publish, args=(d["ref"],)) for d in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes.values()) == ["published", "refused"]
    finally:
        core.engine.dispose()
