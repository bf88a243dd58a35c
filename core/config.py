"""Settings, read once from the environment (``STAFFBOT_*`` and the providers' own names).

One class, ``Settings``, read once by ``bootstrap()`` and handed down (``core.settings``).
Its sections are part of that one read:

- ``settings.overtime`` (``STAFFBOT_OT_*``): outreach rules and ranking weights
- ``settings.leave`` (``STAFFBOT_LEAVE_*``): what a leave request needs to be approved by rule
- ``settings.dashboards`` (``STAFFBOT_DASH_*``): the agency rates behind the cost estimates
- ``settings.swaps`` (``STAFFBOT_SWAP_*``, ``core.swaps.config.SwapRules``) and
  ``settings.rota`` (``STAFFBOT_ROTA_*``, ``core.rota.config.RotaSettings``), defined beside
  their capabilities
- ``settings.alerts`` (``STAFFBOT_ALERT_*``, ``STAFFBOT_FORECAST_FIT_AT``), ``settings.sms``
  (Twilio and pacing) and ``settings.slack``: typed views over the flat fields
  (``settings.alert_forecast_days``, ``settings.slack_bot_token``, ...), which stay readable

Nothing is attached to a ``Settings`` or a ``Core`` later: a caller that wants other values
builds other settings (``settings.with_overtime(wave_size=1)``, ``core.with_settings(...)``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from core.models import LeaveType
from core.rota.config import RotaSettings
from core.swaps.config import SwapRules

# The project folder (where ``./dev.py demo`` builds the demo). With no STAFFBOT_DATABASE_URL,
# every command uses the demo's SQLite file there, so the README's commands all see the demo.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DB_FILE = PROJECT_ROOT / "staffbot-demo.db"
DEFAULT_DATABASE_URL = f"sqlite:///{DEMO_DB_FILE}"


class AlertSettings(BaseModel):
    """When each proactive alert is due and how far it looks (``STAFFBOT_ALERT_*``)."""

    model_config = ConfigDict(frozen=True)

    daily_gaps_at: str
    forecast_at: str
    training_at: str
    weekly_summary_at: str
    grace_minutes: float
    forecast_days: int
    forecast_threshold: float
    training_days: int
    auto_cover_days: int
    forecast_fit_at: str


class SmsSettings(BaseModel):
    """Twilio credentials (the provider's own variable names) and pacing."""

    model_config = ConfigDict(frozen=True)

    account_sid: str | None
    auth_token: str | None
    from_number: str | None
    api_url: str | None
    rate_per_second: float
    unknown_replies_per_day: int

    @property
    def configured(self) -> bool:
        return bool(self.account_sid and self.auth_token and self.from_number)


class SlackSettings(BaseModel):
    """Slack credentials (the provider's own variable names)."""

    model_config = ConfigDict(frozen=True)

    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_url: str | None


# ---- sections with environment prefixes of their own ----------------------------------------
# Each is also a settings class on its own (``OvertimeSettings()`` reads ``STAFFBOT_OT_*``), so
# a test or a bench can build one; the application reads them all in ``Settings()``.

# ---- overtime (STAFFBOT_OT_*) ---------------------------------------------------------------

# The two ranking profiles (points out of 100). "reliability" asks who is most likely to say
# yes quickly; "balanced" spreads overtime by asking the available and under-used first.
RELIABILITY_WEIGHTS = {
    "acceptance_rate": 40.0,
    "recent_overtime": 30.0,
    "experience": 20.0,
    "not_contacted_recently": 10.0,
}
BALANCED_WEIGHTS = {
    "availability": 40.0,
    "acceptance_rate": 25.0,
    "fairness": 20.0,
    "home_preference": 10.0,
    "response_speed": 5.0,
}
# "likely" (for a band with time to spare): who is likeliest to say yes, without favouring
# those who did overtime lately, so the hours still spread
LIKELY_WEIGHTS = {
    "acceptance_rate": 40.0,
    "experience": 25.0,
    "fairness": 25.0,
    "response_speed": 10.0,
}
COMPONENTS = (
    "acceptance_rate",
    "recent_overtime",
    "experience",
    "not_contacted_recently",
    "availability",
    "fairness",
    "home_preference",
    "response_speed",
    "cost",
)


class OvertimeSettings(BaseSettings):
    """Every number outreach uses; each can be set as ``STAFFBOT_OT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="STAFFBOT_OT_", extra="ignore")

    profile: str = "balanced"  # default ranking profile: balanced or reliability
    weights_reliability: dict[str, float] = dict(RELIABILITY_WEIGHTS)
    weights_balanced: dict[str, float] = dict(BALANCED_WEIGHTS)
    weights_likely: dict[str, float] = dict(LIKELY_WEIGHTS)  # only a band's profile

    wave_size: int = 5  # people texted per wave (--max-contacts)
    wave_interval_minutes: float = 30.0  # wait between waves
    deadline_hours: float = 2.0  # offers close this long before the shift starts
    min_notice_hours: float = 3.0  # nobody is newly asked for a shift starting sooner
    quiet_override_hours: float = 12.0  # quiet hours are ignored for shifts starting this soon

    min_rest_hours: float = 11.0  # between the end of one shift and the start of the next
    max_hours_7d: float = 48.0  # in any 7 days, this shift included
    max_offers_per_day: int = 3  # offers one person may receive in 24 hours
    max_offers_per_week: int = 10  # ... and in 7 days

    prior_strength: float = 3.0  # pseudo-offers behind the acceptance prior for new staff
    recent_days: int = 90  # "recent overtime" window
    fairness_days: int = 90  # overtime-hours window for fairness (ranking and report)
    reason_window_hours: float = 24.0  # a decline's reason is taken this long after asking

    sickness_opens_request: bool = True  # a reported sick shift starts outreach at once
    sickness_send: bool = True  # ... and texts the first wave (False: request only)

    # withdrawals: closer than this to the start, the manager decides whether to reopen
    withdraw_manager_hours: float = 12.0
    # reminders to whoever holds the shift: the evening before (quiet hours respected) and,
    # for a night, the afternoon of the shift
    reminder_evening: str = "18:00"
    reminder_night_day: str = "14:00"

    # cost in the ranking: hourly rate x (1 + premium) against the agency's hourly cost;
    # weight 0 (the default) leaves scores as they were, the cost still shown
    cost_weight: float = 0.0
    overtime_premium: float = 0.5
    agency_hourly_cost: float = 38.0
    # mandatory courses per role: a lapsed one excludes the person (role "*": everyone)
    mandatory_training: dict[str, list[str]] = {}

    # waves by urgency ("urgency", the default) or the fixed wave_size / interval ("fixed").
    # Each band: up to max_hours before the start, wave size (0: everyone eligible at once)
    # and minutes between waves. Chosen with bench/outreach_sim.py (docs/overtime.md).
    wave_policy: str = "urgency"
    # offer_caps 0: the daily and weekly offer caps do not apply in that band; "profile" may
    # name the ranking profile for a band
    urgency_bands: list[dict[str, Any]] = [
        {"max_hours": 6, "wave_size": 0, "interval_minutes": 5, "offer_caps": 0},
        {"max_hours": 48, "wave_size": 4, "interval_minutes": 30},
        {"max_hours": 1e9, "wave_size": 2, "interval_minutes": 120},
    ]

    def band_for(self, hours_to_start: float) -> dict[str, Any]:
        """The urgency band for a shift this many hours away."""
        for band in sorted(self.urgency_bands, key=lambda b: b["max_hours"]):
            if hours_to_start <= band["max_hours"]:
                return band
        return {
            "max_hours": 1e9,
            "wave_size": self.wave_size,
            "interval_minutes": self.wave_interval_minutes,
        }

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        if value not in ("balanced", "reliability"):
            raise ValueError("profile must be 'balanced' or 'reliability'")
        return value

    @field_validator("weights_reliability", "weights_balanced", "weights_likely")
    @classmethod
    def _known_components(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(COMPONENTS)
        if unknown:
            raise ValueError(
                f"unknown ranking components {sorted(unknown)}; known: {', '.join(COMPONENTS)}"
            )
        if sum(value.values()) <= 0:
            raise ValueError("ranking weights must add up to more than 0")
        return value

    def weights(self, profile: str | None = None) -> dict[str, float]:
        name = profile or self.profile
        if name == "reliability":
            return self.weights_reliability
        if name == "balanced":
            return self.weights_balanced
        if name == "likely":
            return self.weights_likely
        raise ValueError(f"unknown ranking profile {name!r}; use balanced or reliability")


PROFILES = ("balanced", "reliability")


# ---- leave (STAFFBOT_LEAVE_*) ----------------------------------------------------------------
# Lists may be given as JSON (``["annual","personal"]``) or comma-separated (``annual,personal``).

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


# ---- dashboards (STAFFBOT_DASH_*) ------------------------------------------------------------


class DashboardSettings(BaseSettings):
    """The dashboards' cost estimates (``STAFFBOT_DASH_*``). Agency cost is the cost recorded
    with a booking; where none was given, hours are priced at an hourly rate per role."""

    model_config = SettingsConfigDict(env_prefix="STAFFBOT_DASH_", extra="ignore")

    # GBP an hour charged by agencies, by role (typical UK care-agency rates)
    agency_rates: dict[str, float] = {"RN": 48.0, "SSW": 29.0, "HCA": 25.0}
    agency_rate_default: float = 30.0

    def agency_rate(self, role: str | None) -> float:
        return self.agency_rates.get(role or "", self.agency_rate_default)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STAFFBOT_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    now: str | None = None  # pins the clock start, local time, e.g. 2026-01-14T09:00
    timezone: str = "Europe/London"
    public_url: str = "http://localhost:8000"
    log_level: str = "WARNING"
    # key material for encrypting phone numbers and reasons at rest and hashing phones for
    # look-up; no default (core/secrets.py): a SQLite demo keeps a generated one beside it
    secret_key: str | None = None

    # Provider credentials use the providers' own variable names.
    twilio_account_sid: str | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_ACCOUNT_SID")
    )
    twilio_auth_token: str | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_AUTH_TOKEN")
    )
    twilio_from_number: str | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_FROM_NUMBER")
    )
    twilio_api_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_API_URL")
    )
    # SMS pacing: texts per second from one sending number (Twilio queues beyond ~1/s on a
    # long code); and how many generic replies a day an unknown number gets before silence
    sms_rate_per_second: float = 1.0
    sms_unknown_replies_per_day: int = 3
    slack_bot_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN")
    )
    slack_signing_secret: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    slack_app_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN")
    )
    slack_api_url: str | None = Field(default=None, validation_alias=AliasChoices("SLACK_API_URL"))

    # Proactive alerts (core/alerts). When each is due, as local time in ``timezone``:
    # "HH:MM" daily, "Mon HH:MM" weekly, "" (or "off") never. A run missed by up to
    # ``alert_grace_minutes`` (scheduler down, restart) is caught up; older ones are skipped.
    alert_daily_gaps_at: str = "07:00"  # per home, today and tomorrow + open outreach
    alert_forecast_at: str = "07:30"  # per home, when the forecast exceeds the rota
    alert_training_at: str = "Mon 08:00"  # per home, to its manager
    alert_weekly_summary_at: str = "Mon 08:30"  # overtime and fairness, to the head of service
    alert_grace_minutes: float = 60.0
    alert_forecast_days: int = 7  # days ahead the forecast alert looks (from tomorrow)
    # shifts a unit-day's point forecast must exceed its rota by (1 would flag rounding noise)
    alert_forecast_threshold: float = 2.0
    alert_training_days: int = 30  # training lapsing within this many days
    alert_auto_cover_days: int = 0  # >0: the daily gap run opens outreach for gaps this close
    forecast_fit_at: str = "02:00"  # nightly forecast fit (scheduler cron job)
    # how long the assistant's last question stays answerable (core.conversation_state)
    conversation_minutes: int = Field(default=30, ge=1, le=24 * 60)

    # The sections with prefixes of their own, read in the same ``Settings()`` as the rest
    # (``_Sections`` below); never from one variable of their own (no ``STAFFBOT_OVERTIME``).
    overtime: OvertimeSettings = Field(default_factory=OvertimeSettings)
    leave: LeaveRules = Field(default_factory=LeaveRules)
    dashboards: DashboardSettings = Field(default_factory=DashboardSettings)
    swaps: SwapRules = Field(default_factory=SwapRules)  # STAFFBOT_SWAP_* (core/swaps/config.py)
    rota: RotaSettings = Field(default_factory=RotaSettings)  # STAFFBOT_ROTA_* (core/rota)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            _Sections(settings_cls),
            _FlatEnv(settings_cls),
            dotenv_settings,
            file_secret_settings,
        )

    @field_validator("now")
    @classmethod
    def _now_is_a_time(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"STAFFBOT_NOW {value!r} is not a date and time; use local time "
                "as YYYY-MM-DDTHH:MM, e.g. 2026-01-14T09:00"
            ) from None
        return value.strip()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"STAFFBOT_TIMEZONE {value!r} is not a time zone; use an IANA "
                "name such as Europe/London"
            ) from None
        return value

    @model_validator(mode="after")
    def _demo_key_when_unset(self) -> Settings:
        """No STAFFBOT_SECRET_KEY: a demo database's own key, when it has one."""
        if not self.secret_key:
            from core.secrets import read_demo_key

            object.__setattr__(self, "secret_key", read_demo_key(self.database_url))
        return self

    def require_secret(self) -> str:
        """The secret key, or ``MissingSecret`` saying how to set one."""
        from core.secrets import require_key

        return require_key(self.secret_key, "this database")

    def check_startup_secrets(self) -> None:
        """The web and scheduler processes start only with every secret they need."""
        from core.secrets import MissingSecret, channel_secret_problems

        self.require_secret()
        problems = channel_secret_problems(
            twilio_account_sid=self.twilio_account_sid,
            twilio_auth_token=self.twilio_auth_token,
            twilio_from_number=self.twilio_from_number,
            slack_bot_token=self.slack_bot_token,
            slack_signing_secret=self.slack_signing_secret,
            slack_app_token=self.slack_app_token,
        )
        if problems:
            raise MissingSecret(" ".join(problems))

    @field_validator("database_url")
    @classmethod
    def _looks_like_a_url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            make_url(value)
        except ArgumentError:
            raise ValueError(
                f"STAFFBOT_DATABASE_URL {value!r} is not a database URL; use e.g. "
                "sqlite:///staffbot.db or "
                "postgresql+psycopg://user@host:5432/name"
            ) from None
        return value

    # ---- sections ---------------------------------------------------------------------------

    def with_overtime(self, **changes: Any) -> Settings:
        """These settings with other overtime values (validated), e.g. for a test or the
        outreach simulator; this object is left as it is."""
        return self.model_copy(update={"overtime": _changed(self.overtime, changes)})

    def with_leave(self, **changes: Any) -> Settings:
        """These settings with other leave rules (validated); this object is left as it is."""
        return self.model_copy(update={"leave": _changed(self.leave, changes)})

    def with_dashboards(self, **changes: Any) -> Settings:
        """These settings with other dashboard values (validated)."""
        return self.model_copy(update={"dashboards": _changed(self.dashboards, changes)})

    def with_swaps(self, **changes: Any) -> Settings:
        """These settings with other swap rules (validated)."""
        return self.model_copy(update={"swaps": _changed(self.swaps, changes)})

    def with_rota(self, **changes: Any) -> Settings:
        """These settings with other rota rules and solver budget (validated)."""
        return self.model_copy(update={"rota": _changed(self.rota, changes)})

    @property
    def alerts(self) -> AlertSettings:
        return AlertSettings(
            daily_gaps_at=self.alert_daily_gaps_at,
            forecast_at=self.alert_forecast_at,
            training_at=self.alert_training_at,
            weekly_summary_at=self.alert_weekly_summary_at,
            grace_minutes=self.alert_grace_minutes,
            forecast_days=self.alert_forecast_days,
            forecast_threshold=self.alert_forecast_threshold,
            training_days=self.alert_training_days,
            auto_cover_days=self.alert_auto_cover_days,
            forecast_fit_at=self.forecast_fit_at,
        )

    @property
    def sms(self) -> SmsSettings:
        return SmsSettings(
            account_sid=self.twilio_account_sid,
            auth_token=self.twilio_auth_token,
            from_number=self.twilio_from_number,
            api_url=self.twilio_api_url,
            rate_per_second=self.sms_rate_per_second,
            unknown_replies_per_day=self.sms_unknown_replies_per_day,
        )

    @property
    def slack(self) -> SlackSettings:
        return SlackSettings(
            bot_token=self.slack_bot_token,
            signing_secret=self.slack_signing_secret,
            app_token=self.slack_app_token,
            api_url=self.slack_api_url,
        )


# the sections read with their own prefixes, by field name
SECTIONS: dict[str, tuple[type[BaseSettings], str]] = {
    "overtime": (OvertimeSettings, "STAFFBOT_OT_"),
    "leave": (LeaveRules, "STAFFBOT_LEAVE_"),
    "dashboards": (DashboardSettings, "STAFFBOT_DASH_"),
    "swaps": (SwapRules, "STAFFBOT_SWAP_"),
    "rota": (RotaSettings, "STAFFBOT_ROTA_"),
}


class _Sections(PydanticBaseSettingsSource):
    """Every section from its own variables, unless the caller gave it; a bad value is one
    line naming its variable (``SettingsError``)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        given = self.current_state
        found: dict[str, Any] = {}
        for name, (section, prefix) in SECTIONS.items():
            if name in given:
                continue
            try:
                found[name] = section()
            except ValidationError as exc:
                raise SettingsError(describe_errors(exc, prefix)) from None
        return found


class _FlatEnv(EnvSettingsSource):
    """The ``STAFFBOT_*`` variables for the flat fields; the sections are ``_Sections``'."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        if field_name in SECTIONS:
            return None, field_name, False
        return super().get_field_value(field, field_name)


def _changed(section: Any, changes: dict[str, Any]) -> Any:
    if not changes:
        return section
    return type(section).model_validate({**section.model_dump(), **changes})


class SettingsError(ValueError):
    """A setting that cannot be used, said in one line per problem (no traceback)."""


def load_settings() -> Settings:
    """The settings from the environment, every section included, read once; a bad value
    raises ``SettingsError`` naming its variable."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(describe_errors(exc)) from None


def describe_errors(exc: object, prefix: str = "STAFFBOT_") -> str:
    """One line per invalid setting, naming its environment variable."""
    lines = []
    for error in exc.errors():  # type: ignore[attr-defined]
        message = str(error.get("msg", "invalid"))
        message = message.removeprefix("Value error, ")
        field = ".".join(str(part) for part in error.get("loc", ()))
        if field and f"{prefix}{field}".upper() not in message.upper():
            message = f"{prefix}{field.upper()}: {message}"
        lines.append(message)
    return "; ".join(lines) or str(exc)
