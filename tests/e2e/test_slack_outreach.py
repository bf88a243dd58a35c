"""Overtime from Slack, end to end: a manager sees the ranking with each score's breakdown,
starts outreach with a button, staff on Slack get offers with Accept / Decline buttons that do
what YES / NO do, and the manager's status card is rewritten (chat.update) as they answer,
whether they answer in Slack or by text."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.delivery import deliver_due
from bot.slack.blocks import decode_action
from bot.slack.outreach import refresh_job
from bot.slack.sender import slack_senders
from bot.slack.testing import FakeSlack, SlackWorkspace, dm_event, eventually
from core.models import CoverageRequest, Offer, OfferResponse, Person, StatusPost
from core.overtime import AcceptOffer, accept_offer


def buttons(params: dict) -> list[dict]:
    return [e for b in params.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]


def person_id(core, name: str) -> int:
    with core.uow() as uow:
        return uow.session.scalars(select(Person.id).where(Person.full_name == name)).one()


def status_posts(core) -> list:
    with core.uow() as uow:
        return list(
            uow.session.execute(
                select(
                    StatusPost.request_id,
                    StatusPost.channel,
                    StatusPost.message_ref,
                    StatusPost.closed,
                ).order_by(StatusPost.id)
            )
        )


def requests_count(core) -> int:
    with core.uow() as uow:
        return len(uow.session.scalars(select(CoverageRequest.id)).all())


def offers_to(slack: FakeSlack, user: str) -> list[dict]:
    return [
        c.params
        for c in slack.of("chat.postMessage")
        if c.params["channel"] == user
        and any(decode_action(b["value"])[0] == "ot.accept" for b in buttons(c.params))
    ]


def start_outreach(ws: SlackWorkspace, text: str) -> dict:
    """Claire asks for the ranking in her DM and presses its Start outreach button; returns
    the live status card the app then posted."""
    ws.event(dm_event("UCLAIRE01", text))
    ranking = ws.slack.wait_for("chat.postMessage")[0].params
    start = next(b for b in buttons(ranking) if b["text"]["text"] == "Start outreach")
    resp, url = ws.press("UCLAIRE01", start, ranking["blocks"], channel="DCLAIRE01")
    assert resp.status_code == 200
    replaced = ws.answer_at(url)
    assert replaced["replace_original"] is True
    assert "chose *Start outreach*" in json.dumps(replaced["blocks"])
    assert not [b for b in replaced["blocks"] if b["type"] == "actions"]
    card = ws.slack.wait_for("chat.postMessage", count=2)[1].params
    eventually(lambda: status_posts(ws.core))  # remembered once Slack gave it a ts
    return card


def test_ranking_shows_each_score_breakdown_and_a_start_outreach_button(workspace, slack):
    before = requests_count(workspace.core)
    workspace.event(dm_event("UCLAIRE01", "who would you ask for an RN on Friday night?"))
    post = slack.wait_for("chat.postMessage")[0].params
    shown = json.dumps(post["blocks"])
    assert "Sarah MacKenzie" in shown and "/100" in shown
    assert "availability" in shown and "acceptance" in shown  # the breakdown, per person
    start = [b for b in buttons(post) if b["text"]["text"] == "Start outreach"]
    assert len(start) == 1 and start[0]["style"] == "primary"
    intent, slots = decode_action(start[0]["value"])
    assert intent == "ot.request" and slots["role"] == "RN" and slots["shift_type"] == "night"
    assert requests_count(workspace.core) == before  # a ranking contacts nobody


def test_accept_button_fills_the_shift_and_the_status_card_updates_itself(workspace, slack):
    core = workspace.core
    card = start_outreach(workspace, "who would you ask for an RN on Friday night?")
    assert card["channel"] == "DCLAIRE01" and "PENDING" in json.dumps(card["blocks"])
    post = eventually(lambda: status_posts(core))[0]
    request_id = post.request_id
    # the scheduler delivers the first wave: Sarah is on Slack, so her offer has buttons
    assert deliver_due(core, slack_senders(core)) >= 1
    offer = offers_to(slack, "USARAH001")[-1]
    labels = {b["text"]["text"]: decode_action(b["value"]) for b in buttons(offer)}
    assert labels == {
        "Accept": ("ot.accept", {"ref": request_id}),
        "Decline": ("ot.decline", {"ref": request_id}),
    }

    accept = next(b for b in buttons(offer) if b["text"]["text"] == "Accept")
    resp, url = workspace.press("USARAH001", accept, offer["blocks"], channel="DSARAH001")
    assert resp.status_code == 200
    answer = workspace.answer_at(url)
    assert "it's yours" in answer["text"] and answer["replace_original"] is True
    assert not [b for b in answer["blocks"] if b["type"] == "actions"]  # no second press

    update = slack.wait_for("chat.update")[0].params
    assert update["channel"] == post.channel and update["ts"] == post.message_ref
    shown = json.dumps(update["blocks"])
    assert "FILLED" in shown and "Sarah MacKenzie" in shown
    with core.uow() as uow:
        offer_row = uow.session.scalars(
            select(Offer).where(
                Offer.request_id == request_id,
                Offer.person_id == person_id(core, "Sarah MacKenzie"),
            )
        ).one()
        assert offer_row.response == OfferResponse.ACCEPTED
    eventually(lambda: status_posts(core)[0].closed)  # final: no more rewrites
    assert refresh_job(core) == 0


def test_decline_button_does_what_no_does_and_the_card_shows_it(workspace, slack):
    core = workspace.core
    start_outreach(workspace, "who would you ask for tomorrow late SSW")
    deliver_due(core, slack_senders(core))
    offer = offers_to(slack, "UTOMBAX01")[-1]
    decline = next(b for b in buttons(offer) if b["text"]["text"] == "Decline")
    resp, url = workspace.press("UTOMBAX01", decline, offer["blocks"], channel="DTOMBAX01")
    assert resp.status_code == 200
    answer = workspace.answer_at(url)
    assert "noted: no" in answer["text"] and "why not" in answer["text"]
    update = slack.wait_for("chat.update")[0].params
    assert "Tom Baxter" in json.dumps(update["blocks"]) and ":x: no" in json.dumps(update["blocks"])
    with core.uow() as uow:
        offer_row = uow.session.scalars(
            select(Offer)
            .where(Offer.person_id == person_id(core, "Tom Baxter"))
            .order_by(Offer.id.desc())
        ).first()
        assert offer_row.response == OfferResponse.DECLINED
    # the reason, asked once, comes back as a plain DM and reaches the card too
    workspace.event(dm_event("UTOMBAX01", "childcare"))
    slack.wait_for("chat.update", count=2)
    assert "childcare" in json.dumps(slack.of("chat.update")[-1].params["blocks"])


def test_an_answer_by_text_reaches_the_card_on_the_next_scheduler_tick(workspace, slack):
    core = workspace.core
    start_outreach(workspace, "who would you ask for an RN on Friday night?")
    deliver_due(core, slack_senders(core))
    with core.uow() as uow:
        offer = uow.session.scalars(select(Offer).order_by(Offer.id.desc())).first()
        who, request_id = offer.person_id, offer.request_id
    assert accept_offer(core, AcceptOffer(who, request_id)).outcome == "accepted"  # a YES text
    assert refresh_job(core) == 1
    assert "FILLED" in json.dumps(slack.of("chat.update")[-1].params["blocks"])
    assert refresh_job(core) == 0  # shown once; unchanged cards are left alone


def test_a_slash_command_outreach_gets_its_live_card_in_the_dm(workspace, slack):
    resp, url = workspace.slash("UCLAIRE01", "find an RN for Friday night")
    assert resp.status_code == 200
    assert workspace.answer_at(url)["response_type"] == "ephemeral"
    card = slack.wait_for("chat.postMessage")[0].params
    assert card["channel"] == "UCLAIRE01" and "PENDING" in json.dumps(card["blocks"])
    assert [b["text"]["text"] for b in buttons(card)] == ["Cancel outreach"]
    assert [p.channel for p in eventually(lambda: status_posts(workspace.core))] == ["DCLAIRE01"]


def test_app_home_lists_open_outreach_and_leave_to_decide_with_working_buttons(workspace, slack):
    from datetime import date

    from core.models import LeaveRequest, LeaveStatus, LeaveType

    core = workspace.core
    with core.uow() as uow:
        leave = LeaveRequest(
            person_id=person_id(core, "Jennifer Ross"),
            start_date=date(2026, 2, 2),
            end_date=date(2026, 2, 3),
            leave_type=LeaveType.ANNUAL,
            status=LeaveStatus.MANUAL_REVIEW,
            days=2,
            reason="two RNs already off",
            created_at=uow.now(),
        )
        uow.session.add(leave)
        uow.commit()
        ref = leave.id
    workspace.slash("UCLAIRE01", "find an RN for Friday night")
    eventually(lambda: status_posts(core))

    home = {
        "type": "app_home_opened",
        "user": "UCLAIRE01",
        "tab": "home",
        "event_ts": "1768381000.9",
    }
    workspace.event(home)
    view = slack.wait_for("views.publish")[0].params["view"]
    shown = json.dumps(view)
    assert "Open outreach" in shown and "asked" in shown and "Status OT" in shown
    assert "Leave to decide" in shown and "Jennifer Ross" in shown
    approve = next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if decode_action(e["value"]) == ("leave.approve", {"ref": ref})
    )

    resp, _ = workspace.press("UCLAIRE01", approve, view={"id": "VHOME", "type": "home"})
    assert resp.status_code == 200
    dm = slack.wait_for(
        "chat.postMessage",
        where=lambda c: (
            c.params["channel"] == "UCLAIRE01" and "Jennifer" in c.params.get("text", "")
        ),
    )[-1].params
    assert "approved" in dm["text"].lower()
    refreshed = slack.wait_for("views.publish", count=2)[1].params["view"]
    assert "Jennifer Ross" not in json.dumps(refreshed)  # decided: no longer waiting
    with core.uow() as uow:
        assert uow.session.get(LeaveRequest, ref).status == LeaveStatus.APPROVED
