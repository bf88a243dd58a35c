"""Leave in chat: the handlers (via Conversation.run_intent, as a Slack button would run
them) and the notification texts. The full parser path is in the walkthrough transcript."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from bot.conversation.leave import _deny_reason
from bot.conversation.reply import Action
from bot.conversation.service import Conversation
from bot.render import render
from core.models import LeaveRequest, LeaveStatus, OutboundMessage, Person


def pid(core, name: str) -> int:
    with core.uow() as uow:
        return uow.session.scalars(select(Person.id).where(Person.full_name == name)).one()


@pytest.fixture
def chat(demo_core):
    conversation = Conversation(demo_core)

    def run(name: str, intent: str, **slots):
        who = pid(demo_core, name)
        with demo_core.uow() as uow:
            channel = "slack" if uow.session.get(Person, who).slack_user_id else "sms"
        return conversation.run_intent(who, channel, intent, slots)

    return run


def test_request_without_days_asks_for_them(chat):
    reply = chat("Sarah MacKenzie", "leave.request")
    assert reply.kind == "leave.ask_dates" and "Which days" in reply.text


def test_request_approved_at_once(chat):
    reply = chat(
        "Sarah MacKenzie",
        "leave.request",
        start_date="2026-03-02",
        end_date="2026-03-04",
        leave_type="personal",
    )
    assert reply.kind == "leave.approved"
    assert reply.text.startswith(
        "Yes, Sarah: your personal leave Mon 2 Mar to Wed 4 Mar (3 days) is approved (ref "
    )
    assert reply.data["status"] == "APPROVED" and reply.data["reasons"] == []
    assert reply.actions == []


def test_request_for_review_names_the_reason_and_the_manager(chat, demo_core):
    reply = chat("Jennifer Ross", "leave.request", start_date="2026-12-24", end_date="2026-12-24")
    assert reply.kind == "leave.review"
    assert "needs a manager's decision because Thu 24 Dec is in a blackout period" in reply.text
    assert "I've sent it to Claire Docherty" in reply.text
    assert len(reply.sms) <= 320  # two SMS segments at most
    with demo_core.uow() as uow:
        msg = uow.session.scalars(
            select(OutboundMessage).where(OutboundMessage.kind == "leave.review")
        ).one()
        assert msg.payload["actions"][0]["intent"] == "leave.approve"


def test_pending_carries_approve_and_deny_buttons(chat):
    ref = chat(
        "Jennifer Ross", "leave.request", start_date="2026-12-24", end_date="2026-12-24"
    ).data["ref"]
    reply = chat("Claire Docherty", "leave.pending")
    assert reply.kind == "leave.pending" and f"{ref}: Jennifer Ross" in reply.text
    assert reply.actions == [
        Action("Approve", "leave.approve", {"ref": ref}, "primary"),
        Action("Deny", "leave.deny", {"ref": ref}, "danger"),
    ]
    # several waiting: each pair says which request it is for
    other = chat(
        "Sarah MacKenzie", "leave.request", start_date="2026-12-28", end_date="2026-12-28"
    ).data["ref"]
    labels = [a.label for a in chat("Claire Docherty", "leave.pending").actions]
    assert f"Approve {other}" in labels and f"Deny {ref}" in labels


def test_pending_is_for_managers_and_their_homes(chat):
    chat("Jennifer Ross", "leave.request", start_date="2026-12-24", end_date="2026-12-24")
    assert chat("Sarah MacKenzie", "leave.pending").kind == "refused"
    assert "Jennifer Ross" not in chat("Stuart Aitken", "leave.pending").text
    assert chat("Stuart Aitken", "leave.pending", home="Victoria Gardens").kind == "refused"
    assert "Jennifer Ross" in chat("Graham Kerr", "leave.pending", home="Victoria Gardens").text


def test_buttons_decide_and_the_requester_hears(chat, demo_core):
    ref = chat(
        "Jennifer Ross", "leave.request", start_date="2026-12-24", end_date="2026-12-24"
    ).data["ref"]
    refused = chat("Stuart Aitken", "leave.approve", ref=ref)
    assert refused.kind == "refused"
    reply = chat("Claire Docherty", "leave.deny", ref=ref)  # a button: no reason slot
    assert reply.text.startswith(
        f"Denied: Jennifer Ross's annual leave Thu 24 Dec (ref {ref}). "
        "I've let Jennifer know, without a reason"
    )
    again = chat("Graham Kerr", "leave.approve", ref=ref)
    assert again.kind == "error" and "already denied" in again.text
    with demo_core.uow() as uow:
        assert uow.session.get(LeaveRequest, ref).status == LeaveStatus.DENIED
        msg = uow.session.scalars(
            select(OutboundMessage).where(OutboundMessage.kind == "leave.decision")
        ).one()
        text = render(msg.kind, msg.payload, "sms").text
    assert text == (
        f"Sorry Jennifer, your annual leave Thu 24 Dec (ref {ref}) was not approved "
        "by Claire Docherty. Speak to your manager if you'd like to talk it over."
    )


def test_approve_needs_a_ref_or_a_name(chat):
    reply = chat("Claire Docherty", "leave.approve")
    assert reply.kind == "error" and "Which request?" in reply.text


def test_balance(chat):
    reply = chat("Sarah MacKenzie", "leave.balance")
    assert reply.kind == "leave.balance"
    assert reply.text.startswith("Your 2026 leave: 28 days entitlement, 0 taken,")
    assert reply.data["entitlement"] == 28


def test_past_requests_are_refused_in_plain_words(chat):
    reply = chat("Sarah MacKenzie", "leave.request", start_date="2026-01-02", end_date="2026-01-02")
    assert reply.kind == "error"
    assert reply.text == (
        "Fri 2 Jan 2026 is in the past; leave can only be asked for from today onwards."
    )


def _ctx(text: str, **slots):
    return SimpleNamespace(text=text, slots=slots)


@pytest.mark.parametrize(
    ("text", "slots", "reason"),
    [
        ("deny 1397 short staffed", {"ref": 1397}, "short staffed"),
        (
            "deny leave 1397 - too many off at christmas",
            {"ref": 1397, "reason": "too many off at"},
            "too many off at christmas",
        ),
        (
            "Deny David's leave, no RN cover that night",
            {"staff": "David Wilson"},
            "no RN cover that night",
        ),
        (
            "refuse leave for David Wilson: no cover on the 22nd",
            {"staff": "David Wilson"},
            "no cover on the 22nd",
        ),
        (
            "deny leave for David Wilson because we are short",
            {"staff": "David Wilson"},
            "we are short",
        ),
        ("deny 1397", {"ref": 1397}, None),
        ("[leave.deny]", {"ref": 1397}, None),  # a button press
        ("no, leave 12 is refused: busy week", {"ref": 12, "reason": "busy week"}, "busy week"),
    ],
)
def test_the_deny_reason_is_taken_as_written(text, slots, reason):
    assert _deny_reason(_ctx(text, **slots)) == reason


def test_notification_texts():
    payload = {
        "ref": 7,
        "name": "Jennifer Ross",
        "first_name": "Jennifer",
        "home": "Victoria Gardens",
        "start_date": "2026-12-24",
        "end_date": "2026-12-26",
        "days": 3.0,
        "leave_type": "annual",
        "status": "APPROVED",
        "reason": None,
        "decided_by": "Graham Kerr",
        "reasons": ["Thu 24 Dec to Sat 26 Dec is in a blackout period"],
    }
    assert render("leave.review", payload, "slack").text == (
        "Leave to review (7): Jennifer Ross (Victoria Gardens) asks for annual leave Thu 24 Dec "
        "to Sat 26 Dec (3 days). Not approved automatically because Thu 24 Dec to Sat 26 Dec is "
        "in a blackout period. Reply 'approve 7' or 'deny 7 <reason>'."
    )
    assert render("leave.decision", payload, "sms").text == (
        "Good news Jennifer: your annual leave Thu 24 Dec to Sat 26 Dec (ref 7) has been "
        "approved by Graham Kerr."
    )
    assert render("leave.cancelled", {**payload, "days_back": 3}, "sms").text == (
        "Your annual leave Thu 24 Dec to Sat 26 Dec (ref 7) has been cancelled. 3 days are back "
        "in your balance."
    )
    assert date.fromisoformat(payload["start_date"]).year == 2026
