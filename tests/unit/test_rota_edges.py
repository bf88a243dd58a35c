"""The rules across a horizon's edges: shifts already worked in the days before it (and
booked in the days after it) count for days in a row, hours in any 7 days, days off between
runs, weekends and rest, in the model and in the independent checker alike."""

from __future__ import annotations

from core.rota.check import check
from core.rota.problem import Cover, Problem, Rules, ShiftDef, Staff, Weights
from core.rota.solver import Assignment, solve

EARLY = ShiftDef("early", 7 * 60, 8 * 60, 8)
NIGHT = ShiftDef("night", 21 * 60 + 45, 10 * 60, 10, night=True)
FREE = Weights(fairness_nights=0, fairness_weekends=0)


def person(name: str, rate: float, **kw: object) -> Staff:
    base: dict[str, object] = dict(
        key=name,
        role="RN",
        units=("Rowan",),
        max_minutes=10**6,
        rate=rate,
        max_consecutive=None,
        min_days_off=None,
        max_weekends=None,
    )
    base.update(kw)
    return Staff(**base)  # type: ignore[arg-type]


def week(staff: list[Staff], shift: ShiftDef, days: int = 7, **kw: object) -> Problem:
    """One person on ``shift`` each day; A is cheap, B dear, so A works unless a rule stops it."""
    return Problem(
        days=days,
        shifts=[EARLY, NIGHT],
        staff=staff,
        cover=[Cover(d, "Rowan", shift.code, "RN", 1) for d in range(days)],
        rules=Rules(time_limit=5, weights=FREE),
        **kw,
    )  # type: ignore[arg-type]


def a_days(p: Problem) -> set[int]:
    s = solve(p)
    assert s.status == "OPTIMAL", s.status
    assert check(p, s.assignments) == []
    return {a.day for a in s.assignments if a.staff == "A"}


def test_days_worked_before_the_horizon_count_for_days_in_a_row() -> None:
    staff = [person("A", 10, max_consecutive=5), person("B", 40, max_consecutive=7)]
    before = [(d, "early") for d in range(-5, 0)]  # Wednesday to Sunday before
    p = week(staff, EARLY, outside={"A": before}, outside_days=7)
    # the checker sees the sixth day in a row ...
    bad = [Assignment("A", 0, "early", "Rowan")]
    assert {v.rule for v in check(p, bad, skip_cover=True)} == {"max_consecutive"}
    # ... and the model keeps A off on day 0 (works days 1-5 again, then rests)
    worked = a_days(p)
    assert 0 not in worked and len(worked) == 5
    # without that history A starts on day 0
    assert 0 in a_days(week(staff, EARLY))


def test_hours_worked_before_the_horizon_count_for_48_hours_in_7_days() -> None:
    staff = [person("A", 10), person("B", 40)]
    before = [(d, "night") for d in range(-4, 0)]  # 40 h in the four nights before
    p = week(staff, NIGHT, outside={"A": before}, outside_days=7)
    bad = [Assignment("A", 0, "night", "Rowan")]
    assert {v.rule for v in check(p, bad, skip_cover=True)} == {"max_48h"}
    # a night on day 0, 1 or 2 would make 50 h with the four before (days -6..0 to -4..2);
    # from day 3 the window holds three of them, so A works days 3-6: 40 h in days 0-6
    assert a_days(p) == {3, 4, 5, 6}
    assert len(a_days(week(staff, NIGHT))) == 4  # with no history: any four nights


def test_shifts_booked_after_the_horizon_count_too() -> None:
    staff = [person("A", 10, max_consecutive=3), person("B", 40, max_consecutive=7)]
    after = [(d, "early") for d in range(7, 10)]  # days 7-9 already booked
    p = week(staff, EARLY, outside={"A": after}, outside_days=7)
    bad = [Assignment("A", 6, "early", "Rowan")]
    assert {v.rule for v in check(p, bad, skip_cover=True)} == {"max_consecutive"}
    assert 6 not in a_days(p)


def test_rest_across_both_edges() -> None:
    """A night the day before day 0 rules out an early on day 0; an early booked the day after
    the last day rules out a night on it."""
    staff = [person("A", 10), person("B", 40)]
    p = Problem(
        days=3,
        shifts=[EARLY, NIGHT],
        staff=staff,
        cover=[Cover(0, "Rowan", "early", "RN", 1), Cover(2, "Rowan", "night", "RN", 1)],
        rules=Rules(time_limit=5, weights=FREE),
        outside={"A": [(-1, "night"), (3, "early")]},
        outside_days=7,
    )
    for bad in (Assignment("A", 0, "early", "Rowan"), Assignment("A", 2, "night", "Rowan")):
        assert {v.rule for v in check(p, [bad], skip_cover=True)} == {"rest"}
    assert a_days(p) == set()


def test_days_off_between_runs_across_the_start() -> None:
    """A worked the day before day 0: a single day off then work again is too short a break."""
    staff = [person("A", 10, min_days_off=2), person("B", 40)]
    p = Problem(
        days=3,
        shifts=[EARLY, NIGHT],
        staff=staff,
        cover=[Cover(1, "Rowan", "early", "RN", 1)],
        rules=Rules(time_limit=5, weights=FREE),
        outside={"A": [(-1, "early")]},
        outside_days=7,
    )
    bad = [Assignment("A", 1, "early", "Rowan")]
    assert {v.rule for v in check(p, bad, skip_cover=True)} == {"min_days_off"}
    worked = a_days(p)
    # A may work day 1 only by working day 0 too (an unrequested shift, cheaper than B)
    assert worked in (set(), {0, 1})


def test_a_weekend_begun_before_the_horizon_counts_as_worked() -> None:
    """The horizon starts on a Sunday; A worked the Saturday before, so that weekend is one
    of A's, and with at most one A cannot work the next weekend too."""
    staff = [person("A", 10, max_weekends=1), person("B", 40)]
    p = week(staff, EARLY, days=8, first_weekday=6, outside={"A": [(-1, "early")]}, outside_days=7)
    assert p.weekday(0) == 6 and p.weekday(6) == 5
    bad = [Assignment("A", 6, "early", "Rowan")]
    assert {v.rule for v in check(p, bad, skip_cover=True)} == {"max_weekends"}
    worked = a_days(p)
    assert 6 not in worked and 7 not in worked
    # without the Saturday before, A may work one of the draft's two weekends, never both
    alone = a_days(week(staff, EARLY, days=8, first_weekday=6))
    assert not ({0} & alone and {6, 7} & alone)


def test_what_lies_wholly_outside_is_not_the_drafts_breach() -> None:
    """Seven days in a row booked after the horizon break nothing the draft decides."""
    staff = [person("A", 10, max_consecutive=5), person("B", 40, max_consecutive=7)]
    after = [(d, "early") for d in range(8, 15)]
    p = week(staff, EARLY, outside={"A": after}, outside_days=8)
    # A works one day; B the rest (a 48 h breach of B's would be the draft's: not this test)
    draft = [Assignment("A", 0, "early", "Rowan")]
    draft += [Assignment("B", d, "early", "Rowan") for d in range(1, 7)]
    assert check(p, draft) == []
    assert a_days(p)  # and the model still gives A work


def test_a_contract_minimum_binds_someone_given_no_shift() -> None:
    staff = [person("A", 10, min_minutes=16 * 60), person("B", 40)]
    p = week(staff, EARLY)
    draft = [Assignment("B", d, "early", "Rowan") for d in range(6)]
    draft.append(Assignment("A", 6, "early", "Rowan"))
    assert [v.rule for v in check(p, draft)] == ["contracted_hours"]  # A: 8 h of 16
    only_b = [Assignment("B", d, "early", "Rowan") for d in range(7)]
    assert [(v.rule, v.staff) for v in check(p, only_b) if v.rule == "contracted_hours"] == [
        ("contracted_hours", "A")
    ]
