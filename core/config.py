"""Settings, read once from the environment (``STAFFBOT_*`` and the providers' own names)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STAFFBOT_", extra="ignore")

    database_url: str = "sqlite:///./staffbot.db"
    now: str | None = None  # pins the clock start, local time, e.g. 2026-01-14T09:00
    timezone: str = "Europe/London"
    public_url: str = "http://localhost:8000"
    log_level: str = "WARNING"
    # key material for encrypting phone numbers at rest and hashing them for look-up
    secret_key: str = "staffbot-demo-key-change-me"

    # Provider credentials use the providers' own variable names.
    twilio_account_sid: str | None = Field(None, validation_alias=AliasChoices("TWILIO_ACCOUNT_SID"))
    twilio_auth_token: str | None = Field(None, validation_alias=AliasChoices("TWILIO_AUTH_TOKEN"))
    twilio_from_number: str | None = Field(None, validation_alias=AliasChoices("TWILIO_FROM_NUMBER"))
    twilio_api_url: str | None = Field(None, validation_alias=AliasChoices("TWILIO_API_URL"))
    # SMS pacing: texts per second from one sending number (Twilio queues beyond ~1/s on a
    # long code); and how many generic replies a day an unknown number gets before silence
    sms_rate_per_second: float = 1.0
    sms_unknown_replies_per_day: int = 3
    slack_bot_token: str | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    slack_app_token: str | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=AliasChoices("SLACK_API_URL"))

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


def load_settings() -> Settings:
    return Settings()
