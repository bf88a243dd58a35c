"""Secrets fail closed (core/secrets.py): no published default key, a demo keeps its own key
beside it, the web and scheduler processes refuse to start without what they need, and
``staffbot secret rotate`` moves every stored phone number to a new key."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.phones import PhoneVault
from core.secrets import MissingSecret, new_secret_key
from tests.conftest import TEST_SECRET_KEY

STAFFBOT = [sys.executable, "-m", "bot.cli"]


def run(args: list[str], url: str, key: str | None = None, **extra: str):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "STAFFBOT_SECRET_KEY",
            "TWILIO_ACCOUNT_SID",
            "TWILIO_AUTH_TOKEN",
            "TWILIO_FROM_NUMBER",
            "SLACK_BOT_TOKEN",
            "SLACK_SIGNING_SECRET",
            "SLACK_APP_TOKEN",
        }
    }
    env.update(STAFFBOT_DATABASE_URL=url, STAFFBOT_NOW="2026-01-14T09:00", **extra)
    if key is not None:
        env["STAFFBOT_SECRET_KEY"] = key
    return subprocess.run(
        STAFFBOT + args,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def stored_phones(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT phone, phone_hash FROM people WHERE phone IS NOT NULL ORDER BY id")
        ).all()
    engine.dispose()
    return [(row[0], row[1]) for row in rows]


@pytest.fixture(scope="module")
def own_key_demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo built with no STAFFBOT_SECRET_KEY at all."""
    url = f"sqlite:///{tmp_path_factory.mktemp('secret') / 'demo.db'}"
    proc = run(["init", "--demo", "--today", "2026-01-14", "--no-forecasts"], url)
    assert proc.returncode == 0, proc.stderr
    assert "secret key" in proc.stderr
    return url


def test_a_demo_generates_its_own_key_readable_only_by_its_owner(own_key_demo: str) -> None:
    key_file = Path(own_key_demo.removeprefix("sqlite:///") + ".key")
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert key != TEST_SECRET_KEY and len(key) >= 32
    # the numbers are encrypted under that key, and the commands find it without being told
    phone, _ = stored_phones(own_key_demo)[0]
    assert PhoneVault(key).decrypt(phone).startswith("+447700900")
    script = Path(own_key_demo.removeprefix("sqlite:///")).parent / "ask.txt"
    script.write_text("Sarah MacKenzie: when am I working?\n")
    proc = run(["chat", "--script", str(script)], own_key_demo)
    assert proc.returncode == 0, proc.stderr
    assert "Your next shifts" in proc.stdout


@pytest.mark.parametrize("command", [["serve", "--port", "8799"], ["scheduler", "--once"]])
def test_web_and_scheduler_refuse_to_start_without_a_key(
    own_key_demo: str, tmp_path: Path, command: list[str]
) -> None:
    # the same data, but not the demo's own file: no key beside it
    copy = tmp_path / "copy.db"
    shutil.copy(own_key_demo.removeprefix("sqlite:///"), copy)
    proc = run(command, f"sqlite:///{copy}")
    assert proc.returncode == 2
    assert "STAFFBOT_SECRET_KEY is not set" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_half_configured_channel_refuses_to_start(own_key_demo: str) -> None:
    proc = run(
        ["serve", "--port", "8799"],
        own_key_demo,
        TWILIO_ACCOUNT_SID="AC123",
        TWILIO_FROM_NUMBER="+447700900001",
    )
    assert proc.returncode == 2 and "TWILIO_AUTH_TOKEN" in proc.stderr
    proc = run(["scheduler", "--once"], own_key_demo, SLACK_BOT_TOKEN="xoxb-1")
    assert proc.returncode == 2 and "SLACK_SIGNING_SECRET" in proc.stderr


def test_a_short_key_is_refused_with_the_reason(own_key_demo: str) -> None:
    proc = run(["scheduler", "--once"], own_key_demo, key="short")
    assert proc.returncode == 2 and "too short" in proc.stderr


def test_secret_new_prints_a_fresh_strong_key(own_key_demo: str) -> None:
    first, second = (run(["secret", "new"], own_key_demo).stdout.strip() for _ in range(2))
    assert first != second and len(first) >= 32


def test_rotate_moves_every_number_to_the_new_key(demo_url: str) -> None:
    before = stored_phones(demo_url)
    new_key = new_secret_key()
    proc = run(["secret", "rotate", "--new-key", new_key], demo_url, key=TEST_SECRET_KEY)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == new_key  # not a demo file: the operator must set it
    after = stored_phones(demo_url)
    old, new = PhoneVault(TEST_SECRET_KEY), PhoneVault(new_key)
    assert len(after) == len(before) > 100
    for (old_phone, old_hash), (phone, phone_hash) in zip(before, after, strict=True):
        number = old.decrypt(old_phone)
        assert new.decrypt(phone) == number and phone_hash == new.lookup_hash(number)
        assert old_hash != phone_hash
    engine = create_engine(demo_url)
    with engine.connect() as conn:
        audited = conn.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'secret.rotated'")
        ).scalar()
    engine.dispose()
    assert audited == 1
    # the wrong key changes nothing
    proc = run(["secret", "rotate"], demo_url, key=TEST_SECRET_KEY)
    assert proc.returncode == 2 and "nothing changed" in proc.stderr
    assert stored_phones(demo_url) == after


def test_no_key_means_no_vault() -> None:
    from core.phones import vault_for

    with pytest.raises(MissingSecret):
        vault_for(None)
