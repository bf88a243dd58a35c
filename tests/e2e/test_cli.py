"""The command line as others script it (docs/interfaces.md)."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

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
    assert {
        "date": "2026-01-16",
        "home": "Victoria Gardens",
        "shift_type": "night",
        "role": "RN",
    }.items() <= next(r for r in rows if r["shift_type"] == "night").items()
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


def test_force_rebuilds_the_same_organisation(demo_forecast_url):
    # the suite's copy of the demo with its forecasts, as `init --demo --today 2026-01-14`
    # leaves it (cli_db above builds one through the CLI): --force wipes all of it, forecasts
    # included, and rebuilds; the rebuild's forecast fit is not what is compared here
    url = demo_forecast_url
    first = run(["gaps", "--from", "2026-01-14", "--to", "2026-01-20", "--json"], url).stdout
    run(["init", "--demo", "--today", "2026-01-14", "--force", "--no-forecasts"], url)
    again = run(["gaps", "--from", "2026-01-14", "--to", "2026-01-20", "--json"], url).stdout
    assert again == first


@requires_pg
def test_init_and_gaps_on_postgres(pg_empty_url):
    # the demo itself through the CLI; fitting and storing forecasts on PostgreSQL is
    # tests/integration/test_forecast.py::test_nightly_fit_on_postgres (same fit as init's)
    run(["init", "--demo", "--today", "2026-01-14", "--no-forecasts"], pg_empty_url)
    rows = json.loads(run(["gaps", "--date", "2026-01-16", "--json"], pg_empty_url).stdout)
    assert any(
        r["home"] == "Victoria Gardens" and r["role"] == "RN" and r["shift_type"] == "night"
        for r in rows
    )


# ---- the newcomer's path: one convention for exit codes, clear errors, chat's matching ----


def run_env(args, url=None, check=False, **env):
    """The CLI with exactly this environment for the STAFFBOT_* settings (no STAFFBOT_NOW
    unless given)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("STAFFBOT_")}
    if url is not None:
        base["STAFFBOT_DATABASE_URL"] = url
    proc = subprocess.run(
        STAFFBOT + args, env={**base, **env}, capture_output=True, text=True, timeout=300
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def one_line_error(proc) -> str:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_no_organisation_says_what_to_do_exits_1_and_leaves_no_stray_file(tmp_path):
    missing = tmp_path / "nothing-here.db"
    for args in (
        ["gaps"],
        ["leave", "balance", "Sarah"],
        ["chat", "--as", "Claire Docherty"],
        ["forecast", "backtest"],
    ):
        proc = run_env(args, f"sqlite:///{missing}")
        assert proc.returncode == 1, (args, proc.stderr)
        line = one_line_error(proc)
        assert "no organisation" in line and "./dev.py demo" in line
        assert "STAFFBOT_DATABASE_URL" in line
    assert not missing.exists()  # looking did not create an empty database
    empty = tmp_path / "empty.db"
    assert run_env(["init"], f"sqlite:///{empty}").returncode == 0  # schema, no people
    proc = run_env(["gaps"], f"sqlite:///{empty}")
    assert proc.returncode == 1 and "no organisation" in one_line_error(proc)


def test_bad_settings_are_one_line_errors_with_exit_2(cli_db, tmp_path):
    proc = run_env(["gaps"], cli_db, STAFFBOT_NOW="next tuesday")
    assert proc.returncode == 2
    line = one_line_error(proc)
    assert "STAFFBOT_NOW" in line and "YYYY-MM-DDTHH:MM" in line
    proc = run_env(["gaps"], "not-a-url")
    assert proc.returncode == 2 and "STAFFBOT_DATABASE_URL" in one_line_error(proc)
    proc = run_env(["gaps"], "postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert proc.returncode == 2 and "cannot use the database" in one_line_error(proc)
    proc = run_env(["gaps"], cli_db, STAFFBOT_OT_PROFILE="fastest")
    assert proc.returncode == 2 and "STAFFBOT_OT_PROFILE" in one_line_error(proc)
    proc = run_env(["gaps"], cli_db, STAFFBOT_TIMEZONE="Mars/Olympus")
    assert proc.returncode == 2 and "STAFFBOT_TIMEZONE" in one_line_error(proc)


def test_out_of_range_values_are_refused_with_exit_2(cli_db):
    proc = run(
        [
            "ot",
            "request",
            "--home",
            "Victoria Gardens",
            "--date",
            "9999-12-31",
            "--shift-type",
            "night",
            "--role",
            "RN",
            "--dry-run",
        ],
        cli_db,
        check=False,
    )
    assert proc.returncode == 2 and "out of range" in one_line_error(proc)
    proc = run(["gaps", "--date", "1066-10-14"], cli_db, check=False)
    assert proc.returncode == 2 and "out of range" in one_line_error(proc)
    proc = run(["serve", "--port", "99999"], cli_db, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "65535" in proc.stderr


def test_the_cli_finds_people_and_homes_as_chat_does(cli_db):
    # a unique first name, as in chat
    proc = run(["leave", "balance", "Sarah"], cli_db)
    assert proc.stdout.startswith("Sarah MacKenzie")
    # a small typo in a full name
    assert run(["leave", "balance", "Sarah MacKenzi"], cli_db).stdout.startswith("Sarah MacKenzie")
    # the home typo chat accepts, and a short form
    rows = json.loads(
        run(["on-shift", "--date", "2026-01-15", "--home", "hawthorne", "--json"], cli_db).stdout
    )
    assert rows and {r["home"] for r in rows} == {"Hawthorn House"}
    rows = json.loads(
        run(["gaps", "--date", "2026-01-16", "--home", "victoria", "--json"], cli_db).stdout
    )
    assert {r["home"] for r in rows} == {"Victoria Gardens"}
    # not found: exit 1, saying what was closest
    proc = run(["leave", "balance", "Sarha Makenzee"], cli_db, check=False)
    assert proc.returncode == 1 and "Did you mean Sarah MacKenzie?" in one_line_error(proc)
    proc = run(["gaps", "--home", "Meadowbank"], cli_db, check=False)
    assert proc.returncode == 1 and "Did you mean Meadowburn?" in one_line_error(proc)


def test_a_shared_first_name_names_everyone_who_has_it(cli_db):
    from collections import Counter

    from core.db import make_engine, make_session_factory
    from core.models import Person

    with make_session_factory(make_engine(cli_db))() as session:
        firsts = Counter(p.first_name for p in session.query(Person))
    shared = next(name for name, n in firsts.most_common() if n > 1)
    proc = run(["leave", "balance", shared], cli_db, check=False)
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert f"{firsts[shared]} people are called {shared!r}" in line and "full name" in line


@pytest.fixture(scope="module")
def own_key_demo(tmp_path_factory):
    """`init --demo --today 2026-01-14` with no STAFFBOT_* settings, once per module: the
    demo file and the key it generated beside itself (no forecasts: the tests using it
    check the demo's own clock; the README test runs the whole `./dev.py demo`)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('own-key') / 'demo.db'}"
    run_env(["init", "--demo", "--today", "2026-01-14", "--no-forecasts"], url, check=True)
    return url


def _copy_demo(url: str, tmp_path) -> str:
    """A copy of that demo (with its key file), for a test that moves its clock on."""
    from core.secrets import demo_key_file

    target = f"sqlite:///{tmp_path / 'demo.db'}"
    shutil.copy(make_url(url).database, make_url(target).database)
    shutil.copy(demo_key_file(url), demo_key_file(target))
    return target


def test_a_demo_continues_from_its_own_clock_never_backwards(own_key_demo, tmp_path):
    url = _copy_demo(own_key_demo, tmp_path)
    info = json.loads(run_env(["demo-info"], url, check=True).stdout)
    assert info["demo"] and info["clock"].startswith("2026-01-14T09:00")
    script = tmp_path / "wait.txt"
    script.write_text("/wait 2h\n", encoding="utf-8")
    waited = run_env(["chat", "--script", str(script)], url, check=True)
    assert "[clock] Wed 14 Jan 11:00 (+2h)" in waited.stderr
    # the next command, with no STAFFBOT_NOW, runs on the demo's clock where it got to
    info = json.loads(run_env(["demo-info"], url, check=True).stdout)
    assert info["clock"].startswith("2026-01-14T11:0")
    again = run_env(["chat", "--script", str(script)], url, check=True)
    assert "[clock] Wed 14 Jan 13:00 (+2h)" in again.stderr


def test_wait_says_what_ran_or_that_nothing_fell_due(cli_db, tmp_path):
    script = tmp_path / "wait.txt"
    script.write_text("/wait 30m\n/wait 1d\n", encoding="utf-8")
    proc = run(["chat", "--script", str(script)], cli_db)
    notes = [line for line in proc.stderr.splitlines() if line.startswith("[clock]")]
    assert notes[0] == "[clock] Wed 14 Jan 09:30 (+30m): nothing fell due."
    # overnight: the 07:00 gap report for each of the five homes
    assert notes[1].startswith("[clock] Thu 15 Jan 09:30 (+1d): ran ")
    assert "alert.sent daily_gaps x5" in notes[1]


def test_with_no_database_url_every_command_uses_the_project_demo_database(monkeypatch):
    from pathlib import Path

    from core.config import Settings

    monkeypatch.delenv("STAFFBOT_DATABASE_URL", raising=False)
    project = Path(__file__).resolve().parents[2]
    assert Settings().database_url == f"sqlite:///{project / 'staffbot-demo.db'}"


def test_a_console_never_starts_before_the_demo_clock(own_key_demo, tmp_path):
    url = _copy_demo(own_key_demo, tmp_path)
    script = tmp_path / "wait.txt"
    script.write_text("/wait 3h\n", encoding="utf-8")
    run_env(["chat", "--script", str(script)], url, check=True)  # the demo is at 12:00
    behind = run_env(
        ["chat", "--script", str(script)], url, check=True, STAFFBOT_NOW="2026-01-14T09:00"
    )
    assert "Continuing from the demo's own clock, Wed 14 Jan 12:00, not STAFFBOT_NOW" in (
        behind.stderr
    )
    assert "[clock] Wed 14 Jan 15:00 (+3h)" in behind.stderr
