"""``staffbot rota generate / show / publish`` as scripts see them (JSON per the interface)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bot.cli import app

ENV = {"STAFFBOT_NOW": "2026-01-14T09:00"}
DOC_KEYS = {
    "ref",
    "home",
    "from",
    "to",
    "status",
    "objective",
    "bound",
    "gap_pct",
    "seconds",
    "assignments",
    "shortfalls",
}


def invoke(args: list[str], url: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, args, env={"STAFFBOT_DATABASE_URL": url, **ENV})
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def test_generate_show_publish_json(demo_url: str) -> None:
    out = invoke(
        [
            "rota",
            "generate",
            "--home",
            "Victoria Gardens",
            "--from",
            "2026-02-09",
            "--weeks",
            "1",
            "--time-limit",
            "15",
            "--json",
        ],
        demo_url,
    ).stdout
    doc = json.loads(out)
    assert set(doc) >= DOC_KEYS
    assert doc["status"] in ("OPTIMAL", "FEASIBLE")
    assert (doc["from"], doc["to"]) == ("2026-02-09", "2026-02-15")
    assert doc["gap_pct"] == 0.0 if doc["status"] == "OPTIMAL" else doc["gap_pct"] >= 0
    for a in doc["assignments"]:
        assert set(a) == {"name", "role", "unit", "date", "shift_type"}
    shown = json.loads(invoke(["rota", "show", str(doc["ref"]), "--json"], demo_url).stdout)
    assert shown["assignments"] == doc["assignments"] and shown["ref"] == doc["ref"]
    published = json.loads(invoke(["rota", "publish", str(doc["ref"]), "--json"], demo_url).stdout)
    assert set(published) == {"ref", "published", "shifts_added", "shifts_removed"}
    assert published["published"] is True and published["shifts_added"] > 0
    again = invoke(["rota", "publish", str(doc["ref"])], demo_url, code=2)
    assert "already published" in again.stderr


def test_generate_to_a_date_prints_a_table(demo_url: str) -> None:
    result = invoke(
        [
            "rota",
            "generate",
            "--home",
            "victoria",
            "--from",
            "2026-02-09",
            "--to",
            "2026-02-11",
            "--time-limit",
            "10",
        ],
        demo_url,
    )
    assert "Draft 1: Victoria Gardens, 2026-02-09 to 2026-02-11" in result.stdout
    assert "Sarah MacKenzie" in result.stdout or "RN" in result.stdout


def test_bad_options_are_refused(demo_url: str) -> None:
    r = invoke(
        ["rota", "generate", "--home", "Victoria Gardens", "--from", "2026-02-09"], demo_url, code=2
    )
    assert "--weeks" in r.stderr
    r = invoke(
        ["rota", "generate", "--home", "Victoria Gardens", "--from", "2026-02-09", "--weeks", "9"],
        demo_url,
        code=2,
    )
    assert "between 1 and 8" in r.stderr
    invoke(["rota", "show", "99"], demo_url, code=1)
