"""The suite-wide log audit (tests/log_audit.py) finds what it looks for."""

from __future__ import annotations

from pathlib import Path

from tests.log_audit import findings, main


def test_it_flags_numbers_health_details_and_bodies_and_passes_clean_logs(tmp_path: Path) -> None:
    (tmp_path / "gw0-1.log").write_text(
        "INFO bot.delivery: sent message 12 kind=text to +44*******123\n"
        "INFO core.inbound: message person=4 channel=sms intent=sickness.report\n"
    )
    assert findings(tmp_path) == []
    assert main(["log_audit", str(tmp_path)]) == 0
    (tmp_path / "gw1-2.log").write_text(
        "INFO x: texting +447700900123\n"
        "INFO x: reason=I've got covid\n"
        "INFO x: body='when am I working?'\n"
        "INFO x: number 07700 900456\n"
    )
    found = findings(tmp_path)
    assert [f.split(": ", 2)[1].split(" (")[0] for f in found] == [
        "phone number",
        "health detail",
        "message body",
        "message body",
        "phone number",
    ]
    assert not any("900123" in f or "900456" in f for f in found)  # the report masks them
    assert main(["log_audit", str(tmp_path)]) == 1


def test_no_logs_is_not_a_pass(tmp_path: Path) -> None:
    assert main(["log_audit", str(tmp_path)]) == 1
