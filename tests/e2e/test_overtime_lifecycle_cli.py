"""`staffbot ot request --count N [--extra]`, `ot status --json` (slots, filled, delivery),
`ot agency` and `ot reopen`, as scripts use them (docs/interfaces.md)."""

from __future__ import annotations

import json

from tests.e2e.test_overtime_cli import FRIDAY_NIGHT, run  # noqa: F401  (fixture)

SATURDAY_EARLY = [
    "--home",
    "victoria",
    "--date",
    "2026-01-17",
    "--shift-type",
    "early",
    "--role",
    "HCA",
]


def test_count_opens_places_and_status_shows_them(demo_url, run):  # noqa: F811
    sent = run(["request", *FRIDAY_NIGHT, "--send", "--count", "2", "--json"], demo_url)
    assert sent.returncode == 0, sent.stderr
    req = json.loads(sent.stdout)["request"]
    assert req["slots"] == 2 and req["filled"] == [] and req["status"] == "PENDING"
    status = run(["status", str(req["ref"]), "--json"], demo_url)
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["slots"] == 2 and data["filled"] == [] and data["filled_by"] is None
    assert data["offers"] and all(
        set(o["delivery"]) == {"state", "error"}
        and o["delivery"]["state"] in {"QUEUED", "SENT", "DELIVERED", "FAILED", "SUPPRESSED"}
        for o in data["offers"]
    )
    again = run(["request", *FRIDAY_NIGHT, "--send", "--json"], demo_url)
    assert again.returncode == 1 and f"OT{req['ref']}" in again.stderr


def test_a_shift_the_rota_meets_is_refused_unless_extra(demo_url, run):  # noqa: F811
    refused = run(["request", *SATURDAY_EARLY, "--send", "--json"], demo_url)
    assert refused.returncode == 1
    assert "already covers" in refused.stderr and "--extra" in refused.stderr
    extra = run(["request", *SATURDAY_EARLY, "--send", "--extra", "--json"], demo_url)
    assert extra.returncode == 0, extra.stderr
    assert json.loads(extra.stdout)["request"]["extra"] is True


def test_agency_closes_a_request(demo_url, run):  # noqa: F811
    sent = run(["request", *FRIDAY_NIGHT, "--send", "--json"], demo_url)
    ref = json.loads(sent.stdout)["request"]["ref"]
    booked = run(["agency", str(ref), "--agency", "Carewatch", "--cost", "320", "--json"], demo_url)
    assert booked.returncode == 0, booked.stderr
    assert json.loads(booked.stdout)["status"] == "AGENCY"
    status = json.loads(run(["status", str(ref), "--json"], demo_url).stdout)
    assert status["status"] == "AGENCY" and status["agency"]["cost"] == 320.0
    assert {o["response"] for o in status["offers"]} == {"WITHDRAWN"}
    table = run(["status", str(ref)], demo_url)
    assert table.returncode == 0 and "AGENCY" in table.stdout
    assert "agency Carewatch" in table.stdout and "£320" in table.stdout
    twice = run(["agency", str(ref), "--agency", "Carewatch"], demo_url)
    assert twice.returncode == 1
