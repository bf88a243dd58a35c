"""The traps of the safe-conversation issue and this round's intents: each message here
once changed the wrong record (a preference booked as a YES, a question recorded as a
sickness absence, a colleague's leave taken off the sender's balance) or was not
understood at all. Every case checks the whole parse: intent and exact slots."""

from __future__ import annotations

from datetime import date

import pytest

from intents.parser import get_parser
from tests.unit.parser_names import CATALOG

TODAY = date(2026, 1, 14)  # Wednesday


@pytest.fixture(scope="module")
def parser():
    return get_parser(CATALOG)


def _range(start: str, end: str | None = None) -> dict:
    return {"start_date": start, "end_date": end or start}


CASES = [
    # preferences are never a YES to an offer
    ("I can do weekends", "ot.preferences", {"day_kind": "weekend"}),
    ("I can do nights", "ot.preferences", {"shift_type": "night"}),
    ("i can do lates now", "ot.preferences", {"shift_type": "late"}),
    ("actually I can do nights again", "ot.optin", {"shift_type": "night"}),
    (
        "only Meadowburn and Riverside",
        "ot.preferences",
        {"home": "Meadowburn", "homes": ["Meadowburn", "Riverside Court"]},
    ),
    ("I don't do nights any more", "ot.preferences", {"exclude_shift_type": "night"}),
    ("no weekends please", "ot.preferences", {"exclude_day_kind": "weekend"}),
    (
        "don't send me shifts at hawthorn any more",
        "ot.preferences",
        {"exclude_home": "Hawthorn House"},
    ),
    # questions about other people
    (
        "who's off sick this week?",
        "staffing.absent",
        {"absence": "sick", **_range("2026-01-14", "2026-01-18")},
    ),
    (
        "who is on leave this week?",
        "staffing.absent",
        {"absence": "leave", **_range("2026-01-14", "2026-01-18")},
    ),
    (
        "is Sarah working tomorrow?",
        "rota.person",
        {"staff": "Sarah MacKenzie", **_range("2026-01-15")},
    ),
    ("when is Jennifer Ross next in?", "rota.person", {"staff": "Jennifer Ross"}),
    # a colleague named in a leave request (the handler refuses it for staff)
    (
        "can Sarah have the 22nd off",
        "leave.request",
        {"staff": "Sarah MacKenzie", **_range("2026-01-22")},
    ),
    # self-service
    ("has my leave been approved?", "leave.mine", {}),
    ("cancel my leave on the 22nd please", "leave.cancel", _range("2026-01-22")),
    ("I don't need the 22nd off any more", "leave.cancel", _range("2026-01-22")),
    ("dashboard", "dash.link", {}),
    ("send me the dashboard link", "dash.link", {}),
    # overtime after the YES, and open shifts
    ("actually sorry I cant do friday now", "ot.withdraw", _range("2026-01-16")),
    (
        "NO 1055 sorry my mum's taken ill",
        "ot.decline",
        {"ref": 1055, "reason": "my mum's taken ill"},
    ),
    ("any overtime going this week?", "ot.available", _range("2026-01-14", "2026-01-18")),
    (
        "I'll take the Saturday night",
        "ot.available",
        {"shift_type": "night", **_range("2026-01-17")},
    ),
    (
        "find 2 carers for saturday early",
        "ot.request",
        {"role": "HCA", "shift_type": "early", "count": 2, **_range("2026-01-17")},
    ),
    # swaps
    (
        "can i swap my tuesday early with Sarah MacKenzie",
        "swap.request",
        {"staff": "Sarah MacKenzie", "shift_type": "early", **_range("2026-01-20")},
    ),
    (
        "my Tue early for her Thu late",
        "swap.request",
        {
            "shift_type": "early",
            "other_date": "2026-01-15",
            "other_shift_type": "late",
            **_range("2026-01-20"),
        },
    ),
    (
        "can anyone take my Saturday late?",
        "swap.request",
        {"shift_type": "late", **_range("2026-01-17")},
    ),
    ("approve swap 4", "swap.approve", {"ref": 4}),
    ("deny swap 4, too short that day", "swap.deny", {"ref": 4, "reason": "too short that day"}),
    # rotas and agency
    (
        "draft me next month's rota for Victoria Gardens",
        "rota.generate",
        {"home": "Victoria Gardens", **_range("2026-02-01", "2026-02-28")},
    ),
    ("publish rota 3", "rota.publish", {"ref": 3}),
    ("we've booked agency for OT42", "agency.book", {"ref": 42}),
    (
        "booked an agency nurse for friday night at hawthorn",
        "agency.book",
        {"role": "RN", "shift_type": "night", "home": "Hawthorn House", "start_date": "2026-01-16"},
    ),
    # acknowledgements mean nothing on their own
    ("thanks", "unknown", {}),
    ("ta", "unknown", {}),
    ("ok", "unknown", {}),
    ("cheers", "unknown", {}),
    ("\U0001f44d", "unknown", {}),
    ("ok thanks", "unknown", {}),
    # bare answers to the assistant's own question: unknown with what they state
    ("victoria gardens", "unknown", {"home": "Victoria Gardens"}),
    ("HCA", "unknown", {"role": "HCA"}),
    ("the saturday one", "unknown", _range("2026-01-17")),
    ("what about next weekend", "unknown", _range("2026-01-24", "2026-01-25")),
    # lengths with a start, and a day count inside a range
    ("need 2 weeks off from the 2nd feb", "leave.request", _range("2026-02-02", "2026-02-15")),
    ("a fortnight off from the 9th please", "leave.request", _range("2026-02-09", "2026-02-22")),
    (
        "can i have 2 days off next week",
        "leave.request",
        {"count": 2, **_range("2026-01-19", "2026-01-25")},
    ),
]


@pytest.mark.parametrize("text, intent, slots", CASES, ids=[c[0] for c in CASES])
def test_trap(parser, text: str, intent: str, slots: dict) -> None:
    assert parser.parse(text, TODAY).to_json() == {"intent": intent, "slots": slots}


def test_yes_with_a_ref_still_accepts(parser) -> None:
    # The acknowledgement rule must not swallow a real answer.
    assert parser.parse("ok OT12", TODAY).to_json() == {"intent": "ot.accept", "slots": {"ref": 12}}
    assert parser.parse("yes", TODAY).intent == "ot.accept"
    assert parser.parse("ok I'll do it", TODAY).intent == "ot.accept"
