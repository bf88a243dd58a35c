"""``staffbot leave ...`` as others script it (docs/interfaces.md)."""

import json
import os
import subprocess
import sys

from typer.testing import CliRunner

from bot.cli import app

STAFFBOT = [sys.executable, "-m", "bot.cli"]
STATUSES = {"PENDING", "APPROVED", "MANUAL_REVIEW", "DENIED", "CANCELLED"}
ENV = {"STAFFBOT_NOW": "2026-01-14T09:00"}


def run(args, url, check=True):
    """A real process: what scripts see (JSON alone on stdout, logs and errors on stderr)."""
    env = dict(os.environ, STAFFBOT_DATABASE_URL=url, **ENV)
    proc = subprocess.run(
        STAFFBOT + args, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def invoke(args, url, check=True):
    """In-process, for speed; same commands, same exit codes, stdout and stderr apart."""
    result = CliRunner().invoke(app, args, env={"STAFFBOT_DATABASE_URL": url, **ENV})
    if check:
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    result.returncode = result.exit_code  # the names the tests below share with run()
    return result


def test_list_json_is_the_contract(demo_url):
    rows = json.loads(run(["leave", "list", "--json"], demo_url).stdout)
    assert rows, "the demo has leave history"
    for row in rows:
        assert set(row) == {
            "ref",
            "name",
            "start_date",
            "end_date",
            "leave_type",
            "status",
            "reason",
        }
        assert row["status"] in STATUSES and isinstance(row["ref"], int)
    pending = json.loads(
        invoke(["leave", "list", "--status", "PENDING", "--json"], demo_url).stdout
    )
    assert pending and {r["status"] for r in pending} == {"PENDING"}


def test_unknown_status_is_a_clear_error(demo_url):
    proc = invoke(["leave", "list", "--status", "WAITING"], demo_url, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "unknown status 'WAITING'" in proc.stderr
    for status in STATUSES:
        assert status in proc.stderr


def test_request_review_decide_cancel_round_trip(demo_url):
    made = json.loads(
        invoke(
            [
                "leave",
                "request",
                "Jennifer Ross",
                "--from",
                "2026-12-24",
                "--to",
                "2026-12-26",
                "--json",
            ],
            demo_url,
        ).stdout
    )
    assert made["status"] == "MANUAL_REVIEW" and made["reviewers"] == ["Claire Docherty"]
    assert [c["rule"] for c in made["checks"] if not c["passed"]] == ["blackout"]
    ref = str(made["ref"])
    refused = invoke(["leave", "approve", ref, "--by", "Stuart Aitken"], demo_url, check=False)
    assert refused.returncode == 2 and "your own home" in refused.stderr
    assert (
        "APPROVED by Graham Kerr"
        in invoke(["leave", "approve", ref, "--by", "Graham Kerr"], demo_url).stdout
    )
    cancelled = json.loads(invoke(["leave", "cancel", ref, "--json"], demo_url).stdout)
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["reason"].endswith("blackout period (11 Dec to 8 Jan, every year)")
    # the three days are back: nothing of this request is booked or pending any more
    assert cancelled["balance"]["remaining"] == cancelled["balance"]["entitlement"] - (
        cancelled["balance"]["taken"] + cancelled["balance"]["booked"]
    )
    again = invoke(["leave", "cancel", ref], demo_url, check=False)
    assert again.returncode == 2 and "already cancelled" in again.stderr
