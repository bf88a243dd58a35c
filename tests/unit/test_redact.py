"""Health details, reasons, numbers and addresses never reach the conversation log."""

from __future__ import annotations

import pytest

from core.redact import redact, redact_message


@pytest.mark.parametrize(
    "text, gone",
    [
        ("got the flu, can't come in", "flu"),
        ("off sick today with a migraine", "migraine"),
        ("been sick all night, sorry", "been sick"),
        ("I have a bad back", "bad back"),
        ("cant make it, chest infection", "chest infection"),
        ("stomach bug, won't be in", "bug"),
    ],
)
def test_health_details_are_redacted(text: str, gone: str) -> None:
    out = redact(text)
    assert gone not in out.lower() and "[health detail]" in out


def test_ordinary_requests_are_left_alone() -> None:
    for text in ("can I have the 22nd off", "find an RN for Friday night", "yes 42"):
        assert redact(text) == text


def test_phone_and_email_still_redacted() -> None:
    assert redact("call me on 07700 900123 or a.b@example.com") == ("call me on [phone] or [email]")


def test_a_reason_given_with_a_sickness_report_or_a_no_is_not_logged() -> None:
    assert redact_message("no because my kids are at home", "ot.decline") == "no because [reason]"
    assert redact_message("off today as my mum is in hospital", "sickness.report").endswith(
        "as [reason]"
    )
    assert redact_message("can I have the 22nd off as it's my birthday", "leave.request") == (
        "can I have the 22nd off as it's my birthday"
    )
