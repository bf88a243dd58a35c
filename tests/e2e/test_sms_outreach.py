"""Overtime outreach over SMS, end to end: the real app (``create_app``) behind HTTP, the real
conversation and overtime services, texts going to a local stand-in for Twilio's REST API.

The scheduler's tick is ``run_due_work`` (waves, then delivery); the web process also sends
due texts right after each webhook, so replies to YES go out without waiting for a tick."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from bot.delivery import run_due_work
from bot.sms.sender import Pacer, twilio_senders
from bot.sms.testing import FakeTwilioApi, sign
from bot.web import create_app
from core import overtime
from core.models import (
    Channel,
    CoverageRequest,
    InboundMessage,
    LeaveRequest,
    Offer,
    OfferResponse,
    OutboundMessage,
    OvertimePreference,
    Person,
    RequestStatus,
    SicknessAbsence,
)
from core.overtime.config import with_overtime
from core.phones import reveal_phone
from core.uow import Actor
from tests.conftest import DEMO_TODAY, local, make_core

SID, TOKEN, FROM = "AC" + "1" * 32, "outreach-token", "+447700900999"
PUBLIC = "https://staffbot.example.org"
FRIDAY = DEMO_TODAY + timedelta(days=2)  # the demo's planted RN night gap at Victoria Gardens
_sids = itertools.count(1)


@pytest.fixture
def twilio():
    with FakeTwilioApi(SID, TOKEN) as api:
        yield api


def build(demo_url: str, api: FakeTwilioApi, **ot_settings):  # type: ignore[no-untyped-def]
    core = make_core(
        demo_url,
        now=local(DEMO_TODAY, "09:00"),
        public_url=PUBLIC,
        TWILIO_ACCOUNT_SID=SID,
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_FROM_NUMBER=FROM,
        TWILIO_API_URL=api.url,
        sms_rate_per_second=0,
    )
    if "wave_size" in ot_settings:  # a wave size set for the test means fixed waves of it
        ot_settings.setdefault("wave_policy", "fixed")
    core = with_overtime(core, **ot_settings)
    with core.uow() as uow:  # demo leave or sickness may fall on Friday: the RN pool is free
        for model in (LeaveRequest, SicknessAbsence):
            for row in uow.session.scalars(
                select(model).where(
                    model.start_date <= FRIDAY + timedelta(days=1), model.end_date >= FRIDAY
                )
            ):
                uow.session.delete(row)
        # everyone prefers texts here, so every offer goes through the SMS channel
        uow.session.execute(update(OvertimePreference).values(channel=Channel.SMS))
        uow.commit()
    return core


@pytest.fixture
def core(demo_url, twilio):
    core = build(demo_url, twilio)
    yield core
    core.engine.dispose()


def warm(core) -> None:  # type: ignore[no-untyped-def]
    """The parser loads (or, on a fresh machine, trains) once per process; the app does this
    at start-up in the background, the tests wait for it so no reply misses its budget."""
    from bot.conversation.service import Conversation

    Conversation(core).parser()


@pytest.fixture
def client(core):
    warm(core)
    with TestClient(create_app(core)) as client:
        yield client


def tick(core) -> None:  # type: ignore[no-untyped-def]
    """What the scheduler process does every tick: due waves, then delivery."""
    run_due_work(core, twilio_senders(core, pacer=Pacer(0)))


def text(
    client: TestClient,
    number: str,
    body: str,
    sid: str | None = None,
    signature: str | None = "sign",
):  # type: ignore[no-untyped-def]
    params = {
        "MessageSid": sid or f"SMout{next(_sids):027d}",
        "AccountSid": SID,
        "From": number,
        "To": FROM,
        "Body": body,
    }
    headers = {}
    if signature == "sign":
        headers["X-Twilio-Signature"] = sign(TOKEN, PUBLIC + "/sms/inbound", params)
    elif signature:
        headers["X-Twilio-Signature"] = signature
    return client.post("/sms/inbound", data=params, headers=headers)


def ask_for_cover(core):  # type: ignore[no-untyped-def]
    """Claire asks for an RN for Friday night at Victoria Gardens; first wave texted."""
    with core.uow() as uow:
        claire = uow.session.scalars(
            select(Person).where(Person.full_name == "Claire Docherty")
        ).one()
        home_id, claire_id = claire.home_id, claire.id
    result = overtime.request_cover(
        core,
        overtime.RequestCover(
            home_id=home_id, date=FRIDAY, shift_type="night", role="RN", requested_by_id=claire_id
        ),
        Actor("Claire Docherty", claire_id),
    )
    tick(core)
    return result.request.id


def sms_offers(core, request_id: int) -> list[tuple[int, str, OfferResponse]]:  # type: ignore[no-untyped-def]
    """(person id, phone number, response) of each SMS offer, in the order made."""
    with core.uow() as uow:
        rows = uow.session.execute(
            select(Offer, Person)
            .join(Person)
            .where(Offer.request_id == request_id, Offer.channel == Channel.SMS)
            .order_by(Offer.id)
        )
        return [(p.id, reveal_phone(p.phone), o.response) for o, p in rows]


def request_state(core, request_id: int) -> tuple[RequestStatus, int | None]:  # type: ignore[no-untyped-def]
    with core.uow() as uow:
        req = uow.session.get(CoverageRequest, request_id)
        return req.status, req.filled_by_id


def test_a_signed_yes_from_the_first_texted_person_fills_the_shift_and_the_others_are_told(
    core, client, twilio
):
    request_id = ask_for_cover(core)
    offered = sms_offers(core, request_id)
    assert len(offered) >= 2, "the demo's RN pool should include people reached by SMS"
    for _, number, _ in offered:  # every offer arrived at "Twilio", from our number
        assert len(twilio.texts_to(number)) == 1
    assert {t.from_ for t in twilio.sent} == {FROM}
    first_id, first_number, _ = offered[0]

    core.clock.advance(timedelta(minutes=7))
    reply = text(client, first_number, "YES")
    assert reply.status_code == 200 and "<Message>" in reply.text
    assert request_state(core, request_id) == (RequestStatus.FILLED, first_id)
    # the web process sent the "it's filled" texts right after answering
    for _pid, number, response in sms_offers(core, request_id)[1:]:
        assert response == OfferResponse.WITHDRAWN
        assert len(twilio.texts_to(number)) == 2, "told the shift is filled"
    assert len(twilio.texts_to(first_number)) == 1  # the winner's confirmation was the TwiML


def test_a_tampered_or_unsigned_yes_is_refused_and_changes_nothing(core, client, twilio):
    request_id = ask_for_cover(core)
    _, number, _ = sms_offers(core, request_id)[0]
    sent_before = len(twilio.sent)
    forged = sign(TOKEN, PUBLIC + "/sms/inbound", {"Body": "NO"})
    assert text(client, number, "YES", signature=forged).status_code == 403
    assert text(client, number, "YES", signature=None).status_code == 403
    assert request_state(core, request_id) == (RequestStatus.PENDING, None)
    assert {r for _, _, r in sms_offers(core, request_id)} == {OfferResponse.SENT}
    assert len(twilio.sent) == sent_before
    with core.uow() as uow:
        assert uow.session.scalar(select(func.count(InboundMessage.id))) == 0


def test_a_retried_yes_webhook_is_processed_once(core, client, twilio):
    request_id = ask_for_cover(core)
    winner, number, _ = sms_offers(core, request_id)[0]
    first = text(client, number, "YES", sid="SMsameYES")
    sent_after_first = len(twilio.sent)
    again = text(client, number, "YES", sid="SMsameYES")
    assert first.text == again.text
    assert request_state(core, request_id) == (RequestStatus.FILLED, winner)
    assert len(twilio.sent) == sent_after_first  # nobody told twice
    with core.uow() as uow:
        accepted = uow.session.scalar(
            select(func.count(Offer.id)).where(
                Offer.request_id == request_id, Offer.response == OfferResponse.ACCEPTED
            )
        )
        assert accepted == 1


def test_after_stop_a_new_outreach_never_texts_that_number(core, client, twilio):
    with core.uow() as uow:
        candidates = {
            p.full_name: reveal_phone(p.phone)
            for p in uow.session.scalars(
                select(Person).where(
                    Person.full_name.in_(["Mark Stevens", "David Wilson", "Lucy Hamilton"])
                )
            )
        }
    name, number = min(candidates.items())
    with core.uow() as uow:
        home_id = uow.session.scalars(
            select(Person.home_id).where(Person.full_name == "Claire Docherty")
        ).one()

    def eligible() -> set[str]:
        ranking = overtime.preview_cover(core, home_id, FRIDAY, "night", "RN")
        return {c.name for c in ranking.eligible}

    assert name in eligible()  # would be asked, but for the STOP
    assert "You won't get any more texts" in text(client, number, "STOP").text
    assert name not in eligible()
    request_id = ask_for_cover(core)
    core.clock.advance(timedelta(hours=3))  # and every later wave too
    for _ in range(6):
        core.clock.advance(timedelta(minutes=31))
        tick(core)
    assert twilio.texts_to(number) == [], f"{name} said STOP"
    assert twilio.sent, "others were still texted"
    with core.uow() as uow:
        stopped = uow.session.scalars(select(Person.id).where(Person.full_name == name)).one()
        offers = uow.session.scalars(
            select(Offer).where(
                Offer.request_id == request_id,
                Offer.person_id == stopped,
                Offer.channel == Channel.SMS,
            )
        ).all()
        sms_out = uow.session.scalars(
            select(OutboundMessage).where(
                OutboundMessage.person_id == stopped,
                OutboundMessage.channel == Channel.SMS,
                OutboundMessage.status.in_(("sent", "delivered")),
            )
        ).all()
    assert offers == [] or all(o.response != OfferResponse.SENT for o in offers)
    assert sms_out == []


def test_a_failed_delivery_receipt_moves_outreach_on_to_the_next_person(demo_url, twilio):
    core = build(demo_url, twilio, wave_size=1)
    warm(core)
    try:
        with TestClient(create_app(core)) as client:
            request_id = ask_for_cover(core)
            offered = sms_offers(core, request_id)
            assert len(offered) == 1
            _first_id, first_number, _ = offered[0]
            sid = twilio.sent[-1].sid
            params = {
                "MessageSid": sid,
                "MessageStatus": "undelivered",
                "ErrorCode": "30003",
                "AccountSid": SID,
                "To": first_number,
                "From": FROM,
            }
            response = client.post(
                "/sms/status",
                data=params,
                headers={"X-Twilio-Signature": sign(TOKEN, PUBLIC + "/sms/status", params)},
            )
            assert response.status_code == 204
            tick(core)  # the next wave is due at once, not after the usual wait
            offered = sms_offers(core, request_id)
            assert offered[0][2] == OfferResponse.NO_RESPONSE
            assert len(offered) == 2
            _, second_number, second_response = offered[1]
            assert second_response == OfferResponse.SENT
            assert len(twilio.texts_to(second_number)) == 1
    finally:
        core.engine.dispose()


def test_yes_after_stop_opts_back_in_but_does_not_accept(core, client, twilio):
    request_id = ask_for_cover(core)
    pid, number, _ = sms_offers(core, request_id)[0]
    text(client, number, "STOP")
    answer = text(client, number, "YES").text
    assert "back on" in answer and "YES" in answer
    assert request_state(core, request_id) == (RequestStatus.PENDING, None)
    text(client, number, "YES")  # the fresh YES the reply asked for
    assert request_state(core, request_id) == (RequestStatus.FILLED, pid)


def test_the_conversation_log_keeps_no_phone_number(core, client):
    request_id = ask_for_cover(core)
    _, number, _ = sms_offers(core, request_id)[0]
    text(client, number, f"no - call me on {number[3:]} instead")
    with core.uow() as uow:
        from core.models import ConversationEntry

        logged = " ".join(uow.session.scalars(select(ConversationEntry.text)))
    assert number[3:] not in logged and number not in logged
