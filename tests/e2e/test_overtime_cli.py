"""`staffbot ot request` and `staffbot ot status` as others script them (INTERFACES.md).

The first call goes through a real `python -m bot.cli` process; the rest run the same Typer
app in-process (much faster), with the same environment."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

STAFFBOT = [sys.executable, "-m", "bot.cli", "ot"]
FRIDAY_NIGHT = [
    "--home",
    "victoria",
    "--date",
    "2026-01-16",
    "--shift-type",
    "night",
    "--role",
    "RN",
]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(monkeypatch):
    from bot.cli import app

    monkeypatch.setenv("STAFFBOT_NOW", "2026-01-14T09:00")

    def invoke(args, url):
        monkeypatch.setenv("STAFFBOT_DATABASE_URL", url)
        result = CliRunner().invoke(app, ["ot", *args])
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


def run_process(args, url):
    env = dict(os.environ, STAFFBOT_DATABASE_URL=url, STAFFBOT_NOW="2026-01-14T09:00")
    return subprocess.run(
        STAFFBOT + args, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_dry_run_send_and_status(demo_url, run):
    dry = run_process(["request", *FRIDAY_NIGHT, "--dry-run", "--json"], demo_url)
    assert dry.returncode == 0, dry.stderr
    data = json.loads(dry.stdout)
    assert data["request"] is None and data["eligible_count"] == len(data["candidates"]) > 0
    first = data["candidates"][0]
    assert set(first) >= {"name", "role", "home", "score", "breakdown"}
    assert first["role"] == "RN" and 0 <= first["score"] <= 100
    assert abs(sum(first["breakdown"].values()) - first["score"]) < 0.3
    assert any(e["name"] == "Fiona Grant" for e in data["excluded"])

    sent = run(
        [
            "request",
            *FRIDAY_NIGHT,
            "--send",
            "--max-contacts",
            "2",
            "--json",
            "--profile",
            "reliability",
        ],
        demo_url,
    )
    assert sent.returncode == 0, sent.stderr
    data = json.loads(sent.stdout)
    req = data["request"]
    assert req["status"] == "PENDING" and req["wave_size"] == 2
    assert isinstance(req["ref"], int) and req["label"] == f"OT{req['ref']}"
    assert req["profile"] == "reliability" and len(req["offers"]) == 2
    assert [c["name"] for c in data["candidates"] if c["contacted"]] == [
        o["name"] for o in req["offers"]
    ]

    status = run(["status", req["label"], "--json"], demo_url)  # "OT42" works as well as 42
    assert status.returncode == 0, status.stderr
    got = json.loads(status.stdout)
    assert got["ref"] == req["ref"] and got["status"] == "PENDING" and got["filled_by"] is None
    assert [
        set(o) >= {"name", "response", "contacted_at", "responded_at"} for o in got["offers"]
    ] == [True, True]
    assert {o["response"] for o in got["offers"]} == {"SENT"}

    table = run(["status", str(req["ref"])], demo_url)  # the bare number
    assert table.returncode == 0 and req["label"] in table.stdout


def test_clear_errors(demo_url, run):
    bad_home = run(
        [
            "request",
            "--home",
            "Nowhere",
            "--date",
            "2026-01-16",
            "--shift-type",
            "night",
            "--role",
            "RN",
            "--send",
        ],
        demo_url,
    )
    assert bad_home.returncode != 0 and "Victoria Gardens" in bad_home.stderr
    neither = run(["request", *FRIDAY_NIGHT], demo_url)
    assert neither.returncode != 0 and "--dry-run" in neither.stderr
    bad_profile = run(["request", *FRIDAY_NIGHT, "--dry-run", "--profile", "cheap"], demo_url)
    assert bad_profile.returncode != 0 and "balanced" in bad_profile.stderr
    missing = run(["status", "OT999999"], demo_url)
    assert missing.returncode != 0 and "OT999999" in missing.stderr
