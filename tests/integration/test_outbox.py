"""Messages the assistant sends first: delivered once, retried on temporary failures,
recorded and reported on permanent ones, never texted to someone who said STOP."""

from datetime import timedelta

from sqlalchemy import select

from bot.delivery import deliver_due
from core.models import AuditEntry, Channel, OutboundMessage, Person
from core.outbox import DeliveryError, MessageSender


class RecordingSender(MessageSender):
    def __init__(self, fail_with=None):
        self.sent, self.fail_with = [], list(fail_with or [])

    def send(self, envelope, text, blocks=None):
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.sent.append((envelope.address, envelope.recipient_name, text))
        return f"P{len(self.sent)}"


def _queue(core, name, text="hello", channel=Channel.SMS):
    with core.uow() as uow:
        person = uow.session.scalars(select(Person).where(Person.full_name == name)).one()
        msg = uow.notify(
            OutboundMessage(
                person_id=person.id, channel=channel, kind="text", payload={"text": text}
            )
        )
        uow.commit()
        return msg.id


def _status(core, message_id):
    with core.uow() as uow:
        msg = uow.session.get(OutboundMessage, message_id)
        return msg.status, msg.attempts, msg.provider_id


def test_a_queued_text_is_sent_once_to_the_decrypted_number(demo_core):
    mid = _queue(demo_core, "Jennifer Ross", "Shift offer")
    sender = RecordingSender()
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 1
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 0
    assert len(sender.sent) == 1
    address, name, text = sender.sent[0]
    assert address.startswith("+447700900") and name == "Jennifer Ross" and text == "Shift offer"
    assert _status(demo_core, mid) == ("sent", 1, "P1")


def test_temporary_failure_is_retried_later_with_backoff(demo_core):
    mid = _queue(demo_core, "Jennifer Ross")
    sender = RecordingSender(fail_with=[DeliveryError("429 too many requests")])
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 0
    assert _status(demo_core, mid)[0] == "queued"
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 0  # not due yet: backing off
    demo_core.clock.advance(timedelta(minutes=1))
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 1
    assert _status(demo_core, mid)[:2] == ("sent", 2)


def test_permanent_failure_is_recorded_audited_and_reported_to_hooks(demo_core):
    seen = []
    mid = _queue(demo_core, "Jennifer Ross")
    sender = RecordingSender(fail_with=[DeliveryError("21211 invalid number", permanent=True)])
    deliver_due(demo_core, {Channel.SMS: sender}, hooks=[lambda uow, msg: seen.append(msg.id)])
    assert _status(demo_core, mid)[0] == "failed"
    assert seen == [mid]
    with demo_core.uow() as uow:
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "message.failed")
        ).all()
        assert [a.entity_id for a in audit] == [str(mid)]


def test_an_adapter_crash_is_retried_not_lost(demo_core):
    mid = _queue(demo_core, "Jennifer Ross")
    sender = RecordingSender(fail_with=[ConnectionResetError("peer reset")])
    deliver_due(demo_core, {Channel.SMS: sender})
    assert _status(demo_core, mid)[0] == "queued"
    demo_core.clock.advance(timedelta(minutes=5))
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 1


def test_nobody_who_said_stop_is_ever_texted(demo_core):
    with demo_core.uow() as uow:
        person = uow.session.scalars(
            select(Person).where(Person.full_name == "Jennifer Ross")
        ).one()
        person.sms_opted_out_at = uow.now()
        uow.commit()
    mid = _queue(demo_core, "Jennifer Ross")
    sender = RecordingSender()
    deliver_due(demo_core, {Channel.SMS: sender})
    assert sender.sent == []
    assert _status(demo_core, mid)[0] == "suppressed"


def test_slack_messages_go_to_the_slack_user_id(demo_core):
    _queue(demo_core, "Sarah MacKenzie", "hi", channel=Channel.SLACK)
    sender = RecordingSender()
    deliver_due(demo_core, {Channel.SLACK: sender})
    assert sender.sent[0][0] == "USARAH001"


# --- leases, unknown outcomes, provider health, concurrency (core.outbox) -------------------

import logging  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

import core.outbox as outbox  # noqa: E402
from bot.delivery import LocalOutboxSender  # noqa: E402
from bot.sms.sender import Pacer, TwilioSmsSender, make_client  # noqa: E402
from bot.sms.testing import FakeTwilioApi  # noqa: E402
from core.delivery_health import channel_paused  # noqa: E402
from core.outbox import delivery_states  # noqa: E402
from core.phones import reveal_phone  # noqa: E402
from tests.conftest import make_core  # noqa: E402

SID, TOKEN, FROM = "AC" + "1" * 32, "outbox-token", "+447700900999"
STAFF = ["Jennifer Ross", "Tom Wilson", "Aisha Khan", "Liam Murray"]


@pytest.fixture
def twilio():
    with FakeTwilioApi(SID, TOKEN) as api:
        yield api


@pytest.fixture
def core(demo_url, twilio):
    core = make_core(
        demo_url,
        TWILIO_ACCOUNT_SID=SID,
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_FROM_NUMBER=FROM,
        TWILIO_API_URL=twilio.url,
    )
    yield core
    core.engine.dispose()


def _sms(core, timeout: float = 5.0) -> dict:
    sender = TwilioSmsSender(make_client(core.settings, timeout=timeout), FROM, None, Pacer(0))
    return {Channel.SMS: sender}


def _number(core, name):
    with core.uow() as uow:
        person = uow.session.scalars(select(Person).where(Person.full_name == name)).one()
        return reveal_phone(person.phone)


def _staff(core):
    with core.uow() as uow:
        people = uow.session.scalars(
            select(Person)
            .where(Person.phone.is_not(None), Person.kind == "staff", Person.home_id.is_not(None))
            .order_by(Person.id)
            .limit(6)
        ).all()
        return [p.full_name for p in people]


def test_delivery_states_say_queued_sent_delivered_failed_and_suppressed(demo_core):
    ids = [_queue(demo_core, "Jennifer Ross", f"t{i}") for i in range(3)]
    with demo_core.uow() as uow:
        assert delivery_states(uow.session, ids) == {i: ("QUEUED", None) for i in ids}
    sender = RecordingSender()
    deliver_due(demo_core, {Channel.SMS: sender})
    with demo_core.uow() as uow:
        outbox.delivery_update(uow, "P1", "delivered")
    with demo_core.uow() as uow:
        outbox.delivery_update(uow, "P2", "undelivered", "undelivered (Twilio error 30003)")
    with demo_core.uow() as uow:
        states = delivery_states(uow.session, [*ids, 999999])
    assert states == {
        ids[0]: ("DELIVERED", None),
        ids[1]: ("FAILED", "undelivered (Twilio error 30003)"),
        ids[2]: ("SENT", None),
    }


def test_a_send_cut_off_by_a_killed_process_is_checked_with_twilio_not_repeated(core, twilio):
    mid = _queue(core, "Jennifer Ross", "Shift offer: Thu early")
    # a process claimed it and sent it, then died before writing the outcome
    with core.uow() as uow:
        env = outbox._claim(uow, mid, set(), [])
    assert env is not None
    _sms(core)[Channel.SMS].send(env, "Shift offer: Thu early")
    assert deliver_due(core, _sms(core)) == 0  # still leased: nobody touches it
    core.clock.advance(outbox.LEASE + timedelta(seconds=1))
    assert deliver_due(core, _sms(core)) == 1
    assert twilio.texts_to(_number(core, "Jennifer Ross")) == ["Shift offer: Thu early"]
    assert twilio.lists == 1
    assert _status(core, mid)[0] == "sent"


def test_a_lease_that_ran_out_before_anything_was_sent_is_sent_once(core, twilio):
    mid = _queue(core, "Jennifer Ross", "Shift offer")
    with core.uow() as uow:
        outbox._claim(uow, mid, set(), [])  # claimed, then the process died before sending
    core.clock.advance(outbox.LEASE + timedelta(seconds=1))
    assert deliver_due(core, _sms(core)) == 1
    assert twilio.texts_to(_number(core, "Jennifer Ross")) == ["Shift offer"]


def test_a_timed_out_send_that_twilio_had_accepted_is_not_sent_again(core, twilio):
    number = _number(core, "Jennifer Ross")
    twilio.slow_to[number] = 1.5  # accepted, but the answer comes after our timeout
    mid = _queue(core, "Jennifer Ross", "Shift offer")
    assert deliver_due(core, _sms(core, timeout=0.5)) == 0
    with core.uow() as uow:
        assert delivery_states(uow.session, [mid])[mid][0] == "QUEUED"
    del twilio.slow_to[number]
    core.clock.advance(timedelta(minutes=2))
    assert deliver_due(core, _sms(core)) == 1
    assert twilio.texts_to(number) == ["Shift offer"]
    assert twilio.attempts == 1


def test_outcome_not_written_when_the_database_blinks_is_recovered_without_a_repeat(
    core, twilio, monkeypatch
):
    mid = _queue(core, "Jennifer Ross", "Shift offer")
    real = outbox._sent

    def database_away(uow, env, provider_id):
        raise OperationalError("UPDATE", {}, Exception("server closed the connection"))

    monkeypatch.setattr(outbox, "_sent", database_away)
    assert outbox.deliver_due(core, _sms(core), retry_sleep=lambda s: None) == 1
    monkeypatch.setattr(outbox, "_sent", real)
    assert _status(core, mid)[0] == "sending"  # the outcome is unknown to us
    core.clock.advance(outbox.LEASE + timedelta(seconds=1))
    deliver_due(core, _sms(core))
    assert _status(core, mid)[0] == "sent"
    assert twilio.texts_to(_number(core, "Jennifer Ross")) == ["Shift offer"]


def test_a_429_outage_pauses_sms_spends_no_attempts_and_tells_managers_once(core, twilio):
    people = _staff(core)[:4]
    ids = [_queue(core, name, f"Offer for {name}") for name in people]
    twilio.outage = (429, 20429)
    for _ in range(6):  # the scheduler keeps ticking through the outage
        deliver_due(core, _sms(core))
        core.clock.advance(timedelta(seconds=20))
    assert twilio.sent == []
    # paused with backoff: the first run's parallel sends, then one probe a tick at most
    assert twilio.attempts <= outbox.WORKERS + 6 < len(ids) * 6
    with core.uow() as uow:
        assert channel_paused(uow.session, Channel.SMS)
        rows = {
            m.id: m
            for m in uow.session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(ids)))
        }
        assert all(rows[i].attempts == 0 and rows[i].status == "queued" for i in ids)
        notices = uow.session.scalars(
            select(OutboundMessage).where(OutboundMessage.kind == "delivery.paused")
        ).all()
    assert notices and all(n.channel == Channel.SLACK for n in notices)
    assert len({(n.person_id, n.home_channel_id) for n in notices}) == len(notices)
    twilio.outage = None
    core.clock.advance(timedelta(minutes=6))
    deliver_due(core, _sms(core))
    assert sorted(t.body for t in twilio.sent) == sorted(f"Offer for {n}" for n in people)
    with core.uow() as uow:
        assert not channel_paused(uow.session, Channel.SMS)
        resumed = uow.session.scalars(
            select(OutboundMessage).where(OutboundMessage.kind == "delivery.resumed")
        ).all()
        assert len(resumed) == len(notices)
        assert len(
            uow.session.scalars(
                select(OutboundMessage).where(OutboundMessage.kind == "delivery.paused")
            ).all()
        ) == len(notices)


def test_an_invalid_number_fails_that_text_only_and_the_rest_go_out(core, twilio):
    people = _staff(core)[:3]
    ids = [_queue(core, name, "Offer") for name in people]
    twilio.fail_to[_number(core, people[0])] = (400, 21211)
    assert deliver_due(core, _sms(core)) == 2
    assert _status(core, ids[0])[0] == "failed"
    with core.uow() as uow:
        assert not channel_paused(uow.session, Channel.SMS)


def test_sends_for_different_people_do_not_wait_behind_one_slow_call(demo_core):
    release = threading.Event()
    order: list[str] = []

    class Slow(RecordingSender):
        def send(self, envelope, text, blocks=None):
            if envelope.recipient_name == "Jennifer Ross":
                release.wait(5)
            order.append(envelope.recipient_name)
            return super().send(envelope, text, blocks)

    people = ["Jennifer Ross", *[n for n in _staff(demo_core) if n != "Jennifer Ross"][:3]]
    for name in people:
        _queue(demo_core, name)
    sender = Slow()
    done = threading.Thread(target=deliver_due, args=(demo_core, {Channel.SMS: sender}))
    done.start()
    deadline = time.monotonic() + 5
    while len(order) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sorted(order) == sorted(people[1:])  # the others went out while one was stuck
    release.set()
    done.join(5)
    assert order[-1] == "Jennifer Ross"


def test_one_persons_messages_keep_their_order(demo_core):
    for i in range(5):
        _queue(demo_core, "Jennifer Ross", f"part {i}")
    sender = RecordingSender()
    deliver_due(demo_core, {Channel.SMS: sender})
    assert [t for _, _, t in sender.sent] == [f"part {i}" for i in range(5)]


def test_the_local_outbox_logs_no_text_name_or_number_at_info(demo_core, caplog):
    body = "Sorry to hear you have covid, Jennifer: shift offer Thu 07:00"
    mid = _queue(demo_core, "Jennifer Ross", body)
    number = _number(demo_core, "Jennifer Ross")
    with caplog.at_level(logging.INFO):
        deliver_due(demo_core, {Channel.SMS: LocalOutboxSender("sms")})
    assert _status(demo_core, mid)[0] == "sent"
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert f"message={mid}" in logged
    for secret in (body, "covid", "Jennifer", "Ross", number, number[-6:]):
        assert secret not in logged
