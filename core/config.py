"""Settings, read once from the environment (``STAFFBOT_*`` and the providers' own names).

One class, ``Settings``, read once by ``bootstrap()`` and handed down. Its sections are
``settings.overtime`` (``STAFFBOT_OT_*``), ``settings.leave`` (``STAFFBOT_LEAVE_*``),
``settings.alerts`` (``STAFFBOT_ALERT_*``, ``STAFFBOT_FORECAST_FIT_AT``), ``settings.sms``
(Twilio and pacing) and ``settings.slack``. The flat names (``settings.alert_forecast_days``,
``settings.slack_bot_token``, ...) stay readable: the sections are typed views over them.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from core.leave.config import LeaveRules
    from core.overtime.config import OvertimeSettings

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

    @cached_property
    def overtime(self) -> OvertimeSettings:
        """Outreach rules and ranking weights (``STAFFBOT_OT_*``), read once."""
        from core.overtime.config import OvertimeSettings

        return OvertimeSettings()

    @cached_property
    def leave(self) -> LeaveRules:
        """The rules a leave request must meet to be approved automatically, read once."""
        from core.leave.config import load_leave_rules

        return load_leave_rules()

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


class SettingsError(ValueError):
    """A setting that cannot be used, said in one line per problem (no traceback)."""


def load_settings() -> Settings:
    """The settings from the environment; a bad value raises ``SettingsError`` naming it."""
    from pydantic import ValidationError

    try:
        settings = Settings()
    except ValidationError as exc:
        raise SettingsError(describe_errors(exc)) from None
    # read every section now, so a bad value shows at start rather than mid-conversation
    for section, prefix in (("overtime", "STAFFBOT_OT_"), ("leave", "STAFFBOT_LEAVE_")):
        try:
            getattr(settings, section)
        except ValidationError as exc:
            raise SettingsError(describe_errors(exc, prefix)) from None
    return settings


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
