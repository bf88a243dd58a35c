"""Act only when sure: which intents change records, and the per-intent confidence a
parse needs before its handler may change one (intents.catalog)."""

from __future__ import annotations

from datetime import date

import pytest

from intents.calibrate import calibrate
from intents.catalog import (
    FLOOR,
    RECORD_CHANGING,
    THRESHOLDS,
    changes_records,
    needs_confirmation,
    threshold_for,
)
from intents.evaluate import training_catalog
from intents.parser import INTENTS, ParseResult, get_parser

TODAY = date(2026, 1, 14)


def test_every_record_changing_intent_is_a_real_intent_with_a_threshold() -> None:
    assert set(INTENTS) >= RECORD_CHANGING
    assert set(THRESHOLDS) == RECORD_CHANGING
    assert all(FLOOR <= t < 0.9 for t in THRESHOLDS.values())
    for question in ("staffing.gaps", "rota.mine", "leave.mine", "staffing.absent", "help"):
        assert question not in RECORD_CHANGING and threshold_for(question) == 0.0


@pytest.mark.parametrize("intent", sorted(RECORD_CHANGING))
def test_a_parse_below_the_threshold_is_asked_about(intent: str) -> None:
    slots = {"start_date": "2026-01-17", "end_date": "2026-01-17", "shift_type": "night"}
    unsure = ParseResult(intent, slots, threshold_for(intent) - 0.01)
    sure = ParseResult(intent, slots, threshold_for(intent))
    assert needs_confirmation(unsure)
    assert not needs_confirmation(sure)


def test_questions_never_need_confirmation_and_a_bare_listing_changes_nothing() -> None:
    assert not needs_confirmation(ParseResult("staffing.gaps", {}, 0.36))
    # "any overtime going?" lists open shifts; "I'll take the Saturday night" claims one
    assert not changes_records(ParseResult("ot.available", {}, 0.4))
    assert changes_records(
        ParseResult("ot.available", {"start_date": "2026-01-17", "shift_type": "night"}, 0.4)
    )


def test_low_confidence_record_changes_from_real_messages_are_caught() -> None:
    parser = get_parser(training_catalog())
    # A garbled message the classifier only half recognises must not book anything.
    for text in ("yes maybe idk", "nights?", "friday thing"):
        got = parser.parse(text, TODAY)
        assert got.intent == "unknown" or needs_confirmation(got) or not changes_records(got), (
            text,
            got,
        )


def test_the_thresholds_still_hold_on_the_held_out_split() -> None:
    rows = calibrate(get_parser(training_catalog()))
    assert {r.intent for r in rows} == RECORD_CHANGING
    for row in rows:
        # no held-out message of another intent is read as this one at or above its
        # threshold: each of them would have been asked about, not applied
        assert all(c < THRESHOLDS[row.intent] for c in row.wrong_confidences), row


def test_an_unclear_message_carries_its_likeliest_readings() -> None:
    # "Sorry, I didn't get that" can offer what the sender most likely meant.
    got = get_parser(training_catalog()).parse("rota thing", TODAY)
    assert got.intent == "unknown"
    assert 1 <= len(got.alternatives) <= 3
    assert all(i != "unknown" and 0.05 <= p <= 1 for i, p in got.alternatives)
    assert [p for _i, p in got.alternatives] == sorted(
        (p for _i, p in got.alternatives), reverse=True
    )
    assert any(i.startswith("rota.") for i, _p in got.alternatives)
    # never part of the parse contract's output
    assert set(got.to_json()) == {"intent", "slots"}
