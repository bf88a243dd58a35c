"""Swaps and give-aways end to end on the demo (SQLite): asked in chat, answered YES / NO,
decided by the rules or the manager, expired by the scheduled job, listed by the CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.bootstrap import standard_registry
from bot.conversation.service import Conversation
from bot.render import render
from core.models import AuditEntry, OutboundMessage, Person, Shift, ShiftStatus
from core.swaps.models import Swap, SwapStatus


def pid(core, name: str) -> int:
    with core.uow() as uow:
        return uow.session.scalars(select(Person.id).where(Person.full_name == name)).one()


def holder(core, name: str, day: date, shift_type: str) -> list[str]:
    """Who works ``shift_type`` on ``day`` at Victoria Gardens / wherever ``name`` works."""
    with core.uow() as uow:
        return [
            p.full_name
            for p in uow.session.scalars(
                select(Person)
                .join(Shift, Shift.person_id == Person.id)
                .where(
                    Shift.date == day,
                    Shift.shift_type_code == shift_type,
                    Shift.status == ShiftStatus.SCHEDULED,
                    Person.full_name == name,
                )
            )
        ]


@pytest.fixture
def core(demo_core):
    demo_core.registry = standard_registry()
    return demo_core


@pytest.fixture
def chat(core):
    conversation = Conversation(core)

    def run(name: str, intent: str, **slots):
        who = pid(core, name)
        with core.uow() as uow:
            channel = "slack" if uow.session.get(Person, who).slack_user_id else "sms"
        return conversation.run_intent(who, channel, intent, slots)

    return run


def messages(core, kind: str) -> list[tuple[str, str]]:
    """(recipient, words) of every queued message of a kind."""
    with core.uow() as uow:
        rows = uow.session.execute(
            select(Person.full_name, OutboundMessage.kind, OutboundMessage.payload)
            .join(Person, Person.id == OutboundMessage.person_id)
            .where(OutboundMessage.kind == kind)
            .order_by(OutboundMessage.id)
        ).all()
    return [(name, render(k, payload, "sms", core.registry).text) for name, k, payload in rows]


def test_straight_swap_is_approved_and_both_rotas_change(core, chat):
    reply = chat(
        "Sarah MacKenzie",
        "swap.request",
        staff="Jennifer Ross",
        start_date="2026-01-26",
        shift_type="early",
        other_date="2026-01-26",
        other_shift_type="night",
    )
    assert reply.kind == "swap.asked" and "I've asked Jennifer Ross" in reply.text
    [(to, words)] = messages(core, "swap.ask")
    assert to == "Jennifer Ross"
    assert words.startswith(
        "Sarah MacKenzie asks if you'll take their Mon 26 Jan early at "
        "Victoria Gardens in return for your Mon 26 Jan night"
    )
    answer = chat("Jennifer Ross", "ot.accept")
    assert answer.kind == "swap.approved", answer.text
    assert "is yours now" in answer.text
    day = date(2026, 1, 26)
    assert holder(core, "Jennifer Ross", day, "early") == ["Jennifer Ross"]
    assert holder(core, "Sarah MacKenzie", day, "night") == ["Sarah MacKenzie"]
    assert holder(core, "Sarah MacKenzie", day, "early") == []
    [(to, words)] = messages(core, "swap.approved")
    assert to == "Sarah MacKenzie" and "Jennifer Ross is taking your Mon 26 Jan early" in words
    with core.uow() as uow:
        actions = [
            a.action
            for a in uow.session.scalars(
                select(AuditEntry).where(AuditEntry.entity == "swap").order_by(AuditEntry.id)
            )
        ]
    assert actions == ["swap.requested", "swap.accepted", "swap.auto_approved"]


def test_swap_refused_for_rest_with_the_reason_and_nobody_asked(core, chat):
    reply = chat(
        "Sarah MacKenzie",
        "swap.request",
        staff="Jennifer Ross",
        start_date="2026-01-23",
        shift_type="early",
    )
    assert reply.kind == "swap.refused"
    assert (
        "Jennifer Ross would have only 6.8h rest before their night on Fri 23 Jan (minimum 11h)"
    ) in reply.text
    assert messages(core, "swap.ask") == []
    assert holder(core, "Sarah MacKenzie", date(2026, 1, 23), "early") == ["Sarah MacKenzie"]


def test_swap_refused_for_48_hours(core, chat):
    # Jennifer works long days Wed-Fri: a fourth 12h shift in the week is over 48h
    jen = pid(core, "Jennifer Ross")
    with core.uow() as uow:
        s = uow.session
        early = s.scalars(
            select(Shift).where(Shift.person_id == jen, Shift.date == date(2026, 1, 20))
        ).one()
        for offset in (1, 2, 3):
            day = date(2026, 1, 20) + timedelta(days=offset)
            s.add(
                Shift(
                    unit_id=early.unit_id,
                    person_id=jen,
                    role_code="RN",
                    shift_type_code="early",
                    date=day,
                    starts_at=early.starts_at + timedelta(days=offset),
                    ends_at=early.ends_at + timedelta(days=offset),
                )
            )
        uow.commit()
    # Jennifer: Tue-Fri earlies (32h) and Fri night (10h); Sarah's Mon 19 night makes 52h
    reply = chat(
        "Sarah MacKenzie",
        "swap.request",
        staff="Jennifer Ross",
        start_date="2026-01-19",
        shift_type="night",
    )
    assert reply.kind == "swap.refused"
    assert "Jennifer Ross would work" in reply.text and "in 7 days (maximum 48h)" in reply.text


def test_giveaway_first_yes_wins_and_the_second_is_told_it_has_gone(core, chat):
    reply = chat("Tom Baxter", "swap.request", start_date="2026-01-24", shift_type="late")
    assert reply.kind == "swap.asked" and "The first to say YES gets it" in reply.text
    asked = [to for to, _ in messages(core, "swap.offer")]
    assert len(asked) >= 2
    first, second = asked[0], asked[1]
    won = chat(first, "ot.accept")
    assert won.kind == "swap.approved", won.text
    late = chat(second, "ot.accept")
    assert late.kind == "swap.gone"
    assert "has already gone" in late.text
    day = date(2026, 1, 24)
    assert holder(core, first, day, "late") == [first]
    assert holder(core, second, day, "late") == []
    assert holder(core, "Tom Baxter", day, "late") == []
    gone_to = [to for to, _ in messages(core, "swap.gone")]
    assert second in gone_to and first not in gone_to


def test_named_colleague_says_no(core, chat):
    chat(
        "Sarah MacKenzie",
        "swap.request",
        staff="Jennifer Ross",
        start_date="2026-01-26",
        shift_type="early",
        other_date="2026-01-26",
        other_shift_type="night",
    )
    answer = chat("Jennifer Ross", "ot.decline")
    assert answer.kind == "swap.declined"
    [(to, words)] = messages(core, "swap.declined")
    assert to == "Sarah MacKenzie" and "Jennifer Ross can't take your Mon 26 Jan early" in words
    with core.uow() as uow:
        assert uow.session.scalars(select(Swap)).one().status == SwapStatus.CANCELLED


def test_notice_window_sends_it_to_the_manager_who_approves(core, chat):
    # the shift is inside a 2-week notice window
    core.settings = core.settings.with_swaps(notice_hours=24 * 14)
    chat(
        "Sarah MacKenzie",
        "swap.request",
        staff="Jennifer Ross",
        start_date="2026-01-26",
        shift_type="early",
        other_date="2026-01-26",
        other_shift_type="night",
    )
    answer = chat("Jennifer Ross", "ot.accept")
    assert answer.kind == "swap.review"
    assert "needs a manager's OK because the Mon 26 Jan early starts in" in answer.text
    assert "I've sent it to Claire Docherty" in answer.text
    [(to, words)] = messages(core, "swap.review")
    assert to == "Claire Docherty" and "Not approved automatically because" in words
    assert holder(core, "Sarah MacKenzie", date(2026, 1, 26), "early") == ["Sarah MacKenzie"]
    refused = chat("Sarah MacKenzie", "swap.approve", ref=1)
    assert "Only managers can approve or deny swaps" in refused.text
    decided = chat("Claire Docherty", "swap.approve", ref=1)
    assert decided.kind == "swap.decided" and decided.text.startswith("Approved swap 1")
    assert holder(core, "Jennifer Ross", date(2026, 1, 26), "early") == ["Jennifer Ross"]
    told = [to for to, _ in messages(core, "swap.decision")]
    assert told == ["Sarah MacKenzie", "Jennifer Ross"]


def test_manager_denies_with_a_reason(core, chat):
    core.settings = core.settings.with_swaps(notice_hours=24 * 14)
    chat(
        "Sarah MacKenzie",
        "swap.request",
        staff="Jennifer Ross",
        start_date="2026-01-26",
        shift_type="early",
        other_date="2026-01-26",
        other_shift_type="night",
    )
    chat("Jennifer Ross", "ot.accept")
    conversation = Conversation(core)
    reply = conversation.run_intent(
        pid(core, "Claire Docherty"),
        "slack",
        "swap.deny",
        {"ref": 1, "reason": "short of nurses that week"},
    )
    assert "because short of nurses that week" in reply.text
    words = [w for _, w in messages(core, "swap.decision")]
    assert all("Reason: short of nurses that week" in w for w in words)


def test_unanswered_swap_expires_and_the_asker_is_told(core, chat):
    chat(
        "Sarah MacKenzie",
        "swap.request",
        staff="Jennifer Ross",
        start_date="2026-01-26",
        shift_type="early",
        other_date="2026-01-26",
        other_shift_type="night",
    )
    from core.swaps.service import expire_swaps

    assert "swaps.expire" in core.registry.job_names()  # run on every scheduler tick
    assert expire_swaps(core) == 0
    core.clock.advance(timedelta(hours=49))  # answer_hours is 48
    assert expire_swaps(core) == 1
    [(to, words)] = messages(core, "swap.expired")
    assert to == "Sarah MacKenzie" and "swap 1 has expired" in words
    late = chat("Jennifer Ross", "ot.accept")
    assert late.kind == "swap.gone"
    assert "expired" in late.text


def test_cli_swap_list_json(core, chat, monkeypatch):
    chat(
        "Sarah MacKenzie",
        "swap.request",
        staff="Jennifer Ross",
        start_date="2026-01-23",
        shift_type="early",
    )
    chat("Tom Baxter", "swap.request", start_date="2026-01-24", shift_type="late")
    from bot import cli

    monkeypatch.setattr(cli, "get_core", lambda *a, **k: core)
    result = CliRunner().invoke(cli.app, ["swap", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["kind"] for r in rows] == ["GIVEAWAY", "GIVEAWAY"]
    assert rows[0] == {
        "ref": 1,
        "kind": "GIVEAWAY",
        "from_name": "Sarah MacKenzie",
        "to_name": "Jennifer Ross",
        "shift": {"date": "2026-01-23", "home": "Victoria Gardens", "shift_type": "early"},
        "other_shift": None,
        "status": "DENIED",
        "reason": rows[0]["reason"],
    }
    assert "6.8h rest" in rows[0]["reason"]
    assert rows[1]["to_name"] is None and rows[1]["status"] == "PENDING"
    result = CliRunner().invoke(cli.app, ["swap", "list", "--status", "pending", "--json"])
    assert [r["ref"] for r in json.loads(result.output)] == [2]


def test_a_bare_yes_answers_whatever_was_asked_last(core, chat):
    from tests.integration.test_overtime_race import open_quiet_request, plant_offers

    chat(
        "Sarah MacKenzie",
        "swap.request",
        staff="Jennifer Ross",
        start_date="2026-01-26",
        shift_type="early",
        other_date="2026-01-26",
        other_shift_type="night",
    )
    core.clock.advance(timedelta(minutes=5))
    req = open_quiet_request(core, "Orchard Grove", date(2026, 2, 20), "night")
    plant_offers(core, req.id, [pid(core, "Jennifer Ross")])  # asked after the swap
    yes = chat("Jennifer Ross", "ot.accept")
    assert yes.kind == "ot.accepted", yes.text  # the overtime offer, asked last
    with core.uow() as uow:
        assert uow.session.scalars(select(Swap)).one().status == SwapStatus.PENDING
    again = chat("Jennifer Ross", "ot.accept")  # now the swap is the open question
    assert again.kind == "swap.approved", again.text
