"""The command line as others script it (shared/spec/INTERFACES.md)."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import requires_pg

STAFFBOT = [sys.executable, "-m", "bot.cli"]


def run(args, url, check=True):
    env = dict(os.environ, STAFFBOT_DATABASE_URL=url, STAFFBOT_NOW="2026-01-14T09:00")
    proc = subprocess.run(STAFFBOT + args, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    run(["init", "--demo", "--today", "2026-01-14"], url)
    return url


def test_gaps_json_lists_the_promised_rn_night_gap(cli_db):
    proc = run(["gaps", "--date", "2026-01-16", "--home", "Victoria Gardens", "--json"], cli_db)
    rows = json.loads(proc.stdout)
    assert {"date": "2026-01-16", "home": "Victoria Gardens", "shift_type": "night",
            "role": "RN"}.items() <= next(r for r in rows if r["shift_type"] == "night").items()
    for row in rows:
        assert row["short"] > 0 and row["short"] == row["required"] - row["rostered"]
        assert set(row) >= {"date", "home", "shift_type", "role", "required", "rostered", "short"}


def test_init_refuses_to_overwrite_without_force(cli_db):
    proc = run(["init", "--demo"], cli_db, check=False)
    assert proc.returncode != 0
    assert "--force" in proc.stderr


def test_unknown_home_names_the_problem_and_lists_homes(cli_db):
    proc = run(["gaps", "--home", "Narnia"], cli_db, check=False)
    assert proc.returncode != 0
    assert "Narnia" in proc.stderr and "Victoria Gardens" in proc.stderr


def test_badly_formatted_date_says_what_is_accepted(cli_db):
    proc = run(["gaps", "--date", "16/01/2026"], cli_db, check=False)
    assert proc.returncode != 0 and "YYYY-MM-DD" in proc.stderr


def test_on_shift_lists_people_working(cli_db):
    proc = run(["on-shift", "--date", "2026-01-15", "--home", "hawthorn", "--json"], cli_db)
    rows = json.loads(proc.stdout)
    assert rows and {r["home"] for r in rows} == {"Hawthorn House"}


def test_force_rebuilds_the_same_organisation(tmp_path):
    url = f"sqlite:///{tmp_path / 'f.db'}"
    run(["init", "--demo", "--today", "2026-01-14"], url)
    first = run(["gaps", "--from", "2026-01-14", "--to", "2026-01-20", "--json"], url).stdout
    run(["init", "--demo", "--today", "2026-01-14", "--force"], url)
    assert run(["gaps", "--from", "2026-01-14", "--to", "2026-01-20", "--json"], url).stdout == first


@requires_pg
def test_init_and_gaps_on_postgres(pg_empty_url):
    run(["init", "--demo", "--today", "2026-01-14"], pg_empty_url)
    rows = json.loads(run(["gaps", "--date", "2026-01-16", "--json"], pg_empty_url).stdout)
    assert any(r["home"] == "Victoria Gardens" and r["role"] == "RN" and r["shift_type"] == "night"
               for r in rows)
