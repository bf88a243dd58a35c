"""The one receive path behind the SMS webhook, with the real conversation: one transaction a
text, the claim committed only with what the text did, a redelivery after a failure processed
in full, 503 while the database is unreachable, readiness only once the parser is loaded, and
fifty simultaneous YES texts leaving one winner."""

from __future__ import annotations

import itertools
import threading
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from bot.conversation.receive import Inbound, Receiver, clean_text
from bot.conversation.service import Conversation
from bot.sms.inbound import STOP_REPLY, InboundSms, SmsInbox
from bot.sms.testing import sign
from bot.web import create_app
from core.models import (
    AuditEntry,
    Channel,
    ConversationEntry,
    CoverageRequest,
    InboundMessage,
    Offer,
    OfferResponse,
    Person,
    PersonKind,
    RequestStatus,
)
from core.phones import vault_for
from tests.conftest import make_core

TOKEN, PUBLIC = "receive-token", "https://staffbot.example.org"
_sids = itertools.count(1)


def sid() -> str:
    return f"SM{next(_sids):032d}"


def number_of(core, name: str) -> str:  # type: ignore[no-untyped-def]
    with core.read() as uow:
        token = uow.session.scalar(select(Person.phone).where(Person.full_name == name))
    return vault_for(core.settings.secret_key).decrypt(token)


def count(core, model, *where) -> int:  # type: ignore[no-untyped-def]
    with core.read() as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


class Transactions:
    """Counts database transactions begun and committed on an engine."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.begun = self.committed = 0
        self.engine = engine
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._commit)

    def _begin(self, _conn) -> None:  # type: ignore[no-untyped-def]
        self.begun += 1

    def _commit(self, _conn) -> None:  # type: ignore[no-untyped-def]
        self.committed += 1

    def close(self) -> None:
        event.remove(self.engine, "begin", self._begin)
        event.remove(self.engine, "commit", self._commit)


@pytest.fixture
def core(demo_url):  # type: ignore[no-untyped-def]
    core = make_core(demo_url, public_url=PUBLIC, TWILIO_AUTH_TOKEN=TOKEN)
    yield core
    core.engine.dispose()


@pytest.fixture
def inbox(core):  # type: ignore[no-untyped-def]
    inbox = SmsInbox(core)
    inbox.warm_up()
    return inbox


def test_one_inbound_text_from_staff_is_one_transaction(core, inbox):
    sarah = number_of(core, "Sarah MacKenzie")
    inbox.receive(InboundSms(sid(), sarah, "leave balance"))  # the parser's catalog is loaded
    counter = Transactions(core.engine)
    try:
        outcome = inbox.receive(InboundSms(sid(), sarah, "my shifts"))
        keyword = inbox.receive(InboundSms(sid(), sarah, "HELP"))
    finally:
        counter.close()
    assert outcome.reply and keyword.reply
    assert (counter.begun, counter.committed) == (2, 2)  # one each, claim to stored reply
    with core.read() as uow:  # the claim, the conversation log and the reply went together
        row = uow.session.scalars(
            select(InboundMessage).order_by(InboundMessage.id.desc()).limit(2)
        ).all()
        assert [r.reply for r in reversed(row)] == [outcome.reply, keyword.reply]


def test_a_text_that_fails_part_way_leaves_nothing_behind_and_its_retry_does_it_all(core):
    class Failing(Conversation):
        fail = True

        def answer(self, ctx):  # type: ignore[no-untyped-def]
            reply = super().answer(ctx)  # the handler's own writes happen ...
            if self.fail:
                raise RuntimeError("the process died here")  # ... then the text fails
            return reply

    conversation = Failing(core)
    inbox = SmsInbox(core, conversation)
    inbox.warm_up()
    tom = number_of(core, "Tom Baxter")
    message = InboundSms(sid(), tom, "STOP sending me overtime offers")  # opts out of OT
    entries = count(core, ConversationEntry)
    with pytest.raises(RuntimeError):
        inbox.receive(message)
    assert count(core, InboundMessage, InboundMessage.provider_id == message.sid) == 0
    assert count(core, ConversationEntry) == entries
    conversation.fail = False
    first = inbox.receive(message)  # Twilio's redelivery: processed in full
    assert first.reply and not first.duplicate
    assert count(core, ConversationEntry) == entries + 2
    again = inbox.receive(message)  # and a duplicate of a finished one: the stored answer
    assert again.duplicate and again.reply == first.reply
    assert count(core, ConversationEntry) == entries + 2


def test_stop_is_honoured_in_the_same_transaction_as_its_claim(core, inbox):
    tom = number_of(core, "Tom Baxter")
    message = InboundSms(sid(), tom, "Stop!")
    assert inbox.receive(message).reply == STOP_REPLY
    assert inbox.receive(message).duplicate
    assert count(core, AuditEntry, AuditEntry.action == "sms.opted_out") == 1
    assert (
        count(core, Person, Person.full_name == "Tom Baxter", Person.sms_opted_out_at.is_not(None))
        == 1
    )


def test_every_channel_loses_control_characters_before_anything_is_stored():
    assert clean_text("my\x00 shifts\x1b[31m\u202e") == "my shifts[31m"
    assert clean_text("a\nb\tc") == "a\nb\tc"
    assert len(clean_text("x" * 10_000)) == 4000


def test_the_console_rehearses_sms_rules(core):
    receiver = Receiver(core, renderers={"sms": lambda r: r.sms})
    receiver.warm_up()
    tom = number_of(core, "Tom Baxter")
    stop = receiver.receive(Inbound(channel="sms", sender=tom, text="STOP"))
    assert stop.text == STOP_REPLY
    silent = receiver.receive(Inbound(channel="sms", sender=tom, text="my shifts"))
    assert silent.text is None  # opted out: nothing answered until START
    stranger = receiver.receive(Inbound(channel="sms", sender="+447700900000", text="hi"))
    assert stranger.known is False and "don't recognise this number" in (stranger.text or "")


def post_text(client: TestClient, number: str, body: str, message_sid: str):  # type: ignore[no-untyped-def]
    params = {"MessageSid": message_sid, "From": number, "To": "+447700900999", "Body": body}
    url = PUBLIC + "/sms/inbound"
    return client.post(
        "/sms/inbound", data=params, headers={"X-Twilio-Signature": sign(TOKEN, url, params)}
    )


def test_readyz_is_not_ready_until_the_parser_is_loaded(core):
    app = create_app(core)
    client = TestClient(app)  # no lifespan yet: nothing has loaded the parser
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "parser": False}
    assert client.get("/healthz").status_code == 200  # liveness is not readiness
    app.state.receiver.warm_up()
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["status"] == "ready"


def test_while_the_database_is_unreachable_a_text_gets_503_so_twilio_retries(tmp_path):
    core = make_core(
        "postgresql+psycopg://postgres@127.0.0.1:9/nowhere?connect_timeout=2",
        public_url=PUBLIC,
        TWILIO_AUTH_TOKEN=TOKEN,
    )
    client = TestClient(create_app(core))
    response = post_text(client, "+447700900123", "my shifts", sid())
    assert response.status_code == 503 and "Message" not in response.text
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 503
    core.engine.dispose()


def test_an_oversize_body_is_refused_on_every_endpoint(core):
    client = TestClient(create_app(core))
    big = "x" * (300 * 1024)
    for path in ("/sms/inbound", "/sms/status", "/slack/events", "/healthz"):
        assert client.post(path, content=big).status_code in (405, 413), path


def yes_race(core) -> None:  # type: ignore[no-untyped-def]
    """Fifty staff answer YES to one offer each at the same moment, through the webhook's
    receive path: the one unit of work per text, joined by the acceptance service."""
    from tests.integration.test_overtime_race import free_people, open_quiet_request

    req = open_quiet_request(core)
    people = free_people(core, req.id, 50)
    with core.uow() as uow:
        for pid in people:
            uow.session.add(
                Offer(
                    request_id=req.id,
                    person_id=pid,
                    wave=1,
                    score=50.0,
                    breakdown={},
                    channel=Channel.SMS,
                    response=OfferResponse.SENT,
                    contacted_at=uow.now(),
                )
            )
        uow.commit()
        tokens = dict(
            uow.session.execute(
                select(Person.id, Person.phone).where(
                    Person.id.in_(people), Person.kind == PersonKind.STAFF
                )
            ).all()
        )
    vault = vault_for(core.settings.secret_key)
    numbers = [vault.decrypt(tokens[pid]) for pid in people]
    inbox = SmsInbox(core)
    inbox.warm_up()
    barrier = threading.Barrier(len(numbers))
    outcomes: list = []
    errors: list = []

    def text(number: str) -> None:
        try:
            barrier.wait()
            outcomes.append(inbox.receive(InboundSms(sid(), number, "YES")))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=text, args=(n,)) for n in numbers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(outcomes) == 50 and all(o.reply for o in outcomes)
    with core.read() as uow:
        s = uow.session
        responses = Counter(s.scalars(select(Offer.response).where(Offer.request_id == req.id)))
        assert responses[OfferResponse.ACCEPTED] == 1
        assert s.get(CoverageRequest, req.id).status == RequestStatus.FILLED
    assert count(core, InboundMessage) >= 50


def test_fifty_simultaneous_yes_texts_leave_one_winner_sqlite(core):
    yes_race(core)


def test_fifty_simultaneous_yes_texts_leave_one_winner_postgresql(pg_demo_url):
    core = make_core(pg_demo_url, public_url=PUBLIC, TWILIO_AUTH_TOKEN=TOKEN)
    try:
        yes_race(core)
    finally:
        core.engine.dispose()
