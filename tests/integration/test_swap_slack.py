"""A swap sent to the manager and approved in Slack, end to end: signed requests into
/slack/events of the real web app, Slack's Web API played by the local stand-in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.delivery import deliver_due
from bot.slack.blocks import decode_action
from bot.slack.sender import slack_senders
from core.models import Person, Shift, ShiftStatus
from core.swaps.models import Swap, SwapStatus
from core.swaps.service import RequestSwap, answer_swap, request_swap
from tests.e2e.conftest import slack, workspace  # noqa: F401  (fixtures)

MONDAY = date(2026, 1, 26)


def pid(core, name: str) -> int:
    with core.uow() as uow:
        return uow.session.scalars(select(Person.id).where(Person.full_name == name)).one()


def works(core, name: str, shift_type: str) -> bool:
    with core.uow() as uow:
        return (
            uow.session.scalars(
                select(Shift.id).where(
                    Shift.person_id == pid(core, name),
                    Shift.date == MONDAY,
                    Shift.shift_type_code == shift_type,
                    Shift.status == ShiftStatus.SCHEDULED,
                )
            ).first()
            is not None
        )


def buttons(params: dict) -> list[dict]:
    return [e for b in params.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]


def test_swap_in_review_is_approved_with_the_slack_button(workspace, slack):  # noqa: F811
    core = workspace.core
    # inside the notice window: the manager decides
    core.settings = core.settings.with_swaps(notice_hours=24 * 14)
    asked = request_swap(
        core,
        RequestSwap(
            pid(core, "Sarah MacKenzie"), MONDAY, "early", "Jennifer Ross", MONDAY, "night"
        ),
    )
    ref = asked.swap.ref
    outcome = answer_swap(core, pid(core, "Jennifer Ross"), ref, yes=True)
    assert outcome.result == "review" and outcome.reviewers == ["Claire Docherty"]
    assert deliver_due(core, slack_senders(core)) >= 1
    card = slack.wait_for(
        "chat.postMessage",
        where=lambda c: (
            c.params["channel"] == "UCLAIRE01" and "Swap to review" in c.params.get("text", "")
        ),
    )[0].params
    assert "inside the 336h notice window" in card["text"]
    labels = {b["text"]["text"]: decode_action(b["value"]) for b in buttons(card)}
    assert labels == {
        "Approve": ("swap.approve", {"ref": ref}),
        "Deny": ("swap.deny", {"ref": ref}),
    }
    assert works(core, "Sarah MacKenzie", "early") and not works(core, "Jennifer Ross", "early")

    # Sarah cannot approve her own swap with the same button
    approve = next(b for b in buttons(card) if b["text"]["text"] == "Approve")
    resp, url = workspace.press("USARAH001", approve, card["blocks"], channel="DSARAH001")
    assert resp.status_code == 200
    assert "Only managers" in workspace.answer_at(url)["text"]

    resp, url = workspace.press("UCLAIRE01", approve, card["blocks"], channel="DCLAIRE01")
    assert resp.status_code == 200
    answer = workspace.answer_at(url)
    assert f"Approved swap {ref}" in answer["text"]
    with core.uow() as uow:
        assert uow.session.get(Swap, ref).status == SwapStatus.APPROVED
    assert works(core, "Jennifer Ross", "early") and works(core, "Sarah MacKenzie", "night")
    assert not works(core, "Sarah MacKenzie", "early")
    deliver_due(core, slack_senders(core))
    told = slack.wait_for(
        "chat.postMessage",
        where=lambda c: (
            c.params["channel"] == "USARAH001" and f"Swap {ref}" in c.params.get("text", "")
        ),
    )[0].params
    assert "was approved by Claire Docherty" in told["text"]
