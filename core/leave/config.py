"""The leave rules' settings, read from the environment (``STAFFBOT_LEAVE_*``).

Lists may be given as JSON (``["annual","personal"]``) or comma-separated (``annual,personal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.models import LeaveType

# Never approved by a rule, whatever the configuration says: these need a person's judgement.
NEVER_AUTO_APPROVED = frozenset({LeaveType.SICKNESS, LeaveType.MATERNITY})


@dataclass(frozen=True)
class Blackout:
    """A period when leave is not approved automatically: every year (``12-11/01-08``, may
    wrap over New Year) or once (``2026-07-01/2026-07-05``)."""

    start: tuple[int, int] | date  # (month, day) when it recurs every year
    end: tuple[int, int] | date
    text: str

    @property
    def recurring(self) -> bool:
        return not isinstance(self.start, date)

    def occurrences(self, first: date, last: date) -> list[tuple[date, date]]:
        """Every concrete (start, end) of this blackout that could touch first..last."""
        if isinstance(self.start, date) and isinstance(self.end, date):
            return [(self.start, self.end)]
        assert isinstance(self.start, tuple) and isinstance(self.end, tuple)
        wraps = self.end < self.start
        spans = []
        for year in range(first.year - 1, last.year + 1):
            s = _on(year, self.start)
            e = _on(year + 1 if wraps else year, self.end)
            spans.append((s, e))
        return spans

    def overlap(self, first: date, last: date) -> tuple[date, date] | None:
        """The first stretch of first..last inside this blackout, if any."""
        for s, e in self.occurrences(first, last):
            lo, hi = max(s, first), min(e, last)
            if lo <= hi:
                return lo, hi
        return None

    @property
    def label(self) -> str:
        if isinstance(self.start, date) and isinstance(self.end, date):
            return f"{_day(self.start)} {self.start.year} to {_day(self.end)} {self.end.year}"
        assert isinstance(self.start, tuple) and isinstance(self.end, tuple)
        return f"{_md(self.start)} to {_md(self.end)}, every year"


def _on(year: int, month_day: tuple[int, int]) -> date:
    month, day = month_day
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year: the day before 1 March
        return date(year, month + 1, 1) - timedelta(days=1)


def _day(d: date) -> str:
    return f"{d.day} {d:%b}"


def _md(month_day: tuple[int, int]) -> str:
    return _day(date(2000, *month_day))


def parse_blackout(text: str) -> Blackout:
    """``MM-DD/MM-DD`` (every year) or ``YYYY-MM-DD/YYYY-MM-DD`` (once)."""
    raw = text.strip()
    first, sep, last = raw.partition("/")
    if not sep:
        first, sep, last = raw.partition("..")
    if not sep:
        raise ValueError(f"blackout {text!r}: use MM-DD/MM-DD or YYYY-MM-DD/YYYY-MM-DD")
    try:
        if len(first.strip()) == 5 and len(last.strip()) == 5:
            s = tuple(int(x) for x in first.strip().split("-"))
            e = tuple(int(x) for x in last.strip().split("-"))
            date(2000, *s), date(2000, *e)  # validates month and day (2000 is a leap year)
            return Blackout(s, e, raw)  # type: ignore[arg-type]
        sd, ed = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError as exc:
        raise ValueError(f"blackout {text!r}: {exc}") from exc
    if ed < sd:
        raise ValueError(f"blackout {text!r} ends before it starts")
    return Blackout(sd, ed, raw)


def _split(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("["):
            import json

            return json.loads(value)
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class LeaveRules(BaseSettings):
    """What a request must meet to be approved without a manager. Every failed rule gives a
    reason; the minimum-staffing rule has no switch, it is the safety guarantee."""

    model_config = SettingsConfigDict(env_prefix="STAFFBOT_LEAVE_", extra="ignore")

    # STAFFBOT_LEAVE_AUTO_APPROVE_TYPES: types a rule may approve (sickness, maternity never)
    auto_approve_types: Annotated[list[LeaveType], NoDecode] = [
        LeaveType.ANNUAL,
        LeaveType.PERSONAL,
        LeaveType.TRAINING,
    ]
    # STAFFBOT_LEAVE_MAX_CONSECUTIVE_DAYS: longest request a rule may approve (calendar days)
    max_consecutive_days: int = 14
    # STAFFBOT_LEAVE_BLACKOUTS: periods sent to a manager (default: Christmas and New Year)
    blackouts: Annotated[list[str], NoDecode] = ["12-11/01-08"]
    # STAFFBOT_LEAVE_MAX_CONCURRENT: people of one role in one unit off at once (approved and
    # awaiting a decision, including this request) that a rule may allow
    max_concurrent: int = 2
    # STAFFBOT_LEAVE_CHECK_BALANCE: annual-type leave must fit in what is left of the year's
    # entitlement to be approved automatically
    check_balance: bool = True
    # STAFFBOT_LEAVE_BALANCE_TYPES: leave types drawn from the yearly entitlement
    balance_types: Annotated[list[LeaveType], NoDecode] = [LeaveType.ANNUAL]

    @field_validator("auto_approve_types", "balance_types", "blackouts", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split(value)

    @field_validator("auto_approve_types")
    @classmethod
    def _never_sickness(cls, value: list[LeaveType]) -> list[LeaveType]:
        banned = sorted(str(t) for t in value if t in NEVER_AUTO_APPROVED)
        if banned:
            raise ValueError(f"{', '.join(banned)} leave is never approved automatically")
        return value

    @field_validator("blackouts")
    @classmethod
    def _valid_blackouts(cls, value: list[str]) -> list[str]:
        for item in value:
            parse_blackout(item)
        return value

    @field_validator("max_consecutive_days", "max_concurrent")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value

    def blackout_periods(self) -> list[Blackout]:
        return [parse_blackout(b) for b in self.blackouts]


def load_leave_rules() -> LeaveRules:
    return LeaveRules()
