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


def load_settings() -> Settings:
    return Settings()
