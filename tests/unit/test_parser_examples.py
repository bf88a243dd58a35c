"""The shared parse examples (shared/spec/INTENTS.md contract), exactly.

The examples are an evaluation set, kept out of the training corpus. They are
read from the shared file when it is present (``STAFFBOT_EXAMPLES`` or
``../shared/intents/examples.jsonl`` beside the repository) and from the copy below otherwise, so
a clean clone tests them too.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from intents.parser import get_parser
from tests.unit.parser_names import CATALOG

TODAY = date(2026, 1, 14)


EMBEDDED = r"""
{"text": "Yes", "intent": "ot.accept", "slots": {}}
{"text": "YES please", "intent": "ot.accept", "slots": {}}
{"text": "yes!", "intent": "ot.accept", "slots": {}}
{"text": "yh", "intent": "ot.accept", "slots": {}}
{"text": "I can do it", "intent": "ot.accept", "slots": {}}
{"text": "count me in", "intent": "ot.accept", "slots": {}}
{"text": "Yes, I'll cover", "intent": "ot.accept", "slots": {}}
{"text": "yes OT12", "intent": "ot.accept", "slots": {"ref": 12}}
{"text": "Y 7", "intent": "ot.accept", "slots": {"ref": 7}}
{"text": "No", "intent": "ot.decline", "slots": {}}
{"text": "no, sorry", "intent": "ot.decline", "slots": {}}
{"text": "can't make it", "intent": "ot.decline", "slots": {}}
{"text": "nah", "intent": "ot.decline", "slots": {}}
{"text": "No thank you", "intent": "ot.decline", "slots": {}}
{"text": "no - I'm on holiday", "intent": "ot.decline", "slots": {"reason": "I'm on holiday"}}
{"text": "NO OT12", "intent": "ot.decline", "slots": {"ref": 12}}
{"text": "sorry no, got the kids that night", "intent": "ot.decline", "slots": {"reason": "got the kids that night"}}
{"text": "add me to the overtime list", "intent": "ot.optin", "slots": {}}
{"text": "I want to do overtime again", "intent": "ot.optin", "slots": {}}
{"text": "happy to pick up nights at Meadowburn", "intent": "ot.optin", "slots": {"shift_type": "night", "home": "Meadowburn"}}
{"text": "remove me from overtime texts", "intent": "ot.optout", "slots": {}}
{"text": "no more overtime messages please", "intent": "ot.optout", "slots": {}}
{"text": "only send me early shifts", "intent": "ot.preferences", "slots": {"shift_type": "early"}}
{"text": "I can do weekends now", "intent": "ot.preferences", "slots": {"day_kind": "weekend"}}
{"text": "change my overtime homes to Riverside Court only", "intent": "ot.preferences", "slots": {"home": "Riverside Court"}}
{"text": "Can I book annual leave 9th-13th February?", "intent": "leave.request", "slots": {"start_date": "2026-02-09", "end_date": "2026-02-13", "leave_type": "annual"}}
{"text": "holiday please on 05/03", "intent": "leave.request", "slots": {"start_date": "2026-03-05", "end_date": "2026-03-05", "leave_type": "annual"}}
{"text": "I need Friday off", "intent": "leave.request", "slots": {"start_date": "2026-01-16", "end_date": "2026-01-16"}}
{"text": "can I have the 27th and 28th off", "intent": "leave.request", "slots": {"start_date": "2026-01-27", "end_date": "2026-01-28"}}
{"text": "personal leave tomorrow please", "intent": "leave.request", "slots": {"start_date": "2026-01-15", "end_date": "2026-01-15", "leave_type": "personal"}}
{"text": "request a week of leave starting 2nd March", "intent": "leave.request", "slots": {"start_date": "2026-03-02", "end_date": "2026-03-08"}}
{"text": "how many days leave have I got", "intent": "leave.balance", "slots": {}}
{"text": "my holiday balance?", "intent": "leave.balance", "slots": {}}
{"text": "I'm off sick today", "intent": "sickness.report", "slots": {"start_date": "2026-01-14", "end_date": "2026-01-14"}}
{"text": "can't come in tomorrow, I've got covid", "intent": "sickness.report", "slots": {"start_date": "2026-01-15", "end_date": "2026-01-15", "reason": "I've got covid"}}
{"text": "I won't make tonight's night shift, I'm ill", "intent": "sickness.report", "slots": {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"}}
{"text": "what's my next shift", "intent": "rota.mine", "slots": {}}
{"text": "my shifts this weekend?", "intent": "rota.mine", "slots": {"start_date": "2026-01-17", "end_date": "2026-01-18"}}
{"text": "am I working Friday", "intent": "rota.mine", "slots": {"start_date": "2026-01-16", "end_date": "2026-01-16"}}
{"text": "what can you help with", "intent": "help", "slots": {}}
{"text": "HELP", "intent": "help", "slots": {}}
{"text": "who is short today", "intent": "staffing.gaps", "slots": {"start_date": "2026-01-14", "end_date": "2026-01-14"}}
{"text": "gaps at Orchard Grove tomorrow", "intent": "staffing.gaps", "slots": {"start_date": "2026-01-15", "end_date": "2026-01-15", "home": "Orchard Grove"}}
{"text": "are we short on nights this weekend?", "intent": "staffing.gaps", "slots": {"start_date": "2026-01-17", "end_date": "2026-01-18", "shift_type": "night"}}
{"text": "any RN shortages next week", "intent": "staffing.gaps", "slots": {"role": "RN", "start_date": "2026-01-19", "end_date": "2026-01-25"}}
{"text": "which shifts are uncovered", "intent": "staffing.gaps", "slots": {}}
{"text": "who's working at Meadowburn today", "intent": "staffing.on_shift", "slots": {"start_date": "2026-01-14", "end_date": "2026-01-14", "home": "Meadowburn"}}
{"text": "who's on the late tomorrow", "intent": "staffing.on_shift", "slots": {"start_date": "2026-01-15", "end_date": "2026-01-15", "shift_type": "late"}}
{"text": "which HCAs are on nights on Saturday at Riverside Court", "intent": "staffing.on_shift", "slots": {"role": "HCA", "shift_type": "night", "start_date": "2026-01-17", "end_date": "2026-01-17", "home": "Riverside Court"}}
{"text": "forecast for Hawthorn House next week", "intent": "forecast.show", "slots": {"home": "Hawthorn House", "start_date": "2026-01-19", "end_date": "2026-01-25"}}
{"text": "what demand do we expect on Saturday", "intent": "forecast.show", "slots": {"start_date": "2026-01-17", "end_date": "2026-01-17"}}
{"text": "staffing prediction for the next 7 days", "intent": "forecast.show", "slots": {"start_date": "2026-01-14", "end_date": "2026-01-20"}}
{"text": "find an RN for tonight at Victoria Gardens", "intent": "ot.request", "slots": {"role": "RN", "start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night", "home": "Victoria Gardens"}}
{"text": "send overtime offers for Friday's early HCA at Hawthorn House to 4 people", "intent": "ot.request", "slots": {"start_date": "2026-01-16", "end_date": "2026-01-16", "shift_type": "early", "role": "HCA", "home": "Hawthorn House", "count": 4}}
{"text": "need cover: senior support worker, late, Riverside Court, 22/01", "intent": "ot.request", "slots": {"role": "SSW", "shift_type": "late", "home": "Riverside Court", "start_date": "2026-01-22", "end_date": "2026-01-22"}}
{"text": "start outreach for a nurse on the long day tomorrow at Orchard Grove", "intent": "ot.request", "slots": {"role": "RN", "shift_type": "long_day", "start_date": "2026-01-15", "end_date": "2026-01-15", "home": "Orchard Grove"}}
{"text": "who would you contact for a night HCA at Meadowburn on Sunday", "intent": "ot.rank", "slots": {"shift_type": "night", "role": "HCA", "home": "Meadowburn", "start_date": "2026-01-18", "end_date": "2026-01-18"}}
{"text": "show the ranking for tomorrow's late RN at Victoria Gardens", "intent": "ot.rank", "slots": {"start_date": "2026-01-15", "end_date": "2026-01-15", "shift_type": "late", "role": "RN", "home": "Victoria Gardens"}}
{"text": "is OT12 filled yet", "intent": "ot.status", "slots": {"ref": 12}}
{"text": "overtime status", "intent": "ot.status", "slots": {}}
{"text": "has anyone picked up tonight's night shift at Meadowburn", "intent": "ot.status", "slots": {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night", "home": "Meadowburn"}}
{"text": "cancel request 12", "intent": "ot.cancel", "slots": {"ref": 12}}
{"text": "withdraw OT7", "intent": "ot.cancel", "slots": {"ref": 7}}
{"text": "leave requests to review", "intent": "leave.pending", "slots": {}}
{"text": "pending holidays at Orchard Grove", "intent": "leave.pending", "slots": {"home": "Orchard Grove"}}
{"text": "approve 77", "intent": "leave.approve", "slots": {"ref": 77}}
{"text": "approve Tom Baxter's leave", "intent": "leave.approve", "slots": {"staff": "Tom Baxter"}}
{"text": "deny 78 - too many off that week", "intent": "leave.deny", "slots": {"ref": 78, "reason": "too many off that week"}}
{"text": "refuse Jennifer's leave", "intent": "leave.deny", "slots": {"staff": "Jennifer Ross"}}
{"text": "overtime fairness report", "intent": "fairness.report", "slots": {}}
{"text": "OT spread over the last 60 days", "intent": "fairness.report", "slots": {"days": 60}}
{"text": "fairness at Hawthorn House past 6 months", "intent": "fairness.report", "slots": {"home": "Hawthorn House", "days": 180}}
{"text": "Sarah MacKenzie profile", "intent": "staff.profile", "slots": {"staff": "Sarah MacKenzie"}}
{"text": "how often does Fiona accept overtime", "intent": "staff.profile", "slots": {"staff": "Fiona Grant"}}
{"text": "create the rota for Riverside Court next week", "intent": "rota.generate", "slots": {"home": "Riverside Court", "start_date": "2026-01-19", "end_date": "2026-01-25"}}
{"text": "optimise the February schedule for Orchard Grove", "intent": "rota.generate", "slots": {"home": "Orchard Grove", "start_date": "2026-02-01", "end_date": "2026-02-28"}}
{"text": "training expiring in the next 60 days", "intent": "training.expiring", "slots": {"days": 60}}
{"text": "who needs refresher training at Meadowburn", "intent": "training.expiring", "slots": {"home": "Meadowburn"}}
{"text": "hello", "intent": "unknown", "slots": {}}
{"text": "what time is it", "intent": "unknown", "slots": {}}
{"text": "who are you voting for", "intent": "unknown", "slots": {}}
{"text": "where's the nearest pharmacy", "intent": "unknown", "slots": {}}
{"text": "blah blah", "intent": "unknown", "slots": {}}
{"text": "cheers", "intent": "unknown", "slots": {}}
"""


# shared/ sits beside the repository (as in CI's clean clone)
SHARED = Path(__file__).resolve().parents[3] / "shared" / "intents" / "examples.jsonl"


def _examples() -> list[dict]:
    path = Path(os.environ.get("STAFFBOT_EXAMPLES", str(SHARED)))
    text = path.read_text(encoding="utf-8") if path.exists() else EMBEDDED
    return [json.loads(line) for line in text.splitlines() if line.strip()]


EXAMPLES = _examples()


@pytest.fixture(scope="module")
def parser():
    return get_parser(CATALOG)


def test_the_embedded_copy_matches_the_shared_file() -> None:
    shared = SHARED
    if not shared.exists():
        pytest.skip("shared examples not present")
    embedded = [json.loads(line) for line in EMBEDDED.splitlines() if line.strip()]
    assert embedded == [json.loads(line) for line in shared.read_text().splitlines()
                        if line.strip()]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"] for e in EXAMPLES])
def test_shared_example_parses_exactly(parser, example: dict) -> None:
    got = parser.parse(example["text"], TODAY).to_json()
    assert got == {"intent": example["intent"], "slots": example["slots"]}
