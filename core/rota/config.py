"""Rota settings: rule modes, goal weights, limits and the solver's budget.

Read from ``STAFFBOT_ROTA_*`` variables. A rule's mode is ``hard``, ``off`` or ``soft:W``
(soft, costing W per breach), e.g. ``STAFFBOT_ROTA_MAX_WEEKENDS=soft:400``.
"""

from __future__ import annotations

from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import InvalidInput
from core.rota.problem import RULE_NAMES, Mode, Rule, Rules, Weights


class RotaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STAFFBOT_ROTA_", extra="ignore")

    time_limit: float = 20.0  # seconds per solve
    gap_target: float = 0.0  # stop when within this fraction of the proven bound (0.01 = 1%)
    workers: int = 2  # CP-SAT search workers (this deployment: 2 cores)
    # the LP with every clause in it proves a home's month optimal in seconds; a full-LP
    # worker plus a pseudo-cost search one found it fastest on 2 cores (docs/rota.md)
    linearization: int = 2
    subsolvers: str = "max_lp,pseudo_costs"
    # a big home (paper scale: 176 staff) found no rota in 60 s with the two named workers on
    # the loaded machine; CP-SAT's own portfolio (local search, LNS) finds one quickly, with a
    # weaker bound: homes with more staff than this use it ("" = the portfolio)
    large_home_staff: int = 60
    large_home_subsolvers: str = ""
    # neighbourhood search (docs/rota.md): the whole model first gets this share of the time
    # limit, then blocks of the best rota are re-solved for the rest (1 = never). A home's
    # month is proven optimal by the whole model in seconds; on the paper-scale home (176
    # staff) 0.4 did worse in 60 s than the portfolio alone (each block re-presolves the
    # whole model), so it is off for both until it does better there
    lns_after: float = 1.0
    large_home_lns_after: float = 1.0

    # rule modes
    cover: str = "hard"
    absence: str = "hard"
    rest: str = "hard"
    max_48h: str = "hard"
    max_consecutive: str = "hard"
    min_consecutive: str = "off"
    min_days_off: str = "hard"
    max_weekends: str = "hard"
    contracted_hours: str = "hard"
    max_shift_type: str = "hard"
    backup: str = "hard"
    # backup pairs, "Backup Name>Covered Name;..." (the backup works whenever the other is off)
    backups: str = ""

    # limits
    rest_hours: float = 11.0
    max_hours_7d: float = 48.0
    max_consecutive_days: int = 6
    min_consecutive_days: int = 2
    min_days_off_between_runs: int = 2
    weekends_share: float = 0.5  # at most this share of the horizon's weekends (rounded up)
    contract_min_share: float = 0.5  # worked hours at least this share of contract (pro rata)
    overtime_hours_per_week: float = 12.0  # hours above contract allowed, per week
    bank_max_hours_per_week: float = 37.5

    # pay multipliers on each person's hourly rate: permanent < bank < overtime < agency
    bank_multiplier: float = 1.15
    overtime_multiplier: float = 1.5
    agency_multiplier: float = 2.2

    # goal weights (objective units; cost is per pound)
    weight_cost: int = 1
    weight_fairness_nights: int = 20
    weight_fairness_weekends: int = 20
    weight_preferences: int = 15
    weight_pending_leave: int = 40  # per day worked that the person asked to have off
    weight_continuity: int = 10
    weight_over_cover: int = 5

    def rules(self, time_limit: float | None = None, staff: int = 0) -> Rules:
        """The rules for a home of ``staff`` people (its size picks the search workers)."""
        large = staff > self.large_home_staff
        workers = self.large_home_subsolvers if large else self.subsolvers
        modes: dict[str, Any] = {name: parse_mode(getattr(self, name), name) for name in RULE_NAMES}
        return Rules(
            **modes,
            weights=Weights(
                cost=self.weight_cost,
                fairness_nights=self.weight_fairness_nights,
                fairness_weekends=self.weight_fairness_weekends,
                preferences=self.weight_preferences,
                continuity=self.weight_continuity,
                over_cover=self.weight_over_cover,
            ),
            rest_hours=self.rest_hours,
            max_hours_7d=self.max_hours_7d,
            time_limit=time_limit if time_limit is not None else self.time_limit,
            gap_target=self.gap_target,
            workers=self.workers,
            linearization=self.linearization,
            subsolvers=tuple(x.strip() for x in workers.split(",") if x.strip()),
            lns_after=self.large_home_lns_after if large else self.lns_after,
        )

    def backup_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for item in self.backups.split(";"):
            if ">" in item:
                backup, covered = item.split(">", 1)
                pairs.append((backup.strip(), covered.strip()))
        return pairs


def parse_mode(value: str, name: str) -> Rule:
    text = value.strip().lower()
    if text == "hard":
        return Rule.hard()
    if text == "off":
        return Rule.off()
    if text.startswith("soft"):
        _, _, weight = text.partition(":")
        try:
            return Rule(Mode.SOFT, int(weight or 1000))
        except ValueError as exc:
            raise InvalidInput(f"rota rule {name}: {value!r} is not hard, off or soft:W") from exc
    raise InvalidInput(f"rota rule {name}: {value!r} is not hard, off or soft:W")
