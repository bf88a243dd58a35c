"""The SMS channel over HTTP: Twilio's signed webhooks in, TwiML out, texts to a local
stand-in for Twilio's REST API. The conversation is a recording fake here (the channel is
under test); tests/e2e/test_sms_outreach.py runs the real one."""

from __future__ import annotations

import itertools
import logging
import time
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.conversation.reply import Reply
from bot.delivery import deliver_due
from bot.sms.inbound import (
    HELP_REPLY,
    SORRY_REPLY,
    START_REPLY,
    STOP_REPLY,
    UNKNOWN_REPLY,
    YES_OPT_IN_REPLY,
)
from bot.sms.sender import Pacer, twilio_senders
from bot.sms.testing import FakeTwilioApi, sign
from bot.sms.webhooks import sms_router
from core.models import (
    AuditEntry,
    Channel,
    ConversationEntry,
    InboundMessage,
    OutboundMessage,
    Person,
)
from core.phones import reveal_phone
from tests.conftest import make_core

SID, TOKEN, FROM = "AC" + "0" * 32, "test-auth-token", "+447700900999"
PUBLIC = "https://staffbot.example.org"
_sids = itertools.count(1)


class RecordingReplies:
    """Stands in for the conversation: answers and remembers what it was asked."""

    def __init__(self, delay: float = 0.0, fail: bool = False) -> None:
        self.calls: list[tuple[int, str, str]] = []
        self.delay, self.fail = delay, fail

    def handle(self, person_id: int, channel: str, text: str) -> Reply:
        self.calls.append((person_id, channel, text))
        if self.delay:
            time.sleep(self.delay)
        if self.fail:
            raise RuntimeError("handler crashed")
        return Reply(f"You said: {text}", short=f"Got: {text}")


class Phone:
    """Twilio, as seen from our webhook: signs what it posts."""

    def __init__(self, client: TestClient, token: str = TOKEN, public: str = PUBLIC) -> None:
        self.client, self.token, self.public = client, token, public

    def post(
        self,
        path: str,
        params: dict[str, str],
        signature: str | None = "auto",
        signed_params: dict[str, str] | None = None,
    ):  # type: ignore[no-untyped-def]
        headers = {}
        if signature == "auto":
            signature = sign(self.token, self.public + path, signed_params or params)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        return self.client.post(path, data=params, headers=headers)

    def text(self, number: str, body: str, sid: str | None = None, **extra: str):  # type: ignore[no-untyped-def]
        params = {
            "MessageSid": sid or f"SM{next(_sids):032d}",
            "AccountSid": SID,
            "From": number,
            "To": FROM,
            "Body": body,
            "NumMedia": "0",
            **extra,
        }
        return self.post("/sms/inbound", params)


def message_of(response) -> str | None:  # type: ignore[no-untyped-def]
    """The text of the TwiML <Message>, or None for an empty response."""
    import xml.etree.ElementTree as ET

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.text)
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return messages[0].text if messages else None


@pytest.fixture
def twilio():
    with FakeTwilioApi(SID, TOKEN) as api:
        yield api


@pytest.fixture
def core(demo_url, twilio):
    core = make_core(
        demo_url,
        public_url=PUBLIC,
        TWILIO_ACCOUNT_SID=SID,
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_FROM_NUMBER=FROM,
        TWILIO_API_URL=twilio.url,
        sms_unknown_replies_per_day=3,
    )
    yield core
    core.engine.dispose()


@pytest.fixture
def replies():
    return RecordingReplies()


def make_client(core, replies, **kwargs) -> TestClient:  # type: ignore[no-untyped-def]
    app = FastAPI()
    senders = twilio_senders(core, pacer=Pacer(0))
    app.include_router(sms_router(core, replies=replies, senders=senders, **kwargs))
    return TestClient(app)


@pytest.fixture
def phone(core, replies):
    with make_client(core, replies) as client:
        yield Phone(client)


def person(core, name: str) -> tuple[int, str]:
    with core.uow() as uow:
        p = uow.session.scalars(select(Person).where(Person.full_name == name)).one()
        return p.id, reveal_phone(p.phone)  # type: ignore[return-value]


def opted_out(core, person_id: int) -> bool:
    with core.uow() as uow:
        return uow.session.get(Person, person_id).sms_opted_out_at is not None


def count(core, model) -> int:  # type: ignore[no-untyped-def]
    with core.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def queue_text(core, person_id: int, text: str) -> int:
    with core.uow() as uow:
        msg = uow.notify(
            OutboundMessage(
                person_id=person_id, channel=Channel.SMS, kind="text", payload={"text": text}
            )
        )
        uow.commit()
        return msg.id


# ---- signatures ---------------------------------------------------------------------------


def test_a_signed_text_from_staff_goes_to_the_conversation_and_the_reply_is_twiml(
    core, phone, replies
):
    pid, number = person(core, "Jennifer Ross")
    response = phone.text(number, "my shifts")
    assert message_of(response) == "Got: my shifts"
    assert replies.calls == [(pid, "sms", "my shifts")]


@pytest.mark.parametrize("attack", ["unsigned", "tampered", "wrong-token", "wrong-url", "garbage"])
def test_unsigned_or_tampered_requests_are_refused_and_change_nothing(core, phone, replies, attack):
    pid, number = person(core, "Jennifer Ross")
    params = {"MessageSid": "SM" + "a" * 32, "From": number, "To": FROM, "Body": "STOP"}
    before = (count(core, InboundMessage), count(core, AuditEntry), count(core, ConversationEntry))
    if attack == "unsigned":
        response = phone.post("/sms/inbound", params, signature=None)
    elif attack == "tampered":  # signed for another body
        response = phone.post("/sms/inbound", params, signed_params={**params, "Body": "hi"})
    elif attack == "wrong-token":
        response = phone.post(
            "/sms/inbound", params, signature=sign("other", PUBLIC + "/sms/inbound", params)
        )
    elif attack == "wrong-url":
        response = phone.post(
            "/sms/inbound",
            params,
            signature=sign(TOKEN, "https://evil.example.org/sms/inbound", params),
        )
    else:
        response = phone.post("/sms/inbound", params, signature="bm90IGEgc2lnbmF0dXJl")
    assert response.status_code == 403
    assert replies.calls == []
    assert not opted_out(core, pid)
    assert (
        count(core, InboundMessage),
        count(core, AuditEntry),
        count(core, ConversationEntry),
    ) == before


def test_without_an_auth_token_every_webhook_is_refused(demo_url, replies):
    core = make_core(demo_url, public_url=PUBLIC)
    with make_client(core, replies) as client:
        _, number = person(core, "Jennifer Ross")
        params = {"MessageSid": "SM1", "From": number, "Body": "hi"}
        response = client.post(
            "/sms/inbound",
            data=params,
            headers={"X-Twilio-Signature": sign("", PUBLIC + "/sms/inbound", params)},
        )
    assert response.status_code == 403 and replies.calls == []
    core.engine.dispose()


def test_a_signed_request_missing_its_message_sid_is_a_bad_request(core, phone):
    _, number = person(core, "Jennifer Ross")
    response = phone.post("/sms/inbound", {"From": number, "Body": "hi"})
    assert response.status_code == 400


def test_signature_over_a_query_string_and_sha256_settings_header(core, replies):
    _, number = person(core, "Jennifer Ross")
    params = {"MessageSid": "SMq1", "From": number, "Body": "hello"}
    with make_client(core, replies) as client:
        url = PUBLIC + "/sms/inbound?home=1"
        ok = client.post(
            "/sms/inbound?home=1",
            data=params,
            headers={"X-Twilio-Signature": sign(TOKEN, url, params)},
        )
        assert message_of(ok) == "Got: hello"
        from twilio.request_validator import RequestValidator

        sha256 = RequestValidator(TOKEN).compute_signature(
            PUBLIC + "/sms/inbound", {**params, "MessageSid": "SMq2"}, "HMAC_SHA256"
        )
        ok256 = client.post(
            "/sms/inbound",
            data={**params, "MessageSid": "SMq2"},
            headers={
                "X-Twilio-Signature": sha256,
                "X-Twilio-Webhooks-Signature-Settings": "key=k1,algorithm=HMAC_SHA256",
            },
        )
        assert message_of(ok256) == "Got: hello"


# ---- idempotency --------------------------------------------------------------------------


def test_a_retried_webhook_is_processed_once_and_answered_the_same(core, phone, replies):
    _, number = person(core, "Jennifer Ross")
    first = phone.text(number, "my shifts", sid="SMretry")
    again = phone.text(number, "my shifts", sid="SMretry")
    assert message_of(first) == message_of(again) == "Got: my shifts"
    assert len(replies.calls) == 1
    assert count(core, InboundMessage) == 1


def test_a_retried_stop_is_audited_once(core, phone):
    pid, number = person(core, "Jennifer Ross")
    phone.text(number, "STOP", sid="SMstop")
    phone.text(number, "STOP", sid="SMstop")
    with core.uow() as uow:
        audits = uow.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "sms.opted_out", AuditEntry.entity_id == str(pid)
            )
        )
    assert audits == 1


def test_a_crash_answers_politely_and_lets_the_retry_run_again(core):
    _, number = person(core, "Jennifer Ross")
    crashing = RecordingReplies(fail=True)
    with make_client(core, crashing) as client:
        assert message_of(Phone(client).text(number, "hello", sid="SMcrash")) == SORRY_REPLY
    working = RecordingReplies()
    with make_client(core, working) as client:
        assert message_of(Phone(client).text(number, "hello", sid="SMcrash")) == "Got: hello"
    assert len(working.calls) == 1


def test_a_slow_reply_is_not_lost_it_follows_as_a_text(core, twilio):
    _, number = person(core, "Jennifer Ross")
    slow = RecordingReplies(delay=0.5)
    with make_client(core, slow, reply_budget=0.05) as client:
        assert message_of(Phone(client).text(number, "forecast", sid="SMslow")) is None
    # the background task waited for the reply, queued it and sent it
    assert twilio.texts_to(number) == ["Got: forecast"]
    with core.uow() as uow:
        row = uow.session.scalars(select(InboundMessage)).one()
        assert row.reply == ""  # a retried webhook must not send it a second time


# ---- who is writing -----------------------------------------------------------------------


def test_uk_formats_of_a_staff_number_find_the_same_person(core, phone, replies):
    pid, number = person(core, "Jennifer Ross")  # +447700900xyz
    national = "0" + number[3:7] + " " + number[7:]  # 07700 900xyz
    message_of(phone.text(national, "hi"))
    message_of(phone.text("0044" + number[3:], "hi"))
    assert [c[0] for c in replies.calls] == [pid, pid]


def test_an_unknown_number_gets_one_short_generic_reply_then_silence(core, phone, replies, caplog):
    caplog.set_level(logging.INFO)
    stranger = "+447700900000"
    answers = [message_of(phone.text(stranger, f"hello {i}")) for i in range(3)]
    assert answers == [UNKNOWN_REPLY] * 3
    # counted by hash: the same number written another way is the same sender
    assert message_of(phone.text("07700 900000", "hello again")) is None
    assert message_of(phone.text(stranger, "anyone?")) is None
    assert replies.calls == []
    assert "Jennifer" not in UNKNOWN_REPLY and len(UNKNOWN_REPLY) <= 160
    # the next local day the count starts again
    core.clock.advance(timedelta(days=1))
    assert message_of(phone.text(stranger, "new day")) == UNKNOWN_REPLY
    assert "900000" not in caplog.text


def test_stop_from_an_unknown_number_gets_no_reply(core, phone):
    assert message_of(phone.text("+447700900000", "STOP")) is None


# ---- carrier keywords ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "STOP",
        "stop",
        " Stop! ",
        "STOPALL",
        "unsubscribe",
        "Cancel.",
        "END",
        "quit",
        "REVOKE",
        "OptOut",
    ],
)
def test_opt_out_words_stop_every_text_and_are_audited(core, phone, replies, twilio, word):
    pid, number = person(core, "Jennifer Ross")
    assert message_of(phone.text(number, word)) == STOP_REPLY
    assert opted_out(core, pid) and replies.calls == []
    with core.uow() as uow:
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "sms.opted_out")
        ).one()
        assert audit.entity_id == str(pid) and audit.actor_id == pid
        assert number not in str(audit.before) + str(audit.after)
    queue_text(core, pid, "An overtime offer")
    assert deliver_due(core, twilio_senders(core, pacer=Pacer(0))) == 0
    assert twilio.texts_to(number) == []


@pytest.mark.parametrize("word", ["START", "unstop", "Start."])
def test_start_words_opt_back_in(core, phone, word):
    pid, number = person(core, "Jennifer Ross")
    phone.text(number, "STOP")
    assert message_of(phone.text(number, word)) == START_REPLY
    assert not opted_out(core, pid)


@pytest.mark.parametrize("word", ["HELP", "info", "Help?"])
def test_help_words_say_who_we_are_and_how_to_stop(core, phone, replies, word):
    _, number = person(core, "Jennifer Ross")
    answer = message_of(phone.text(number, word))
    assert answer == HELP_REPLY and "Staffbot" in answer and "STOP" in answer
    assert replies.calls == []


def test_keywords_count_only_as_the_whole_message(core, phone, replies):
    pid, number = person(core, "Jennifer Ross")
    for body in ["stop texting me on Fridays", "can't start till 8", "help with leave"]:
        phone.text(number, body)
    assert [c[2] for c in replies.calls] == [
        "stop texting me on Fridays",
        "can't start till 8",
        "help with leave",
    ]
    assert not opted_out(core, pid)


def test_yes_after_stop_opts_back_in_and_is_never_an_acceptance(core, phone, replies):
    pid, number = person(core, "Jennifer Ross")
    phone.text(number, "STOP")
    assert message_of(phone.text(number, "yes!")) == YES_OPT_IN_REPLY
    assert not opted_out(core, pid)
    assert replies.calls == []  # not handed to the conversation: no offer accepted
    assert message_of(phone.text(number, "YES")) == "Got: YES"  # now an ordinary YES


def test_other_texts_from_an_opted_out_person_are_neither_answered_nor_acted_on(
    core, phone, replies
):
    _, number = person(core, "Jennifer Ross")
    phone.text(number, "STOP")
    assert message_of(phone.text(number, "no - childcare")) is None
    assert replies.calls == []


def test_twilio_advanced_opt_out_is_mirrored_and_twilio_does_the_replying(core, phone, replies):
    pid, number = person(core, "Jennifer Ross")
    # a custom opt-out word configured in Twilio's console
    assert message_of(phone.text(number, "ARRET", OptOutType="STOP")) is None
    assert opted_out(core, pid)
    assert message_of(phone.text(number, "REPRENDRE", OptOutType="START")) is None
    assert not opted_out(core, pid)
    assert replies.calls == []


def test_a_carrier_level_opt_out_reported_by_twilio_is_recorded(core, twilio):
    pid, number = person(core, "Jennifer Ross")
    twilio.fail_to[number] = (400, 21610)
    mid = queue_text(core, pid, "An offer")
    assert deliver_due(core, twilio_senders(core, pacer=Pacer(0))) == 0
    with core.uow() as uow:
        msg = uow.session.get(OutboundMessage, mid)
        assert msg.status == "failed" and number not in (msg.error or "")
    assert opted_out(core, pid)


# ---- delivery receipts --------------------------------------------------------------------


def _sent_message(core, twilio, name="Jennifer Ross") -> tuple[int, str]:
    pid, _ = person(core, name)
    mid = queue_text(core, pid, "Offer")
    assert deliver_due(core, twilio_senders(core, pacer=Pacer(0))) == 1
    return mid, twilio.sent[-1].sid


def test_texts_ask_for_delivery_receipts_at_our_public_url(core, twilio):
    _sent_message(core, twilio)
    assert twilio.sent[-1].status_callback == PUBLIC + "/sms/status"
    assert twilio.sent[-1].from_ == FROM


@pytest.mark.parametrize("state", ["failed", "undelivered"])
def test_a_failed_receipt_fails_the_message_permanently(core, phone, twilio, state, monkeypatch):
    import dataclasses

    from bot import bootstrap

    mid, sid = _sent_message(core, twilio)
    seen = []
    # the failure hooks are the registry's: this process's, with one more that records
    built = bootstrap.standard_registry()
    hooks = [*built.failure_hooks, lambda uow, msg: seen.append(msg.id)]
    monkeypatch.setattr(
        bootstrap, "standard_registry", lambda: dataclasses.replace(built, failure_hooks=hooks)
    )
    response = phone.post(
        "/sms/status",
        {"MessageSid": sid, "MessageStatus": state, "ErrorCode": "30005", "AccountSid": SID},
    )
    assert response.status_code == 204
    assert seen == [mid]
    with core.uow() as uow:
        msg = uow.session.get(OutboundMessage, mid)
        assert msg.status == "failed" and "30005" in msg.error


def test_a_delivered_receipt_is_recorded_and_a_forged_one_refused(core, phone, twilio):
    mid, sid = _sent_message(core, twilio)
    forged = phone.post(
        "/sms/status", {"MessageSid": sid, "MessageStatus": "failed"}, signature=None
    )
    assert forged.status_code == 403
    for state in ("sent", "delivered"):
        assert (
            phone.post("/sms/status", {"MessageSid": sid, "MessageStatus": state}).status_code
            == 204
        )
    with core.uow() as uow:
        assert uow.session.get(OutboundMessage, mid).status == "delivered"


def test_a_receipt_that_overtakes_our_record_of_the_send_is_applied_shortly_after(
    core, replies, twilio
):
    sleeps: list[float] = []
    pid, _ = person(core, "Jennifer Ross")
    mid = queue_text(core, pid, "Offer")

    def sleep(seconds: float) -> None:  # the send is recorded while the receipt waits
        sleeps.append(seconds)
        with core.uow() as uow:
            uow.session.get(OutboundMessage, mid).provider_id = "SMlate"
            uow.session.get(OutboundMessage, mid).status = "sent"
            uow.commit()

    with make_client(core, replies, sleep=sleep) as client:
        response = Phone(client).post(
            "/sms/status", {"MessageSid": "SMlate", "MessageStatus": "undelivered"}
        )
    assert response.status_code == 204 and len(sleeps) == 1
    with core.uow() as uow:
        assert uow.session.get(OutboundMessage, mid).status == "failed"


# ---- privacy ------------------------------------------------------------------------------


def test_no_phone_number_reaches_the_logs_or_the_conversation_log(core, phone, twilio, caplog):
    caplog.set_level(logging.DEBUG)
    pid, number = person(core, "Jennifer Ross")
    phone.text(number, f"call me on {number} or 07700 900321")
    phone.text(number, "STOP")
    phone.text(number, "START")
    _sent_message(core, twilio)
    twilio.fail_to[number] = (400, 21211)
    queue_text(core, pid, "again")
    deliver_due(core, twilio_senders(core, pacer=Pacer(0)))
    assert number not in caplog.text and number[3:] not in caplog.text
    with core.uow() as uow:
        texts = " ".join(uow.session.scalars(select(ConversationEntry.text)))
        errors = " ".join(e or "" for e in uow.session.scalars(select(OutboundMessage.error)))
    assert number[3:] not in texts and "900321" not in texts
    assert number[3:] not in errors


def test_an_oversized_or_non_form_body_is_refused(core, phone):
    _, number = person(core, "Jennifer Ross")
    params = {"MessageSid": "SMbig", "From": number, "Body": "x" * 70_000}
    assert phone.post("/sms/inbound", params).status_code == 403
    response = phone.client.post(
        "/sms/inbound",
        content=b'{"Body": "hi"}',
        headers={"Content-Type": "application/json", "X-Twilio-Signature": "abc"},
    )
    assert response.status_code == 403
