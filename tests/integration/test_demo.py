"""The demo organisation is the contract tests, benchmarks and new users rely on."""

from datetime import timedelta

from sqlalchemy import func, select

from core.demo import NAMED_STAFF, build_demo
from core.models import (
    Home,
    Offer,
    OvertimePreference,
    Person,
    PersonKind,
    Shift,
    TrainingRecord,
    Unit,
)
from core.phones import reveal_phone
from core.staffing import staffing_gaps
from tests.conftest import DEMO_TODAY, ZONE, make_core, requires_pg


def test_homes_channels_and_named_people_exist(demo_core):
    with demo_core.uow() as uow:
        s = uow.session
        homes = {h.name: h.slack_channel for h in s.scalars(select(Home))}
        assert homes == {
            "Victoria Gardens": "#victoria-gardens",
            "Hawthorn House": "#hawthorn-house",
            "Orchard Grove": "#orchard-grove",
            "Meadowburn": "#meadowburn",
            "Riverside Court": "#riverside-court",
        }
        by_name = {p.full_name: p for p in s.scalars(select(Person))}
        sarah = by_name["Sarah MacKenzie"]
        assert (sarah.role_code, sarah.home.name, sarah.slack_user_id) == (
            "RN",
            "Victoria Gardens",
            "USARAH001",
        )
        assert by_name["Tom Baxter"].slack_user_id == "UTOMBAX01"
        claire = by_name["Claire Docherty"]
        assert claire.kind == PersonKind.MANAGER and claire.home.name == "Victoria Gardens"
        assert claire.slack_user_id == "UCLAIRE01"
        graham = by_name["Graham Kerr"]
        assert graham.kind == PersonKind.HEAD and graham.slack_user_id == "UGRAHAM01"
        assert (
            s.scalar(
                select(func.count()).select_from(Person).where(Person.kind == PersonKind.MANAGER)
            )
            == 5
        )
        aisha = s.get(OvertimePreference, by_name["Aisha Rahman"].id)
        assert aisha is not None and not aisha.opted_in
        fiona = s.get(OvertimePreference, by_name["Fiona Grant"].id)
        assert fiona is not None and fiona.opted_in and fiona.day_kinds == ["weekend"]
        jennifer = s.get(OvertimePreference, by_name["Jennifer Ross"].id)
        assert jennifer is not None and jennifer.home_ids == [by_name["Jennifer Ross"].home_id]
        assert jennifer.shift_types == ["night"]


def test_generated_names_never_share_a_first_name_or_surname_with_named_people(demo_core):
    named = [s["name"] for s in NAMED_STAFF] + ["Claire Docherty", "Graham Kerr"]
    firsts = {n.split()[0] for n in named}
    lasts = {n.split()[1] for n in named}
    with demo_core.uow() as uow:
        for person in uow.session.scalars(select(Person)):
            if person.full_name in named:
                continue
            assert person.first_name not in firsts, person.full_name
            assert person.last_name not in lasts, person.full_name


def test_phone_numbers_are_fictional_uk_range_and_encrypted(demo_core):
    with demo_core.uow() as uow:
        people = [(p.phone or "") for p in uow.session.scalars(select(Person))]
    numbers = [reveal_phone(p) for p in people]
    assert all(n and n.startswith("+447700900") and len(n) == 13 for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert all("7700900" not in stored for stored in people)


def test_history_future_rota_training_and_the_promised_gap(demo_core):
    with demo_core.uow() as uow:
        s = uow.session
        first = s.scalar(select(func.min(Shift.date)))
        last = s.scalar(select(func.max(Shift.date)))
        assert (DEMO_TODAY - first).days >= 730
        assert last >= DEMO_TODAY + timedelta(days=27)
        gaps = staffing_gaps(s, DEMO_TODAY + timedelta(days=2), DEMO_TODAY + timedelta(days=2))
        assert any(
            g.home == "Victoria Gardens" and g.shift_type == "night" and g.role == "RN"
            for g in gaps
        )
        soon = s.scalar(
            select(func.count())
            .select_from(TrainingRecord)
            .where(
                TrainingRecord.expires_on >= DEMO_TODAY,
                TrainingRecord.expires_on <= DEMO_TODAY + timedelta(days=30),
            )
        )
        assert soon > 0
        kinds = {str(u.kind) for u in s.scalars(select(Unit))}
        assert "nursing" in kinds and len(kinds) >= 2


def test_demo_is_deterministic(tmp_path, demo_url):
    """A fresh build equals the suite's demo template: the same build, made earlier and
    often in another process (so no process-dependent hashing or ordering either)."""
    from core.db import upgrade

    def contents(url):
        core = make_core(url)
        with core.uow() as uow:
            s = uow.session
            found = (
                s.scalar(select(func.count(Shift.id))),
                s.scalar(select(func.count(Offer.id))),
                list(s.scalars(select(Person.full_name).order_by(Person.id))),
                staffing_gaps(s, DEMO_TODAY, DEMO_TODAY + timedelta(days=6)),
            )
        core.engine.dispose()
        return found

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    core = make_core(url)
    with core.uow() as uow:
        summary = build_demo(uow.session, DEMO_TODAY, "small", ZONE)
        uow.commit()
    core.engine.dispose()
    fresh = contents(url)
    assert (summary.shifts, summary.offers) == fresh[:2]
    assert fresh == contents(demo_url)


@requires_pg
def test_demo_loads_on_postgres(pg_demo_url):
    core = make_core(pg_demo_url)
    with core.uow() as uow:
        gaps = staffing_gaps(
            uow.session, DEMO_TODAY + timedelta(days=2), DEMO_TODAY + timedelta(days=2)
        )
        assert any(
            g.home == "Victoria Gardens" and g.role == "RN" and g.shift_type == "night"
            for g in gaps
        )
    core.engine.dispose()


def test_every_named_person_has_a_rota_in_the_coming_weeks(demo_core):
    """The README and docs name these people; each works in the published four weeks
    (Tom Baxter, an SSW whose nursing unit rosters no SSW, works his home's dementia lates)."""
    with demo_core.uow() as uow:
        s = uow.session
        for spec in NAMED_STAFF:
            person = s.scalars(select(Person).where(Person.full_name == spec["name"])).one()
            shifts = list(
                s.scalars(
                    select(Shift).where(Shift.person_id == person.id, Shift.date > DEMO_TODAY)
                )
            )
            assert shifts, f"{spec['name']} has no shifts"
            assert {sh.role_code for sh in shifts} == {spec["role"]}
            homes = {s.get(Unit, sh.unit_id).home_id for sh in shifts}
            assert person.home_id in homes
        tom = s.scalars(select(Person).where(Person.full_name == "Tom Baxter")).one()
        toms = sorted(
            s.scalars(select(Shift).where(Shift.person_id == tom.id, Shift.date > DEMO_TODAY)),
            key=lambda sh: sh.starts_at,
        )
        assert len(toms) >= 8  # about three a week over the four weeks
        rests = [b.starts_at - a.ends_at for a, b in zip(toms, toms[1:], strict=False)]
        assert min(rests) >= timedelta(hours=11)


def test_paper10_is_fifty_distinct_homes_and_about_eight_thousand_staff():
    from core.demo import SCALES, home_names

    scale = SCALES["paper10"]
    names = home_names(len(scale.units_per_home))
    assert len(names) == 50 == len(set(names)) and names[:5] == [
        "Victoria Gardens",
        "Hawthorn House",
        "Orchard Grove",
        "Meadowburn",
        "Riverside Court",
    ]
    assert scale.staff_total == 8210 and sum(scale.units_per_home) == 420
