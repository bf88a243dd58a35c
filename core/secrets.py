"""The secret key: required outside a demo, generated once for a demo and kept beside it.

``STAFFBOT_SECRET_KEY`` encrypts phone numbers and free-text reasons and keys the phone
look-up hash. There is no built-in default: a key published in a repository protects
nothing. A demo database built by ``staffbot init --demo`` on SQLite gets a key of its own,
generated once and kept in a file beside it (``staffbot-demo.db.key``, readable by its owner
only), which every command finds. Anything else without a key refuses to start
(``check_startup_secrets``) or refuses the operation that needs the key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from core.errors import StaffbotError

KEY_FILE_SUFFIX = ".key"
MIN_KEY_LENGTH = 16


class MissingSecret(StaffbotError):
    """A secret the configuration needs is not set."""


def new_secret_key() -> str:
    """A fresh key for a new deployment (256 random bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def demo_key_file(database_url: str) -> Path | None:
    """Where a SQLite database keeps its generated key; None for other databases."""
    try:
        url = make_url(database_url)
    except Exception:  # a bad URL is reported by the settings, not here
        return None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database + KEY_FILE_SUFFIX)


def read_demo_key(database_url: str) -> str | None:
    path = demo_key_file(database_url)
    if path is None or not path.is_file():
        return None
    key = path.read_text(encoding="utf-8").strip()
    return key or None


def write_demo_key(database_url: str, key: str) -> Path:
    """Keep ``key`` beside the SQLite database, readable by its owner only."""
    path = demo_key_file(database_url)
    if path is None:
        raise MissingSecret(
            "only a SQLite demo keeps its own key; for this database set STAFFBOT_SECRET_KEY "
            "(`staffbot secret new` prints one)."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return path


def missing_key_message(database_url_shown: str) -> str:
    return (
        f"STAFFBOT_SECRET_KEY is not set and {database_url_shown} is not a demo database "
        "with a key of its own. Set STAFFBOT_SECRET_KEY (`staffbot secret new` prints a new "
        "one), or rebuild the demo with `./dev.py demo --fresh` (a demo keeps its own key)."
    )


def require_key(key: str | None, database_url_shown: str = "the database") -> str:
    """The key, or MissingSecret saying how to set one."""
    if not key:
        raise MissingSecret(missing_key_message(database_url_shown))
    if len(key) < MIN_KEY_LENGTH:
        raise MissingSecret(
            f"STAFFBOT_SECRET_KEY is too short ({len(key)} characters; at least "
            f"{MIN_KEY_LENGTH}). `staffbot secret new` prints a strong one."
        )
    return key


def channel_secret_problems(
    *,
    twilio_account_sid: str | None,
    twilio_auth_token: str | None,
    twilio_from_number: str | None,
    slack_bot_token: str | None,
    slack_signing_secret: str | None,
    slack_app_token: str | None,
) -> list[str]:
    """What a configured channel lacks: a half-configured channel fails closed too."""
    problems = []
    if (twilio_account_sid or twilio_from_number) and not twilio_auth_token:
        problems.append(
            "Twilio is configured (TWILIO_ACCOUNT_SID / TWILIO_FROM_NUMBER) but "
            "TWILIO_AUTH_TOKEN is not set: incoming texts could not be verified."
        )
    if twilio_auth_token and not (twilio_account_sid and twilio_from_number):
        problems.append(
            "TWILIO_AUTH_TOKEN is set but TWILIO_ACCOUNT_SID or TWILIO_FROM_NUMBER is not."
        )
    if (slack_bot_token or slack_app_token) and not slack_signing_secret and not slack_app_token:
        problems.append(
            "Slack is configured (SLACK_BOT_TOKEN) but SLACK_SIGNING_SECRET is not set: "
            "Slack's requests could not be verified (or use Socket Mode with SLACK_APP_TOKEN)."
        )
    if slack_app_token and not slack_bot_token:
        problems.append("SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not.")
    return problems
