"""The neighbourhood search: after the whole model's share of the time it re-solves blocks
of the best rota; whatever it keeps must still meet every hard rule, and the objective it
reports must be the rota's own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.rota import curtois
from core.rota.check import check
from core.rota.solver import solve

DATA = Path(__file__).resolve().parents[2] / "bench" / "data" / "rostering"


def test_the_neighbourhood_search_keeps_every_hard_rule() -> None:
    rules = replace(curtois.benchmark_rules(8.0), lns_after=0.25, lns_step=1.0)
    p = curtois.parse((DATA / "Instance5.txt").read_text(), rules)
    s = solve(p, diagnose=False)
    assert s.status in ("FEASIBLE", "OPTIMAL")
    assert check(p, s.assignments) == []
    # the objective is the rota's: its parts add up to it, and it is not below the bound
    assert s.objective is not None and s.bound is not None
    assert sum(s.terms.values()) == s.objective
    assert s.bound <= s.objective
    # cover below target is what the parts say: count it from the rota itself
    have: dict[tuple[int, str], int] = {}
    for a in s.assignments:
        have[(a.day, a.shift)] = have.get((a.day, a.shift), 0) + 1
    under = sum(
        (c.under_weight or 0) * max(0, c.required - have.get((c.day, c.shift), 0)) for c in p.cover
    )
    assert under == s.terms.get("cover", 0)


def test_off_by_default_in_the_product_and_set_by_home_size() -> None:
    from core.rota.config import RotaSettings

    assert RotaSettings().rules(staff=28).lns_after == 1.0
    assert RotaSettings().rules(staff=176).lns_after == 1.0
    settings = RotaSettings(lns_after=0.8, large_home_lns_after=0.4)
    assert settings.rules(staff=28).lns_after == 0.8
    assert settings.rules(staff=176).lns_after == 0.4
