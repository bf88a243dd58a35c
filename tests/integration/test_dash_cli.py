"""``staffbot dash link NAME [--json]`` as docs/interfaces.md has it: ``{url, expires_at}``, a link
that signs that person in once."""

from __future__ import annotations

import json
import warnings
from datetime import datetime, timedelta

from typer.testing import CliRunner

from tests.conftest import DEMO_TODAY, local, make_core

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def invoke(monkeypatch, url: str, *args: str):
    from bot.cli import app

    monkeypatch.setenv("STAFFBOT_DATABASE_URL", url)
    monkeypatch.setenv("STAFFBOT_NOW", f"{DEMO_TODAY.isoformat()}T09:00")
    monkeypatch.setenv("STAFFBOT_PUBLIC_URL", "https://staffbot.example.org")
    return CliRunner().invoke(app, ["dash", "link", *args])


def test_dash_link_json_signs_that_person_in_once(monkeypatch, demo_url):
    result = invoke(monkeypatch, demo_url, "Claire Docherty", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"url", "expires_at"}
    assert data["url"].startswith("https://staffbot.example.org/dash/signin/")
    expires = datetime.fromisoformat(data["expires_at"])
    assert abs(expires - (local(DEMO_TODAY) + timedelta(minutes=30))) < timedelta(minutes=1)

    from bot.web import create_app

    core = make_core(demo_url)
    try:
        client = TestClient(create_app(core), base_url="https://staffbot.example.org")
        path = data["url"].removeprefix("https://staffbot.example.org")
        assert client.post(path, follow_redirects=False).status_code == 303
        assert client.get("/api/v1/me").json()["name"] == "Claire Docherty"
        assert TestClient(create_app(core)).post(path).status_code == 403  # used
    finally:
        core.engine.dispose()


def test_dash_link_for_nobody_fails_with_a_reason(monkeypatch, demo_url):
    result = invoke(monkeypatch, demo_url, "Nobody Here", "--json")
    assert result.exit_code == 1
    assert "Nobody called 'Nobody Here'" in result.stderr
    assert result.stdout == ""


def test_dash_link_in_words(monkeypatch, demo_url):
    result = invoke(monkeypatch, demo_url, "Sarah MacKenzie")
    assert result.exit_code == 0
    assert "Sign-in link for Sarah MacKenzie (works once, until 09:30" in result.stdout
    assert "/dash/signin/" in result.stdout
